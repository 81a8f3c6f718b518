"""Swagger 2.0 documents as OpenAPI 3.0 ones, converted in memory when a document is loaded.

Many real descriptions are still 2.0. Each 2.0 construct moves to its 3.0 place: `host`,
`basePath` and `schemes` become `servers`; `definitions`, global `parameters`, `responses`
and `securityDefinitions` become `components`; body and form parameters become request
bodies; a response `schema` becomes `content` per produced media type; parameter types
become parameter schemas, `collectionFormat` a style. Everything else is kept as written.

The conversion is a pure function of the document and never raises: what has no 3.0 form
is left out with a `Note` naming the JSON pointer of the source node, so that the start-up
report can say what was lost. References that lead nowhere are moved like the others and
left for the loader to report.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .downgrade import translate_type
from .refs import RefError, pointer_get

OPENAPI_VERSION = "3.0.3"
JSON = "application/json"
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# 2.0 has no `trace`; a document that has one anyway keeps it, as 3.0 knows it.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BODY_LIKE = ("body", "formData")
PLAIN_LOCATIONS = ("query", "header", "path", "cookie")
RESPONSE_CODE = re.compile(r"default|[1-5](\d\d|XX)")
TEMPLATE_VARIABLE = re.compile(r"\{([^}/]+)\}")
MEDIA_TYPE = re.compile(r"[^\s/;]+/[^\s/;]+(\s*;.*)?")

# Where 2.0 keeps reusable objects -> the `components` section 3.0 keeps them in.
COMPONENTS = {
    "definitions": "schemas",
    "parameters": "parameters",
    "responses": "responses",
    "securityDefinitions": "securitySchemes",
}
TOP_LEVEL_USED = {"swagger", "info", "host", "basePath", "schemes", "consumes", "produces",
                  "paths", "components", *COMPONENTS}  # fmt: skip
TOP_LEVEL_KEPT = ("tags", "security", "externalDocs")
OPERATION_KEPT = {"tags", "summary", "description", "externalDocs", "operationId",
                  "deprecated", "security"}  # fmt: skip
OPERATION_USED = {"parameters", "responses", "consumes", "produces", "schemes"}
PARAMETER_KEPT = ("name", "in", "description", "required", "deprecated", "allowEmptyValue")
# The fields of a non-body parameter, an items object or a header that describe its value.
VALUE_FIELDS = ("type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum",
                "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
                "maxItems", "minItems", "uniqueItems", "multipleOf", "x-nullable")  # fmt: skip
PARAMETER_FIELDS = {*PARAMETER_KEPT, *VALUE_FIELDS, "collectionFormat", "x-example", "schema"}
SCHEMA_KEYWORDS = {"title", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
                   "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
                   "minItems", "uniqueItems", "maxProperties", "minProperties", "enum",
                   "description", "format", "default", "nullable", "readOnly", "writeOnly",
                   "example", "externalDocs", "deprecated", "xml"}  # fmt: skip
SCHEMA_TYPES = {"array", "boolean", "integer", "number", "object", "string"}
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
SUBSCHEMA_SINGLES = ("additionalProperties", "not")
BINARY = {"type": "string", "format": "binary"}
ANY_PATH_PARAMETER = {"in": "path", "required": True, "schema": {"type": "string"}}

# (collectionFormat, in) -> (style, explode). Pairs not listed have no 3.0 form.
COLLECTION_STYLES: dict[tuple[str, str], tuple[str, bool]] = {
    ("csv", "query"): ("form", False),
    ("csv", "formData"): ("form", False),
    ("csv", "path"): ("simple", False),
    ("csv", "header"): ("simple", False),
    ("multi", "query"): ("form", True),
    ("multi", "formData"): ("form", True),
    ("ssv", "query"): ("spaceDelimited", False),
    ("ssv", "formData"): ("spaceDelimited", False),
    ("pipes", "query"): ("pipeDelimited", False),
    ("pipes", "formData"): ("pipeDelimited", False),
    # 3.0 has no tab-delimited style; whitespace-delimited is the nearest.
    ("tsv", "query"): ("spaceDelimited", False),
    ("tsv", "formData"): ("spaceDelimited", False),
}

# 2.0 security scheme type -> the Converter method building its 3.0 form.
SECURITY_BUILDERS = {"basic": "basic_scheme", "apiKey": "api_key_scheme", "oauth2": "oauth2_scheme"}
# 2.0 OAuth2 flow -> (3.0 flow name, the URLs that flow needs).
OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


@dataclass(frozen=True)
class Note:
    """Something of the 2.0 document left out or approximated; `pointer` is in the source."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


