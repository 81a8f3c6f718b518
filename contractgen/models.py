"""The client's pydantic models and enums -> `components/schemas`.

Most facts are in the classes (fields, aliases, defaults, type hints); three live only in
the generated source, which is read with `ast`:

* `nullable`: `to_dict` re-adds `None` for nullable fields under the comment
  `# set to None if <field> (nullable) is None`;
* `readOnly`: `to_dict` excludes readOnly fields (`excluded_fields`, when its docstring says
  "OpenAPI `readOnly` fields are excluded");
* `pattern` / inline `enum`: `field_validator`s that `re.match` a regex or check
  `value not in set([...])`.
"""

from __future__ import annotations

import ast
import enum
import inspect
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .types import Schema, ref, schema_of, split_optional, with_facts

_NULLABLE_COMMENT = re.compile(r"#\s*set to None if (\w+) \(nullable\) is None")
_WRAPPER_FIELD = re.compile(r"(oneof|anyof)_schema_(\d+)_validator")
# Fields of oneOf/anyOf wrappers and models that are not properties of the schema.
_WRAPPER_BOOKKEEPING = {"actual_instance", "one_of_schemas", "any_of_schemas"}
ADDITIONAL_PROPERTIES = "additional_properties"


class ModelSourceError(ValueError):
    """Generated model source in a shape this reader does not know."""


@dataclass
class FieldCheck:
    """What one `field_validator` asserts about its field."""

    pattern: str | None = None
    enum: list[Any] | None = None
    per_item: bool = False  # checks each item of a list field


@dataclass
class SourceFacts:
    """The facts a model states only in its generated source."""

    nullable: set[str] = field(default_factory=set)
    read_only: set[str] = field(default_factory=set)
    checks: dict[str, FieldCheck] = field(default_factory=dict)


class ModelIndex:
    """The client's model and enum classes by component name; a `$ref` to a class that is
    not among them is an error, never a silent `{}`."""

    def __init__(self, classes: list[type]) -> None:
        self.classes: dict[str, type] = {}
        for cls in classes:
            if not issubclass(cls, BaseModel | enum.Enum):
                continue
            if cls.__name__ in self.classes:
                raise ModelSourceError(f"two model classes named {cls.__name__}")
            self.classes[cls.__name__] = cls
        self.reached: set[str] = set()

    def name_of(self, cls: type) -> str | None:
        name = cls.__name__
        if self.classes.get(name) is not cls:
            return None
        self.reached.add(name)
        return name

    def ref_to(self, name: str) -> Schema | None:
        if name not in self.classes:
            return None
        self.reached.add(name)
        return ref(name)


def component_schemas(index: ModelIndex) -> dict[str, Schema]:
    """Every model of the client as a component, sorted by name."""
    return {name: model_schema(index.classes[name], index) for name in sorted(index.classes)}


def model_schema(cls: type, index: ModelIndex) -> Schema:
    if issubclass(cls, enum.Enum):
        return enum_schema(cls)
    if not issubclass(cls, BaseModel):
        raise ModelSourceError(f"{cls!r} is neither a model nor an enum")
    if _wrapper_kind(cls):
        return wrapper_schema(cls, index)
    return object_schema(cls, index)


def enum_schema(cls: type[enum.Enum]) -> Schema:
    values = [member.value for member in cls]
    if not values:
        # The generator leaves drf-spectacular's `NullEnum` (`enum: [null]`) without members.
        return {"nullable": True, "enum": [None]}
    if all(isinstance(v, str) for v in values):
        return {"type": "string", "enum": values}
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return {"type": "integer", "enum": values}
    return {"enum": values}


def wrapper_schema(cls: type[BaseModel], index: ModelIndex) -> Schema:
    """A oneOf/anyOf wrapper: its members are the `<kind>_schema_<n>_validator` fields, in
    the order the generator numbered them (the document's order)."""
    kind = _wrapper_kind(cls)
    if kind is None:
        raise ModelSourceError(f"{cls.__name__} is no oneOf/anyOf wrapper")
    hints = typing.get_type_hints(cls, include_extras=True)
    members: list[tuple[int, Schema]] = []
    for name in cls.model_fields:
        found = _WRAPPER_FIELD.fullmatch(name)
        if found:
            annotation, _ = split_optional(hints[name])
            members.append((int(found.group(2)), schema_of(annotation, index.name_of)))
    if not members:
        raise ModelSourceError(f"{cls.__name__} lists {kind} schemas but has no member fields")
    return {kind: [schema for _, schema in sorted(members, key=lambda m: m[0])]}


def object_schema(cls: type[BaseModel], index: ModelIndex) -> Schema:
    facts = source_facts(cls)
    hints = typing.get_type_hints(cls, include_extras=True)
    properties: Schema = {}
    required: list[str] = []
    for name, info in cls.model_fields.items():
        if name in (ADDITIONAL_PROPERTIES, *_WRAPPER_BOOKKEEPING):
            continue
        json_name = info.alias or name
        properties[json_name] = property_schema(name, hints[name], info.default, facts, index)
        if info.is_required():
            required.append(json_name)
    _check_property_list(cls, list(properties))
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = sorted(required)
    if ADDITIONAL_PROPERTIES in cls.model_fields:
        schema["additionalProperties"] = {}
    return schema


