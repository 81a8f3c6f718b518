"""Request validation: parameters compiled once with one-line errors; JSON bodies by
OpenAPI's request rules, parsed without 500s.

Connexion's own ParameterValidator deep-copies the parameter and builds a new JSON Schema
validator for every parameter of every request, and reports a multi-line jsonschema dump.
This one compiles each parameter's validator when the operation is set up and answers
`Query parameter 'page': 'abc' is not of type 'integer'`.

Only what the client sent wrong is a 400 (or 413, 422): a fault of the mock's own (a
schema the validator library cannot apply, say) is left to surface as a 500, with its
traceback in the log, so that it is found and fixed rather than blamed on the client.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import AsyncIterator
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP
from connexion.validators.abstract import AbstractRequestBodyValidator
from connexion.validators.form_data import FormDataValidator, MultiPartFormDataValidator
from connexion.validators.json import JSONRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from jsonschema.exceptions import best_match
from python_multipart.exceptions import FormParserError
from starlette.datastructures import Headers
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.types import Receive, Scope

from ..identity_cache import IdentityCache
from .coercion import Schemas, parameter_schema
from .keywords import (
    LENIENT_FORM_VALIDATOR,
    LENIENT_PARAMETER_VALIDATOR,
    LENIENT_WRITE_VALIDATOR,
    REQUEST_FORMATS,
)
from .middleware import with_content_type
from .parsing import SchemaURIParser
from .problems import ApiError, InvalidBody
from .quick_bodies import quick_bodies
from .styles import serialised, shared_members, simple, style_of, with_shared

MAX_MESSAGE = 200  # a 100 kB value must not come back whole in the error body


# Connexion makes a parameter validator per request; each operation's schemas are compiled
# on its first request and kept, by its parameter list.
_COMPILED: IdentityCache[dict[tuple[str, str], Any]] = IdentityCache(limit=20_000)


def compiled(parameters: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    return _COMPILED.get(parameters, lambda: parameter_validators(parameters))


def parameter_validators(parameters: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    schemas: dict[tuple[str, str], Any] = {}
    shared = shared_members(parameters, laid_out)
    for p in parameters:  # the first one wins: Connexion appends the path-level ones
        key = (p["in"], p["name"])
        if key not in schemas:
            spread = style_of(p) == ("form", True)
            schema = (
                parameter_schema(p) if "content" in p else laid_out(parameter_schema(p), spread)
            )
            if spread and p.get("in") == "query":
                schema = with_shared(schema, shared)
            schemas[key] = LENIENT_PARAMETER_VALIDATOR(schema, format_checker=REQUEST_FORMATS)
    return schemas


def laid_out(schema: Any, spread: bool = True) -> Any:
    """The schema a parameter's text can be checked against: OpenAPI lays out no array of
    objects or of arrays in a URL or header (`?PolicyArns=...` of Amazon's documents), so
    such a value is taken as sent: how many items it has depends on a layout the document
    does not give. Nor an object inside an object (`?Config.Rules=...`, Amazon's exploded
    objects, and the entries of a map of objects): such a property is taken as sent too;
    and where the object is not `spread` (exploded form: a key per property), nor is an
    array inside it (`panes,,size,3`). An
    array or object inside an object, empty, is sent as nothing, so a required one may be
    missing (autoscaling's `PredictiveScalingConfiguration.MetricSpecifications`)."""
    if not isinstance(schema, dict):
        return schema
    properties = schema.get("properties")
    is_map = "additionalProperties" in schema
    if schema.get("type") == "object" and (isinstance(properties, dict) or is_map):
        properties = properties if isinstance(properties, dict) else {}
        laid = {
            k: {} if nested_object(v) or (not spread and structured(v, 0)) else laid_out(v)
            for k, v in properties.items()
        }
        found = {**schema, "properties": laid} if laid else dict(schema)
        if nested_object(schema.get("additionalProperties")):
            found["additionalProperties"] = {}  # a map of objects (SQS' MessageAttribute)
        if isinstance(schema.get("required"), list):
            found["required"] = [
                n for n in schema["required"] if not structured(properties.get(n), 0)
            ]
        return found
    if schema.get("type") != "array":
        return schema
    return {"type": "array"} if structured(schema.get("items"), 0) else schema


def nested_object(schema: Any) -> bool:
    return structured(schema, 0) and not (isinstance(schema, dict) and "items" in schema)


def form_layout(schema: Any, multipart: bool = False) -> Any:
    """The schema a form's fields can be checked against: like a URL, a form lays out no
    array of objects (`MetaData=Id&MetaData=Value`), so such a field is taken as sent; and
    an empty array or object is sent as nothing at all, so one that is required may be
    missing. A `multipart` body sends an object as a JSON part: it is checked whole, and a
    required one must be sent. An array is a part per item, nothing when empty, so a
    required one may be missing; its items are taken as sent even where they should be
    JSON objects (the vendor's generated client writes them as Python reprs)."""
    if not isinstance(schema, dict):
        return schema
    laid = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        laid["properties"] = {
            k: v if multipart and SCHEMAS.shape(v) == "object" else laid_out(v)
            for k, v in properties.items()
        }
    if isinstance(schema.get("required"), list):
        known = defined_fields(schema)  # a required field defined nowhere may be anything
        laid["required"] = [
            n for n in schema["required"] if not may_be_missing(known.get(n, {}), multipart)
        ]
    if isinstance(schema.get("allOf"), list):
        laid["allOf"] = [form_layout(part, multipart) for part in schema["allOf"]]
    return laid


def may_be_missing(schema: Any, multipart: bool) -> bool:
    """Whether a required form field may be left out: sent empty, it is nothing at all."""
    if not multipart:
        return may_be_empty(schema)
    # A part per item of an array, none when it is empty; a field of any type may be one.
    return SCHEMAS.shape(schema) == "array" or (may_be_empty(schema) and not structured(schema, 0))


def defined_fields(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties a form's schema defines, its own and its `allOf` parts'."""
    found: dict[str, Any] = {}
    for part in [schema, *(p for p in schema.get("allOf") or [] if isinstance(p, dict))]:
        properties = part.get("properties")
        if isinstance(properties, dict):
            for name, value in properties.items():
                found.setdefault(name, value)
    return found


def may_be_empty(schema: Any) -> bool:
    """Whether a form field may hold an empty array or object, sent as nothing: one of
    those types, or a field of no type at all (`{}` takes `{}`)."""
    limiting = {"type", "enum", "const", "allOf", "anyOf", "oneOf", "$ref"}
    if isinstance(schema, dict) and not limiting & set(schema):
        return True
    return structured(schema, 0)


def structured(schema: Any, depth: int) -> bool:
    """Whether values of `schema` are objects or arrays (through `allOf`, `anyOf`...; the
    schemas Connexion resolved may hold themselves, hence the depth)."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if "type" in schema:
        return schema["type"] in ("object", "array")
    if any(k in schema for k in ("properties", "additionalProperties", "items")):
        return True
    parts = [p for k in ("allOf", "anyOf", "oneOf") for p in schema.get(k) or []]
    return any(structured(part, depth + 1) for part in parts)


def sent_empty(param: dict[str, Any]) -> bool:
    """Whether a missing query array or object may be one sent empty: exploded, it has no
    text at all (`?ids=1&ids=2`, and nothing for none), so a required one with no minimum
    is taken; an array of objects has no layout at all (`[{}]` is sent as nothing), so
    any minimum is moot; an object none of whose fields is required may be `{}`."""
    schema = parameter_schema(param) if "content" not in param else {}
    style, explode = style_of(param)
    if param.get("in") != "query" or not isinstance(schema, dict):
        return False
    if not explode and style != "deepObject":  # deepObject has a key per property anyway
        return False
    if schema.get("type") == "array":
        return not schema.get("minItems") or structured(schema.get("items"), 0)
    is_object = schema.get("type") == "object" or "properties" in schema
    return is_object and not schema.get("required") and not schema.get("minProperties")


# OpenAPI: a header parameter of these names "SHALL be ignored" (media types and security
# say what they hold); checking one refused clients' own `Accept: */*`.
IGNORED_HEADERS = {"accept", "content-type", "authorization"}
SCHEMAS = Schemas()  # no document: Connexion resolved its `$ref`s before validators see them


class CompiledParameterValidator(ParameterValidator):
    schemas = SCHEMAS

    def __init__(self, parameters: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(parameters, *args, **kwargs)
        self._schemas = compiled(parameters)
        self.parameters["header"] = [
            p for p in self.parameters["header"] if str(p["name"]).lower() not in IGNORED_HEADERS
        ]

    def validate_parameter(
        self, parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
    ) -> str | None:
        name = param["name"]
        if is_nullable(param) and is_null(value):
            return None
        if value is None:
            missing = param.get("required") and not sent_empty(param)
            return f"Missing {parameter_type} parameter '{name}'" if missing else None
        if value == "" and param.get("allowEmptyValue"):
            return None  # `?verbose=`: sent empty, as the parameter allows
        validator = self._schemas.get((param["in"], name))
        if validator is None:
            return None
        if param["in"] in ("header", "cookie") and isinstance(value, str):
            value = read_text(value, param, self.schemas)
        error = best_match(validator.iter_errors(value))
        if error is None:
            return None
        other = self.other_reading(value, param)
        if other is not None and validator.is_valid(other):
            return None
        return f"{parameter_type.capitalize()} parameter '{name}': {shorten(error.message)}"

    def other_reading(self, value: Any, param: dict[str, Any]) -> Any:
        """What was sent, read the other way its text allows, where the schema takes
        lists: a single value as a list of one (`?since=` is no string of one character
        under `oneOf: [string, array]`, but a list holding an empty one), and an empty
        list as one empty item (`?ids=` under `minItems: 1`). None where there is none."""
        schema = parameter_schema(param)
        if "array" not in self.schemas.kinds(schema):
            return None
        if value == []:
            text = ""
        elif isinstance(value, list | dict):
            return None
        else:
            text = value if isinstance(value, str) else json.dumps(value)
        return self.schemas.typed([text], schema)


def read_text(value: str, param: dict[str, Any], schemas: Schemas) -> Any:
    """A header (`simple` style) or cookie (`form` style) value typed as its schema says;
    query and path values come typed from the URI parser."""
    if param["in"] == "header":
        laid_out = simple(value, param, schemas)
    else:  # one cookie holds every item: `a,b` whatever `explode` says
        laid_out = serialised([value], {**param, "explode": False}, schemas)
    if "content" in param:
        return laid_out  # JSON content, decoded: typed as sent
    return schemas.typed(laid_out, parameter_schema(param))


def shorten(text: str) -> str:
    """At most MAX_MESSAGE characters, the middle left out: a message about a huge value
    keeps its start and what was wrong (`'xxx…xxx' is too long`)."""
    if len(text) <= MAX_MESSAGE:
        return text
    half = (MAX_MESSAGE - 1) // 2
    return text[:half] + "…" + text[-half:]


def short_body_error(detail: Any) -> str:
    """Connexion's `<message> - '<field>'`, the message shortened, the field kept."""
    message, dash, where = str(detail).rpartition(" - ")
    if not dash or len(where) > MAX_MESSAGE:
        return shorten(str(detail))
    return f"{shorten(message)} - {where}"


MAX_BODY_BYTES = 10 * 1024 * 1024  # answered 413 beyond this
# The admin API's bodies are an operator's: a snapshot or a collection of 100,000 records
# is tens of MiB.
ADMIN_MAX_BODY_BYTES = 512 * 1024 * 1024
# What _parse returns for a body that is the JSON literal `null`, to tell it from no body;
# Connexion forwards the original bytes to the handler, never this value.
SENT_NULL = object()


def finite(text: str) -> float:
    """A JSON number as a float: `1e999` is not one (Python reads it as infinity, which
    no schema keyword can compare)."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number out of range: {text[:40]}")
    return number


def not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json takes NaN and Infinity


_WRITABLE: IdentityCache[Any] = IdentityCache(limit=20_000)


def writable_root(schema: Any) -> Any:
    """A request body's schema without a `readOnly` of its own: OpenAPI binds `readOnly`
    to properties, and a component marked read-only as a whole (reused for reading) is
    still what clients send. One copy per schema, so that what is built from it is kept."""
    if not (isinstance(schema, dict) and schema.get("readOnly") is True):
        return schema
    return _WRITABLE.get(schema, lambda: {k: v for k, v in schema.items() if k != "readOnly"})


def parse_json(text: str) -> Any:
    return json.loads(text, parse_float=finite, parse_constant=not_json)


class PayloadTooLarge(ApiError):
    status_code_default = 413


class OpenAPIJSONBodyValidator(JSONRequestBodyValidator):
    """JSON bodies checked with OpenAPI's rules for requests, and parsed defensively.

    Connexion's validator is plain Draft 4, so a required `readOnly` property (an `id`
    the server assigns) is demanded from the client; it also builds a new validator per
    request and lets invalid UTF-8 escape as a 500.
    """

    @functools.cached_property
    def _validator(self) -> Any:
        return LENIENT_WRITE_VALIDATOR(writable_root(self._schema), format_checker=REQUEST_FORMATS)

    limit = MAX_BODY_BYTES  # bytes of a body, answered 413 beyond

    async def _parse(self, stream: AsyncIterator[bytes], scope: Any) -> Any:
        chunks: list[bytes] = []  # joined once: adding to bytes copies all so far per chunk
        size = 0
        async for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > self.limit:
                raise PayloadTooLarge(f"Request body larger than {self.limit} bytes.")
        raw = b"".join(chunks)
        try:
            text = raw.decode(self._encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadRequestProblem(detail=f"Request body is not valid {self._encoding}.") from exc
        if not text:
            return None  # no body at all
        try:
            parsed = parse_json(text)
            return SENT_NULL if parsed is None else parsed
        except ValueError as exc:  # JSONDecodeError, and numbers Python cannot hold
            raise BadRequestProblem(detail=f"Request body is not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise BadRequestProblem(detail="Request body is nested too deeply.") from exc

    def _validate(self, body: Any) -> Any:
        if body is None and not self._required:
            return None  # an optional body may be left out...
        if body is SENT_NULL:
            body = None  # ...but a body of `null` is judged by the schema alone (Connexion
            self._nullable = True  # would refuse it as empty unless marked nullable)
        elif body is not None:
            verdict = quick_bodies(writable_root(self._schema), REQUEST_FORMATS).verdict(body)
            if verdict.accepted is not None:
                if not verdict.accepted:
                    raise InvalidBody(detail=short_body_error(verdict.message))
                return None
        try:
            return super()._validate(body)
        except BadRequestProblem as exc:
            raise InvalidBody(detail=short_body_error(exc.detail)) from exc
        except RecursionError as exc:  # a body nested deeper than the validator can follow
            raise InvalidBody(detail="Request body is nested too deeply.") from exc

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if is_bytes(self._schema):  # `*/*` taking a file, sent as JSON: not JSON to read
            return unparsed(self._required, receive, scope)
        refuse_large(Headers(scope=scope), self.limit)  # Connexion's int() of a bad length: 500
        return await super().wrap_receive(receive, scope=scope)  # type: ignore[no-any-return]


def refuse_large(headers: Headers, limit: int = MAX_BODY_BYTES) -> int:
    """The announced body length (0 if none), after a 413 for one over the limit, before
    a byte of it is read, and a 400 for one that is not a number (Connexion's int() of it
    would be a 500)."""
    length = headers.get("content-length", "0")
    if not (length.isascii() and length.isdigit()):
        raise BadRequestProblem(detail="Content-Length is not a number.")
    announced = int(length)
    if announced > limit:
        raise PayloadTooLarge(f"Request body larger than {limit} bytes.")
    return announced


# What the form parsers raise for a malformed body: starlette's (no boundary, a part too
# large) and python-multipart's (a broken header line, a part cut short).
MALFORMED = (MultiPartException, FormParserError)


class SafeFormValidator(FormDataValidator):
    """Form bodies (and, subclassed, multipart ones): malformed is a 400, not the parser's
    exception escaping as a 500; formats as OpenAPI knows them (`date`, `uuid`...)."""

    multipart = False

    def __init__(self, *, schema: dict[str, Any], uri_parser: Any = None, **kwargs: Any) -> None:
        if isinstance(uri_parser, SchemaURIParser):
            uri_parser = uri_parser.for_form(schema, self.multipart)
        super().__init__(schema=schema, uri_parser=uri_parser, **kwargs)

    @functools.cached_property
    def _validator(self) -> Any:
        schema = form_layout(writable_root(self._schema), self.multipart)
        return LENIENT_FORM_VALIDATOR(schema, format_checker=REQUEST_FORMATS)

    def _validate(self, body: Any) -> Any:
        try:
            return super()._validate(body)
        except BadRequestProblem as exc:
            raise InvalidBody(detail=short_body_error(exc.detail)) from exc

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        # A form needs its Content-Type to be read (multipart's boundary): without one,
        # Connexion guesses the operation's first media type and starlette's parser fails
        # (a KeyError). Bytes of a `*/*` body sent as a form are no form to read either.
        headers = Headers(scope=scope)
        if "content-type" not in headers:
            return unparsed(self._required, receive, scope)
        if not_a_form(self._schema):
            # No form holds it, and the client's bytes need not be one (schemathesis
            # writes an array's text as it is): passed on as bytes, never parsed as a form.
            bytes_only = with_content_type(scope, "application/octet-stream")
            return unparsed(self._required, receive, bytes_only)
        if not refuse_large(headers) and "urlencoded" in headers["content-type"]:
            # A form of no fields is empty text (a client sends `{"Type": []}` so), not a
            # missing body: judged as `{}`.
            self._validate({})
            return receive, scope
        return await super().wrap_receive(receive, scope=scope)  # type: ignore[no-any-return]

    async def _parse(self, stream: AsyncIterator[bytes], scope: Any) -> Any:
        try:
            return await super()._parse(stream, scope)
        except MALFORMED as exc:
            raise BadRequestProblem(detail=f"Malformed form body: {exc}") from exc

    @property
    def _form_parser_cls(self) -> Any:
        # Starlette stops a field at 1 MiB; the mock's limit is the body's, 10 MiB.
        return functools.partial(FormParser, max_part_size=MAX_BODY_BYTES)


class SafeMultiPartValidator(SafeFormValidator, MultiPartFormDataValidator):
    """Multipart bodies: SafeFormValidator's guard around MultiPartFormDataValidator's parse;
    structured parts read as JSON and checked whole."""

    multipart = True

    @property
    def _form_parser_cls(self) -> Any:
        return functools.partial(MultiPartParser, max_part_size=MAX_BODY_BYTES)


class RawBodyValidator(AbstractRequestBodyValidator):
    """Bodies of any other media type (`application/octet-stream`, `text/csv`...): not
    parsed, but a required one must be sent and none may pass the size limit.

    An empty body that comes with a Content-Type was sent (an empty file); only a request
    with neither body nor Content-Type left it out.
    """

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        return unparsed(self._required, receive, scope)


def unparsed(required: bool, receive: Receive, scope: Scope) -> tuple[Receive, Scope]:
    """A body taken as bytes: a required one must be sent; none may pass the size limit."""
    headers = Headers(scope=scope)
    if required and not refuse_large(headers) and "content-type" not in headers:
        raise BadRequestProblem(detail="Request body is required.")
    return receive, scope


def not_a_form(schema: Any) -> bool:
    """A body schema no form gives: bytes, a string, an array..."""
    kinds = SCHEMAS.kinds(schema)
    return is_bytes(schema) or (bool(kinds) and "object" not in kinds)


def is_bytes(schema: Any) -> bool:
    """A body schema of bytes (`type: string, format: binary`), taken as they come."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and (schema.get("format") == "binary")
    )


class AdminJSONBodyValidator(OpenAPIJSONBodyValidator):
    limit = ADMIN_MAX_BODY_BYTES


def admin_body_validators() -> MediaTypeDict:
    """The admin API's: JSON only, with the operator's larger limit."""
    return MediaTypeDict({"*/*json": AdminJSONBodyValidator})


def body_validators() -> MediaTypeDict:
    table = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    table["*/*json"] = OpenAPIJSONBodyValidator
    table["application/x-www-form-urlencoded"] = SafeFormValidator
    table["multipart/form-data"] = SafeMultiPartValidator
    table["*/*"] = RawBodyValidator
    return table
