"""JSON Schema keywords as the mock applies them to requests: where jsonschema or
openapi-schema-validator would answer a good request 400, or crash (a 500) on a document
written for another tool, they judge the request as its author meant and never crash.
Looser, never stricter.
"""

from __future__ import annotations

import binascii
import functools
from base64 import b64decode
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from connexion.json_schema import Draft4RequestValidator
from jsonschema import FormatChecker, validators
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, OAS30WriteValidator, oas30_format_checker
from openapi_schema_validator._keywords import write_required
from referencing.exceptions import Unresolvable

from ..contract.ecma_regex import pattern_keyword
from ..contract.formats import lenient_time


def whole_number(_checker: Any, instance: Any) -> bool:
    """`integer` as JSON Schema has meant it since draft 6: 3.0 is an integer too."""
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())


def exact_multiple_of(validator: Any, divisor: Any, instance: Any, _schema: Any) -> Iterator[Any]:
    """`multipleOf` on the numbers as written: 19.99 is a multiple of 0.01. jsonschema
    divides binary floats (19.99 / 0.01 is 1998.9999...: a 400 for a good price) and
    overflows on an integer beyond a float's range (a 500)."""
    if not validator.is_type(instance, "number") or not isinstance(divisor, int | float):
        return
    if isinstance(divisor, bool) or divisor <= 0:
        return  # not a divisor: the document's fault, not the client's
    if (Fraction(repr(instance)) / Fraction(repr(divisor))).denominator != 1:
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


def discriminating(keyword: Any) -> Any:
    """anyOf/oneOf/allOf as `keyword` judges them, null admitted where `nullable` says so,
    by the discriminator where its value
    names a schema; a value naming none (`circle`, implicitly `#/components/schemas/circle`
    where the schema is `Circle`; a number; an object) leaves the alternatives to judge.
    openapi-schema-validator answers such bodies 400 however right, or crashes (TypeError)
    on a value that cannot be a mapping key."""

    def judged(validator: Any, subschemas: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if instance is None and schema.get("nullable") is True:
            return  # 3.0's `nullable` admits null beside the alternatives, not through them
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and not names_schema(validator, discriminator, instance):
            schema = {k: v for k, v in schema.items() if k != "discriminator"}
        yield from keyword(validator, subschemas, instance, schema)

    return judged


def names_schema(validator: Any, discriminator: dict[str, Any], instance: Any) -> bool:
    value = instance.get(discriminator.get("propertyName")) if isinstance(instance, dict) else None
    if not isinstance(value, str) or not value:
        return False
    mapping = discriminator.get("mapping")
    ref = mapping.get(value) if isinstance(mapping, dict) else None
    try:  # resolving happens on the first step of the (lazy) descent
        next(iter(validator.descend({}, {"$ref": ref or f"#/components/schemas/{value}"})), None)
    except Unresolvable:
        return False
    return True


class NotInFormat(ValueError):
    """Why a value is not in its format; the error message says it."""


def base64_text(instance: object) -> bool:
    """`format: byte`. openapi-schema-validator encodes the text to ASCII outside its
    guard: any non-ASCII character was a UnicodeEncodeError, a 500."""
    if not isinstance(instance, str):
        return True
    try:
        b64decode(instance.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise NotInFormat("not base64") from None
    return True


def guarded(check: Callable[[object], bool], raises: tuple[type[BaseException], ...]) -> Any:
    """`check`, failing instead of crashing on what its library did not expect (`regex`
    compiling `a{4294967296}`: an OverflowError; deep nesting: a RecursionError)."""

    @functools.wraps(check)
    def safe(instance: object) -> bool:
        try:
            return bool(check(instance))
        except raises:
            raise  # the library's own "not in the format", reported as it words it
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            raise NotInFormat(str(exc) or type(exc).__name__) from exc

    return safe


def safe_formats(source: FormatChecker) -> FormatChecker:
    """`source`'s formats, each guarded, with `byte` checked without crashing."""
    checker = FormatChecker(formats=())
    for name, (check, raises) in source.checkers.items():
        declared = raises if isinstance(raises, tuple) else (raises,)
        checker.checkers[name] = (guarded(check, declared), (*declared, NotInFormat))
    checker.checkers["byte"] = (base64_text, (NotInFormat,))
    return checker


# The format checker for everything a client sends.
REQUEST_FORMATS = safe_formats(lenient_time(oas30_format_checker))


def reasoned(keyword: Any) -> Any:
    """`format` whose message says why where the check said (`'é' is not a 'byte' (not
    base64)`)."""

    def judged(validator: Any, format_: Any, instance: Any, schema: Any) -> Iterator[Any]:
        for error in keyword(validator, format_, instance, schema):
            if isinstance(error.cause, NotInFormat):
                error.message = f"{error.message} ({error.cause})"
            yield error

    return judged


LENIENT_KEYWORDS = {"pattern": pattern_keyword, "multipleOf": exact_multiple_of}


def lenient(cls: Any) -> Any:
    """`cls` with whole floats as integers and the keywords above."""
    checker = cls.TYPE_CHECKER.redefine("integer", whole_number)
    keywords = dict(LENIENT_KEYWORDS)
    for name in ("anyOf", "oneOf", "allOf"):
        keywords[name] = discriminating(cls.VALIDATORS[name])
    keywords["format"] = reasoned(cls.VALIDATORS["format"])
    keywords["items"] = items_writable(cls.VALIDATORS["items"])
    return validators.extend(cls, keywords, type_checker=checker)


def items_writable(keyword: Any) -> Any:
    """`items` whose schema is `readOnly` (an array of ids, each a read-only `id` schema)
    still taking items: OpenAPI gives readOnly meaning for properties only."""

    def judged(validator: Any, items: Any, instance: Any, schema: Any) -> Iterator[Any]:
        for error in keyword(validator, items, instance, schema):
            if not (error.validator == "readOnly" and len(error.relative_path) == 1):
                yield error

    return judged


def sent_anyway(*_: Any) -> Iterator[Any]:
    """A read-only value a client sends is no error: OpenAPI says it SHOULD NOT be sent,
    not that it must not, and servers (DRF's serializers among them) ignore it. It is
    still judged by the rest of its schema."""
    return iter(())


LENIENT_WRITE_VALIDATOR = validators.extend(lenient(OAS30WriteValidator), {"readOnly": sent_anyway})
LENIENT_PARAMETER_VALIDATOR = lenient(OAS30Validator)
# A form's required read-only field (`created_at`) is the server's to fill, as in JSON.
LENIENT_FORM_VALIDATOR = validators.extend(
    lenient(Draft4RequestValidator), {"required": write_required}
)
