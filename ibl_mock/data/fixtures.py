"""Curated records from a fixtures folder, validated once against their schemas.

A fixture file `fixtures/<collection>.yaml` reads:

    schema: AIGeneratedImage     # a name in the spec's components, or in fixtures/schemas.yaml
    records:
      - {id: 1, ...}

A file may name a collection its name cannot (`collection: /api/pets`, a resource), with
`id_field:`, and hold its schema itself (`schema: {type: object, ...}`), as recordings do.
Other top-level keys are options of that collection: `references` maps a field to the
`collection.field` its values must exist in; `prefix` (tokens) is the credential prefix.
`fixtures/schemas.yaml` holds schemas of records the spec does not describe (users, tokens),
`fixtures/seed.py` may define `seed(store, fake)` to add Faker-made records, and
`fixtures/names.yaml` says what values property names call for (see `names_file`).
Any bad record stops start-up with the file, the record and the field named.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator

from ..contract.formats import OAS30_FORMATS
from ..contract.spec import SpecError, read_document
from .faking import make_faker
from .names_file import NAMES_FILE, NO_NAMES, Names, NamesError, read_names
from .store import Record, Store

SCHEMAS_FILE = "schemas.yaml"
INLINE_SCHEMA = "inline_schema"  # the option holding a schema written in the fixture file
SEED_FILE = "seed.py"


class FixtureError(Exception):
    """A fixture file or record is wrong; the message names file, record and field."""


@dataclass(frozen=True)
class FixtureFile:
    path: Path
    collection: str
    schema: str
    records: list[Record]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fixtures:
    """What a fixtures folder put into a store: the schema and options per collection."""

    schemas: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    extra_schemas: dict[str, Any] = field(default_factory=dict)  # fixtures/schemas.yaml
    names: Names = NO_NAMES  # fixtures/names.yaml


# Schemas any mock may use without writing a schemas.yaml: API keys for its credentials.
BUILTIN_SCHEMAS: dict[str, Any] = {
    "ApiToken": {
        "type": "object",
        "required": ["key"],
        "properties": {
            "id": {"type": "integer"},
            "key": {"type": "string", "minLength": 1},
            "username": {"type": "string"},
            "org": {"type": "string"},
            "name": {"type": "string"},
        },
    }
}


class RecordChecker:
    """Validates records against named schemas of the spec and of the fixtures folder."""

    def __init__(self, document: dict[str, Any], extra: dict[str, Any]) -> None:
        spec_schemas = document.get("components", {}).get("schemas", {})
        self._names = {**BUILTIN_SCHEMAS, **spec_schemas, **extra}
        self._root = {"components": {"schemas": self._names}}
        is_31 = str(document.get("openapi", "")).startswith("3.1")
        self._cls = OAS31Validator if is_31 else OAS30ReadValidator
        self._validators: dict[str, Any] = {}

    def names(self) -> list[str]:
        return sorted(self._names)

    def register(self, name: str, schema: dict[str, Any]) -> None:
        """Add a schema under `name` (a resource's record schema, say)."""
        self._names[name] = schema
        self._validators.pop(name, None)

    def knows(self, name: str) -> bool:
        return name in self._names

    def errors(self, name: str, record: Any) -> list[ValidationError]:
        validator = self._validators.get(name)
        if validator is None:
            # $ref siblings are ignored, so the root carries the components for the ref.
            schema = {**self._root, "$ref": f"#/components/schemas/{name}"}
            validator = self._cls(schema, format_checker=OAS30_FORMATS)
            self._validators[name] = validator
        return sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))


def describe(error: ValidationError) -> str:
    """`field 'x': message`, naming the missing field for `required` errors."""
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        name = ".".join(filter(None, [path, *missing[:1]]))
        return f"field '{name}': required but missing"
    return f"field '{path or '(record)'}': {error.message}"


def check_records(checker: RecordChecker, where: str, schema: str, records: list[Any]) -> None:
    for index, record in enumerate(records):
        label = f"record #{index + 1}"
        if isinstance(record, dict) and "id" in record:
            label += f" (id {record['id']!r})"
        if not isinstance(record, dict):
            raise FixtureError(f"{where}: {label}: expected a mapping, got {type(record).__name__}")
        problems = checker.errors(schema, record)
        if problems:
            raise FixtureError(f"{where}: {label}: {describe(problems[0])} (schema {schema})")


def read_fixture_file(path: Path) -> FixtureFile:
    """A fixture file; `collection:` names a collection a file name cannot (a resource's
    `/api/pets`), `id_field:` its records' id, and `schema:` may be the schema itself."""
    try:
        data = read_document(path)
    except SpecError as exc:
        raise FixtureError(str(exc)) from exc
    schema, records = data.get("schema"), data.get("records")
    if not isinstance(schema, str | dict):
        raise FixtureError(f"{path}: needs 'schema: <SchemaName>' at the top")
    if not isinstance(records, list):
        raise FixtureError(f"{path}: needs 'records:' holding a list of records")
    collection = data.get("collection", path.stem)
    if not isinstance(collection, str) or not collection:
        raise FixtureError(f"{path}: 'collection' must name the collection")
    options = {k: v for k, v in data.items() if k not in ("schema", "records", "collection")}
    if isinstance(schema, dict):  # written in the file (a recording): known by its collection
        options[INLINE_SCHEMA] = schema
        schema = f"fixture-{path.stem}"  # a name a JSON pointer can hold
    return FixtureFile(path, collection, schema, records, options)


