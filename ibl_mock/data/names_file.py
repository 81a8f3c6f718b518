"""`fixtures/names.yaml`: what a mock's property names call for, and the document it serves.

The file holds a vocabulary (`lists`, `names`: see `vocabulary`) and references to
fixture records (`references`: see `references`). It is read when the fixtures load, after
their records; the app hands it to its `BodyMaker`, whose fakers (bodies, seeded records,
repairs) make values in its words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..contract.spec import SpecError, read_document
from .references import Link, Reference, drawn_rules, links_from, references_from
from .store import Store
from .vocabulary import EMPTY, Rule, Vocabulary, VocabularyError, vocabulary_from

NAMES_FILE = "names.yaml"
SECTIONS = {"lists", "names", "references"}


class NamesError(ValueError):
    """What is wrong with a names file, naming the file."""


@dataclass(frozen=True)
class Names:
    vocabulary: Vocabulary = field(default=EMPTY)
    references: tuple[Reference, ...] = ()
    links: tuple[Link, ...] = ()  # the fixtures' own references, for coherent choices


NO_NAMES = Names()


def read_names(folder: Path, store: Store, options: dict[str, dict[str, Any]]) -> Names:
    """The names file of a fixtures folder (none: NO_NAMES), with the fixture records of
    `store` it refers to; `options` are the fixture files' options (their `references`)."""
    path = folder / NAMES_FILE
    if not path.exists():
        return NO_NAMES
    stat = path.stat()
    data, rules = parsed(path, stat.st_mtime_ns, stat.st_size)
    try:
        references = references_from(data.get("references"), store)
    except VocabularyError as exc:
        raise NamesError(f"{path}: {exc}") from None
    # Names that refer to fixture records draw from them wherever a value is made.
    vocabulary = Vocabulary([*drawn_rules(references, store), *rules])
    return Names(vocabulary, references, links_from(options))


@functools.lru_cache(maxsize=32)
def parsed(path: Path, _mtime_ns: int, _size: int) -> tuple[dict[str, Any], tuple[Rule, ...]]:
    """The file's data and rules, read again only when it changes (a reset reloads the
    fixtures before every test of a suite using the pytest plugin)."""
    try:
        data = read_document(path)
    except SpecError as exc:
        raise NamesError(str(exc)) from exc
    unknown = ", ".join(sorted(set(data) - SECTIONS))
    if unknown:
        known = ", ".join(sorted(SECTIONS))
        raise NamesError(f"{path}: unknown section(s) {unknown}; known: {known}")
    try:
        return data, tuple(vocabulary_from(data))
    except VocabularyError as exc:
        raise NamesError(f"{path}: {exc}") from None
