"""The corpus harness' reading of one document's check (bench/corpus_document.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.corpus_document import Result, cause
from bench.corpus_serve import Server


def test_a_document_over_the_budget_says_how_busy_the_server_was() -> None:
    result = Result("x", started=True, timeout=True, server_cpu=12.4, runs=[])
    assert cause(result) == "over the budget; the server was busy 12 s of it"


def test_a_failure_outranks_the_budget_as_the_cause() -> None:
    run = {
        "mode": "positive",
        "first_by_check": {"status_code_conformance": "GET / -> 418"},
        "first_error": "",
        "auth_rejected": [],
    }
    result = Result("x", started=True, timeout=True, server_cpu=3.0, runs=[run])
    assert cause(result) == "GET / -> 418"


def test_the_cpu_time_of_a_running_server_is_read(tmp_path: Path) -> None:
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
    process = subprocess.Popen([sys.executable, "-c", busy + "time.sleep(30)"])
    server = Server(process, tmp_path / "out", tmp_path / "err")
    try:
        for _ in range(100):  # until the busy loop is done
            used = server.cpu_seconds()
            if used is not None and used >= 0.3:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert used is not None and 0.3 <= used < 5
    finally:
        server.stop()
    assert server.cpu_seconds() is None  # gone: nothing to read
