"""The servers a benchmark measures, started as users start them: ibl-mock and Prism.

A server is ready when it answers a request, whatever the status; its memory is the
resident size of its process and the processes it forked (Prism forks workers, `ibl-mock
serve --workers` too).
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRISM = ROOT / "build" / "prism" / "node_modules" / ".bin" / "prism"
PRISM_VERSION = "5.16.0"  # the Makefile's `bench` installs this one
TOKEN = "e373d34e351eb4b08a13f1dc4d27d6dd98fd0b5bed490bb7c01872507183bc43"  # jordan.lee
HEADERS = {"Authorization": f"Api-Token {TOKEN}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and its direct children."""
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


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    url: str  # http://127.0.0.1:PORT
    ready_seconds: float  # from the command to its first answer

    def rss_mib(self) -> float:
        return tree_rss_mib(self.process.pid)

    def stop(self) -> None:
        """Ctrl-C, as a user stops it; killed if it does not stop."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(
    command: list[str], port: int, probe: str, headers: Mapping[str, str] = HEADERS
) -> Running:
    """Run `command` (serving on `port`) until it answers `probe`."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(url + probe, headers=dict(headers))
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
    return Running(process, url, time.perf_counter() - began)


def ibl_mock(document: Path, port: int, *extra: str) -> list[str]:
    command = [str(BIN / "ibl-mock"), "serve", "--spec", str(document), "--port", str(port)]
    return [*command, "--log-level", "error", "--quiet", *extra]


def prism(document: Path, port: int) -> list[str]:
    return [str(PRISM), "mock", str(document), "-p", str(port), "-h", "127.0.0.1"]
