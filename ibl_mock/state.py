"""The store as the admin API reads and writes it: collection summaries, whole
collections replaced, and snapshots of everything. Every write is checked in full before
anything changes, so a bad record or snapshot loses no data. Knows nothing of HTTP."""

from __future__ import annotations

from typing import Any

from .catalog import Catalog
from .fixtures import FixtureError
from .store import Collection, Store

SNAPSHOT_FORMAT = "ibl-mock-state/1"


class StateError(ValueError):
    """A write the store refuses; the message names the collection, record and field."""


def summaries(store: Store, catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "count": len(store[name]),
            "id_field": store[name].id_field,
            "schema": catalog.schema_of(name),
        }
        for name in store.names()
    ]


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


def replace_records(store: Store, catalog: Catalog, name: str, records: list[Any]) -> Collection:
    id_field = store[name].id_field if name in store else catalog.id_field(name)
    collection = checked_collection(catalog, name, id_field, records)
    store.put(collection)
    return collection


def export_state(store: Store, seed: int) -> dict[str, Any]:
    return {"format": SNAPSHOT_FORMAT, "seed": seed, "collections": store.export()}


def import_state(store: Store, catalog: Catalog, snapshot: dict[str, Any]) -> None:
    """Replace every collection with the snapshot's, or, if any record is bad, none."""
    if snapshot.get("format") != SNAPSHOT_FORMAT:
        raise StateError(f"not an ibl-mock snapshot: 'format' must be {SNAPSHOT_FORMAT!r}")
    fresh = Store()
    for name, exported in (snapshot.get("collections") or {}).items():
        fresh.put(
            checked_collection(
                catalog,
                name,
                str(exported["id_field"]),
                list(exported["records"]),
                int(exported["next_id"]),
            )
        )
    store.replace_with(fresh)
