"""Start-up time and memory on a large document: ibl-mock, and Prism when installed.

    make bench      (installs Prism 5.16.0 with npm into build/prism when npm is there)

Both servers run as users run them; the figure is the time from the command to the first
answer to a request, and the resident memory of the server's processes after it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.servers import PRISM, PRISM_VERSION, ROOT, free_port, ibl_mock, prism, start

LARGE = ROOT / "build" / "large.json"
PROBE = "/api/things0007/1/"
IBL_PROBE = "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"
# The servers measured remember into a cache of the benchmark's own, emptied for a first
# start; the user's ~/.cache/ibl-mock is left alone.
BENCH_CACHE = ROOT / "build" / "bench-cache"
CACHE = BENCH_CACHE / "ibl-mock"
VERDICTS = ("valid", "findings")  # what a document checked leaves in the cache
LABELS = {
    "cold": "ibl-mock, first start",
    "warm": "ibl-mock, again",
    "prism": f"Prism {PRISM_VERSION}",
}
Figures = dict[str, tuple[float, float]]  # label -> (seconds to the first answer, MiB)


def first_answer(
    command: list[str], port: int, probe: str, remembered: bool = False
) -> tuple[float, float]:
    """Seconds to the first answer and MiB then; `remembered`: stopped only once the
    server has remembered the document checked (its conformance passes run after it
    answers), so that the next start is a later one."""
    running = start(command, port, probe)
    try:
        figures = running.ready_seconds, running.rss_mib()
        deadline = time.monotonic() + 60
        while remembered and not checked_before() and time.monotonic() < deadline:
            time.sleep(0.1)
        return figures
    finally:
        running.stop()


def checked_before() -> bool:
    return any(any(kind.iterdir()) for kind in CACHE.glob("*") if kind.name in VERDICTS)


def forget_everything() -> None:
    """A first start: nothing of an earlier one remembered (validity, parsed YAML)."""
    shutil.rmtree(CACHE, ignore_errors=True)


def measure(document: Path, probe: str, rounds: int) -> Figures:
    """Alternating the servers (A B A B), the median of `rounds` each: a first start of
    ibl-mock (its cache emptied), a later one, and Prism (when installed)."""
    os.environ["XDG_CACHE_HOME"] = str(BENCH_CACHE)  # inherited by the servers
    found: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "prism": []}
    for _ in range(rounds):
        forget_everything()
        port = free_port()
        recorded = document.with_name(document.name + ".valid").exists()  # never checked
        found["cold"].append(first_answer(ibl_mock(document, port), port, probe, not recorded))
        port = free_port()
        found["warm"].append(first_answer(ibl_mock(document, port), port, probe))
        if PRISM.exists():
            port = free_port()
            found["prism"].append(first_answer(prism(document, port), port, probe))
    return {
        LABELS[key]: (statistics.median(s for s, _ in runs), statistics.median(m for _, m in runs))
        for key, runs in found.items()
        if runs
    }


def documents() -> list[tuple[str, Path, str]]:
    """(title, document, probe) of each document measured; the large one written first."""
    if not LARGE.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "large_spec.py"), str(LARGE)], check=True
        )
    whole = ROOT / "spec" / "openapi.yaml"
    return [
        (f"{LARGE.name}: {mib(LARGE):.1f} MiB, 1,000 operations", LARGE, PROBE),
        (f"the whole ibl API (spec/openapi.yaml): {mib(whole):.1f} MiB", whole, IBL_PROBE),
    ]


def mib(path: Path) -> float:
    return path.stat().st_size / 1024 / 1024


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for title, document, probe in documents():
        print(f"\nstart-up on {title} ({os.cpu_count()} CPUs, median of {rounds})")
        figures = measure(document, probe, rounds)
        for label in LABELS.values():
            if label not in figures:
                print(f"  {label:24} not installed (needs npm); skipped")
                continue
            seconds, memory = figures[label]
            print(f"  {label:24} first answer after {seconds:5.2f} s, RSS {memory:4.0f} MiB")


if __name__ == "__main__":
    main()
