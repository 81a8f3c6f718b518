"""Request validation: parameters compiled once with one-line errors; JSON bodies by
OpenAPI's request rules, parsed without 500s.

Connexion's own ParameterValidator deep-copies the parameter and builds a new JSON Schema
validator for every parameter of every request, and reports a multi-line jsonschema dump.
This one compiles each parameter's validator when the operation is set up and answers
`Query parameter 'page': 'abc' is not of type 'integer'`.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import AsyncIterator
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP
from connexion.validators.abstract import AbstractRequestBodyValidator
from connexion.validators.form_data import FormDataValidator, MultiPartFormDataValidator
from connexion.validators.json import JSONRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker
from starlette.datastructures import Headers
from starlette.formparsers import FormParser, MultiPartParser
from starlette.types import Receive, Scope

from .problems import ApiError, InvalidBody

MAX_MESSAGE = 200  # a 100 kB value must not come back whole in the error body


# Connexion makes a parameter validator per request; each operation's schemas are compiled
# on its first request and kept here, keyed by its parameter list (held, so the id of a
# live list is never reused). Bounded: thousands of apps in one test session stay small.
_COMPILED: dict[int, tuple[list[dict[str, Any]], dict[tuple[str, str], Any]]] = {}
MAX_COMPILED = 20_000


def compiled(parameters: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    found = _COMPILED.get(id(parameters))
    if found is not None and found[0] is parameters:
        return found[1]
    schemas = {
        (p["in"], p["name"]): Draft4Validator(
            p.get("schema", {}), format_checker=oas30_format_checker
        )
        for p in parameters
    }
    if len(_COMPILED) >= MAX_COMPILED:
        _COMPILED.clear()
    _COMPILED[id(parameters)] = (parameters, schemas)
    return schemas


class CompiledParameterValidator(ParameterValidator):
    def __init__(self, parameters: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(parameters, *args, **kwargs)
        self._schemas = compiled(parameters)

    def validate_parameter(
        self, parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
    ) -> str | None:
        name = param["name"]
        if is_nullable(param) and is_null(value):
            return None
        if value is None:
            return f"Missing {parameter_type} parameter '{name}'" if param.get("required") else None
        validator = self._schemas.get((param["in"], name))
        if validator is None:
            return None
        if param["in"] in ("header", "cookie") and isinstance(value, str):
            value = simple_style(value, param)
        error = best_match(validator.iter_errors(value))
        if error is None:
            return None
        return f"{parameter_type.capitalize()} parameter '{name}': {shorten(error.message)}"


SCALARS: dict[str, type] = {"integer": int, "number": float}


def simple_style(value: str, param: dict[str, Any]) -> Any:
    """A header's text read as its schema says (OpenAPI `style: simple`): `a,b` is an array;
    `k=v,k2=v2` (exploded) or `k,v,k2,v2` an object; numbers and booleans typed."""
    schema = param.get("schema") or {}
    kind = schema.get("type")
    if kind == "array":
        item = (schema.get("items") or {}).get("type")
        return [typed(part, item) for part in value.split(",")] if value else []
    if kind != "object":
        return typed(value, kind)
    if not value.strip():
        return {}
    parts = value.split(",")
    if param.get("explode", False):
        pairs = [part.partition("=")[::2] for part in parts]
    else:
        pairs = list(zip(parts[::2], parts[1::2], strict=False))
    properties = schema.get("properties") or {}
    return {k: typed(v, (properties.get(k) or {}).get("type")) for k, v in pairs}


def typed(text: str, kind: Any) -> Any:
    """`3` for an integer, `true` for a boolean...; text that is not one stays text, so
    the schema's own error names it."""
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind in SCALARS:
        try:
            number = float(text)
        except ValueError:
            return text
        if not math.isfinite(number):
            return text
        return int(number) if kind == "integer" and number.is_integer() else number
    return text


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
# What _parse returns for a body that is the JSON literal `null`, to tell it from no body;
# Connexion forwards the original bytes to the handler, never this value.
SENT_NULL = object()


