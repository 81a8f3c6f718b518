"""Connexion's copy of the document: what its loader would choke on, made safe.

Connexion resolves references when it builds its Specification (`json_schema.resolve_refs`)
and takes every mapping with a `$ref` key for a reference: a property *named* `$ref`
(`properties: {"$ref": {type: string}}`, in any document describing JSON Schema) crashes
it with a TypeError, and an example or default holding `{"$ref": "#/not/here"}` with a
RefResolutionError. Such keys are renamed in the copy Connexion is given (`escape`) and
given back their name in the Specification built of it (`connexion_spec`), so its
validators see the document as written.

Connexion also reads `schema` of every path parameter to route it; a parameter described
with `content` gets that content's schema there too. Its router (Starlette's) takes only
identifiers for path parameter names: `{energy-type}` is renamed `{energy_type}`, in the
path and in the parameter, so the path routes at all. A request body taking a range of
structured types (`application/*+json`), or one of them (`application/vnd.acme+json`),
takes their base type too (`application/json`): clients, schemathesis among them, send
that for it; one with parameters (`application/json;version=2018-01-01`) takes the bare
type too. Connexion drops a
security requirement naming two OAuth2 schemes together (and then refuses every
request); both read the same bearer token, and a mock has no identity provider to
tell them apart, so one is kept.
A path's `head` operation is listed before its `get`, so HEAD requests reach it. A
`mutualTLS` scheme is left out of security requirements: that is the transport's check.
A `$ref` whose pointer holds escapes (`~1`) points at its target under a plain key.
A path item's parameters are moved into its operations, less those an operation defines
itself: OpenAPI lets the operation's win, but Connexion appends the path's after them and
types the route by the last one (rawg's `/creators/{id}`, an integer for the path, a
string for its `get`, routed no string).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from ..pipeline.coercion import parameter_schema
from ..pipeline.negotiation import JSON_RANGES
from .docwalk import HTTP_METHODS
from .refs import RefError, pointer_get
from .spec import derived_operation_id

REF = "$ref"
BARE_PARAMETER = re.compile(r"\{[^{}]*\}")
ESCAPED = "$ref\x00not-a-reference"  # no document has a key with a NUL in it


def most_specific_first(paths: dict[str, Any]) -> dict[str, Any]:
    """Paths in the order Starlette should try them: segment by segment, literal text
    before a parameter with text around it before a bare parameter. Routes are tried in
    order, and `/v1/{name}`, listed first, took `/v1/a:download` from `/v1/{name}:download`."""
    return dict(sorted(paths.items(), key=lambda item: specificity(str(item[0]))))


def specificity(path: str) -> tuple[int, ...]:
    return tuple(
        0 if "{" not in segment else 2 if BARE_PARAMETER.fullmatch(segment) else 1
        for segment in path.split("/")
    )


def prepared(source: dict[str, Any]) -> dict[str, Any]:
    """A copy of `source` made safe for Connexion's loader (`source` is left as it is)."""
    document: dict[str, Any]
    document, holders = copied(source)
    # First: what follows moves and renames what such pointers lead to (a path's own
    # parameters go into its operations, codat's refer to them by `#/paths/~1...%7Bid%7D`).
    plain_pointers(document, holders)
    for parameter in parameters(document):
        if "schema" not in parameter and "content" in parameter:
            parameter["schema"] = parameter_schema(parameter)
        if parameter.get("in") == "path" and isinstance(parameter.get("name"), str):
            parameter["name"] = routable(parameter["name"])
    paths = document.get("paths")
    if isinstance(paths, dict) and any(PATH_NAME.search(str(key)) for key in paths):
        for key, item in paths.items():  # ids derived from the path as written, as `spec` does
            for method, operation in item.items() if isinstance(item, dict) else ():
                if method in HTTP_METHODS and isinstance(operation, dict):
                    operation.setdefault("operationId", derived_operation_id(method, str(key)))
        document["paths"] = {routable_path(str(key)): item for key, item in paths.items()}
    if isinstance(document.get("paths"), dict):
        document["paths"] = most_specific_first(document["paths"])
    for item in (document.get("paths") or {}).values():
        head_first(item)
        operations_own_parameters(document, item)
    for content in request_contents(document):
        for media in [m for m in content if STRUCTURED_RANGE.fullmatch(str(m))]:
            content.setdefault(STRUCTURED_RANGE.sub(r"\1/\2", str(media)), content[media])
        for media in [m for m in content if ";" in str(m)]:
            content.setdefault(str(media).split(";")[0].strip(), content[media])
    for content in response_contents(document):  # a range is answered as JSON (`sent_type`)
        for media in [m for m in content if str(m).split(";")[0].strip() in JSON_RANGES]:
            content.setdefault("application/json", content[media])
    for requirements in security_lists(document):
        requirements[:] = [
            without_transport(one_oauth2(r, document), document) for r in requirements
        ]
    escape(holders, document)
    return document