def property_schema(
    name: str, annotation: Any, default: Any, facts: SourceFacts, index: ModelIndex
) -> Schema:
    """One property: its type, then the facts only the source states."""
    bare, _ = split_optional(annotation)  # Optional means "may be omitted"; nullable is sourced
    schema = schema_of(bare, index.name_of)
    nullable = name in facts.nullable
    check = facts.checks.get(name)
    if check is not None:
        schema = _apply_check(schema, check, nullable)
    extra: Schema = {}
    if nullable:
        extra["nullable"] = True
    if name in facts.read_only:
        extra["readOnly"] = True
    if default is not None and default is not PydanticUndefined:
        extra["default"] = _plain(default)
    return with_facts(schema, extra)


def _apply_check(schema: Schema, check: FieldCheck, nullable: bool) -> Schema:
    facts: Schema = {}
    if check.pattern is not None:
        facts["pattern"] = check.pattern
    if check.enum is not None:
        # OpenAPI 3.0.3: a nullable enum must list null to allow it.
        facts["enum"] = [*check.enum, None] if nullable and not check.per_item else check.enum
    if check.per_item:
        if schema.get("type") != "array":
            raise ModelSourceError(f"an item check on a non-array schema {schema}")
        return {**schema, "items": with_facts(schema["items"], facts)}
    return with_facts(schema, facts)


def _plain(value: Any) -> Any:
    """A default as YAML can write it (enum members by their value)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _check_property_list(cls: type, names: list[str]) -> None:
    """The generator lists the JSON names in `__properties`; disagreeing means an alias or
    field was misread."""
    listed = getattr(cls, f"_{cls.__name__}__properties", None)
    if listed is not None and list(listed) != names:
        raise ModelSourceError(f"{cls.__name__}: properties {names} but the client lists {listed}")


def _wrapper_kind(cls: type) -> str | None:
    module = inspect.getmodule(cls)
    prefix = cls.__name__.upper()
    for kind, suffix in (("oneOf", "_ONE_OF_SCHEMAS"), ("anyOf", "_ANY_OF_SCHEMAS")):
        if hasattr(module, prefix + suffix):
            return kind
    return None


def source_facts(cls: type) -> SourceFacts:
    path = inspect.getsourcefile(cls)
    if path is None:
        raise ModelSourceError(f"no source for {cls.__name__}")
    return _facts_in(path, cls.__name__)


@cache
def _facts_in(path: str, class_name: str) -> SourceFacts:
    text = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    class_def = next(
        (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name), None
    )
    if class_def is None:
        raise ModelSourceError(f"class {class_name} not found in {path}")
    facts = SourceFacts()
    lines = text.splitlines()
    for function in _functions(class_def):
        if function.name == "to_dict":
            segment = "\n".join(lines[function.lineno - 1 : function.end_lineno])
            facts.nullable = set(_NULLABLE_COMMENT.findall(segment))
            facts.read_only = _read_only(function)
        for field_name in _validated_fields(function):
            facts.checks[field_name] = _field_check(function, class_name)
    return facts


def _functions(class_def: ast.ClassDef) -> Iterator[ast.FunctionDef]:
    for node in class_def.body:
        if isinstance(node, ast.FunctionDef):
            yield node


def _read_only(to_dict: ast.FunctionDef) -> set[str]:
    if "readOnly" not in (ast.get_docstring(to_dict) or ""):
        return set()
    for node in ast.walk(to_dict):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "excluded_fields"
            and isinstance(node.value, ast.Call)
            and node.value.args
        ):
            names = ast.literal_eval(node.value.args[0])
            return {n for n in names if n != ADDITIONAL_PROPERTIES}
    return set()


def _validated_fields(function: ast.FunctionDef) -> list[str]:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "field_validator"
        ):
            return [ast.literal_eval(arg) for arg in decorator.args]
    return []


def _field_check(function: ast.FunctionDef, class_name: str) -> FieldCheck:
    check = FieldCheck()
    for node in ast.walk(function):
        if isinstance(node, ast.For):
            check.per_item = True
        if _is_re_match(node):
            assert isinstance(node, ast.Call)
            check.pattern = ast.literal_eval(node.args[0])
        if _is_not_in_set(node):
            assert isinstance(node, ast.Compare)
            literal = node.comparators[0]
            assert isinstance(literal, ast.Call)
            check.enum = list(ast.literal_eval(literal.args[0]))
    if check.pattern is None and check.enum is None:
        raise ModelSourceError(f"{class_name}.{function.name}: a validator of unknown shape")
    return check


def _is_re_match(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "match"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
    )


def _is_not_in_set(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.NotIn)
        and isinstance(node.comparators[0], ast.Call)
        and isinstance(node.comparators[0].func, ast.Name)
        and node.comparators[0].func.id == "set"
        and bool(node.comparators[0].args)
    )
