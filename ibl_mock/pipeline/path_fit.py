"""Whether a path value fits a path parameter's definition.

Templates that differ only in their parameters' names (`/Attachments/{AttachmentID}` and
`/Attachments/{FileName}`) are one path to a router; contract/keyed_paths sends a request
to the template whose parameters its values fit, judged here as validation judges them.
"""

from __future__ import annotations

from typing import Any

from ..contract.keyed_paths import Fits
from ..contract.refs import RefError, deref
from ..identity_cache import IdentityCache
from .coercion import Schemas, parameter_schema
from .keywords import LENIENT_PARAMETER_VALIDATOR, REQUEST_FORMATS


def path_fits(document: dict[str, Any]) -> Fits:
    """A judge of path values for `document`'s path parameters (as the document defines
    them: their `$ref`s resolve in it)."""
    schemas = Schemas(document)
    validators: IdentityCache[Any] = IdentityCache(limit=2_000)

    def validator_of(parameter: dict[str, Any]) -> Any:
        try:
            schema = deref(document, parameter_schema(parameter))
        except RefError:
            schema = {}  # reported at load; it narrows nothing
        if not isinstance(schema, dict):
            schema = {}
        # Nested `$ref`s resolve against the root: the document's components beside it.
        rooted = {**schema, "components": document.get("components") or {}}
        return LENIENT_PARAMETER_VALIDATOR(rooted, format_checker=REQUEST_FORMATS)

    def fits(parameter: dict[str, Any], text: str) -> bool:
        validator = validators.get(parameter, lambda: validator_of(parameter))
        return bool(validator.is_valid(schemas.typed(text, parameter_schema(parameter))))

    return fits
