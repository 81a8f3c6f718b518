"""The store as the admin API reads and writes it: collection summaries, whole
collections replaced, and snapshots of everything. Every write is checked in full before
anything changes, so a bad record or snapshot loses no data. Knows nothing of HTTP."""

from __future__ import annotations

from typing import Any

from ..data.fixtures import FixtureError, check_references, check_unique
from ..data.store import Collection, Store
from .catalog import Catalog

SNAPSHOT_FORMAT = "ibl-mock-state/1"


class StateError(ValueError):
    """A write the store refuses; the message names the collection, record and field."""


def summary(store: Store, catalog: Catalog, name: str) -> dict[str, Any]:
    collection = store[name]
    return {
        "name": name,
        "count": len(collection),
        "id_field": collection.id_field,
        "schema": catalog.schema_of(name),
    }


def summaries(store: Store, catalog: Catalog) -> list[dict[str, Any]]:
    return [summary(store, catalog, name) for name in store.names()]


def checked_collection(
    catalog: Catalog, name: str, id_field: str, records: list[Any], next_id: int = 1
) -> Collection:
    """A new collection holding `records`, after checking each against its schema."""
    try:
        catalog.check(name, records)
    except FixtureError as exc:
        raise StateError(str(exc)) from None
    try:
        return Collection.restore(
            name, {"id_field": id_field, "next_id": next_id, "records": records}
        )
    except KeyError as exc:
        raise StateError(str(exc.args[0])) from None


def check_links(store: Store, catalog: Catalog) -> None:
    """What fixtures declare across records holds: `unique` fields, `references`."""

    def label(name: str) -> str:
        return f"collection {name!r}"

    try:
        check_unique(store, catalog.fixtures, label)
        check_references(store, catalog.fixtures, label)
    except FixtureError as exc:
        raise StateError(str(exc)) from None


def expected_id_field(store: Store, catalog: Catalog, name: str) -> str:
    return store[name].id_field if name in store else catalog.id_field(name)


def replace_records(store: Store, catalog: Catalog, name: str, records: list[Any]) -> Collection:
    collection = checked_collection(catalog, name, expected_id_field(store, catalog, name), records)
    check_links(store.with_collection(collection), catalog)
    store.put(collection)
    return collection


def export_state(store: Store, seed: int) -> dict[str, Any]:
    return {"format": SNAPSHOT_FORMAT, "seed": seed, "collections": store.export()}


def checked_state(store: Store, catalog: Catalog, snapshot: dict[str, Any]) -> Store:
    """The store a snapshot describes, once all of it is checked: it holds every fixture
    collection, and only collections this mock knows, each keyed as it is here."""
    if snapshot.get("format") != SNAPSHOT_FORMAT:
        raise StateError(f"not an ibl-mock snapshot: 'format' must be {SNAPSHOT_FORMAT!r}")
    collections: dict[str, Any] = snapshot.get("collections") or {}
    missing = sorted(set(catalog.fixtures.schemas) - set(collections))
    if missing:
        raise StateError(f"the snapshot lacks collection {missing[0]!r}")
    fresh = Store()
    for name, exported in collections.items():
        if name not in store and not catalog.knows(name):
            raise StateError(f"unknown collection {name!r}: not a fixture nor a resource")
        id_field = expected_id_field(store, catalog, name)
        if exported["id_field"] != id_field:
            raise StateError(f"collection {name!r}: 'id_field' must be {id_field!r}")
        records = list(exported["records"])
        fresh.put(checked_collection(catalog, name, id_field, records, int(exported["next_id"])))
    check_links(fresh, catalog)
    return fresh
