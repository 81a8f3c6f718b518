"""Documents checked before: remembered valid, or remembered with their findings.

Checking a 10 MiB document takes seconds; a start-up with the same document (the same
content, neighbouring files included, the same validator and checks) takes none. Only
"valid" or the findings are kept, keyed by a fingerprint of the content: a document with
findings has them reported at every start all the same, placed on the lines of the text
as it is now (and those lines kept too, for the same text).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import caches
from ..json_text import canonical
from .assessment import Assessment, Checks, assess
from .diagnostics import Finding, with_lines

if TYPE_CHECKING:
    from ..settings import Conformance

# What the checks find depends on the validator and on them: changing either makes a
# document remembered as valid (or its findings) be checked again.
CHECKS_VERSION = "13"
VALIDATOR_VERSION = package_version("openapi-spec-validator") + "+ibl-mock-checks-" + CHECKS_VERSION


def check_document(document: dict[str, Any], version: str) -> Assessment:
    """Everything wrong with a (bundled) document, located: see `assessment`."""
    return assess(document, version)


def cache_dir(kind: str = "valid") -> Path:
    return caches.cache_dir(kind)


def fingerprint(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(document) + VALIDATOR_VERSION.encode()).hexdigest()


def known_valid(key: str) -> bool:
    return (cache_dir() / key).exists()


def remember_valid(key: str) -> None:
    """Note a validated document, so the next start skips the second-long validation."""
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        (cache_dir() / key).touch()
    except OSError:
        pass  # no writable cache: validate every time


def known_findings(key: str) -> tuple[str, Assessment] | None:
    """The findings of a document checked before (and the hash of the text they were
    placed on), so that they are reported again without being searched for again."""
    try:
        data = json.loads((cache_dir("findings") / key).read_text())
        return str(data["text"]), Assessment.from_json(data["assessment"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_findings(key: str, text_key: str, assessment: Assessment) -> None:
    try:
        cache_dir("findings").mkdir(parents=True, exist_ok=True)
        data = {"text": text_key, "assessment": assessment.to_json()}
        (cache_dir("findings") / key).write_text(json.dumps(data))
    except OSError:
        pass


def verdict_file(spec_path: Path) -> Path:
    """Where `ibl-mock validate --record` notes a document found valid, beside it."""
    return spec_path.with_name(spec_path.name + ".valid")


def recorded_valid(spec_path: Path | None, key: str) -> bool:
    """Whether the document was recorded valid as it is now (same content, neighbouring
    files included, same checks): the ibl API's, checked when `make contract` wrote it,
    so that even a first start skips the seconds its checks take."""
    if spec_path is None:
        return False
    try:
        return verdict_file(spec_path).read_text(encoding="utf-8").split()[0] == key
    except (OSError, IndexError, UnicodeDecodeError):
        return False


def record_valid(spec_path: Path, key: str) -> None:
    verdict_file(spec_path).write_text(key + "\n", encoding="utf-8")


# The checks left for after start-up: given a pause (called at every node of theirs), the
# whole assessment, remembered.
Later = Callable[[Callable[[], object]], Assessment]


def assessed(
    document: dict[str, Any],
    version: str,
    text: str,
    key: str,
    spec_path: Path | None = None,
    conformance: Conformance = "now",
) -> tuple[Assessment, Later | None]:
    """The document's assessment, its findings placed on the lines of `text`; from the
    cache when the same document was checked before (composing a 10 MiB file to find
    lines takes a second too, so the lines are kept, for the same text). `key` is the
    document's `fingerprint`. With `conformance` "later", the assessment served on lacks
    the conformance passes' findings, and the second value makes the whole one (and
    remembers it); with "skip", they are not made."""
    if known_valid(key) or recorded_valid(spec_path, key):
        return Assessment(), None
    cached = known_findings(key)
    if cached is not None and cached[0] == text_hash(text):
        return cached[1], None
    if cached is not None:
        return settled(cached[1], key, text), None
    if conformance == "now":
        return settled(check_document(document, version), key, text), None
    checks = Checks.of(document, version)
    partial = checks.joined([])
    partial = replace(partial, findings=tuple(with_lines(partial.findings, text)))
    if conformance == "skip":
        return partial, None

    def later(pause: Callable[[], object]) -> Assessment:
        whole = checks.joined(checks.conforming(pause))
        pause()  # placing new findings on lines composes the whole text: at one go
        return settled(whole, key, text, partial.findings)

    return partial, later


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def settled(found: Assessment, key: str, text: str, located: Sequence[Finding] = ()) -> Assessment:
    """The whole assessment located on `text` (`located`: findings placed on it already)
    and remembered for the next start."""
    if not (found.findings or found.repairs):  # a repair alone (a spelling) is kept too
        remember_valid(key)
        return found
    found = replace(found, findings=tuple(with_lines(found.findings, text, located)))
    remember_findings(key, text_hash(text), found)
    return found
