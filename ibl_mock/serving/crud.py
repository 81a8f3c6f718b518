"""Stateful handlers for recognised resources: list, create, retrieve, update, destroy.

Records live in the store, one collection per resource and parent scope
(`/authors/3/books` and `/authors/4/books` are two collections), each seeded with
schema-made records the first time it is used, deterministically for the seed. Where the
mock's names file declares references, fields naming fixture records (an org, a user)
hold one record's values, the path's own where the path names one.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import connexion
from faker import Faker

from ..contract.resources import (
    PARAM,
    Action,
    Resource,
    Variants,
    field_for,
    success_schema,
    unwrapped,
)
from ..contract.spec import Operation, Spec
from ..data.faking import SchemaFaker, seeded_faker
from ..data.fitting import fit
from ..data.listing import DRF_PAGE_SIZE, ListView
from ..data.pagination import InvalidPage, Page, PageSize, next_link, paginate, previous_link
from ..data.querying import filter_exact
from ..data.references import refer
from ..data.store import Collection, DuplicateId, Record, Store
from ..pipeline.negotiation import NO_PREFERENCE, choose_media, success_status
from ..pipeline.problems import ApiError, NotFound, shaped_response
from ..pipeline.statuses import answer_status, documented_status
from .responses import (
    BodyMaker,
    ErrorShaper,
    header_text,
    read_checker,
    safely_valid,
    stable_seed,
)

SEEDED_RECORDS = 12
POOLED_RECORDS = 2 * SEEDED_RECORDS  # what nested collections draw their records from
STAND_INS = 256  # unknown ids whose made record a resource remembers (each costs a making)
TOTAL_HEADERS = ("x-total-count", "x-total", "total-count", "x-result-count")
SEARCH_PARAMS = ("search", "q", "query")
ORDER_PARAMS = ("ordering", "sort", "order_by", "sort_by")
SIZE_PARAMS = ("page_size", "per_page", "size", "limit")
RESERVED = {"page", "offset", *SEARCH_PARAMS, *ORDER_PARAMS, *SIZE_PARAMS}


@dataclass(frozen=True)
class Call:
    """One request to one action, as the action methods receive it."""

    action: Action
    records: Records
    collection: Collection
    path: Mapping[str, str]
    body: Any
    request: Any
    operation: Operation
    can_miss: bool  # the operation documents a 404 (or a substitute) for a gone record
    store: Store
    facts: dict[str, str] = field(default_factory=dict)  # header name (lower) -> true value


class IdTaken(ApiError):
    status_code_default = 409


def property_schemas(spec: Spec, record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A record's properties, resolved. A 3.1 boolean schema may stand for one: `true`
    takes anything, `false` nothing, so that property is never in a record."""
    found: dict[str, dict[str, Any]] = {}
    for name, written in (record.get("properties") or {}).items():
        schema = spec.resolve(written)
        if schema is not False:
            found[name] = schema if isinstance(schema, dict) else {}
    return found


