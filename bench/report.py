"""`make bench`: every figure of the benchmarks measured in one run, written to
BENCHMARKS.md with the machine, the date and the commands (and printed).

    .venv/bin/python -m bench.report [ROUNDS] [SECONDS]
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

from bench import scale, scaleout, startup, versus
from bench.load import AUTOCANNON_VERSION
from bench.servers import PRISM_VERSION, ROOT

OUT = ROOT / "BENCHMARKS.md"
SEED = ROOT / "spec" / "seed.yaml"
WHOLE = ROOT / "spec" / "openapi.yaml"


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    memory = f"{memory_kib / 1024 / 1024:.1f} GiB"
    return f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {platform.python_version()}"


def throughput(rounds: int, seconds: int) -> list[str]:
    lines = [
        "## Throughput and latency against Prism",
        "",
        f"autocannon {AUTOCANNON_VERSION}, {versus.CONNECTIONS} connections, {seconds} s per "
        f"endpoint after a {versus.WARM_UP_SECONDS} s warm-up, the servers alternated, median "
        f"of {rounds} rounds; ibl-mock as `make run` serves it (admin key, request validation, "
        "the stateful store), Prism answering from the document. List: a user's images, "
        "`?page_size=20`; retrieve: one image. A load test asks the same request again and "
        "again: ibl-mock answers a read asked again from memory while the store is unchanged "
        "(authentication, validation and the handler answered it once and would again); "
        "`--no-answer-cache` takes every request through the whole pipeline.",
    ]
    documents = [
        ("the whole ibl API (`spec/openapi.yaml`, the default)", WHOLE),
        ("the three seed operations (`spec/seed.yaml`)", SEED),
    ]
    for title, document in documents:
        rows = versus.measure(document, rounds, seconds)
        lines += ["", f"### {title}", "", *versus.table(rows), ""]
        lines += [f"- {ratio}" for ratio in versus.ratios(rows)]
    return lines


def growth(seconds: int) -> list[str]:
    lines = [
        "## A list as its collection grows",
        "",
        "A user's images, a page of 20, with the images collection replaced through the admin "
        f"API by 100, 10,000 and 100,000 images, all of that user's; autocannon, "
        f"{scale.CONNECTIONS} connections, {seconds} s after a 2 s warm-up, one ibl-mock "
        "(`--admin --no-answer-cache`: every request filters, sorts and pages afresh, or "
        "takes what the collection remembers of it, so this is the list's own cost).",
        "",
    ]
    return lines + scale.table(scale.measure(seconds))


def beyond_one_process(seconds: int) -> list[str]:
    lines = [
        "## Workers and stores",
        "",
        "The whole ibl API, list and retrieve as above, with the store in memory (one worker: "
        "more are refused without a shared store) and in Redis (Debian's redis-server on a "
        f"local socket) with one and two workers; {seconds} s each after a warm-up. With "
        "the answer cache a read asked again costs Redis one MGET (the change counts, the "
        "store's generation among them); without it, the records it reads as well (with "
        "`--admin`, a journal entry is one script more).",
        "",
    ]
    return lines + scaleout.table(scaleout.measure(seconds))


def start_up(rounds: int) -> list[str]:
    lines = [
        "## Start-up and memory",
        "",
        "From the command to the first answer, and the resident memory of the server's "
        f"processes then; the servers alternated, median of {rounds}. A first start has "
        "ibl-mock's cache emptied (the ibl API carries its validity record and its reading).",
        "",
        "| document | server | first answer | memory |",
        "|----------|--------|--------------|--------|",
    ]
    for title, document, probe in startup.documents():
        figures = startup.measure(document, probe, rounds)
        for label, (seconds, mib) in figures.items():
            lines.append(f"| {title} | {label} | {seconds:.2f} s | {mib:.0f} MiB |")
    return lines


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    command = f".venv/bin/python -m bench.report {rounds} {seconds}"
    today = datetime.date.today().isoformat()
    lines = [
        "# Benchmarks",
        "",
        f"Measured {today} on {machine()}, with `{command}` (`make bench`), against Prism "
        f"{PRISM_VERSION}. The machine is shared: compare within a table, not across runs.",
        "",
        *throughput(rounds, seconds),
        "",
        *growth(seconds),
        "",
        *beyond_one_process(seconds),
        "",
        *start_up(rounds),
        "",
    ]
    text = "\n".join(lines)
    OUT.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
