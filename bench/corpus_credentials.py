"""A credential for every security scheme of a document, as a schemathesis config file.

schemathesis' `[auth.openapi.<scheme>]` tables apply each scheme's credential to exactly
the operations that ask for it (in the header, query or cookie the scheme names), so a
document mixing schemes gets the right one per operation. With no tokens fixture beside
the document, ibl-mock accepts any well-formed credential.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BEARER = {"bearer": "x"}
BASIC = {"username": "corpus", "password": "corpus"}
API_KEY = {"api_key": "corpus-key"}


def credential(scheme: dict[str, Any]) -> dict[str, str] | None:
    """The schemathesis auth entry for one scheme; None for schemes nothing can satisfy
    (mutualTLS) or that are malformed."""
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("name") and scheme.get("in"):
        return API_KEY
    if kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
        return BASIC  # `basic` is Swagger 2.0's spelling
    if kind in ("http", "oauth2", "openIdConnect"):
        return BEARER  # bearer, and the other http schemes as the mock reads them
    return None


def toml_string(value: str) -> str:
    # JSON's escapes are valid in TOML basic strings as long as non-ASCII stays literal
    # (TOML has no surrogate-pair escapes).
    return json.dumps(value, ensure_ascii=False)


def config_text(schemes: dict[str, dict[str, Any]]) -> str:
    lines = ["# Written by bench/corpus.py: one credential per security scheme of the document."]
    for name, scheme in schemes.items():
        entry = credential(scheme) if isinstance(scheme, dict) else None
        if entry is None:
            continue
        lines.append(f"[auth.openapi.{toml_string(name)}]")
        lines.extend(f"{key} = {toml_string(value)}" for key, value in entry.items())
    return "\n".join(lines) + "\n"


def write_config(schemes: dict[str, dict[str, Any]], path: Path) -> Path:
    path.write_text(config_text(schemes), encoding="utf-8")
    return path