class Records:
    """A resource's collections in the store, seeded on first use."""

    def __init__(self, spec: Spec, resource: Resource, seed: int, maker: BodyMaker) -> None:
        self.spec = spec
        self.maker = maker  # schema-made values that fit, one validator per schema
        self.resource = resource
        self.seed = seed
        properties = property_schemas(spec, resource.record)
        self.fields = set(properties)
        self.write_only = {n for n, p in properties.items() if p.get("writeOnly")}
        self.read_only = {n for n, p in properties.items() if p.get("readOnly")}
        texts = tuple(n for n, p in properties.items() if p.get("type") == "string")
        # DRF's SearchFilter over the text fields, OrderingFilter over all, by id otherwise.
        self.view = ListView(texts, tuple(properties), (str(resource.id_field),))
        id_schema = properties.get(resource.id_field or "", {})
        self.integer_ids = id_schema.get("type") in ("integer", "number")  # numbered 1, 2...
        self._checkers: dict[str, Any] = {}
        self._path_id_checker: Any = None
        self._pool: list[Record] | None = None  # nested collections' records to draw from
        self._stand_ins: dict[tuple[str, Any], Record] = {}
        self._lock = threading.Lock()
        self.links: dict[str, Records] = {}  # field -> the top-level resource it names
        self.kind = kind_of(resource.key)  # `recently-accessed-mentors`, for the vocabulary

    @contextlib.contextmanager
    def faker(self, *parts: object) -> Iterator[SchemaFaker]:
        with seeded_faker(stable_seed(self.seed, *parts)) as fake:
            words = self.maker.names.vocabulary
            yield SchemaFaker(self.spec.document, fake, False, kind=self.kind, vocabulary=words)

    def collection(self, store: Store, scope: Mapping[str, Any]) -> Collection:
        name = self.resource.key  # `/books`; nested: `/authors/{author_id}/books?author_id=3`
        if self.resource.scope:
            name += "?" + "&".join(f"{k}={scope.get(k)}" for k in self.resource.scope)
        if name in store:
            return store[name]
        # Seeded aside, then installed unless another request (another worker, with a
        # shared store) installed its own first: the same records, made from the seed.
        collection = Collection(name, str(self.resource.id_field))
        parents = {  # an id the field cannot hold (a number for a `username`) is no link
            field: [i for i in parent.ids(store) if self.fits(field, i)]
            for field, parent in self.links.items()
        }
        with self.faker(name) as faker:
            for record in self.seed_records(faker):
                self.refer(record, store, scope, faker.fake)
                for field_name, ids in parents.items():
                    if ids:  # seeded sessions belong to seeded events
                        record[field_name] = faker.fake.random_element(ids)
                try:
                    self.add(collection, record, scope, faker)
                except DuplicateId:  # ids from a small space (an enum, a const): the first kept
                    continue
        return store.put_if_absent(collection)

    def seed_records(self, faker: SchemaFaker) -> list[Record]:
        """The records a new collection is seeded with. A top-level collection's are made
        for it; a nested one's (one per parent: a client naming a thousand parents makes a
        thousand) are drawn from a pool made once for the resource, copied, and given ids
        and parent fields of their own when added."""
        if not self.resource.scope:
            return [self.made(faker) for _ in range(SEEDED_RECORDS)]
        with self._lock:
            pool = self._pool
        if pool is None:
            with self.faker(self.resource.key, "pool") as made:
                pool = [self.made(made) for _ in range(POOLED_RECORDS)]
            with self._lock:
                self._pool = pool
        return copy.deepcopy(list(faker.fake.random_sample(pool, SEEDED_RECORDS)))

    def refer(self, record: Record, store: Store, scope: Mapping[str, Any], fake: Faker) -> None:
        """Fields naming fixture records (a `platform`, a `username`) given one record's
        values: the org and user of the path, or ones drawn that belong together."""
        if self.resource.variants is not None:
            return  # a field's schema differs per variant: `fits` cannot judge it
        names = self.maker.names
        refer(record, names.references, names.links, store, scope, fake, self.may_hold)

    def may_hold(self, field_name: str, value: Any) -> bool:
        """Whether a record may hold `value` in `field_name` (never its id: `add` gives it)."""
        if field_name == self.resource.id_field or field_name not in self.fields:
            return False
        return self.fits(field_name, value)

    def server_filled(self, made: Record) -> Record:
        """What a server fills in a created record the client did not send: required and
        read-only fields, and defaults; an optional field left out stays out."""
        record = self.resource.record
        if self.resource.variants is not None:
            return made  # each variant requires its own fields: keep the variant whole
        required = set(record.get("required") or [])
        properties = record.get("properties") or {}
        kept: Record = {}
        for name, value in made.items():
            schema = self.spec.resolve(properties.get(name, {}))
            if "default" in schema:
                kept[name] = schema["default"]
            elif name in required or name in self.read_only:
                kept[name] = value
        return kept

    def ids(self, store: Store) -> list[Any]:
        """The ids of a top-level resource's records."""
        return [r[str(self.resource.id_field)] for r in self.collection(store, {})]

    def made(self, faker: SchemaFaker, body: Any = None) -> Record:
        """A schema-made record; of a variant record, the variant `body` names, if any."""
        variants = self.resource.variants
        if variants is None:
            value = self.maker.fitting(self.resource.record, faker)
            return value if isinstance(value, dict) else {}
        option = variant_for(variants, body)
        if option is None:
            option = variants.options[faker.fake.random_int(0, len(variants.options) - 1)]
        value = self.maker.fitting(option, faker)
        if not isinstance(value, dict):
            return {}
        if variants.discriminator is not None:
            tag = SchemaFaker.tag_for(variants.discriminator, option)
            value[str(variants.discriminator.get("propertyName"))] = tag
        return value

    def add(
        self,
        collection: Collection,
        record: Record,
        scope: Mapping[str, Any],
        faker: SchemaFaker,
        wanted_id: Any = None,
    ) -> Record:
        id_field = str(self.resource.id_field)
        record = {**record, **self.scoped(scope)}
        if self.integer_ids:
            record[id_field] = None  # the collection numbers it
        elif is_key(wanted_id) and wanted_id not in collection:
            record[id_field] = wanted_id  # a natural key the client chose (a SKU, say)
        else:
            record[id_field] = self.free_id(collection, faker)
        return collection.add(record)

    def free_id(self, collection: Collection, faker: SchemaFaker) -> Any:
        """An id the collection does not hold yet, which both the item path and the
        record's field take: made from the path's schema, else from the field's, else
        (after a thousand creates, words run out) a made one numbered."""
        id_field = str(self.resource.id_field)
        field = self.resource.record["properties"][id_field]
        made: Any = None
        for source in (self.resource.id_schema or field, field):
            for _ in range(25):
                made = faker.value(source, id_field)
                made = made if is_key(made) else str(made)
                if made not in collection and self.holds_id(made):
                    return made
        for number in range(len(collection), len(collection) + 50):
            numbered = f"{made}-{number}"
            if numbered not in collection and self.holds_id(numbered):
                return numbered
        return made  # every id of a small space (an enum) is taken: DuplicateId

    def holds_id(self, value: Any) -> bool:
        """Whether `value` may be an id: its field takes it, and so does the item path."""
        id_field = str(self.resource.id_field)
        if id_field in self.fields and not self.fits(id_field, value):
            return False
        if self.resource.id_schema is None:
            return True
        if self._path_id_checker is None:
            self._path_id_checker = read_checker(self.spec.document, self.resource.id_schema)
        return safely_valid(self._path_id_checker, value)

    def scoped(self, scope: Mapping[str, Any]) -> Record:
        """Parent parameters that name record fields (`authorId` -> `author_id`), typed
        as the field."""
        found: Record = {}
        properties = self.resource.record.get("properties") or {}
        for name, value in scope.items():
            field = field_for(name, properties)
            if field is not None and name != self.resource.id_param:
                kind = self.spec.resolve(properties[field]).get("type")
                number = as_int(value)
                typed = number if kind in ("integer", "number") and number is not None else value
                if self.fits(field, typed):  # `{owner}` is no `owner` object
                    found[field] = typed
        return found

    def find(self, collection: Collection, raw_id: Any) -> Record | None:
        for candidate in (raw_id, str(raw_id), as_int(raw_id)):
            if candidate is not None and (found := collection.get(candidate)) is not None:
                return found
        return None

    def render(self, record: Record) -> Record:
        return {k: v for k, v in record.items() if k not in self.write_only}

    def stand_in(self, collection: str, raw_id: Any) -> Record:
        """The record made for an unknown id of `collection`: the same for the same id on
        every run, made once and copied (a large schema takes milliseconds to make)."""
        key = (collection, raw_id)
        with self._lock:
            found = self._stand_ins.get(key)
        if found is None:
            with self.faker(collection, "stand-in", raw_id) as faker:
                found = self.made(faker)
            with self._lock:
                while len(self._stand_ins) >= STAND_INS:
                    del self._stand_ins[next(iter(self._stand_ins))]  # the oldest
                self._stand_ins[key] = found
        return copy.deepcopy(found)

    def writable(self, body: Any) -> Record:
        """The body's fields a record can hold as the responses describe it: a field the
        request shapes differently (`product_code` in, `product` out) is not copied."""
        if not isinstance(body, dict):
            return {}
        return {
            k: v
            for k, v in body.items()
            if k in self.fields and k not in self.read_only and self.fits(k, v)
        }

    def fits(self, field: str, value: Any) -> bool:
        checker = self._checkers.get(field)
        if checker is None:
            checker = read_checker(self.spec.document, self.resource.record["properties"][field])
            self._checkers[field] = checker
        return safely_valid(checker, value)


