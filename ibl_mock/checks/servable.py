"""Operations too broken to serve, and `$ref`s that resolve nowhere.

Most errors in a document leave the mock something to serve. An operation is left out
only when the engine or Connexion could not build or answer it: it is not an object, it
documents no responses, a parameter has no name or place, a request body has no media
types, it names a security scheme nobody defined, or it reaches a `$ref` that resolves
nowhere. Each check is a function in `CHECKS`, returning the first problem it sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..contract.docwalk import HTTP_METHODS, Context, reference, walk, walked
from ..contract.refs import RefError, deref, pointer_get
from .diagnostics import Finding, pointer

PLACES = frozenset({"path", "query", "header", "cookie", "body", "formData"})
Parts = tuple[str, ...]


@dataclass(frozen=True)
class LeftOut:
    method: str
    path: str
    why: Finding
    echoed: bool = False  # `why` follows from a finding said already (a dangling `$ref`)

    def describe(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.why.pointer}: {self.why.reason})"


def dangling(document: dict[str, Any]) -> list[Finding]:
    """Every local `$ref` that resolves nowhere, at the node holding it."""
    found = []
    for parts, node, context in walked(document):
        ref = reference(node, context)
        if ref is not None and ref.startswith("#") and not resolves(document, ref):
            found.append(Finding(pointer(parts), f"unresolvable $ref {ref!r}"))
    return found


def resolves(document: dict[str, Any], ref: str) -> bool:
    try:
        pointer_get(document, ref)
    except RefError:
        return False
    return True


@dataclass
class Operation:
    """One operation as the checks see it: where it is, and its path's parameters."""

    document: dict[str, Any]
    parts: Parts
    node: Any
    shared: Any  # the path item's `parameters`

    def resolve(self, node: Any) -> Any:
        try:
            return deref(self.document, node)
        except RefError:
            return None  # `reachable_dangling` names it


Check = Callable[[Operation], Finding | None]


def not_an_object(op: Operation) -> Finding | None:
    if isinstance(op.node, dict):
        return None
    return Finding(pointer(op.parts), "the operation is not an object")


def without_responses(op: Operation) -> Finding | None:
    responses = op.node.get("responses")
    where = pointer((*op.parts, "responses"))
    if not isinstance(responses, dict) or not responses:
        return Finding(where, "no responses are documented")
    for status, response in responses.items():
        response = op.resolve(response)
        content = response.get("content", {}) if isinstance(response, dict) else None
        if not isinstance(content, dict) or not all(isinstance(m, dict) for m in content.values()):
            return Finding(f"{where}/{status}", "the response is not an object of media types")
    return None


def bad_parameter(op: Operation) -> Finding | None:
    for base, listed in ((op.parts, op.node.get("parameters")), (op.parts[:-1], op.shared)):
        for index, parameter in enumerate(listed if isinstance(listed, list) else []):
            problem = parameter_problem(op.resolve(parameter))
            if problem is not None:
                return Finding(pointer((*base, "parameters", str(index))), problem)
    return None


def parameter_problem(parameter: Any) -> str | None:
    if not isinstance(parameter, dict):
        return "the parameter is not an object"
    if not isinstance(parameter.get("name"), str) or parameter.get("in") not in PLACES:
        return "the parameter has no name or no place ('in')"
    if "schema" in parameter and not isinstance(parameter["schema"], dict | bool):
        return "the parameter's schema is not a schema object"
    return None


def bad_request_body(op: Operation) -> Finding | None:
    if "requestBody" not in op.node:
        return None
    body = op.resolve(op.node["requestBody"])
    content = body.get("content") if isinstance(body, dict) else None
    if isinstance(content, dict) and content and all(isinstance(m, dict) for m in content.values()):
        return None
    where = pointer((*op.parts, "requestBody"))
    return Finding(where, "the request body documents no media types")


def undefined_scheme(op: Operation) -> Finding | None:
    own = "security" in op.node
    requirements = op.node.get("security") if own else op.document.get("security")
    components = op.document.get("components")
    defined = (components or {}).get("securitySchemes") if isinstance(components, dict) else {}
    for index, requirement in enumerate(requirements if isinstance(requirements, list) else []):
        for name in requirement if isinstance(requirement, dict) else ():
            if not isinstance(defined, dict) or name not in defined:
                base = op.parts if own else ()
                where = pointer((*base, "security", str(index), name))
                return Finding(where, f"security scheme {name!r} is not defined")
    return None


CHECKS: tuple[Check, ...] = (
    not_an_object,
    without_responses,
    bad_parameter,
    bad_request_body,
    undefined_scheme,
)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, Operation]]:
    paths = document.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if method in item:
                op = Operation(
                    document, ("paths", str(path), method), item[method], item.get("parameters")
                )
                yield str(path), method, op


def left_out(document: dict[str, Any], broken_refs: Sequence[Finding]) -> list[LeftOut]:
    """The operations the mock cannot serve, each with the first reason found."""
    reach = Reach(document) if broken_refs else None
    found = []
    for path, method, op in operations(document):
        why = None
        if reach is not None:  # first: the other checks see a dangling `$ref` as nothing
            shared = (*op.parts[:-1], "parameters")
            why = reach.dangling_from(op.node, op.parts) or reach.dangling_from(op.shared, shared)
        if why is not None:
            found.append(LeftOut(method, path, why, echoed=True))
        elif why := next((f for check in CHECKS if (f := check(op)) is not None), None):
            found.append(LeftOut(method, path, why))
    return found


class Reach:
    """Whether a part of the document leads, through `$ref`s, to one that resolves nowhere."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.targets: dict[str, str | None] = {}  # ref -> the broken ref it leads to

    def dangling_from(self, node: Any, parts: Parts) -> Finding | None:
        for where, child, context in walk(node, "object", parts):
            ref = reference(child, context)
            broken = self.leads_to(ref, context) if ref is not None else None
            if broken is not None:
                says = "" if broken == ref else "leads to the "
                return Finding(pointer(where), f"{says}unresolvable $ref {broken!r}")
        return None

    def leads_to(self, ref: str, context: Context) -> str | None:
        if not ref.startswith("#"):
            return None
        if ref not in self.targets:
            self.targets[ref] = None  # while walking it: a cycle leads nowhere new
            self.targets[ref] = self.first_broken(ref, context)
        return self.targets[ref]

    def first_broken(self, ref: str, context: Context) -> str | None:
        try:
            target = pointer_get(self.document, ref)
        except RefError:
            return ref
        for _, child, inner in walk(target, context):
            nested = reference(child, inner)
            broken = self.leads_to(nested, inner) if nested is not None else None
            if broken is not None:
                return broken
        return None
