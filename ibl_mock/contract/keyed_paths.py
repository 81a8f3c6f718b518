"""Path keys that carry a query or a fragment: `/#Action=SendMessage`, `/Things#id`.

Real documents (every Amazon API in the APIs.guru collection, and others) tell apart
operations on one URL by a parameter written into the path key: `/#Action=AddPermission`
and `/#Action=SendMessage` are both `POST /`, told apart by the `Action` query parameter;
`/#X-Amz-Target=DynamoDB.GetItem` by a header; `/Entity#catalog&id` by the parameters
present. A router matching paths cannot serve such keys: none of them is a path.

Each key is split into its path and its conditions. Keys whose path is unique are served
at that path. Keys sharing a path are each served at a path of their own (`/~2`), and
`KeyedPathRouter`, outermost, sends a request for the shared path to the first one whose
conditions the request meets (a parameter of that value, or present), else to the key
without conditions, else to the first with that method, whose validation then names the
missing parameter. What the mock shows (`/openapi.json`, Swagger UI) keeps the keys as
written.

Templates that differ only in their parameters' names (`/Attachments/{AttachmentID}` and
`/Attachments/{FileName}`, in xero's documents) are one path to any router: they share it
too, and a request goes to the one whose path values fit its parameters (a uuid, a
number...), the one taking any text last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from .docwalk import HTTP_METHODS
from .path_index import path_values
from .refs import MAX_CHAIN, RefError, deref, pointer_get

SPLIT = re.compile(r"[#?]")
TEMPLATE_PARAM = re.compile(r"{([^}/]+)}")
REPEATED_SLASHES = re.compile(r"/{2,}")
SERVED_SUFFIX = re.compile(r"/~\d+$")
Condition = tuple[str, str | None]  # (parameter name, value; None: present with any value)
Segment = tuple[int, dict[str, Any]]  # (index among the template's parameters, its definition)
# Whether a path value (decoded text) fits a path parameter's definition.
Fits = Callable[[dict[str, Any], str], bool]


@dataclass(frozen=True)
class Variant:
    written: str  # the key as the document writes it
    served: str  # the path it is routed at
    conditions: tuple[Condition, ...]
    methods: frozenset[str]
    media: frozenset[str] = frozenset()  # the request body types its operations take
    # Where templates differ by their parameters' names: what the values must fit.
    segments: tuple[Segment, ...] = field(default=(), compare=False)
    open_segments: int = 0  # how many of them take any text: the more, the later tried

    @property
    def suffix(self) -> str:
        """What the served key adds to a request's path (`/~2`), if anything."""
        found = SERVED_SUFFIX.search(self.served)
        return found.group(0) if found and not SERVED_SUFFIX.search(self.written) else ""

    def fitted_by(self, values: list[str], fits: Fits) -> bool:
        return all(index < len(values) and fits(p, values[index]) for index, p in self.segments)

    def met_by(self, query: Mapping[str, str], headers: Mapping[str, str]) -> bool:
        for name, value in self.conditions:
            given = query.get(name, headers.get(name.lower()))
            if given is None or (value is not None and given != value):
                return False
        return True


@dataclass(frozen=True)
class KeyedPaths:
    """The variants of each shared path, and the written key of each served one."""

    shared: dict[str, tuple[Variant, ...]]  # path template -> its variants
    written: dict[str, str]  # served key -> written key (only where they differ)

    @classmethod
    def none(cls) -> KeyedPaths:
        return cls({}, {})

    def __bool__(self) -> bool:
        return bool(self.written)

    def choose(
        self,
        path: str,
        method: str,
        query: str,
        headers: Mapping[str, str],
        values: list[str] | None = None,
        fits: Fits | None = None,
    ) -> Variant:
        """The variant a request to the shared `path` goes to; `values` are its path
        values, in the template's order."""
        serving = [v for v in self.shared[path] if method.lower() in v.methods]
        # A method none serves goes to the variant the path values fit, whose route then
        # matches and answers the 405 naming the methods allowed (not the 404 of a route
        # an integer `{user_id}` refuses `amara.okafor` to).
        variants = self.fitting(serving or list(self.shared[path]), values, fits)
        if not serving:
            return variants[0]
        asked = dict(parse_qsl(query, keep_blank_values=True))
        for variant in variants:
            if variant.conditions and variant.met_by(asked, headers):
                return variant
        # Else the one taking the body's type (`/thumbnail` takes JSON,
        # `/thumbnail#overload=stream` bytes), else the one without conditions.
        sent = headers.get("content-type", "").split(";")[0].strip().lower()
        taking = next((v for v in variants if sent and sent in v.media), None)
        plain = next((v for v in variants if not v.conditions), variants[0])
        return taking or plain

    @staticmethod
    def fitting(
        variants: list[Variant], values: list[str] | None, fits: Fits | None
    ) -> list[Variant]:
        """`variants`, those the path values fit first, the fewest open segments first."""
        if fits is None or not any(v.segments for v in variants):
            return variants
        fitting = [v for v in variants if v.fitted_by(values or [], fits)]
        return sorted(fitting or variants, key=lambda v: v.open_segments)


