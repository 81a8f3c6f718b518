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


def parsed_yaml(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, or what it gave for the same text before."""
    if len(text) < WORTH_REMEMBERING:
        return parse(text)
    key = hashlib.sha256((READING_VERSION + text).encode("utf-8", "surrogatepass")).hexdigest()
    place = cache_dir("parsed") / f"{key}.json"
    try:
        return json.loads(place.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = parse(text)
    remember(place, data)
    return data


def remember(place: Path, data: Any) -> None:
    try:
        written = json.dumps(data, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        return  # not JSON data: parsed every time
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = place.with_suffix(".part")
        partial.write_text(written, encoding="utf-8")
        partial.replace(place)  # whole or absent, even with two starts at once
    except OSError:
        pass