class CrudHandlers:
    """Builds the handler of each action; one instance per app."""

    def __init__(self, spec: Spec, maker: BodyMaker, errors: ErrorShaper, seed: int) -> None:
        self.spec = spec
        self.maker = maker
        self.errors = errors
        self.seed = seed
        self._records: dict[str, Records] = {}

    def seed_top_level(self, store: Store, resources: Iterable[Resource]) -> None:
        """Make every collection not nested under a parent, so the admin API lists it."""
        for resource in resources:
            if not resource.scope:
                self.records(resource).collection(store, {})

    def records(self, resource: Resource) -> Records:
        if resource.key not in self._records:
            self._records[resource.key] = Records(self.spec, resource, self.seed, self.maker)
        return self._records[resource.key]

    def handler(
        self, operation: Operation, action: Action, fallback: Callable[..., Any]
    ) -> Callable[..., Any]:
        """The action's handler; requests for a non-JSON representation go to `fallback`."""
        records = self.records(action.resource)
        parent = action.parent
        nested_params = PARAM.findall(action.view or action.resource.key)
        if action.view and parent is not None and not parent.scope:
            parent_param = nested_params[len(parent.scope)]  # where the parent's id sits
            for param, field in action.fields:
                if param == parent_param:
                    records.links[field] = self.records(parent)
        make = getattr(self, f"act_{action.kind}")
        responses = self.responses(operation)
        success, status = success_status(responses)
        content = self.spec.resolve(responses.get(success, {})).get("content") or {}
        json_media = next((m for m in content if "json" in m), None)
        header_names = self.spec.resolve(responses.get(success, {})).get("headers") or {}
        documented = {name.lower(): name for name in header_names}
        can_miss = documented_status(responses, 404) is not None
        insist = not self.spec.declares_header(operation, "accept")
        reshape = self.reshaper(operation, action)

        def handle(*_args: Any, **kwargs: Any) -> Any:
            request = connexion.request
            chosen = choose_media(content, request.headers.get("accept"), insist=insist)
            if content and chosen != json_media:
                return fallback()
            path = {k: str(v) for k, v in request.path_params.items()}
            store = kwargs["store"]
            scope = dict(zip(nested_params, path.values(), strict=False))
            # No 404 documented: a parent that does not exist yet is answered as if it did.
            if can_miss and not self.parent_exists(action.parent, store, scope):
                return self.error(operation, 404, "Not found.")
            collection = records.collection(store, path)
            call = Call(
                action,
                records,
                collection,
                path,
                kwargs.get("body"),
                request,
                operation,
                can_miss,
                store,
            )
            try:
                body = make(call)
            except ApiError as exc:
                return self.error(operation, int(exc.status_code), str(exc.detail))
            headers = self.maker.headers(operation.operation_id, success, responses[success])
            if action.kind == "create" and isinstance(body, dict):
                item_id = body.get(str(action.resource.id_field))
                where = f"{str(request.url).split('?')[0].rstrip('/')}/{item_id}"
                call.facts["location"] = header_text(where)
            for name, value in call.facts.items():  # documented headers tell the truth
                if name in documented:
                    headers[documented[name]] = value
            if action.wrap is not None and body is not None:
                body = {**self.envelope(operation), action.wrap: body}
            if body is None and json_media is not None and status not in (204, 304):
                # A delete documenting a body: the body the document shows for it.
                body = self.maker.body(
                    operation.operation_id, success, json_media, content[json_media], NO_PREFERENCE
                )
            body = reshape(body) if content else None  # no content documented: no body
            if json_media is not None and body is not None:
                headers["Content-Type"] = json_media
            return body, status, headers

        handle.__name__ = operation.operation_id
        return handle

    def reshaper(self, operation: Operation, action: Action) -> Callable[[Any], Any]:
        """How an answer is brought to the operation's own schema where that is not the
        record's (a create answering `{id}` alone; a list whose items are summaries that
        name the id otherwise, or need fields the records lack): checked, then fitted."""
        schema = success_schema(self.spec, operation)
        if schema is None:
            return same
        own, _ = unwrapped(self.spec, schema, action.resource.id_param)
        single = action.kind != "list" and action.resource.variants is None
        if single and own == action.resource.record:
            return same  # records fit their schema when made
        checker = read_checker(self.spec.document, schema)
        seed = stable_seed(self.seed, operation.operation_id, "reshape")

        def reshape(body: Any) -> Any:
            if body is None or safely_valid(checker, body):
                return body
            with seeded_faker(seed) as fake:
                vocabulary = self.maker.names.vocabulary
                return fit(copy.deepcopy(body), checker, self.spec.document, fake, vocabulary)

        return reshape

    def under_item(
        self, operation: Operation, owner: Resource, fallback: Callable[..., Any]
    ) -> Callable[..., Any]:
        """An operation on one record that is not CRUD (`POST /orders/{id}/cancel`): 404
        when the record is gone (where documented), else the spec's answer, holding the
        request's own values where the response has the same fields."""
        responses = self.responses(operation)
        checker = read_checker(self.spec.document, success_schema(self.spec, operation) or {})

        def handle(*args: Any, **kwargs: Any) -> Any:
            path = {k: str(v) for k, v in connexion.request.path_params.items()}
            gone = not self.parent_exists(owner, kwargs["store"], path)
            if gone and documented_status(responses, 404) is not None:
                return self.error(operation, 404, "Not found.")
            answer = fallback(*args, **kwargs)
            body, given = answer[0], kwargs.get("body")
            if isinstance(body, dict) and isinstance(given, dict):
                echoed = {**body, **{k: v for k, v in given.items() if k in body}}
                if safely_valid(checker, echoed):
                    return (echoed, *answer[1:])
            return answer

        handle.__name__ = operation.operation_id
        return handle

    def parent_exists(self, parent: Resource | None, store: Store, path: Mapping[str, str]) -> bool:
        """Whether the records a nested path hangs under exist. `path` holds the request's
        path parameters in the order they appear; each level reads them by position, as
        `/authors/{author_id}/books` hangs under `/authors/{id}`."""
        if parent is None:
            return True
        names, values = PARAM.findall(parent.key), list(path.values())
        if len(values) <= len(names):
            return True
        scope = dict(zip(names, values, strict=False))
        if not self.parent_exists(parent.parent, store, scope):
            return False
        records = self.records(parent)
        return records.find(records.collection(store, scope), values[len(names)]) is not None

    def envelope(self, operation: Operation) -> dict[str, Any]:
        """A fresh copy of the body the schema makes for the operation's success, whose
        record (or records) the caller puts in; the rest (`meta`, links) stays as made."""
        template = self.maker.body(
            operation.operation_id, "envelope", "application/json",
            {"schema": success_schema(self.spec, operation)}, NO_PREFERENCE,
        )  # fmt: skip
        return copy.deepcopy(template) if isinstance(template, dict) else {}

    def responses(self, operation: Operation) -> dict[str, Any]:
        item = self.spec.operation_object(operation)
        found: dict[str, Any] = item["responses"]
        return found

    def error(self, operation: Operation, natural: int, detail: str) -> Any:
        status = answer_status(self.responses(operation), natural)
        body, media = self.errors.shape(operation.operation_id, status, detail)
        # A response of its own: Connexion would insist on a media type for a bodiless
        # error of an operation whose success offers several.
        return shaped_response(status, body, media, {})

    def missing(self, call: Call) -> Record | None:
        """The record the path names; where it is gone, 404 if the operation documents
        one (or a substitute), else None: the action answers as if it existed."""
        id_param = str(call.records.resource.id_param)
        found = call.records.find(call.collection, call.path.get(id_param))
        if found is None and call.can_miss:
            raise NotFound() from None
        return found

    def stand_in(self, call: Call) -> Record:
        """The record an unknown id is answered with where no 404 is documented: made from
        the schema, the same for the same id on every run, and not stored."""
        records, raw_id = call.records, call.path.get(str(call.records.resource.id_param))
        record = records.stand_in(call.collection.name, raw_id)
        with seeded_faker(stable_seed(self.seed, call.collection.name, raw_id, "refer")) as fake:
            records.refer(record, call.store, call.path, fake)  # the path's org and user
        id_field = str(records.resource.id_field)
        number = as_int(raw_id)
        asked = number if records.integer_ids and number is not None else raw_id
        if id_field not in records.fields or records.fits(id_field, asked):
            record[id_field] = asked  # else the path names no id the record could have
        return record

    # One method per action; each returns the body to send (None: no body).

    def act_retrieve(self, call: Call) -> Any:
        return call.records.render(self.missing(call) or self.stand_in(call))

    def act_destroy(self, call: Call) -> Any:
        found = self.missing(call)
        if found is not None:  # deleting what is not there is done already
            call.collection.remove(found[call.collection.id_field])
        return None

    def act_update(self, call: Call) -> Any:
        current = self.missing(call)
        changes = call.records.writable(call.body)
        if current is None:
            return call.records.render({**self.stand_in(call), **changes})
        changed = call.collection.update(current[call.collection.id_field], changes)
        return call.records.render(changed or current)

    act_partial_update = act_update

    def act_create(self, call: Call) -> Any:
        records, collection = call.records, call.collection
        given = records.writable(call.body)
        wanted = given.get(str(call.action.resource.id_field))
        with records.faker(collection.name, len(collection), "create") as faker:
            made = records.server_filled(records.made(faker, call.body))
            records.refer(made, call.store, call.path, faker.fake)
            try:
                stored = records.add(collection, {**made, **given}, call.path, faker, wanted)
            except DuplicateId:  # every id of a small space (an enum, a const) is taken
                raise IdTaken("A record with this id already exists.") from None
        return records.render(stored)

    def act_list(self, call: Call) -> Any:
        action, records, collection = call.action, call.records, call.collection
        query = dict(call.request.query_params)
        parent = (
            records.scoped({p: call.path[p] for p, _ in action.fields}) if action.fields else {}
        )
        filters = {k: v for k, v in query.items() if k in records.fields and k not in RESERVED}
        searched = next((query[p] for p in SEARCH_PARAMS if p in query), None)
        ordering = next((query[p] for p in ORDER_PARAMS if p in query), None)

        def listed() -> list[Record]:
            found = list(collection)
            if parent:
                found = filter_exact(found, parent)
            return records.view.narrowed(found, filters, searched, ordering)

        key = (action.view, frozen(parent), frozen(filters), searched, ordering)
        found = collection.remembered(key, listed)
        for name in TOTAL_HEADERS:
            call.facts[name] = str(len(found))
        return self.shaped_list(
            action, records, found, query, str(call.request.url), call.operation
        )

    def shaped_list(
        self,
        action: Action,
        records: Records,
        found: list[Record],
        query: dict[str, str],
        url: str,
        operation: Operation,
    ) -> Any:
        shape = action.shape
        assert shape is not None
        size_param = next((p for p in SIZE_PARAMS if p in query), None)
        size = DRF_PAGE_SIZE.choose(query.get(size_param)) if size_param else None
        page = None
        if "offset" in query or (size_param == "limit" and "page" not in query):
            start = PageSize(0, 10**9).choose(query.get("offset")) if "offset" in query else 0
            items = found[start : start + (size or len(found))]
        elif "page" in query or size is not None or shape.next:  # DRF always pages
            try:
                page = paginate(found, query.get("page"), size or 10)
            except InvalidPage:
                if documented_status(self.responses(operation), 404) is not None:
                    raise NotFound("Invalid page.") from None
                # 404 undocumented: an empty page, numbered as asked where that is a number
                asked = str(query.get("page", ""))
                number = int(asked) if asked.isascii() and asked.isdigit() and int(asked) > 0 else 1
                page = Page(items=[], number=number, count=len(found), last=number)
            items = list(page.items)
        else:
            items = found
        rendered = [records.render(r) for r in items]
        if shape.items is None:
            return rendered
        envelope = self.envelope(operation)
        envelope[shape.items] = rendered
        fill_counts(envelope, len(found), page.number if page else 1, size)
        if shape.next:
            envelope[shape.next] = next_link(url, page) if page else None
        if shape.previous:
            envelope[shape.previous] = previous_link(url, page) if page else None
        if shape.count:
            envelope[shape.count] = len(found)
        return envelope