def split_key(key: str) -> tuple[str, tuple[Condition, ...]]:
    """`/Entity#catalog&id=3` -> (`/Entity`, (("catalog", None), ("id", "3")))."""
    found = SPLIT.search(key)
    if found is None:
        return key, ()
    conditions: list[Condition] = []
    for part in key[found.end() :].split("&"):
        name, equals, value = part.partition("=")
        if name:
            conditions.append((name, value if equals else None))
    return key[: found.start()] or "/", tuple(conditions)


def collapsed(path: str) -> str:
    """`path` as clients send it: their URL libraries write `//` as `/`."""
    return REPEATED_SLASHES.sub("/", path)


def shape(key: str) -> str:
    """What a router sees of a key: its path as clients send it, parameters unnamed."""
    return TEMPLATE_PARAM.sub("{}", collapsed(split_key(key)[0]))


def separated(
    document: dict[str, Any], refers_to_paths: bool = True
) -> tuple[dict[str, Any], KeyedPaths]:
    """The document with every path key a path, and how requests find their key. Keys
    that differ only by repeated slashes (`/wms/` and `/wms//`) share their path too:
    no client sends them apart. Without `refers_to_paths` (no reference into the paths,
    as the text told) the path items are not walked for such references."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return document, KeyedPaths.none()
    groups: dict[str, list[str]] = {}
    for key in paths:
        groups.setdefault(shape(str(key)), []).append(str(key))
    if len(groups) == len(paths) and not any(SPLIT.search(str(k)) for k in paths):
        return document, KeyedPaths.none()
    served: dict[str, Any] = {}
    written: dict[str, str] = {}
    shared: dict[str, tuple[Variant, ...]] = {}
    for keys in groups.values():
        path = collapsed(split_key(keys[0])[0])
        variants = variants_of(document, path, keys)
        for one in variants:
            item = paths[one.written]
            if refers_to_paths:
                item = through_paths_inlined(document, item)
            served[one.served] = sendable(document, item, one.served)
            if one.served != one.written:
                written[one.served] = one.written
        if len(keys) > 1:
            shared[path] = tuple(variants)
    return {**document, "paths": served}, KeyedPaths(shared, written)


def through_paths_inlined(document: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """`node` with each reference through the path keys replaced by what it names: the
    keys are rewritten, so `#/paths/~1request?view=collection/get/parameters/6` (a
    parameter shared by reference) would name nothing."""
    if isinstance(node, list):
        return [through_paths_inlined(document, item, depth) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/paths/") and depth < MAX_CHAIN:
        try:
            target = pointer_get(document, ref)
        except RefError:
            return node  # reported at load like any dangling reference
        return through_paths_inlined(document, target, depth + 1)
    return {key: through_paths_inlined(document, value, depth) for key, value in node.items()}


def sendable(document: dict[str, Any], item: Any, served: str) -> Any:
    """`item` without the path parameters its key writes after the `#` or `?`
    (`/send/#v1/partners/{partnerId}`): no request can carry them, so none is asked for."""
    if not isinstance(item, dict):
        return item
    names = set(TEMPLATE_PARAM.findall(served))

    def kept(parameters: Any) -> Any:
        if not isinstance(parameters, list):
            return parameters
        return [p for p in parameters if not unsendable(document, p, names)]

    copied = {**item, "parameters": kept(item["parameters"])} if "parameters" in item else {**item}
    for method in HTTP_METHODS:
        operation = copied.get(method)
        if isinstance(operation, dict) and "parameters" in operation:
            copied[method] = {**operation, "parameters": kept(operation["parameters"])}
    return copied


def followed(document: dict[str, Any], node: Any) -> Any:
    """`node` dereferenced; None where its `$ref` leads nowhere (the document's checks
    report that)."""
    try:
        return deref(document, node)
    except RefError:
        return None


def unsendable(document: dict[str, Any], parameter: Any, names: set[str]) -> bool:
    parameter = followed(document, parameter)
    return (
        isinstance(parameter, dict)
        and parameter.get("in") == "path"
        and parameter.get("name") not in names
    )


def variants_of(document: dict[str, Any], path: str, keys: list[str]) -> list[Variant]:
    """The keys sharing `path`: one without conditions keeps the path, the others are
    served at a path of their own (`/~2`)."""
    found: list[Variant] = []
    kept = len(keys) == 1
    named_apart = len({collapsed(split_key(key)[0]) for key in keys}) > 1
    taken = False  # whether a variant is served at the bare template
    for index, key in enumerate(keys):
        item = document["paths"][key]
        written_path, conditions = split_key(key)
        own = collapsed(written_path)
        if not conditions and len(keys) > 1 and written_path != own:
            conditions = fixed_query(document, item)  # `/wms//`: its fixed query values
        methods = frozenset(m for m in HTTP_METHODS if isinstance(item, dict) and m in item)
        alone = kept or (not conditions and not taken)
        taken = taken or alone
        served = own if alone else f"{own.rstrip('/')}/~{index}"
        segments = path_segments(document, item, own) if named_apart else ()
        open_count = sum(1 for _, p in segments if takes_any_text(document, p))
        media = body_types(document, item)
        found.append(Variant(key, served, conditions, methods, media, segments, open_count))
    return found


def path_segments(document: dict[str, Any], item: Any, template: str) -> tuple[Segment, ...]:
    """Each parameter of `template`, by its place, as the path item defines it."""
    if not isinstance(item, dict):
        return ()
    listed = list(item.get("parameters") or [])
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            listed = (item[method].get("parameters") or []) + listed
    defined: dict[str, dict[str, Any]] = {}
    for parameter in (followed(document, p) for p in listed):
        if isinstance(parameter, dict) and parameter.get("in") == "path":
            defined.setdefault(str(parameter.get("name")), parameter)
    names = TEMPLATE_PARAM.findall(template)
    return tuple((i, defined[name]) for i, name in enumerate(names) if name in defined)


def takes_any_text(document: dict[str, Any], parameter: dict[str, Any]) -> bool:
    """A path parameter of a plain string schema: any segment fits it."""
    schema = followed(document, parameter.get("schema"))
    if not isinstance(schema, dict):
        return True
    narrowing = {"format", "pattern", "enum", "maxLength", "minLength", "const"}
    return schema.get("type", "string") == "string" and not narrowing & set(schema)


def body_types(document: dict[str, Any], item: Any) -> frozenset[str]:
    """The media types the request bodies of a path item's operations take."""
    found: set[str] = set()
    for method in HTTP_METHODS:
        operation = item.get(method) if isinstance(item, dict) else None
        if not isinstance(operation, dict):
            continue
        body = followed(document, operation.get("requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        found.update(str(media).lower() for media in content or {})
    return frozenset(found)


def fixed_query(document: dict[str, Any], item: Any) -> tuple[Condition, ...]:
    """The required query parameters of one possible value (`request: [GetCapabilities]`)
    of a path item's operations: what tells a request for it from its siblings'."""
    if not isinstance(item, dict):
        return ()
    listed = list(item.get("parameters") or [])
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            listed += item[method].get("parameters") or []
    conditions: dict[str, str] = {}
    for parameter in (followed(document, p) for p in listed):
        if not isinstance(parameter, dict) or parameter.get("in") != "query":
            continue
        schema = parameter.get("schema")
        values = schema.get("enum") if isinstance(schema, dict) else None
        if parameter.get("required") and isinstance(values, list) and len(values) == 1:
            conditions[str(parameter.get("name"))] = str(values[0])
    return tuple(conditions.items())


def as_written(document: dict[str, Any], keyed: KeyedPaths) -> dict[str, Any]:
    """The document with its path keys as the author wrote them."""
    if not keyed:
        return document
    paths = document.get("paths") or {}
    return {**document, "paths": {keyed.written.get(k, k): v for k, v in paths.items()}}


class KeyedPathRouter:
    """Outermost: a request for a shared path goes on as a request for its variant's path."""

    def __init__(
        self,
        app: ASGIApp,
        keyed: KeyedPaths,
        base_path: str,
        pattern: Callable[[str], re.Pattern[str]],  # a template's matcher, as the spec's
        fits: Fits | None = None,
    ) -> None:
        self.app = app
        self.keyed = keyed
        self.base_path = base_path
        self.fits = fits
        self.patterns = [(pattern(p), p) for p in keyed.shared]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(self.base_path):
            local = collapsed(path[len(self.base_path) :])
            for pattern, template in self.patterns:
                if pattern.fullmatch(local):
                    scope = self.rerouted(scope, local, template)
                    break
        await self.app(scope, receive, send)

    def rerouted(self, scope: Scope, local: str, template: str) -> Scope:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        values = list(path_values(template, local).values())
        chosen = self.keyed.choose(template, scope["method"], query, headers, values, self.fits)
        if not chosen.suffix:
            return scope
        path = self.base_path + local.rstrip("/") + chosen.suffix
        return {**scope, "path": path, "raw_path": path.encode()}
