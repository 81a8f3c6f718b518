"""Write a large OpenAPI document: N resources x 5 CRUD operations, padded to a size.

.venv/bin/python bench/large_spec.py build/large.json --resources 200 --mib 10
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

FIELD_TYPES: list[dict[str, Any]] = [
    {"type": "string", "maxLength": 200},
    {"type": "integer", "minimum": 0},
    {"type": "string", "format": "date-time"},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "string", "enum": ["draft", "active", "archived"]},
]


def resource_schema(index: int, fields: int, padding: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": {"type": "integer", "readOnly": True}}
    for n in range(fields):
        properties[f"field_{n}"] = {**FIELD_TYPES[n % len(FIELD_TYPES)], "description": padding}
    return {"type": "object", "required": ["id"], "properties": properties}


def operations(name: str, schema_ref: str) -> dict[str, Any]:
    ref = {"$ref": schema_ref}
    page = {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True},
            "previous": {"type": "string", "nullable": True},
            "results": {"type": "array", "items": ref},
        },
    }
    body = {"required": True, "content": {"application/json": {"schema": ref}}}

    def ok(schema: Any, status: str = "200") -> dict[str, Any]:
        return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}

    missing = {"404": {"description": "not found"}}
    item_id = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return {
        f"/api/{name}/": {
            "get": {"operationId": f"{name}_list", "responses": ok(page)},
            "post": {
                "operationId": f"{name}_create",
                "requestBody": body,
                "responses": ok(ref, "201"),
            },
        },
        f"/api/{name}/{{id}}/": {
            "parameters": item_id,
            "get": {"operationId": f"{name}_retrieve", "responses": {**ok(ref), **missing}},
            "put": {
                "operationId": f"{name}_update",
                "requestBody": body,
                "responses": {**ok(ref), **missing},
            },
            "delete": {
                "operationId": f"{name}_destroy",
                "responses": {"204": {"description": "gone"}, **missing},
            },
        },
    }


def build(resources: int, mib: float) -> dict[str, Any]:
    fields = 30
    padding_length = max(0, int(mib * 1024 * 1024 / (resources * fields)) - 120)
    padding = ("Describes this field for the large-document benchmark. " * 50)[:padding_length]
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "large benchmark API", "version": "1"},
        "paths": {},
        "components": {"schemas": {}},
    }
    for index in range(resources):
        name = f"things{index:04d}"
        document["components"]["schemas"][f"Thing{index:04d}"] = resource_schema(
            index, fields, padding
        )
        document["paths"].update(operations(name, f"#/components/schemas/Thing{index:04d}"))
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=200)
    parser.add_argument("--mib", type=float, default=10.0)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(build(args.resources, args.mib)))
    print(
        f"{args.out}: {args.out.stat().st_size / 1024 / 1024:.1f} MiB, "
        f"{args.resources * 5} operations"
    )


if __name__ == "__main__":
    main()