def same(body: Any) -> Any:
    return body


def kind_of(key: str) -> str:
    """What a collection holds, as its path says: the words after its last parameter
    (`course-creation_tasks` for `/orgs/{org}/course-creation/tasks`; `external-mapping`
    for `/users/{username}/external-mapping/~1`, whose `~1` says nothing)."""
    words = [s for s in key.rsplit("}", 1)[-1].split("/") if any(c.isalpha() for c in s)]
    if not words:  # the path ends in a parameter: its last word then (`users`)
        words = [s for s in key.split("/") if "{" not in s and any(c.isalpha() for c in s)][-1:]
    return "_".join(words)


def is_key(value: Any) -> bool:
    """Whether a value can be a record's id: text or a whole number (not a list, say)."""
    return isinstance(value, str | int) and not isinstance(value, bool)


def as_int(value: Any) -> int | None:
    """`42` for "42"; None for anything else (`4.2`, `¹`, which str.isdigit takes, and
    digits past the 4,300 Python converts)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def variant_for(variants: Variants, body: Any) -> Any:
    """The variant a request body is of: by its discriminator, else by its field names."""
    if not isinstance(body, dict) or not body:
        return None
    discriminator = variants.discriminator or {}
    tag = body.get(str(discriminator.get("propertyName")))
    if isinstance(tag, str):
        target = (discriminator.get("mapping") or {}).get(tag, tag)
        for option in variants.options:
            ref = option.get("$ref", "") if isinstance(option, dict) else ""
            if ref and (ref == target or ref.rsplit("/", 1)[-1] == target.rsplit("/", 1)[-1]):
                return option
    return None


COUNT_KEYS = {"total", "count", "total_count", "totalcount", "total_items", "totalitems"}
SIZE_KEYS = {"per_page", "perpage", "page_size", "pagesize", "limit", "size"}


def fill_counts(envelope: dict[str, Any], total: int, page: int, size: int | None) -> None:
    """Integers named like totals, page numbers and page sizes, at any depth, tell the truth."""
    for key, value in envelope.items():
        if isinstance(value, dict):
            fill_counts(value, total, page, size)
        elif isinstance(value, int) and not isinstance(value, bool):
            lowered = key.lower()
            if lowered in COUNT_KEYS:
                envelope[key] = total
            elif lowered == "page":
                envelope[key] = page
            elif lowered in SIZE_KEYS and size is not None:
                envelope[key] = size


def frozen(values: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """A mapping as a key: its items as text, in order of name."""
    return tuple(sorted((str(k), repr(v)) for k, v in values.items()))
