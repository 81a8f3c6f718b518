"""An OpenAPI 3.0 view of a 3.1 document, for Connexion, which refuses 3.1 at load.

Connexion only routes and validates requests with it; responses are made from the
original document. Schema keywords 3.0 lacks are translated where 3.0 has an equivalent
(`type: [x, "null"]` -> `nullable`, `const` -> `enum`, numeric `exclusiveMinimum`) and
dropped where it has none, which makes request validation looser, never stricter.
"""

from __future__ import annotations

from typing import Any

DROPPED = {
    "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$comment",
    "prefixItems", "contains", "minContains", "maxContains", "dependentRequired",
    "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "if", "then", "else",
    "contentMediaType", "contentEncoding", "contentSchema", "propertyNames",
    "patternProperties", "examples",
}  # fmt: skip
# `$defs` and draft 4's `definitions` stay, translated: references point into them
# (`#/components/schemas/Bill/definitions/line/properties/rate`).
SCHEMA_MAPS = ("properties", "definitions", "$defs")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
SCHEMA_SINGLES = ("items", "additionalProperties", "not")


def schema_30(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}  # 3.0 ignores siblings of $ref
    out = {k: v for k, v in schema.items() if k not in DROPPED}
    translate_type(out)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "example" not in out and isinstance(schema.get("examples"), list) and schema["examples"]:
        out["example"] = schema["examples"][0]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(bound)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[plain], out[bound] = value, True
    for key in SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: schema_30(sub) for name, sub in out[key].items()}
    for key in SCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [schema_30(sub) for sub in out[key]]
    for key in SCHEMA_SINGLES:
        if isinstance(out.get(key), dict):
            out[key] = schema_30(out[key])
        elif key == "items" and isinstance(out.get(key), list):
            out.pop(key)
    return out


def translate_type(schema: dict[str, Any]) -> None:
    declared = schema.get("type")
    if not isinstance(declared, list) and declared != "null":
        return
    types = declared if isinstance(declared, list) else ["null"]
    real = [t for t in types if t != "null"]
    if "null" in types:
        schema["nullable"] = True
    if len(real) == 1:
        schema["type"] = real[0]
    else:
        schema.pop("type")
        if len(real) > 1:
            schema["anyOf"] = [{"type": t} for t in real]
        elif not real:
            schema["enum"] = [None]


def walk(node: Any) -> Any:
    """Every `schema` and every component schema, converted; the rest copied."""
    if isinstance(node, list):
        return [walk(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "schema":
            out[key] = schema_30(value)
        elif key == "schemas" and isinstance(value, dict):
            out[key] = {name: schema_30(sub) for name, sub in value.items()}
        else:
            out[key] = walk(value)
    return out


def document_30(document: dict[str, Any]) -> dict[str, Any]:
    if not str(document.get("openapi", "")).startswith("3.1"):
        return document
    kept = {k: v for k, v in document.items() if k not in ("webhooks", "jsonSchemaDialect")}
    out: dict[str, Any] = walk(kept)
    out["openapi"] = "3.0.3"
    out.setdefault("paths", {})
    info = out.get("info", {})
    info.pop("summary", None)
    if isinstance(info.get("license"), dict):
        info["license"].pop("identifier", None)
    out.get("components", {}).pop("pathItems", None)
    return out
