"""Throughput and latency of ibl-mock and Prism serving the same document, side by side.

The servers alternate (A B A B: one round starts each in turn), since the machine is
shared and noisy; each figure is the median of the rounds. ibl-mock runs as `make run`
serves (authentication, request validation and the stateful store on); Prism answers
from the document.

    .venv/bin/python -m bench.versus [ROUNDS] [SECONDS]
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.load import AUTOCANNON, Load, autocannon
from bench.servers import HEADERS, PRISM, PRISM_VERSION, ROOT, free_port, ibl_mock, prism, start

IMAGES = "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"
ENDPOINTS = {"list": IMAGES + "?page_size=20", "retrieve": IMAGES + "1/"}
CONNECTIONS = 10
WARM_UP_SECONDS = 2
UNCACHED = "ibl-mock --no-answer-cache"  # every request through the whole pipeline


@dataclass(frozen=True)
class Row:
    endpoint: str
    server: str
    load: Load  # the median round's figures, each the median of its own


def serve_and_load(command: Callable[[int], list[str]], seconds: int) -> dict[str, Load]:
    """One round: the server started, warmed up, and each endpoint loaded in turn."""
    port = free_port()
    running = start(command(port), port, IMAGES)
    try:
        for path in ENDPOINTS.values():
            autocannon(running.url + path, WARM_UP_SECONDS, CONNECTIONS, HEADERS)
        return {
            name: autocannon(running.url + path, seconds, CONNECTIONS, HEADERS)
            for name, path in ENDPOINTS.items()
        }
    finally:
        running.stop()


def median_load(loads: list[Load]) -> Load:
    return Load(
        rps=statistics.median(one.rps for one in loads),
        p50_ms=statistics.median(one.p50_ms for one in loads),
        p99_ms=statistics.median(one.p99_ms for one in loads),
        non_2xx=max(one.non_2xx for one in loads),
        errors=max(one.errors for one in loads),
    )


def measure(document: Path, rounds: int, seconds: int) -> list[Row]:
    servers: dict[str, Callable[[int], list[str]]] = {
        "ibl-mock": lambda port: ibl_mock(document, port),
        UNCACHED: lambda port: ibl_mock(document, port, "--no-answer-cache"),
    }
    if PRISM.exists():
        servers[f"Prism {PRISM_VERSION}"] = lambda port: prism(document, port)
    runs: dict[str, list[dict[str, Load]]] = {name: [] for name in servers}
    for _ in range(rounds):
        for name, command in servers.items():
            runs[name].append(serve_and_load(command, seconds))
    return [
        Row(endpoint, name, median_load([run[endpoint] for run in runs[name]]))
        for endpoint in ENDPOINTS
        for name in servers
    ]


def table(rows: list[Row]) -> list[str]:
    """Markdown rows: each server's figures, and ibl-mock's ratio to the server before it."""
    lines = [
        "| endpoint | server | req/s | p50 | p99 | not 2xx |",
        "|----------|--------|-------|-----|-----|---------|",
    ]
    for row in rows:
        load = row.load
        lines.append(
            f"| {row.endpoint} | {row.server} | {load.rps:,.0f} | {load.p50_ms:.0f} ms "
            f"| {load.p99_ms:.0f} ms | {load.non_2xx + load.errors} |"
        )
    return lines


def ratios(rows: list[Row]) -> list[str]:
    """Each ibl-mock's requests per second and p99 against Prism's, per endpoint."""
    found = []
    for endpoint in ENDPOINTS:
        here = {r.server: r.load for r in rows if r.endpoint == endpoint}
        prism_load = next((load for name, load in here.items() if name.startswith("Prism")), None)
        if prism_load is None or not prism_load.rps:
            continue
        for name in ("ibl-mock", UNCACHED):
            if name in here:
                mine = here[name]
                found.append(
                    f"{endpoint}, {name}: {mine.rps / prism_load.rps:.2f}x Prism's requests per "
                    f"second, p99 {mine.p99_ms:.0f} ms against {prism_load.p99_ms:.0f} ms"
                )
    return found


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    if not AUTOCANNON.exists():
        sys.exit("autocannon is not installed: `make bench` installs it (npm)")
    rows = measure(ROOT / "spec" / "openapi.yaml", rounds, seconds)
    print("\n".join([*table(rows), "", *ratios(rows)]))


if __name__ == "__main__":
    main()