@dataclass(frozen=True)
class Conversion:
    document: dict[str, Any]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Param:
    """A parameter as listed (`raw`, maybe a `$ref`) and the object it stands for."""

    raw: dict[str, Any]
    target: dict[str, Any]
    where: str

    @property
    def key(self) -> tuple[str, str]:
        if not self.target:  # a reference that leads nowhere is unique by its text
            return ("$ref", str(self.raw.get("$ref")))
        return (str(self.target.get("name")), str(self.target.get("in")))

    @property
    def location(self) -> str:
        return str(self.target.get("in", ""))


def is_swagger2(document: Any) -> bool:
    """A Swagger 2.0 document: its `swagger` field starts with 2 (YAML may make it a float)."""
    return isinstance(document, dict) and str(document.get("swagger", "")).startswith("2")


def to_openapi30(document: dict[str, Any]) -> Conversion:
    """The OpenAPI 3.0 form of a Swagger 2.0 `document`, and what could not be converted.
    `document` is not changed, and the result shares no objects with it or within itself."""
    converter = Converter(document)
    return Conversion(unshared(converter.document()), tuple(converter.notes))


def unshared(node: Any) -> Any:
    """`node` with every mapping and list rebuilt: values copied from the source (an enum
    used by several operations, say) are then nobody else's to change."""
    if isinstance(node, dict):
        return {key: unshared(value) for key, value in node.items()}
    if isinstance(node, list):
        return [unshared(item) for item in node]
    return node


def child(where: str, *parts: object) -> str:
    """`where` extended by `parts`, each escaped as a JSON pointer segment."""
    return where + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def is_extension(key: object) -> bool:
    return isinstance(key, str) and key.startswith("x-")


