"""The OpenAPI document: read once, validated once, indexed by operationId."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.exceptions import OpenAPISpecValidatorError
from referencing.exceptions import Unresolvable

from .bundle import BundleError, bundle
from .refs import deref

VALIDATOR_VERSION = version("openapi-spec-validator")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecError(Exception):
    """The document cannot be read or is not valid OpenAPI; the message says where."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]


def path_pattern(template: str) -> re.Pattern[str]:
    """`/a/{id}/` -> a regex matching concrete paths; a parameter spans one segment."""
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


@dataclass(frozen=True)
class Spec:
    path: Path
    document: dict[str, Any]
    operations: dict[str, Operation]
    _patterns: list[tuple[re.Pattern[str], tuple[str, ...]]] = field(default_factory=list)
    _templates: list[tuple[re.Pattern[str], Operation]] = field(default_factory=list)

    def __post_init__(self) -> None:
        methods: dict[str, list[str]] = {}
        for op in self.operations.values():
            methods.setdefault(op.path, []).append(op.method.upper())
        compiled = {p: path_pattern(p) for p in methods}  # once: `re`'s cache holds only 512
        self._patterns.extend((compiled[p], tuple(m)) for p, m in methods.items())
        self._templates.extend((compiled[op.path], op) for op in self.operations.values())

    def resolve(self, node: Any) -> Any:
        """`node` with its `$ref` chain followed."""
        return deref(self.document, node)

    def operation_at(self, method: str, path: str) -> str | None:
        """The operationId serving `method` at concrete `path`, by the spec's templates."""
        wanted = method.lower()
        for pattern, op in self._templates:
            if op.method == wanted and pattern.fullmatch(path):
                return op.operation_id
        return None

    def schemes_at(self, path: str) -> list[dict[str, Any]]:
        """The security schemes that may authenticate the first operation at `path`."""
        methods = self.methods_at(path)
        template = next((op for pattern, op in self._templates if pattern.fullmatch(path)), None)
        if template is None or not methods:
            return []
        item = self.document["paths"][template.path][template.method]
        requirements = item.get("security", self.document.get("security")) or []
        if any(not requirement for requirement in requirements):
            return []  # `{}` among them: anonymous access is allowed
        defined = self.document.get("components", {}).get("securitySchemes", {})
        names = [name for requirement in requirements for name in requirement]
        return [self.resolve(defined[name]) for name in names if name in defined]

    def methods_at(self, path: str) -> tuple[str, ...]:
        """The documented methods of the first path template matching `path`."""
        for pattern, methods in self._patterns:
            if pattern.fullmatch(path):
                # Starlette answers HEAD wherever GET is served.
                return (*methods, "HEAD") if "GET" in methods else methods
        return ()

    def operation_object(self, operation: Operation) -> dict[str, Any]:
        """The operation as the document writes it."""
        found: dict[str, Any] = self.document["paths"][operation.path][operation.method]
        return found

    @property
    def title(self) -> str:
        return str(self.document.get("info", {}).get("title", self.path.name))

    @property
    def base_path(self) -> str:
        """The path of the first server URL (`/v2` for `http://host/v2`), as Connexion uses."""
        servers = self.document.get("servers") or [{}]
        first = servers[0] if isinstance(servers[0], dict) else {}
        defaults = {k: v.get("default", "") for k, v in (first.get("variables") or {}).items()}
        url = str(first.get("url", ""))
        for name, value in defaults.items():
            url = url.replace("{" + name + "}", str(value))
        return urlsplit(url).path.rstrip("/")

    def served_document(self, base_path: str) -> dict[str, Any]:
        """The document as Swagger UI gets it: the mock itself is the first server."""
        servers = [{"url": base_path or "/", "description": "this mock"}]
        return {**self.document, "servers": servers + list(self.document.get("servers") or [])}

    @property
    def schemas(self) -> dict[str, Any]:
        return dict(self.document.get("components", {}).get("schemas", {}))


def read_document(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, naming the file and line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(f"{where}: invalid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return data


def check_document(document: dict[str, Any], path: Path) -> None:
    """Validate against the OpenAPI schema; the error names the JSON path that is wrong."""
    version = str(document.get("openapi", ""))
    if "swagger" in document:
        raise SpecError(f"{path}: Swagger 2.0 is not served; convert it to OpenAPI 3 first")
    if not version.startswith(("3.0", "3.1")):
        raise SpecError(f"{path}: not an OpenAPI 3.0 or 3.1 document (no 'openapi: 3.x' field)")
    try:
        validate_openapi(document, base_uri=path.resolve().as_uri())
    except ValidationError as exc:
        where = getattr(exc, "json_path", None) or "$"
        first_line = str(exc.message).splitlines()[0]
        raise SpecError(f"{path}: not valid OpenAPI at {where}: {first_line}") from exc
    except Unresolvable as exc:
        raise SpecError(f"{path}: unresolvable $ref {exc.ref!r}") from exc
    except OpenAPISpecValidatorError as exc:
        raise SpecError(f"{path}: not valid OpenAPI: {exc}") from exc


def index_operations(document: dict[str, Any]) -> dict[str, Operation]:
    """operationId -> Operation; operations without an id get a derived one."""
    operations: dict[str, Operation] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            op_id = op.get("operationId") or derived_operation_id(method, path)
            operations[op_id] = Operation(op_id, method, path, tuple(op.get("tags") or ()))
    return operations


def derived_operation_id(method: str, path: str) -> str:
    words = [w.strip("{}") for w in path.split("/") if w]
    return "_".join([method, *words]).replace("-", "_")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ibl-mock" / "valid"


def fingerprint(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, default=str) + VALIDATOR_VERSION
    return hashlib.sha256(text.encode()).hexdigest()


def known_valid(key: str) -> bool:
    return (cache_dir() / key).exists()


def remember_valid(key: str) -> None:
    """Note a validated document, so the next start skips the second-long validation."""
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        (cache_dir() / key).touch()
    except OSError:
        pass  # no writable cache: validate every time


def load_spec(path: Path) -> Spec:
    """Read, bundle and validate a document; a document validated before (same content,
    neighbouring files included, same validator) is not validated again."""
    document = read_document(path)
    try:
        bundled = bundle(document, path, read_document)
    except BundleError as exc:
        raise SpecError(str(exc)) from exc
    key = fingerprint(bundled)
    if not known_valid(key):
        check_document(document, path)
        remember_valid(key)
    return Spec(path=path, document=bundled, operations=index_operations(bundled))
