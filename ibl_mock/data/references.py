"""Made records that name fixture records, and name them coherently: a mentor's platform
is its org, and its owner a user of that org.

A mock's `fixtures/names.yaml` ties property names to a fixture collection:

    references:
      orgs:
        params: [org, platform_key]          # path parameters naming one of its records
        fields:
          ^(platform|platform_key|org)$: [id, key]   # regex over the snake_case name:
          ^platform_name$: [name]                    # the record's fields to take
      users:
        params: [user_id, username]
        fields:
          ^(user|user_id|username|student)$: [id, username]

For a record, each reference takes one record of its collection: the one the path names
(`/orgs/{org}/...`, by any of the listed fields), else one drawn with the seed among
those that agree with the records taken already, as the fixtures' own `references`
declare (a user whose `org` is the org taken). A field whose name matches takes the
first of the listed values its schema accepts (an integer `user_id` the user's `id`, a
text one the `username`), or, holding an object (`owner: {id, username}`), the record's
values for the keys they share; a value the schema refuses leaves the made one in place.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from faker import Faker

from .naming import snake
from .store import Record, Store
from .vocabulary import Rule, VocabularyError, compiled

Accepts = Callable[[str, Any], bool]  # (field, value) -> whether the record may hold it


@dataclass(frozen=True)
class Reference:
    collection: str
    params: tuple[str, ...]
    fields: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]

    def sources_for(self, name: str) -> tuple[str, ...] | None:
        """The fixture fields a property takes its value from, if it names this collection."""
        key = snake(name)
        return next((sources for pattern, sources in self.fields if pattern.search(key)), None)

    def keys(self) -> tuple[str, ...]:
        """Every field listed: what a path parameter's value is looked for in."""
        return tuple(dict.fromkeys(s for _, sources in self.fields for s in sources))


@dataclass(frozen=True)
class Link:
    """`collection.field` holds values of `target.target_field` (a fixture's `references`)."""

    collection: str
    field: str
    target: str
    target_field: str


def references_from(data: Any, store: Store) -> tuple[Reference, ...]:
    """The `references` section; each collection must hold records with the fields named."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise VocabularyError("'references' must map fixture collections to their fields")
    return tuple(reference_from(name, entry, store) for name, entry in data.items())


def reference_from(collection: str, entry: Any, store: Store) -> Reference:
    label = f"references.{collection}"
    if collection not in store or not len(store[collection]):
        raise VocabularyError(f"{label}: no fixture records of that name")
    if not isinstance(entry, dict) or not isinstance(entry.get("fields"), dict):
        raise VocabularyError(f"{label}: needs 'fields:' mapping name regexes to field lists")
    params = entry.get("params") or []
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        raise VocabularyError(f"{label}: 'params' must list path parameter names")
    held = {name for record in store[collection] for name in record}
    fields = []
    for pattern, sources in entry["fields"].items():
        if not isinstance(sources, list) or not sources or not set(map(str, sources)) <= held:
            raise VocabularyError(
                f"{label}: {pattern!r} must list fields of its records ({', '.join(sorted(held))})"
            )
        fields.append((compiled(pattern, label), tuple(map(str, sources))))
    return Reference(collection, tuple(params), tuple(fields))


def links_from(options: Mapping[str, Mapping[str, Any]]) -> tuple[Link, ...]:
    """The fixtures' own `references` options (`users.yaml`: `org: orgs.key`) as links."""
    found = []
    for collection, option in options.items():
        for field, target in (option.get("references") or {}).items():
            target_collection, _, target_field = str(target).partition(".")
            found.append(Link(collection, str(field), target_collection, target_field))
    return tuple(found)