def whole_number(_checker: Any, instance: Any) -> bool:
    """`integer` as JSON Schema has meant it since draft 6: 3.0 is an integer too."""
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


LENIENT_WRITE_VALIDATOR = validators.extend(
    OAS30WriteValidator,
    type_checker=OAS30WriteValidator.TYPE_CHECKER.redefine("integer", whole_number),
)


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
        return LENIENT_WRITE_VALIDATOR(self._schema, format_checker=oas30_format_checker)

    async def _parse(self, stream: AsyncIterator[bytes], scope: Any) -> Any:
        raw = b""
        async for chunk in stream:
            raw += chunk
            if len(raw) > MAX_BODY_BYTES:
                raise PayloadTooLarge(f"Request body larger than {MAX_BODY_BYTES} bytes.")
        try:
            text = raw.decode(self._encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadRequestProblem(detail=f"Request body is not valid {self._encoding}.") from exc
        if not text:
            return None  # no body at all
        try:
            parsed = json.loads(text)
            return SENT_NULL if parsed is None else parsed
        except json.JSONDecodeError as exc:
            raise BadRequestProblem(detail=f"Request body is not valid JSON: {exc}") from exc
        except RecursionError as exc:
            raise BadRequestProblem(detail="Request body is nested too deeply.") from exc

    def _validate(self, body: Any) -> Any:
        if body is None and not self._required:
            return None  # an optional body may be left out...
        if body is SENT_NULL:
            body = None  # ...but a body of `null` is judged by the schema
        try:
            return super()._validate(body)
        except BadRequestProblem as exc:
            raise InvalidBody(detail=short_body_error(exc.detail)) from exc
        except Exception as exc:  # the validator library itself failing on odd input
            raise InvalidBody(detail="Request body does not match the schema.") from exc


def refuse_large(headers: Headers) -> int:
    """The announced body length (0 if none), after a 413 for one over the limit, before
    a byte of it is read."""
    length = headers.get("content-length", "0")
    announced = int(length) if length.isascii() and length.isdigit() else 0
    if announced > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"Request body larger than {MAX_BODY_BYTES} bytes.")
    return announced


class SafeFormValidator(FormDataValidator):
    """Form bodies (and, subclassed, multipart ones): malformed is a 400, not the parser's
    exception escaping as a 500; formats as OpenAPI knows them (`date`, `uuid`...)."""

    @functools.cached_property
    def _validator(self) -> Any:
        return Draft4RequestValidator(self._schema, format_checker=oas30_format_checker)

    def _validate(self, body: Any) -> Any:
        try:
            return super()._validate(body)
        except BadRequestProblem as exc:
            raise InvalidBody(detail=short_body_error(exc.detail)) from exc

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        refuse_large(Headers(scope=scope))
        return await super().wrap_receive(receive, scope=scope)  # type: ignore[no-any-return]

    async def _parse(self, stream: AsyncIterator[bytes], scope: Any) -> Any:
        try:
            return await super()._parse(stream, scope)
        except BadRequestProblem:
            raise
        except Exception as exc:
            raise BadRequestProblem(detail=f"Malformed form body: {exc}") from exc

    @property
    def _form_parser_cls(self) -> Any:
        # Starlette stops a field at 1 MiB; the mock's limit is the body's, 10 MiB.
        return functools.partial(FormParser, max_part_size=MAX_BODY_BYTES)


class SafeMultiPartValidator(SafeFormValidator, MultiPartFormDataValidator):
    """Multipart bodies: SafeFormValidator's guard around MultiPartFormDataValidator's parse."""

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
        headers = Headers(scope=scope)
        if self._required and not refuse_large(headers) and "content-type" not in headers:
            raise BadRequestProblem(detail="Request body is required.")
        return receive, scope


def body_validators() -> MediaTypeDict:
    table = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    table["*/*json"] = OpenAPIJSONBodyValidator
    table["application/x-www-form-urlencoded"] = SafeFormValidator
    table["multipart/form-data"] = SafeMultiPartValidator
    table["*/*"] = RawBodyValidator
    return table
