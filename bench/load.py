"""Load from autocannon (npm; `make bench` installs it into build/autocannon): requests
per second and latency percentiles of keep-alive HTTP/1.1 connections to one URL."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from bench.servers import ROOT

AUTOCANNON = ROOT / "build" / "autocannon" / "node_modules" / ".bin" / "autocannon"
AUTOCANNON_VERSION = "8.0.0"  # the Makefile's `bench` installs this one


@dataclass(frozen=True)
class Load:
    rps: float  # mean requests answered per second
    p50_ms: float
    p99_ms: float
    non_2xx: int  # answers that were not 2xx: a benchmark of errors measures nothing
    errors: int  # connection errors and timeouts


def autocannon(
    url: str, seconds: int, connections: int, headers: Mapping[str, str], method: str = "GET"
) -> Load:
    command = [str(AUTOCANNON), "-j", "-d", str(seconds), "-c", str(connections), "-m", method]
    for name, value in headers.items():
        command += ["-H", f"{name}={value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    report = json.loads(done.stdout)
    return Load(
        rps=float(report["requests"]["average"]),
        p50_ms=float(report["latency"]["p50"]),
        p99_ms=float(report["latency"]["p99"]),
        non_2xx=int(report["non2xx"]),
        errors=int(report["errors"]) + int(report["timeouts"]),
    )