def drawn_rules(references: tuple[Reference, ...], store: Store) -> list[Rule]:
    """Rules giving any made value of a referring name a fixture record's (a `username`
    anywhere is a fixture user's): per pattern, the first listed field holding text for
    text properties, the first holding numbers for numeric ones."""
    rules = []
    for reference in references:
        records = list(store[reference.collection])
        for pattern, sources in reference.fields:
            for numeric in (False, True):
                values = first_values(records, sources, numeric)
                if values:
                    rules.append(Rule(pattern, None, chooser(values), numeric))
    return rules


def first_values(records: list[Record], sources: tuple[str, ...], numeric: bool) -> tuple[Any, ...]:
    for source in sources:
        values = tuple(r[source] for r in records if source in r)
        wanted = int | float if numeric else str
        if values and all(isinstance(v, wanted) and not isinstance(v, bool) for v in values):
            return values
    return ()


def chooser(values: tuple[Any, ...]) -> Callable[[Faker], Any]:
    return lambda fake: fake.random_element(values)


def refer(
    record: Record,
    references: tuple[Reference, ...],
    links: tuple[Link, ...],
    store: Store,
    scope: Mapping[str, Any],
    fake: Faker,
    accepts: Accepts,
) -> None:
    """Fields of `record` naming fixture records given one record's values per reference."""
    if not references:
        return
    chosen = choose(references, links, store, scope, fake)
    for name in list(record):
        for reference in references:  # the first naming the field decides
            sources = reference.sources_for(name)
            if sources is not None:
                taken = chosen.get(reference.collection)
                if taken is not None:
                    record[name] = referred(record[name], taken, sources, name, accepts)
                break


def referred(
    made: Any, taken: Record, sources: tuple[str, ...], name: str, accepts: Accepts
) -> Any:
    """What field `name` holds when it names `taken`: an object (`owner: {id, username}`)
    takes the record's values for the keys they share, anything else the first listed
    value the field accepts; the made value where the field accepts none."""
    if isinstance(made, dict):
        shared = {**made, **{k: copy.deepcopy(taken[k]) for k in made if k in taken}}
        return shared if accepts(name, shared) else made
    fitting = (taken[s] for s in sources if s in taken and accepts(name, taken[s]))
    return copy.deepcopy(next(fitting, made))  # a fixture's own value is not shared


def choose(
    references: tuple[Reference, ...],
    links: tuple[Link, ...],
    store: Store,
    scope: Mapping[str, Any],
    fake: Faker,
) -> dict[str, Record]:
    """One record per reference: the path's first, so that those drawn agree with them."""
    chosen: dict[str, Record] = {}
    unknown: set[str] = set()  # named by the path, held by no record: nothing to take
    for reference in references:
        named = [str(scope[p]) for p in reference.params if p in scope]
        if named:
            found = named_record(reference, store, named[0])
            if found is None:
                unknown.add(reference.collection)
            else:
                chosen[reference.collection] = found
    for reference in references:
        name = reference.collection
        if name in chosen or name in unknown:
            continue
        records = list(store[name]) if name in store else []
        agreeing = [r for r in records if agrees(name, r, chosen, links)] or records
        if agreeing:
            chosen[name] = agreeing[fake.random_int(0, len(agreeing) - 1)]
    return chosen


def named_record(reference: Reference, store: Store, value: str) -> Record | None:
    """The record a path value names (`amara.okafor` or `1057`: a username or an id)."""
    keys = reference.keys()
    return next(
        (r for r in store[reference.collection] if any(str(r.get(k)) == value for k in keys)),
        None,
    )


def agrees(
    collection: str, record: Record, chosen: Mapping[str, Record], links: tuple[Link, ...]
) -> bool:
    """Whether `record` of `collection` refers to, and is referred to by, the records chosen."""
    for link in links:
        if link.collection == collection and link.target in chosen:
            held, wanted = record.get(link.field), chosen[link.target].get(link.target_field)
        elif link.target == collection and link.collection in chosen:
            held, wanted = chosen[link.collection].get(link.field), record.get(link.target_field)
        else:
            continue
        if held != wanted:
            return False
    return True
