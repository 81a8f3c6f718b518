"""Start-up time and memory on a large document: ibl-mock, and Prism when installed.

    make bench      (installs Prism 5.14.2 with npm into build/prism when npm is there)

Both servers run as users run them; the figure is the time from the command to the first
answer to a request, and the resident memory of the server's processes after it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
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


def first_answer(command: list[str], url: str) -> tuple[float, float]:
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    request = urllib.request.Request(url + PROBE, headers={"Authorization": "Bearer x"})
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


def main() -> None:
    if not LARGE.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "large_spec.py"), str(LARGE)], check=True
        )
    size = LARGE.stat().st_size / 1024 / 1024
    print(f"\nstart-up on {LARGE.name}: {size:.1f} MiB, 1000 operations ({os.cpu_count()} CPUs)")
    port = free_port()
    ours = [
        str(BIN / "ibl-mock"),
        "serve",
        "--spec",
        str(LARGE),
        "--port",
        str(port),
        "--log-level",
        "error",
    ]
    seconds, mib = first_answer(ours, f"http://127.0.0.1:{port}")
    print(f"  ibl-mock     first answer after {seconds:5.2f} s, RSS {mib:4.0f} MiB")
    if PRISM.exists():
        port = free_port()
        prism = [str(PRISM), "mock", str(LARGE), "-p", str(port), "-h", "127.0.0.1"]
        seconds, mib = first_answer(prism, f"http://127.0.0.1:{port}")
        print(f"  Prism 5.14.2 first answer after {seconds:5.2f} s, RSS {mib:4.0f} MiB")
    else:
        print("  Prism: not installed (needs npm); skipped")


if __name__ == "__main__":
    main()