def extensions(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if is_extension(k)}


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def strings(value: Any) -> list[str]:
    """A list of distinct non-empty strings from a string or a list (untidy documents)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return list(dict.fromkeys(str(v) for v in items if isinstance(v, str) and v))


def servers(host: Any, base_path: Any, schemes: Iterable[str]) -> list[dict[str, str]]:
    """One server per scheme, all under `basePath` (the path the mock serves under);
    without a host, the base path alone; without schemes, scheme-relative as 2.0 means."""
    path = "/" + str(base_path or "").strip("/")
    if not isinstance(host, str) or not host:
        return [{"url": path}]
    suffix = "" if path == "/" else path
    authority = host.split("://")[-1].rstrip("/")  # some documents put a scheme in `host`
    prefixes = [f"{scheme}:" for scheme in schemes] or [""]
    return [{"url": f"{prefix}//{authority}{suffix}"} for prefix in prefixes]


def unescape(segment: str) -> str:
    """A JSON pointer segment (of a URI fragment) as the key it names."""
    return unquote(segment).replace("~1", "/").replace("~0", "~")


def value_fields(node: dict[str, Any]) -> dict[str, Any]:
    """The schema part of a non-body parameter, items object or header (nested items too)."""
    picked = {k: node[k] for k in VALUE_FIELDS if k in node}
    items = picked.get("items")
    if isinstance(items, dict) and "$ref" not in items:
        picked["items"] = value_fields(items)
    return picked


class Converter:
    """One conversion: the 2.0 source (only read) and the notes gathered on the way."""

    def __init__(self, source: dict[str, Any]) -> None:
        self.source = source
        self.notes: list[Note] = []
        self.consumes = self.media_types(source.get("consumes"), "/consumes") or [JSON]
        self.produces = self.media_types(source.get("produces"), "/produces") or [JSON]
        self.schemes = strings(source.get("schemes"))
        self.parameters = mapping(source.get("parameters"))
        self.responses_defined = mapping(source.get("responses"))
        # Top-level extensions that schemas refer into (grpc-gateway's x-stream-definitions).
        self.schema_sections: set[str] = set()

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))

    def media_types(self, value: Any, where: str) -> list[str]:
        """The `type/subtype` strings of a consumes or produces list."""
        found = strings(value)
        for wrong in [mt for mt in found if not MEDIA_TYPE.fullmatch(mt)]:
            self.note(where, f"{wrong!r} is not a media type; left out")
        return [mt for mt in found if MEDIA_TYPE.fullmatch(mt)]

    # -- the document ------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        src = self.source
        out: dict[str, Any] = {
            "openapi": OPENAPI_VERSION,
            "info": self.info(src.get("info")),
            "servers": servers(src.get("host"), src.get("basePath"), self.schemes),
        }
        out.update({key: src[key] for key in TOP_LEVEL_KEPT if key in src})
        out["paths"] = self.paths(src.get("paths"))
        components = self.components()
        if components:
            out["components"] = components
        out.update({key: self.extension(key, value) for key, value in extensions(src).items()})
        for key in src:
            if key not in TOP_LEVEL_USED and key not in TOP_LEVEL_KEPT and not is_extension(key):
                self.note(child("", key), f"'{key}' is not a Swagger 2.0 field; left out")
        return out

    def extension(self, key: str, value: Any) -> Any:
        """An extension as written, unless schemas refer into it: then it holds schemas,
        which are converted like the definitions."""
        if key not in self.schema_sections or not isinstance(value, dict):
            return value
        return {name: self.schema(schema, child("", key, name)) for name, schema in value.items()}

    def info(self, info: Any) -> dict[str, Any]:
        if not isinstance(info, dict):
            self.note("/info", "no info object; an empty title and version are used")
            info = {}
        out = dict(info)
        for key in ("title", "version"):
            if not isinstance(out.get(key), str):  # `version: 1.0` in YAML is a number
                out[key] = "" if out.get(key) is None else str(out[key])
        return out

    def components(self) -> dict[str, Any]:
        src = self.source
        schemas = {
            name: self.schema(schema, child("/definitions", name))
            for name, schema in mapping(src.get("definitions")).items()
        }
        # A bundled document may already hold 3.0 components: schemas hoisted from other files.
        present = mapping(src.get("components"))
        for name, schema in mapping(present.get("schemas")).items():
            if name in schemas:
                self.note(child("/components/schemas", name), "also a definition; left out")
            else:
                schemas[name] = self.schema(schema, child("/components/schemas", name))
        parameters, bodies = self.global_parameters()
        found = {
            "schemas": schemas,
            "parameters": parameters,
            "requestBodies": bodies,
            "responses": {
                str(name): self.response(response, self.produces, child("/responses", name))
                for name, response in self.responses_defined.items()
            },
            "securitySchemes": self.security_schemes(src.get("securityDefinitions")),
        }
        kept = {k: v for k, v in present.items() if k not in found}
        return {**kept, **{k: v for k, v in found.items() if v}}

    def global_parameters(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Plain parameters -> components/parameters, body ones -> components/requestBodies;
        form parameters have no component of their own: they are inlined where used."""
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for name, raw in self.parameters.items():
            where = child("/parameters", name)
            target = self.resolve(raw) if isinstance(raw, dict) else None
            if target is None:
                self.note(where, "not a parameter object; left out")
            elif target.get("in") == "body":
                bodies[name] = self.body(Param(raw, target, where), self.consumes)
            elif target.get("in") != "formData":
                converted = self.parameter(raw, where)
                if converted is not None:
                    parameters[name] = converted
        return parameters, bodies

    # -- references ----------------------------------------------------------------------

    def ref(self, ref: Any, where: str) -> Any:
        """A local 2.0 reference moved to where its target now is; pointer segments after
        the section name are kept exactly as written, so their ~0/~1 escapes stay valid."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return ref  # another file, or not a reference at all: as written
        section, _, rest = ref[2:].partition("/")
        if section == "parameters" and rest:
            return self.parameter_ref(ref, rest, where)
        moved = COMPONENTS.get(section)
        return f"#/components/{moved}/{rest}" if moved and rest else ref

    def parameter_ref(self, ref: str, rest: str, where: str) -> str:
        name, *tail = rest.split("/")
        target = self.resolve(self.parameters.get(unescape(name)))
        location = (target or {}).get("in")
        if location == "body":  # a body parameter became a request body: its schema moved too
            if tail[:1] == ["schema"]:
                tail = ["content", child("", self.consumes[0])[1:], *tail]
            return "/".join(["#/components/requestBodies", name, *tail])
        if location == "formData":
            self.note(where, f"{ref} is a form parameter, which has no 3.0 component")
        return f"#/components/parameters/{rest}"

    def resolve(self, node: Any) -> dict[str, Any] | None:
        """The object `node` stands for, its local `$ref` chain followed; None if it leads
        nowhere (or to another file, which is not read here)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#"):
                return None
            seen.add(ref)
            try:
                node = pointer_get(self.source, ref)
            except RefError:
                return None
        return node if isinstance(node, dict) else None

    # -- paths and operations ------------------------------------------------------------

    def paths(self, paths: Any) -> dict[str, Any]:
        if paths is not None and not isinstance(paths, dict):
            self.note("/paths", "not a mapping; no paths")
        out: dict[str, Any] = {}
        for template, item in mapping(paths).items():
            where = child("/paths", template)
            if is_extension(template):
                out[template] = item
            elif not str(template).startswith("/"):
                self.note(where, "a path must start with '/'; left out")
            else:
                out[str(template)] = self.path_item(str(template), item, where)
        return out

    def path_item(self, template: str, item: Any, where: str) -> dict[str, Any]:
        if not isinstance(item, dict):
            if item is not None:
                self.note(where, "not a path item object; left out")
            return {}
        shared = self.parameter_list(item.get("parameters"), child(where, "parameters"))
        out: dict[str, Any] = {}
        plain = self.plain_parameters(template, shared)
        if plain:
            out["parameters"] = plain
        for key, value in item.items():
            if key in METHODS:
                operation = self.operation(template, value, shared, child(where, key))
                if operation is not None:
                    out[key] = operation
            elif key == "$ref" or is_extension(key):
                out[key] = value
            elif key != "parameters":
                self.note(child(where, key), f"'{key}' is not a path item field; left out")
        return out

    def operation(
        self, template: str, op: Any, shared: list[Param], where: str
    ) -> dict[str, Any] | None:
        if not isinstance(op, dict):
            self.note(where, "not an operation object; left out")
            return None
        consumes = self.media_types(op.get("consumes"), child(where, "consumes")) or self.consumes
        produces = self.media_types(op.get("produces"), child(where, "produces")) or self.produces
        own = self.parameter_list(op.get("parameters"), child(where, "parameters"))
        overridden = {p.key for p in own}
        # Path-level body and form parameters belong to each operation's request body.
        inherited = [p for p in shared if p.location in BODY_LIKE and p.key not in overridden]
        out = {k: v for k, v in op.items() if k in OPERATION_KEPT or is_extension(k)}
        for key in op:
            if key not in OPERATION_KEPT and key not in OPERATION_USED and not is_extension(key):
                self.note(child(where, key), f"'{key}' is not an operation field; left out")
        plain = [
            *self.plain_parameters(template, own),
            *self.undeclared(template, [*own, *shared], where),
        ]
        if plain:
            out["parameters"] = plain
        body = self.request_body([*own, *inherited], consumes, where)
        if body is not None:
            out["requestBody"] = body
        out["responses"] = self.responses(op.get("responses"), produces, child(where, "responses"))
        schemes = strings(op.get("schemes"))
        if schemes and schemes != self.schemes:
            out["servers"] = servers(self.source.get("host"), self.source.get("basePath"), schemes)
        return out

    def undeclared(self, template: str, params: list[Param], where: str) -> list[dict[str, Any]]:
        """The template's variables no parameter declares (a common slip, which 3.0
        validators refuse), declared as required strings."""
        declared = {p.key[0] for p in params if p.location == "path"}
        missing = [n for n in TEMPLATE_VARIABLE.findall(template) if n not in declared]
        for name in missing:
            self.note(where, f"path parameter {name!r} is not declared; declared as a string")
        return [{"name": n, **copy.deepcopy(ANY_PATH_PARAMETER)} for n in missing]

    # -- parameters --------------------------------------------------------------------

    def parameter_list(self, raw: Any, where: str) -> list[Param]:
        """The listed parameters with their targets, the first of each (name, in) kept."""
        if raw is not None and not isinstance(raw, list):
            self.note(where, "not a list; no parameters")
        found: dict[tuple[str, str], Param] = {}
        for index, node in enumerate(raw if isinstance(raw, list) else []):
            here = child(where, index)
            if not isinstance(node, dict):
                self.note(here, "not a parameter object; left out")
                continue
            param = Param(node, self.resolve(node) or {}, here)
            if not param.target:
                self.note(here, f"{node.get('$ref')!r} does not resolve in this document")
            elif "in" not in param.target:  # a `$ref` to a schema, say
                self.note(here, "not a parameter (it has no 'in'); left out")
                continue
            if param.key in found:
                name, location = param.key
                self.note(here, f"a second {location} parameter {name!r}; the first is kept")
                continue
            found[param.key] = param
        return list(found.values())

    def plain_parameters(self, template: str, params: list[Param]) -> list[dict[str, Any]]:
        """The query, header and path parameters, converted; a path parameter the template
        does not name is left out (no request can give it, and 3.0 validators refuse it)."""
        variables = TEMPLATE_VARIABLE.findall(template)
        out: list[dict[str, Any]] = []
        for param in params:
            name = param.key[0]
            if param.location == "path" and name not in variables:
                self.note(param.where, f"path parameter {name!r} is not in the path; left out")
            elif param.location not in BODY_LIKE:
                converted = self.parameter(param.raw, param.where)
                out.extend([converted] if converted is not None else [])
        return out

    def parameter(self, raw: dict[str, Any], where: str) -> dict[str, Any] | None:
        """A query, header or path parameter: its value fields become its `schema`."""
        if "$ref" in raw:
            return {"$ref": self.ref(raw["$ref"], where)}
        location = raw.get("in")
        if location not in PLAIN_LOCATIONS:
            self.note(where, f"parameter location {location!r} is unknown; left out")
            return None
        if not isinstance(raw.get("name"), str):
            self.note(where, "a parameter without a name; left out")
            return None
        out = {k: raw[k] for k in PARAMETER_KEPT if k in raw}
        for key in raw:
            if key not in PARAMETER_FIELDS and not is_extension(key):
                self.note(child(where, key), f"'{key}' is not a parameter field; left out")
        if not isinstance(out.get("description", ""), str):
            self.note(child(where, "description"), "not a string; left out")
            out.pop("description")
        if location == "path" and raw.get("required") is not True:
            self.note(where, "a path parameter is always required; marked so")
            out["required"] = True
        # A 3.0-style `schema` on a typeless parameter (mixed documents) is taken as is.
        if "type" not in raw and "schema" in raw:
            out["schema"] = self.schema(raw["schema"], child(where, "schema"))
        else:
            out["schema"] = self.schema(value_fields(raw), where)
        out.update(self.style(raw, where))
        if "x-example" in raw:
            out["example"] = raw["x-example"]
        out.update(extensions(raw))
        return out

    def style(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        """`collectionFormat` (default csv) of an array as 3.0 `style` and `explode`."""
        if raw.get("type") != "array":
            return {}
        location = str(raw.get("in"))
        form = str(raw.get("collectionFormat") or "csv")
        found = COLLECTION_STYLES.get((form, location))
        if found is None:
            self.note(where, f"collectionFormat {form} is not possible in {location}; read as csv")
            found = COLLECTION_STYLES.get(("csv", location))
        elif form == "tsv":
            self.note(where, "collectionFormat tsv has no 3.0 style; read as spaceDelimited")
        if found is None:
            return {}
        return {"style": found[0], "explode": found[1]}

    # -- request bodies ----------------------------------------------------------------

    def request_body(
        self, params: list[Param], consumes: list[str], where: str
    ) -> dict[str, Any] | None:
        bodies = [p for p in params if p.location == "body"]
        forms = [p for p in params if p.location == "formData"]
        for extra in bodies[1:]:
            self.note(extra.where, "a second body parameter; left out")
        if bodies and forms:
            self.note(where, "both body and form parameters; the form parameters are left out")
        if bodies:
            return self.body_for(bodies[0], consumes)
        return self.form_body(forms, consumes, where) if forms else None

    def body_for(self, param: Param, consumes: list[str]) -> dict[str, Any]:
        """A reference to the shared request body when the media types agree, else a copy
        with this operation's media types."""
        ref = param.raw.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/parameters/") and consumes == self.consumes:
            return {"$ref": self.ref(ref, param.where)}
        return self.body(param, consumes)

    def body(self, param: Param, consumes: list[str]) -> dict[str, Any]:
        target, where = param.target, param.where
        if "schema" not in target:
            self.note(where, "body parameter without a schema; any body is accepted")
        schema = self.schema(target.get("schema", {}), child(where, "schema"))
        content: dict[str, Any] = {mt: {"schema": copy.deepcopy(schema)} for mt in consumes}
        for mt, example in mapping(target.get("x-examples")).items():
            content.setdefault(str(mt), {"schema": copy.deepcopy(schema)})["example"] = example
        out: dict[str, Any] = {}
        if "description" in target:
            out["description"] = target["description"]
        out["content"] = content
        if target.get("required") is True:
            out["required"] = True
        if "name" in target:  # generators name the argument after it
            out["x-codegen-request-body-name"] = target["name"]
        out.update(extensions(target))
        return out

    def form_body(self, forms: list[Param], consumes: list[str], where: str) -> dict[str, Any]:
        """Form parameters as the properties of one object; multipart when a file is sent
        or the operation consumes it, else URL-encoded."""
        has_file = any(p.target.get("type") == "file" for p in forms)
        media = [mt for mt in consumes if mt in (URLENCODED, MULTIPART)]
        if has_file and media != [MULTIPART]:
            if URLENCODED in media:
                self.note(where, "a file cannot be sent URL-encoded; multipart/form-data only")
            media = [MULTIPART]
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for param in forms:
            name = str(param.target.get("name", ""))
            properties[name] = self.schema(value_fields(param.target), param.where)
            if "description" in param.target:
                properties[name]["description"] = param.target["description"]
            if param.target.get("required") is True:
                required.append(name)
            style = self.style(param.target, param.where)
            if style:
                encoding[name] = style
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        entry: dict[str, Any] = {"schema": schema, **({"encoding": encoding} if encoding else {})}
        out: dict[str, Any] = {
            "content": {mt: copy.deepcopy(entry) for mt in media or [URLENCODED]}
        }
        if required:
            out["required"] = True
        return out

    # -- responses -----------------------------------------------------------------------

    def responses(self, raw: Any, produces: list[str], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for code, response in mapping(raw).items():
            key = str(code)  # YAML reads `200:` as an integer
            if is_extension(key):
                out[key] = response
            elif RESPONSE_CODE.fullmatch(key):
                out[key] = self.response_or_ref(response, produces, child(where, key))
            else:
                self.note(child(where, key), f"{key!r} is not a status code; left out")
        if not any(not is_extension(k) for k in out):
            self.note(where, "no responses; an empty default response is documented")
            out["default"] = {"description": ""}
        return out

    def response_or_ref(self, response: Any, produces: list[str], where: str) -> dict[str, Any]:
        """A reference stays one when this operation produces what the document does; else
        the shared response is copied here with this operation's media types."""
        if isinstance(response, dict) and "$ref" in response:
            target = self.resolve(response)
            if target is not None and produces != self.produces:
                return self.response(target, produces, where)
            return {"$ref": self.ref(response["$ref"], where)}
        return self.response(response, produces, where)

    def response(self, response: Any, produces: list[str], where: str) -> dict[str, Any]:
        if not isinstance(response, dict):
            self.note(where, "not a response object; an empty response is documented")
            return {"description": ""}
        if "$ref" in response:  # a shared response that is itself a reference
            return {"$ref": self.ref(response["$ref"], where)}
        out: dict[str, Any] = {"description": str(response.get("description") or "")}
        headers = {
            str(name): self.header(header, child(where, "headers", name))
            for name, header in mapping(response.get("headers")).items()
        }
        if headers:
            out["headers"] = headers
        content = self.content(response, produces, where)
        if content:
            out["content"] = content
        out.update(extensions(response))
        return out

    def content(self, response: dict[str, Any], produces: list[str], where: str) -> dict[str, Any]:
        """The schema under each produced media type; `examples` keyed by media type
        become those media types' `example` (a media type only examples name is added)."""
        has_schema = "schema" in response
        schema = self.schema(response.get("schema"), child(where, "schema")) if has_schema else {}
        content: dict[str, Any] = {
            mt: {"schema": copy.deepcopy(schema)} for mt in (produces if has_schema else [])
        }
        for mt, example in mapping(response.get("examples")).items():
            if not MEDIA_TYPE.fullmatch(str(mt)):
                self.note(child(where, "examples", mt), "not a media type; left out")
                continue
            entry = content.setdefault(
                str(mt), {"schema": copy.deepcopy(schema)} if has_schema else {}
            )
            entry["example"] = example
        return content

    def header(self, header: Any, where: str) -> dict[str, Any]:
        if not isinstance(header, dict):
            self.note(where, "not a header object; any value is documented")
            return {"schema": {}}
        out = {k: header[k] for k in ("description",) if k in header}
        out["schema"] = self.schema(value_fields(header), where)
        form = header.get("collectionFormat", "csv")
        if form != "csv":
            self.note(where, f"collectionFormat {form} is not possible in a header; read as csv")
        if "x-example" in header:
            out["example"] = header["x-example"]
        out.update(extensions(header))
        return out

    # -- security ------------------------------------------------------------------------

    def security_schemes(self, raw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, scheme in mapping(raw).items():
            where = child("/securityDefinitions", name)
            kind = scheme.get("type") if isinstance(scheme, dict) else None
            builder = SECURITY_BUILDERS.get(str(kind))
            converted = getattr(self, builder)(scheme, where) if builder else None
            if converted is None:
                self.note(where, f"security scheme type {kind!r} has no 3.0 form; left out")
            else:
                converted.update({k: v for k, v in scheme.items() if k == "description"})
                out[str(name)] = {**converted, **extensions(scheme)}
        return out

    def basic_scheme(self, scheme: dict[str, Any], where: str) -> dict[str, Any] | None:
        return {"type": "http", "scheme": "basic"}

    def api_key_scheme(self, scheme: dict[str, Any], where: str) -> dict[str, Any] | None:
        return {"type": "apiKey", "name": str(scheme.get("name", "")), "in": scheme.get("in")}

    def oauth2_scheme(self, scheme: dict[str, Any], where: str) -> dict[str, Any] | None:
        flow = OAUTH2_FLOWS.get(str(scheme.get("flow")))
        if flow is None:
            self.note(where, f"OAuth2 flow {scheme.get('flow')!r} is unknown")
            return None
        name, urls = flow
        converted = {url: str(scheme.get(url) or "") for url in urls}
        for url in urls:
            if not scheme.get(url):
                self.note(where, f"OAuth2 {scheme.get('flow')} flow without {url}")
        scopes = {str(k): str(v) for k, v in mapping(scheme.get("scopes")).items()}
        return {"type": "oauth2", "flows": {name: {**converted, "scopes": scopes}}}

    # -- schemas -------------------------------------------------------------------------

    def schema(self, node: Any, where: str) -> Any:
        """A 2.0 schema as a 3.0 one: references moved, `x-nullable`, `type: file`,
        string discriminators and draft-4 leftovers translated; the rest as written."""
        if isinstance(node, bool):
            return node  # `additionalProperties: true`
        if not isinstance(node, dict):
            self.note(where, "not a schema; any value is accepted")
            return {}
        if "$ref" in node:
            return self.schema_ref(node, where)
        out: dict[str, Any] = {}
        for key, value in node.items():
            here = child(where, key)
            if key == "x-nullable":
                out.update({"nullable": True} if value is True else {})
            elif is_extension(key) or key in SCHEMA_KEYWORDS:
                out[key] = value
            elif key == "properties":
                out[key] = self.properties(value, here, out)
            elif key == "items":
                out[key] = self.items(value, here)
            elif key in SUBSCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(s, child(here, i)) for i, s in enumerate(value)]
            elif key in SUBSCHEMA_SINGLES:
                out[key] = self.schema(value, here)
            elif key == "discriminator" and isinstance(value, str | dict):
                out[key] = {"propertyName": value} if isinstance(value, str) else value
            elif key == "required" and isinstance(value, list):
                out[key] = [*out.get(key, []), *(str(v) for v in value)]
            elif key == "type":
                out[key] = value
            else:
                self.note(
                    here, f"'{key}' is not a 3.0 schema keyword, or not of its type; left out"
                )
        self.schema_type(out, where)
        self.unbounded(out, where)
        # 3.0 wants a non-empty list of distinct names.
        names = list(dict.fromkeys(out.pop("required", [])))
        if names:
            out["required"] = names
        return out

    def schema_ref(self, node: dict[str, Any], where: str) -> dict[str, Any]:
        # 3.0 ignores the siblings of `$ref`: only extensions are worth keeping.
        if node.get("x-nullable") is True:
            self.note(where, "x-nullable beside $ref has no 3.0 form; left out")
        kept = {k: v for k, v in extensions(node).items() if k != "x-nullable"}
        ref = node["$ref"]
        if isinstance(ref, str) and ref.startswith("#/x-"):
            self.schema_sections.add(ref[2:].partition("/")[0])
        return {"$ref": self.ref(ref, where), **kept}

    def schema_type(self, out: dict[str, Any], where: str) -> None:
        if "type" not in out:
            return
        if out["type"] == "file":
            out.update(BINARY)
            return
        translate_type(out)  # draft 4 allows `type: [string, "null"]`
        if "type" in out and not (isinstance(out["type"], str) and out["type"] in SCHEMA_TYPES):
            self.note(child(where, "type"), f"type {out.pop('type')!r} is unknown; left out")

    def unbounded(self, out: dict[str, Any], where: str) -> None:
        """An exclusive flag without its bound (3.0 requires the bound) says nothing."""
        for flag, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
            if flag in out and bound not in out:
                self.note(child(where, flag), f"{flag} without {bound}; left out")
                out.pop(flag)

    def properties(self, value: Any, where: str, parent: dict[str, Any]) -> dict[str, Any]:
        """Property schemas; a property marked `required: true` (a common slip) is listed
        in the parent's `required` instead."""
        out: dict[str, Any] = {}
        for name, schema in mapping(value).items():
            if isinstance(schema, dict) and isinstance(schema.get("required"), bool):
                if schema["required"]:
                    parent["required"] = [*parent.get("required", []), str(name)]
                    self.note(child(where, name, "required"), "moved to the object's required")
                schema = {k: v for k, v in schema.items() if k != "required"}
            out[str(name)] = self.schema(schema, child(where, name))
        return out

    def items(self, value: Any, where: str) -> Any:
        if isinstance(value, list):  # draft 4 tuple validation
            self.note(where, "a list of item schemas has no 3.0 form; any item is accepted")
            return {}
        return self.schema(value, where)
