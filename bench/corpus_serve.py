"""One `ibl-mock serve` per document: started as a user starts it, stopped by its pid.

`--port 0` lets the OS pick a free port (no race between parallel documents) and the
banner says which; the server's stdout and stderr go to files in the document's log
folder, so its tracebacks can be read after the run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"^\s*URL:\s+(http://\S+?)/?\s*$", re.MULTILINE)
TRACEBACK = "Traceback (most recent call last):"
FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)')


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    out: Path
    err: Path
    url: str | None = None  # the base URL, once the banner has said it
    start_error: str = ""

    def cpu_seconds(self) -> float | None:
        """The CPU time the server has used so far (Linux's /proc; None elsewhere): set
        beside the wall time, it says whether a document over the budget waited on the
        server or on schemathesis."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        user, system = int(fields[11]), int(fields[12])  # utime, stime: fields 14, 15
        return round((user + system) / os.sysconf("SC_CLK_TCK"), 1)

    def stop(self) -> int | None:
        """SIGTERM by pid (a clean stop, as Ctrl-C; unlike SIGINT it is not ignored in
        servers started from a background shell job); SIGKILL if it does not stop in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start(spec: Path, logs: Path, deadline: float) -> Server:
    """Serve `spec`; return once the banner names the URL, the server exits, or the
    deadline passes (then `url` is None and `start_error` says why)."""
    out, err = logs / "server.out", logs / "server.err"
    command = [str(BIN / "ibl-mock"), "serve", "--spec", str(spec), "--port", "0", "--quiet"]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    server = Server(process, out, err)
    while time.monotonic() < deadline:
        found = URL.search(out.read_text(errors="replace"))
        if found:
            server.url = found.group(1)
            return server
        if process.poll() is not None:
            server.start_error = start_error(err.read_text(errors="replace"), spec)
            return server
        time.sleep(0.1)
    server.start_error = "did not start within the budget"
    return server


def start_error(stderr: str, spec: Path) -> str:
    """The first line saying why: ibl-mock's own `ibl-mock: ...` line, else the last line of
    a traceback; the document's path is left out (the id names it)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("ibl-mock:")]
    line = ours[0] if ours else (lines[-1] if lines else "exited without a word")
    return line.removeprefix("ibl-mock:").replace(f"{spec}: ", "").replace(str(spec), "DOC").strip()


def tracebacks(stderr: str) -> list[str]:
    """Each traceback the server logged, as one line: the exception, the innermost frame,
    and the innermost frame of ibl-mock's own code when that is another one (`KeyError: 'x'
    @ starlette/datastructures.py:565 __getitem__ via ibl_mock/validation.py:335 _parse`)."""
    found: list[str] = []
    frames: list[str] = []
    inside = False
    for line in stderr.splitlines():
        if line.startswith(TRACEBACK):
            inside, frames = True, []
        elif inside and (match := FRAME.match(line)):
            frames.append(f"{short_path(match.group(1))}:{match.group(2)} {match.group(3)}")
        elif inside and line and not line.startswith(" "):
            inside = False
            found.append(summary(line.strip(), frames))
    return found


def summary(exception: str, frames: list[str]) -> str:
    if not frames:
        return exception
    ours = [frame for frame in frames if frame.startswith("ibl_mock/")]
    via = f" via {ours[-1]}" if ours and ours[-1] != frames[-1] else ""
    return f"{exception} @ {frames[-1]}{via}"


def short_path(path: str) -> str:
    for marker in ("site-packages/", f"{ROOT}/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path
