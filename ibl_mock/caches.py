"""Where ibl-mock keeps what it remembers between starts (`$XDG_CACHE_HOME/ibl-mock`)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ibl-mock" / kind
