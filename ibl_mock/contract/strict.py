"""The readers' validators of OpenAPI 3.0 and 3.1 as clients apply them.

OpenAPI 3.0's reader (openapi-schema-validator) judges a `oneOf`, `anyOf` or `allOf`
that carries a discriminator by the discriminator alone; JSON Schema, and so every
client's validator (schemathesis' among them), still wants exactly one option of a
`oneOf` to match. What the mock sends is checked the strict way, so that both accept it,
its patterns read as ECMA-262 (contract/ecma_regex.py) as theirs are.
"""

from __future__ import annotations

from jsonschema import _keywords, validators
from openapi_schema_validator import OAS30ReadValidator, OAS31Validator
from openapi_schema_validator._keywords import read_required, read_writeOnly

from .ecma_regex import pattern_keyword

StrictOAS30ReadValidator = validators.extend(
    OAS30ReadValidator,
    {
        "oneOf": _keywords.oneOf,
        "anyOf": _keywords.anyOf,
        "allOf": _keywords.allOf,
        "pattern": pattern_keyword,
    },
)
# 3.1 is JSON Schema already; only its patterns want reading as ECMA-262.
StrictOAS31Validator = validators.extend(OAS31Validator, {"pattern": pattern_keyword})
# What a 3.1 server sends: JSON Schema 2020-12 says a `writeOnly` value "is never present
# when the instance is retrieved", and clients (schemathesis) refuse one in a response and
# do not require it, as 3.0's reader does.
StrictOAS31ReadValidator = validators.extend(
    StrictOAS31Validator, {"required": read_required, "writeOnly": read_writeOnly}
)
