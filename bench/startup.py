"""Start-up time and memory on a large document: ibl-mock, and Prism when installed.

    make bench      (installs Prism 5.16.0 with npm into build/prism when npm is there)

Both servers run as users run them; the figure is the time from the command to the first
answer to a request, and the resident memory of the server's processes after it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRISM = ROOT / "build" / "prism" / "node_modules" / ".bin" / "prism"
LARGE = ROOT / "build" / "large.json"
PROBE = "/api/things0007/1/"
IBL_PROBE = "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"
PRISM_VERSION = "5.16.0"  # the Makefile's `bench` installs this one
# The servers measured remember into a cache of the benchmark's own, emptied for a first
# start; the user's ~/.cache/ibl-mock is left alone.
BENCH_CACHE = ROOT / "build" / "bench-cache"
CACHE = BENCH_CACHE / "ibl-mock"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and its direct children (Prism forks workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().split()[3])
            if int(entry.name) == pid or parent == pid:
                status = (entry / "status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return total / 1024


def first_answer(command: list[str], url: str, probe: str) -> tuple[float, float]:
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    request = urllib.request.Request(url + probe, headers={"Authorization": "Bearer x"})
    try:
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
                break
            except urllib.error.HTTPError:
                break  # an HTTP answer, whatever its status, means the server is serving
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited with {process.returncode}") from None
                time.sleep(0.05)
        return time.perf_counter() - began, tree_rss_mib(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def ours(document: Path, port: int) -> list[str]:
    command = [str(BIN / "ibl-mock"), "serve", "--spec", str(document), "--port", str(port)]
    return [*command, "--log-level", "error"]


def prism(document: Path, port: int) -> list[str]:
    return [str(PRISM), "mock", str(document), "-p", str(port), "-h", "127.0.0.1"]


def forget_everything() -> None:
    """A first start: nothing of an earlier one remembered (validity, parsed YAML)."""
    shutil.rmtree(CACHE, ignore_errors=True)


def measure(title: str, document: Path, probe: str, rounds: int) -> None:
    """Alternating the servers (A B A B), the median of `rounds` each: a first start of
    ibl-mock (its cache emptied), a later one, and Prism."""
    print(f"\n{title} ({os.cpu_count()} CPUs, median of {rounds})")
    found: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "prism": []}
    for _ in range(rounds):
        forget_everything()
        port = free_port()
        found["cold"].append(first_answer(ours(document, port), f"http://127.0.0.1:{port}", probe))
        port = free_port()
        found["warm"].append(first_answer(ours(document, port), f"http://127.0.0.1:{port}", probe))
        if PRISM.exists():
            port = free_port()
            answer = first_answer(prism(document, port), f"http://127.0.0.1:{port}", probe)
            found["prism"].append(answer)
    names = {
        "cold": "ibl-mock, first start",
        "warm": "ibl-mock, again",
        "prism": f"Prism {PRISM_VERSION}",
    }
    for key, label in names.items():
        if not found[key]:
            print(f"  {label:24} not installed (needs npm); skipped")
            continue
        seconds = statistics.median(s for s, _ in found[key])
        mib = statistics.median(m for _, m in found[key])
        print(f"  {label:24} first answer after {seconds:5.2f} s, RSS {mib:4.0f} MiB")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    os.environ["XDG_CACHE_HOME"] = str(BENCH_CACHE)  # inherited by the servers
    if not LARGE.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "large_spec.py"), str(LARGE)], check=True
        )
    size = LARGE.stat().st_size / 1024 / 1024
    measure(f"start-up on {LARGE.name}: {size:.1f} MiB, 1000 operations", LARGE, PROBE, rounds)
    whole = ROOT / "spec" / "openapi.yaml"
    size = whole.stat().st_size / 1024 / 1024
    title = f"start-up on the whole ibl API (spec/openapi.yaml): {size:.1f} MiB"
    measure(title, whole, IBL_PROBE, rounds)


if __name__ == "__main__":
    main()