def read_extra_schemas(folder: Path) -> dict[str, Any]:
    path = folder / SCHEMAS_FILE
    if not path.exists():
        return {}
    try:
        schemas = read_document(path).get("schemas")
    except SpecError as exc:
        raise FixtureError(str(exc)) from exc
    if not isinstance(schemas, dict):
        raise FixtureError(f"{path}: needs 'schemas:' mapping names to schemas")
    return schemas


def fixture_paths(folder: Path) -> list[Path]:
    files = [*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")]
    return sorted(p for p in files if p.name not in (SCHEMAS_FILE, NAMES_FILE))


def load_fixtures(folder: Path, document: dict[str, Any], store: Store, seed: int) -> Fixtures:
    """Validate and store every fixture file, then run the seed hook, if any."""
    if not folder.is_dir():
        raise FixtureError(f"{folder}: fixtures folder not found")
    extra = read_extra_schemas(folder)
    checker = RecordChecker(document, extra)
    loaded = Fixtures(extra_schemas=extra)
    for path in fixture_paths(folder):
        fixture = read_fixture_file(path)
        if INLINE_SCHEMA in fixture.options:
            checker.register(fixture.schema, fixture.options[INLINE_SCHEMA])
        if not checker.knows(fixture.schema):
            raise FixtureError(
                f"{path}: unknown schema {fixture.schema!r}; known: {', '.join(checker.names())}"
            )
        check_records(checker, str(path), fixture.schema, fixture.records)
        id_field = fixture.options.get("id_field")
        if fixture.collection in store or not isinstance(id_field, str):
            collection = store[fixture.collection]
        else:
            collection = store.create(fixture.collection, id_field)
        for record in fixture.records:
            try:
                collection.add(record)
            except KeyError as exc:
                raise FixtureError(f"{path}: {exc.args[0]}") from exc
        loaded.schemas[fixture.collection] = fixture.schema
        loaded.options[fixture.collection] = fixture.options
        loaded.paths[fixture.collection] = path
    run_seed_hook(folder, store, seed, checker, loaded)
    check_references(store, loaded)
    check_unique(store, loaded)
    try:
        loaded.names = read_names(folder, store, loaded.options)
    except NamesError as exc:
        raise FixtureError(str(exc)) from exc
    return loaded


Label = Callable[[str], str]  # collection -> how an error names where it is


def check_unique(store: Store, loaded: Fixtures, label: Label | None = None) -> None:
    """Fields listed under `unique` hold no value twice (two tokens with one key, say)."""
    where = label or (lambda name: str(loaded.paths[name]))
    for name, options in loaded.options.items():
        for field_name in options.get("unique") or []:
            seen: dict[Any, int] = {}
            for index, record in enumerate(store[name]):
                value = record.get(field_name)
                if value in seen:
                    raise FixtureError(
                        f"{where(name)}: record #{index + 1} (id {record.get('id')!r}): "
                        f"field '{field_name}': {value!r} is also in record #{seen[value] + 1}"
                    )
                seen[value] = index


def check_references(store: Store, loaded: Fixtures, label: Label | None = None) -> None:
    """Every `references` field holds a value that exists in the collection it names."""
    where = label or (lambda name: str(loaded.paths[name]))
    for name, options in loaded.options.items():
        references = options.get("references") or {}
        if not isinstance(references, dict):
            raise FixtureError(f"{where(name)}: 'references' must map field -> coll.field")
        for field_name, target in references.items():
            collection, _, target_field = str(target).partition(".")
            known = {r.get(target_field) for r in store[collection]}
            for index, record in enumerate(store[name]):
                value = record.get(field_name)
                if value is not None and value not in known:
                    raise FixtureError(
                        f"{where(name)}: record #{index + 1} (id {record.get('id')!r}): "
                        f"field '{field_name}': {value!r} matches no {target}"
                    )


def run_seed_hook(
    folder: Path, store: Store, seed: int, checker: RecordChecker, loaded: Fixtures
) -> None:
    """Call `seed(store, fake)` from seed.py, then validate what it added."""
    hook = _seed_function(folder / SEED_FILE)
    if hook is None:
        return
    before = {name: {r["id"] for r in store[name]} for name in loaded.schemas}
    try:
        hook(store, make_faker(seed))
    except Exception as exc:
        raise FixtureError(f"{folder / SEED_FILE}: seed() failed: {where(exc)}") from exc
    for name, schema in loaded.schemas.items():
        added = [r for r in store[name] if r["id"] not in before[name]]
        check_records(checker, f"{folder / SEED_FILE} ({name})", schema, added)


def _seed_function(path: Path) -> Callable[..., None] | None:
    if not path.exists():
        return None
    name = "_ibl_mock_seed_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise FixtureError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise FixtureError(f"{path}: cannot be imported: {where(exc)}") from exc
        sys.modules[name] = module
    hook = getattr(module, "seed", None)
    if not callable(hook):
        raise FixtureError(f"{path}: defines no function seed(store, fake)")
    return hook  # type: ignore[no-any-return]


def where(exc: BaseException, file_name: str = SEED_FILE) -> str:
    """`line N: ErrorType: message` for an error raised in a mock's own file."""
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}: SyntaxError: {exc.msg}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(file_name)]
    line = f"line {frames[-1].lineno}: " if frames else ""
    return f"{line}{type(exc).__name__}: {exc}"
