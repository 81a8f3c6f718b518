"""Beyond one process: list and retrieve with the store in memory (one worker: more are
refused without a shared store) and in Redis with one and two workers.

    .venv/bin/python -m bench.scaleout [SECONDS]

Redis is Debian's redis-server, started here on a socket of its own and stopped after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bench.load import AUTOCANNON, Load, autocannon
from bench.servers import HEADERS, ROOT, free_port, ibl_mock, start
from bench.versus import CONNECTIONS, ENDPOINTS, IMAGES, WARM_UP_SECONDS

REDIS_DIR = ROOT / "build" / "bench-redis"
SETUPS = {  # label -> (workers, shared store, answer cache)
    "in memory, 1 worker": (1, False, True),
    "Redis, 1 worker": (1, True, True),
    "Redis, 2 workers": (2, True, True),
    "in memory, 1 worker, --no-answer-cache": (1, False, False),
    "Redis, 1 worker, --no-answer-cache": (1, True, False),
    "Redis, 2 workers, --no-answer-cache": (2, True, False),
}


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis of the benchmark's own, on a socket; its URL."""
    shutil.rmtree(REDIS_DIR, ignore_errors=True)
    REDIS_DIR.mkdir(parents=True)
    socket = REDIS_DIR / "redis.sock"
    process = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket), "--save", "",
         "--appendonly", "no", "--dir", str(REDIS_DIR)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(seconds: int) -> dict[str, dict[str, Load]]:
    document = ROOT / "spec" / "openapi.yaml"
    found: dict[str, dict[str, Load]] = {}
    with redis_server() as url:
        for label, (workers, shared, cached) in SETUPS.items():
            extra = ["--workers", str(workers), *(() if cached else ("--no-answer-cache",))]
            if shared:
                extra += ["--store", url, "--store-namespace", f"bench-{workers}"]
            port = free_port()
            running = start(ibl_mock(document, port, *extra), port, IMAGES)
            try:
                for path in ENDPOINTS.values():
                    autocannon(running.url + path, WARM_UP_SECONDS, CONNECTIONS, HEADERS)
                found[label] = {
                    name: autocannon(running.url + path, seconds, CONNECTIONS, HEADERS)
                    for name, path in ENDPOINTS.items()
                }
            finally:
                running.stop()
    return found


def table(found: dict[str, dict[str, Load]]) -> list[str]:
    lines = [
        "| setup | list req/s | list p50 / p99 | retrieve req/s | retrieve p50 / p99 |",
        "|-------|------------|----------------|----------------|--------------------|",
    ]
    for label, loads in found.items():
        listed, one = loads["list"], loads["retrieve"]
        lines.append(
            f"| {label} | {listed.rps:,.0f} | {listed.p50_ms:.0f} / {listed.p99_ms:.0f} ms "
            f"| {one.rps:,.0f} | {one.p50_ms:.0f} / {one.p99_ms:.0f} ms |"
        )
    return lines


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    if not AUTOCANNON.exists():
        sys.exit("autocannon is not installed: `make bench` installs it (npm)")
    print("\n".join(table(measure(seconds))))


if __name__ == "__main__":
    main()