def copied(node: Any) -> tuple[Any, list[dict[str, Any]]]:
    """A copy of JSON data, and its mappings that hold a `$ref` key: what `plain_pointers`
    and `escape` look at, without walking the whole document twice more (a deep copy and
    two walks took a third of a second of every start of the ibl API). Moving things
    around afterwards keeps them the same mappings."""
    holders: list[dict[str, Any]] = []

    def copy(value: Any) -> Any:
        if isinstance(value, dict):
            out = {key: copy(item) for key, item in value.items()}
            if REF in out:
                holders.append(out)
            return out
        if isinstance(value, list):
            return [copy(item) for item in value]
        return value

    return copy(node), holders


TARGETS = "x-ibl-mock-targets"  # an extension key: the document stays valid OpenAPI


def plain_pointers(document: dict[str, Any], holders: list[dict[str, Any]]) -> None:
    """Each `$ref` whose pointer holds escapes (`#/paths/~1anything/...`) pointed, in
    place, at its target listed under a plain key. Connexion looks such pointers up
    without unescaping them, misses, and falls back to a resolver whose answer it walks
    for ever when the target's schema is recursive (a RecursionError at start)."""
    named: dict[str, str] = {}
    targets: dict[str, Any] = {}
    for mapping in holders:
        ref = mapping.get(REF)
        if not (isinstance(ref, str) and ref.startswith("#/") and ("~" in ref or "%" in ref)):
            continue
        if ref not in named:
            try:
                target = pointer_get(document, ref)
            except RefError:
                continue  # left for `escape`
            if not isinstance(target, dict):
                continue  # as is a target Connexion cannot merge
            named[ref] = f"t{len(named)}"
            targets[named[ref]] = target
        mapping[REF] = f"#/{TARGETS}/{named[ref]}"
    if targets:
        document[TARGETS] = targets


def operations_own_parameters(document: dict[str, Any], item: Any) -> None:
    """Each operation of `item` holding the path's parameters it does not override."""
    shared = item.get("parameters") if isinstance(item, dict) else None
    methods = [m for m in HTTP_METHODS if isinstance(item, dict) and isinstance(item.get(m), dict)]
    if not isinstance(shared, list) or not shared or not methods:
        return
    for method in methods:
        operation = item[method]
        own = operation.get("parameters") if isinstance(operation.get("parameters"), list) else []
        defined = {identity(document, p) for p in own}
        operation["parameters"] = own + [p for p in shared if identity(document, p) not in defined]
    del item["parameters"]


def identity(document: dict[str, Any], parameter: Any) -> tuple[str, str] | None:
    """A parameter's (in, name), through its `$ref`; None where it has none."""
    try:
        found = pointer_get(document, parameter[REF]) if REF in parameter else parameter
    except (RefError, TypeError):
        return None
    if not isinstance(found, dict):
        return None
    return str(found.get("in")), str(found.get("name"))


def head_first(item: Any) -> None:
    """A path's `head` operation put before its `get`: Starlette routes HEAD to a GET route
    too, so a `head` listed after it was never reached (its own security, its responses)."""
    if isinstance(item, dict) and "head" in item and "get" in item:
        operations = list(item.items())
        item.clear()
        item.update(sorted(operations, key=lambda pair: pair[0] != "head"))


def security_lists(document: dict[str, Any]) -> list[list[Any]]:
    """The document's `security` list and each operation's."""
    found = [document.get("security")]
    for item in (document.get("paths") or {}).values():
        if isinstance(item, dict):
            found += [op.get("security") for op in item.values() if isinstance(op, dict)]
    return [listed for listed in found if isinstance(listed, list)]


