"""Start-up time, memory and request throughput of `ibl-mock serve`, per Connexion app type
(how AsyncApp was chosen; `make bench` measures against Prism, see bench/report.py).

Each server runs in its own process, as users run it; the load comes from keep-alive
HTTP/1.1 connections in threads of this process. Prints numbers; asserts nothing.

    .venv/bin/python bench/throughput.py    # both app types, 10 s of load per endpoint
    .venv/bin/python bench/throughput.py --seconds 3 --apps flask
    .venv/bin/python bench/throughput.py --apps async --admin   # with the request journal
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
TOKEN = "e373d34e351eb4b08a13f1dc4d27d6dd98fd0b5bed490bb7c01872507183bc43"
ENDPOINTS = {
    "list": "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/?page_size=10",
    "retrieve": "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/1/",
    "401": "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/?no-token",
}


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    startup_seconds: float


def start(app: str, extra: tuple[str, ...] = ()) -> Served:
    began = time.perf_counter()
    process = subprocess.Popen(
        [
            str(BIN / "ibl-mock"),
            "serve",
            "--app",
            app,
            "--port",
            "0",
            "--log-level",
            "error",
            "--quiet",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"URL:\s+http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return Served(process, int(found.group(1)), time.perf_counter() - began)
    raise RuntimeError(f"{app} server did not start")


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kib = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
    return kib / 1024


def load(port: int, path: str, seconds: float, connections: int) -> tuple[int, list[float]]:
    """Requests completed and their latencies, from `connections` keep-alive clients."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    stop = time.perf_counter() + seconds
    headers = {} if "no-token" in path else {"Authorization": f"Api-Token {TOKEN}"}

    def client(mine: list[float]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - began)
        conn.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = [x for mine in latencies for x in mine]
    return len(merged), merged


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench(app: str, seconds: float, connections: int, extra: tuple[str, ...] = ()) -> None:
    served = start(app, extra)
    try:
        load(served.port, ENDPOINTS["list"], 1.0, connections)  # warm-up
        print(
            f"\n{app}: start-up {served.startup_seconds:.2f} s, "
            f"RSS after warm-up {rss_mib(served.process.pid):.0f} MiB"
        )
        for name, path in ENDPOINTS.items():
            count, latencies = load(served.port, path, seconds, connections)
            print(
                f"  {name:<9} {count / seconds:8.0f} req/s   "
                f"p50 {1000 * statistics.median(latencies):6.2f} ms   "
                f"p99 {1000 * percentile(latencies, 0.99):6.2f} ms   ({count} requests)"
            )
    finally:
        served.process.send_signal(signal.SIGINT)
        served.process.communicate(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--apps", default="flask,async")
    parser.add_argument(
        "--admin", action="store_true", help="serve the admin API too (requests journaled)"
    )
    args = parser.parse_args()
    print(
        f"ibl-mock benchmark: {args.connections} keep-alive connections, "
        f"{args.seconds:.0f} s per endpoint, {os.cpu_count()} CPUs"
    )
    for app in args.apps.split(","):
        bench(app, args.seconds, args.connections, ("--admin",) if args.admin else ())


if __name__ == "__main__":
    main()
