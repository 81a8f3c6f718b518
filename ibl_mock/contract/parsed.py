"""Large YAML texts parsed before, remembered as JSON.

PyYAML builds a 2 MB document (the whole ibl API) in about two seconds, even with
libyaml; JSON reads the same data in a few hundredths. The JSON is keyed by a hash of the
text, so an edited file is parsed again; data JSON cannot hold (YAML's binary, say) is
simply not remembered, and a cache that cannot be written is no error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..caches import cache_dir

# Below this size parsing costs less than reading the cache would save.
WORTH_REMEMBERING = 256 * 1024
# Bumped when the YAML reading changes (DocumentLoader), so old readings are not reused.
READING_VERSION = "1"


def parsed_yaml(text: str, parse: Callable[[str], Any], source: Path | None = None) -> Any:
    """`parse(text)`, or what it gave for the same text before: recorded beside `source`,
    or remembered in the cache."""
    if len(text) < WORTH_REMEMBERING:
        return parse(text)
    key = text_key(text)
    if source is not None and (recorded := read_record(reading_file(source), key)) is not None:
        return recorded
    place = cache_dir("parsed") / f"{key}.json"
    try:
        return json.loads(place.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = parse(text)
    remember(place, data)
    return data


def text_key(text: str) -> str:
    return hashlib.sha256((READING_VERSION + text).encode("utf-8", "surrogatepass")).hexdigest()


def reading_file(source: Path) -> Path:
    """Where a document's recorded reading lives: beside it."""
    return source.with_name(source.name + ".parsed")


def read_record(place: Path, key: str) -> Any:
    """The reading recorded at `place` if it was made from the text `key` names: the key on
    the first line, the JSON after it; None when absent, stale or unreadable."""
    try:
        with place.open(encoding="utf-8") as file:
            if file.readline().strip() != key:
                return None
            return json.loads(file.read())
    except (OSError, ValueError):
        return None


def record_reading(source: Path, text: str, data: Any) -> Path | None:
    """Write `data`, the reading of `text`, beside `source`; None when the text is too small
    to be worth it or the data is not JSON (nothing written, a stale record removed)."""
    place = reading_file(source)
    written = as_json(data) if len(text) >= WORTH_REMEMBERING else None
    if written is None:
        place.unlink(missing_ok=True)
        return None
    place.write_text(text_key(text) + "\n" + written + "\n", encoding="utf-8")
    return place


def as_json(data: Any) -> str | None:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def remember(place: Path, data: Any) -> None:
    written = as_json(data)
    if written is None:
        return  # not JSON data: parsed every time
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = place.with_suffix(".part")
        partial.write_text(written, encoding="utf-8")
        partial.replace(place)  # whole or absent, even with two starts at once
    except OSError:
        pass