def one_oauth2(requirement: Any, document: dict[str, Any]) -> Any:
    """A requirement with its second and later OAuth2 schemes left out."""
    if not isinstance(requirement, dict):
        return requirement
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    kept: dict[str, Any] = {}
    oauth2 = False
    for name, scopes in requirement.items():
        scheme = schemes.get(name)
        is_oauth2 = isinstance(scheme, dict) and scheme.get("type") == "oauth2"
        if not (is_oauth2 and oauth2):
            kept[name] = scopes
        oauth2 = oauth2 or is_oauth2
    return kept


def without_transport(requirement: Any, document: dict[str, Any]) -> Any:
    """A requirement without its `mutualTLS` schemes: the client's certificate is the
    transport's to check, and a mock served over plain HTTP sees none (schemes it
    leaves empty are met by any request)."""
    if not isinstance(requirement, dict):
        return requirement
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return {
        name: scopes
        for name, scopes in requirement.items()
        if not (isinstance(schemes.get(name), dict) and schemes[name].get("type") == "mutualTLS")
    }


# `application/*+json` and `application/vnd.acme.v1+json`: a structured syntax suffix
STRUCTURED_RANGE = re.compile(r"([\w.-]+)/[\w.*-]*\+([\w.-]+)")


def response_contents(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The `content` maps of every response, in the paths and the components."""
    found: list[Any] = list((document.get("components") or {}).get("responses", {}).values())
    for item in (document.get("paths") or {}).values():
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict) and isinstance(op.get("responses"), dict):
                found += list(op["responses"].values())
    contents = [r.get("content") for r in found if isinstance(r, dict)]
    return [content for content in contents if isinstance(content, dict)]


def request_contents(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The `content` maps of every request body, in the paths and the components."""
    bodies: list[Any] = list((document.get("components") or {}).get("requestBodies", {}).values())
    for item in (document.get("paths") or {}).values():
        if isinstance(item, dict):
            bodies += [op.get("requestBody") for op in item.values() if isinstance(op, dict)]
    found = [b.get("content") for b in bodies if isinstance(b, dict)]
    return [content for content in found if isinstance(content, dict)]


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PATH_NAME = re.compile(r"\{([^{}]*[^A-Za-z0-9_{}][^{}]*|[0-9][^{}]*)\}")


def routable(name: str) -> str:
    """A path parameter name Starlette routes: `energy-type` -> `energy_type`."""
    if IDENTIFIER.fullmatch(name):
        return name
    safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return safe if IDENTIFIER.fullmatch(safe) else "_" + safe


def routable_path(key: str) -> str:
    return PATH_NAME.sub(lambda found: "{" + routable(found.group(1)) + "}", key)


def parameters(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every parameter object of the paths and of `components/parameters`."""
    found: list[Any] = list((document.get("components") or {}).get("parameters", {}).values())
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        found += item.get("parameters") or []
        for operation in item.values():
            if isinstance(operation, dict):
                found += operation.get("parameters") or []
    return [p for p in found if isinstance(p, dict)]


def is_reference(value: Any, document: dict[str, Any]) -> bool:
    """A `$ref` Connexion can follow: a pointer into this document (external references
    were bundled into it when it was loaded) at a mapping, which it merges into the
    referring one (a `$ref` to a list, in an extension, crashed it)."""
    if not isinstance(value, str):
        return False
    for ref in (value, urllib.parse.unquote(value)):
        try:
            return isinstance(pointer_get(document, ref), dict)
        except RefError:
            continue
    return False


def escape(holders: list[dict[str, Any]], document: dict[str, Any]) -> None:
    """Rename, in place, each `$ref` key of `holders` that is not a reference Connexion can
    follow (the Specification built of the copy gives them their name back)."""
    for mapping in holders:
        if REF in mapping and not is_reference(mapping[REF], document):
            rename(mapping, REF, ESCAPED)


def rename(mapping: dict[str, Any], old: str, new: str) -> None:
    """`old` renamed `new` in `mapping`, in its place among the keys."""
    items = [(new if key == old else key, value) for key, value in mapping.items()]
    mapping.clear()
    mapping.update(items)
