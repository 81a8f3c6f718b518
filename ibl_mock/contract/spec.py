"""The OpenAPI document: read once, checked once, indexed by operationId.

A document with errors is served around them: its findings (`assessment`) are kept on
the spec, located, and the document the mock serves lacks only what they make unusable.
`strict` refuses such a document instead. What is not OpenAPI 3 at all is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from ..checks.assessment import servable_document
from ..checks.checked import Later, assessed, fingerprint
from ..checks.diagnostics import REPORT_LIMIT, Finding, report, with_lines
from ..checks.servable import LeftOut
from .bundle import BundleError, bundle, refers_into_paths
from .docwalk import HTTP_METHODS
from .keyed_paths import KeyedPaths, as_written, separated
from .parsed import parsed_yaml
from .path_index import TemplateIndex
from .refs import deref
from .swagger2 import is_swagger2, to_openapi30

if TYPE_CHECKING:
    from ..settings import Conformance


class SpecError(Exception):
    """The document cannot be read or is not valid OpenAPI; the message says where."""


class InvalidDocument(SpecError):
    """A document refused for its findings (`--strict`); the message lists them, located."""

    def __init__(self, path: Path, findings: tuple[Finding, ...], left_out: tuple[LeftOut, ...]):
        self.path, self.findings, self.left_out = path, findings, left_out
        notes = [o.describe() for o in left_out]
        super().__init__("\n".join(report(path, findings, notes, REPORT_LIMIT, REFUSED)))


REFUSED = "refused (--strict)"
SERVED_ANYWAY = "served anyway (--strict refuses it)"
FOUND_SERVING = "found after start-up, " + SERVED_ANYWAY


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
    document: dict[str, Any]  # as the mock serves it: without what the findings make unusable
    operations: dict[str, Operation]
    findings: tuple[Finding, ...] = ()  # what is wrong with the document, located
    left_out: tuple[LeftOut, ...] = ()  # operations not served, and why
    source_version: str = ""  # the version as written ("2.0" for a converted Swagger 2.0)
    keyed: KeyedPaths = field(default_factory=KeyedPaths.none)  # keys with a query or fragment
    fingerprint: str = ""  # of the document as checked (`validate --record` notes it)
    # The checks left for later: given a pause, every finding, as `findings` would be
    # had they all been made before serving.
    later: Callable[[Callable[[], object]], tuple[Finding, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    # Templates in the document's order, each with its pattern and operations; the index
    # finds the few a concrete path may match (routing per request, whatever the size).
    _templates: list[tuple[str, list[Operation]]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    # Compiled on first use: a thousand patterns cost a third of a second at start.
    _patterns: dict[str, re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _index: TemplateIndex = field(
        default_factory=lambda: TemplateIndex([]), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_path: dict[str, list[Operation]] = {}
        for op in self.operations.values():
            by_path.setdefault(op.path, []).append(op)
        templates = list(by_path.items())
        object.__setattr__(self, "_templates", templates)
        object.__setattr__(self, "_index", TemplateIndex(list(by_path)))

    def resolve(self, node: Any) -> Any:
        """`node` with its `$ref` chain followed."""
        return deref(self.document, node)

    def _matching(self, path: str) -> list[tuple[str, list[Operation]]]:
        """The templates `path` matches, in the document's order."""
        found = (self._templates[i] for i in self._index.candidates(path))
        return [t for t in found if self._pattern(t[0]).fullmatch(path)]

    def _pattern(self, template: str) -> re.Pattern[str]:
        pattern = self._patterns.get(template)
        if pattern is None:
            pattern = self._patterns[template] = path_pattern(template)
        return pattern

    def operation_at(self, method: str, path: str) -> str | None:
        """The operationId serving `method` at concrete `path`, by the spec's templates."""
        wanted = method.lower()
        for _, ops in self._matching(path):
            for op in ops:
                if op.method == wanted:
                    return op.operation_id
        return None

    def schemes_at(self, path: str) -> list[dict[str, Any]]:
        """The security schemes that may authenticate the first operation at `path`."""
        matching = self._matching(path)
        if not matching:
            return []
        template = matching[0][1][0]
        item = self.document["paths"][template.path][template.method]
        requirements = item.get("security", self.document.get("security")) or []
        if any(not requirement for requirement in requirements):
            return []  # `{}` among them: anonymous access is allowed
        defined = self.document.get("components", {}).get("securitySchemes", {})
        names = [name for requirement in requirements for name in requirement]
        return [self.resolve(defined[name]) for name in names if name in defined]

    def methods_at(self, path: str) -> tuple[str, ...]:
        """The documented methods of the first path template matching `path`."""
        for _, ops in self._matching(path)[:1]:
            methods = tuple(op.method.upper() for op in ops)
            # Starlette answers HEAD wherever GET is served.
            return (*methods, "HEAD") if "GET" in methods else methods
        return ()

    def declares_header(self, operation: Operation, name: str) -> bool:
        """Whether the operation (or its path) lists a header parameter of that name."""
        item = self.document["paths"][operation.path]
        listed = [
            *(item.get("parameters") or []),
            *(item[operation.method].get("parameters") or []),
        ]
        return any(
            isinstance(found := self.resolve(p), dict)
            and found.get("in") == "header"
            and str(found.get("name", "")).lower() == name.lower()
            for p in listed
        )

    def operation_object(self, operation: Operation) -> dict[str, Any]:
        """The operation as the document writes it."""
        found: dict[str, Any] = self.document["paths"][operation.path][operation.method]
        return found

    def finish_checks(self, pause: Callable[[], object] = lambda: None) -> list[str]:
        """The checks left for later run (once; `pause` is called at each node they
        visit): the findings they add join the spec's, and the report of those is
        returned."""
        later = self.later
        if later is None:
            return []
        object.__setattr__(self, "later", None)
        whole = later(pause)
        said = {f.pointer for f in self.findings}  # reported at start: not again
        added = tuple(f for f in whole if f.pointer not in said)
        object.__setattr__(self, "findings", whole)
        return report(self.path, added, [], REPORT_LIMIT, FOUND_SERVING)

    def report(self, verdict: str = SERVED_ANYWAY, limit: int | None = REPORT_LIMIT) -> list[str]:
        """What is wrong with the document, located, and what is not served (no lines for
        a document without findings)."""
        notes = [o.describe() for o in self.left_out]
        return report(self.path, self.findings, notes, limit, verdict)

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
        # `https://host/{basePath}` with basePath `/api` gives `//api`: one slash meant.
        return re.sub(r"/{2,}", "/", urlsplit(url).path).rstrip("/")

    def served_document(self, base_path: str) -> dict[str, Any]:
        """The document as Swagger UI gets it: the mock itself is the first server."""
        servers = [{"url": base_path or "/", "description": "this mock"}]
        document = as_written(self.document, self.keyed)
        paths = {path: served_here(item) for path, item in (document.get("paths") or {}).items()}
        listed = servers + list(document.get("servers") or [])
        return {**document, "servers": listed, "paths": paths}

    @property
    def schemas(self) -> dict[str, Any]:
        return dict(self.document.get("components", {}).get("schemas", {}))


class DocumentLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML as JSON sees it: keys as written (`200:` is "200", `on:` is "on"), dates and
    times as the strings they are written as (an OpenAPI document is JSON data)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag in RETAGGED:
                key.tag = STR_TAG
        return dict(super().construct_mapping(node, deep=deep))


STR_TAG = "tag:yaml.org,2002:str"
RETAGGED = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}
DocumentLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_yaml(text: str) -> Any:
    return yaml.load(text, DocumentLoader)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def parse(text: str, path: Path) -> dict[str, Any]:
    """A YAML or JSON text as a mapping, naming the file and line on failure."""
    try:
        data = json.loads(text) if path.suffix == ".json" else parsed_yaml(text, read_yaml, path)
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


def served_here(item: Any) -> Any:
    """A path item without the `servers` it or its operations name: those would send
    Swagger UI and clients to the real hosts instead of the mock."""
    if not isinstance(item, dict):
        return item
    kept = {k: v for k, v in item.items() if k != "servers"}
    for method in HTTP_METHODS:
        operation = kept.get(method)
        if isinstance(operation, dict) and "servers" in operation:
            kept[method] = {k: v for k, v in operation.items() if k != "servers"}
    return kept


def read_document(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, naming the file and line on failure."""
    return parse(read_text(path), path)


def openapi_version(document: dict[str, Any], path: Path) -> str:
    """'3.0' or '3.1'; anything else is not a document the mock can serve."""
    written = str(document.get("openapi", ""))
    if "swagger" in document:  # 2.0 is converted before this is asked
        raise SpecError(
            f"{path}: Swagger {document['swagger']} is not served (2.0 and OpenAPI 3 are)"
        )
    if not written.startswith(("3.0", "3.1")):
        raise SpecError(f"{path}: not an OpenAPI 3.0 or 3.1 document (no 'openapi: 3.x' field)")
    return written[:3]


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
    """`get_things_id` for GET /things/{id}: word characters only (Flask's view names)."""
    words = [w.strip("{}") for w in path.split("/") if w]
    return re.sub(r"\W", "_", "_".join([method, *words]))


def load_spec(path: Path, strict: bool = False, conformance: Conformance = "now") -> Spec:
    """Read, bundle and check a document. Its findings are kept on the spec, located, and
    it is served without what they make unusable; `strict` refuses it instead (and so
    checks everything now). `conformance`: see `settings.Conformance`."""
    text = read_text(path)
    document = parse(text, path)
    swagger2 = is_swagger2(document)
    version = "3.0" if swagger2 else openapi_version(document, path)
    try:
        bundled = bundle(document, path, read_document, text)
    except BundleError as exc:
        raise SpecError(str(exc)) from exc
    converted: list[Finding] = []
    if swagger2:  # after bundling: a 2.0 parameter in another file is converted too
        conversion = to_openapi30(bundled)
        bundled = conversion.document
        notes = [Finding(note.pointer, note.message) for note in conversion.notes]
        converted = with_lines(notes, text)  # their pointers are into the 2.0 text
    key = fingerprint(bundled)
    found, later = assessed(bundled, version, text, key, path, "now" if strict else conformance)
    findings = (*converted, *found.findings)
    if strict and findings:
        raise InvalidDocument(path, findings, found.left_out)
    into_paths = bundled is not document or refers_into_paths(text)  # else the text tells
    served, keyed = separated(servable_document(bundled, found), into_paths)
    written = "2.0" if swagger2 else str(document.get("openapi"))
    operations = index_operations(served)
    rest = None if later is None else whole_findings(converted, later)
    return Spec(path, served, operations, findings, found.left_out, written, keyed, key, rest)


def whole_findings(
    converted: list[Finding], later: Later
) -> Callable[[Callable[[], object]], tuple[Finding, ...]]:
    def made(pause: Callable[[], object]) -> tuple[Finding, ...]:
        return (*converted, *later(pause).findings)

    return made
