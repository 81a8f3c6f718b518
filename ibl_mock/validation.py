"""Request parameter validation: Connexion's rules, compiled once, one-line errors.

Connexion's own ParameterValidator deep-copies the parameter and builds a new JSON Schema
validator for every parameter of every request, and reports a multi-line jsonschema dump.
This one compiles each parameter's validator when the operation is set up and answers
`Query parameter 'page': 'abc' is not of type 'integer'`.
"""

from __future__ import annotations

from typing import Any

from connexion.utils import is_null, is_nullable
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

MAX_MESSAGE = 200  # a 100 kB value must not come back whole in the error body


class CompiledParameterValidator(ParameterValidator):
    def __init__(self, parameters: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(parameters, *args, **kwargs)
        self._schemas = {
            (p["in"], p["name"]): Draft4Validator(
                p.get("schema", {}), format_checker=Draft4Validator.FORMAT_CHECKER
            )
            for p in parameters
        }

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
        error = best_match(validator.iter_errors(value))
        if error is None:
            return None
        return f"{parameter_type.capitalize()} parameter '{name}': {shorten(error.message)}"


def shorten(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
