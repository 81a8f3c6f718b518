"""Which schema each collection's records follow, so records written through the admin
API are checked as fixtures are: by file (collection), record and field.

Fixture collections follow the schema their file names; collections of recognised
resources (`/vehicles?` , `/authors/{author_id}/books?author_id=3`) follow the record
schema the spec shows for them; any other collection (made by a seed hook) is unchecked.
"""

from __future__ import annotations

import re
from typing import Any

from ..contract.resources import Resource
from ..data.fixtures import FixtureError, Fixtures, RecordChecker, check_records


class Catalog:
    def __init__(
        self, checker: RecordChecker, fixtures: Fixtures, resources: dict[str, Resource]
    ) -> None:
        self.checker = checker
        self.fixtures = fixtures
        self.resources = resources
        for key, resource in resources.items():
            schema: dict[str, Any] = resource.record
            if resource.variants is not None:
                schema = {"oneOf": list(resource.variants.options)}
            checker.register(resource_schema_name(key), schema)

    def resource_of(self, collection: str) -> Resource | None:
        return self.resources.get(collection.split("?", 1)[0])

    def schema_of(self, collection: str) -> str | None:
        """The checker's name for the collection's schema; None: unchecked."""
        if collection in self.fixtures.schemas:
            return self.fixtures.schemas[collection]
        resource = self.resource_of(collection)
        return None if resource is None else resource_schema_name(resource.key)

    def knows(self, collection: str) -> bool:
        """Whether the collection is one a fixture or a resource of the spec defines."""
        return self.schema_of(collection) is not None

    def id_field(self, collection: str, default: str = "id") -> str:
        resource = self.resource_of(collection)
        return str(resource.id_field) if resource is not None and resource.id_field else default

    def check(self, collection: str, records: list[Any]) -> None:
        """Raise FixtureError naming the record and field of the first bad record."""
        schema = self.schema_of(collection)
        where = f"collection {collection!r}"
        if schema is None:
            for index, record in enumerate(records):
                if not isinstance(record, dict):
                    kind = type(record).__name__
                    raise FixtureError(
                        f"{where}: record #{index + 1}: expected an object, got {kind}"
                    )
            return
        check_records(self.checker, where, schema, records)


def resource_schema_name(key: str) -> str:
    """A schema name safe in a JSON pointer (`/api/books` -> `x-resource_api_books`)."""
    return "x-resource" + re.sub(r"[^A-Za-z0-9_.-]", "_", key)
