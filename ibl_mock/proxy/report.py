"""What the proxy saw break the contract, kept for `/__mock__/report` and `--report`:
each exchange with violations (or answered by the mock), with the request (credentials
masked) to reproduce it, as JSON or as JUnit XML (a test case per operation, a failure
per violation) for CI."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from .conformance import Violation

MAX_KEPT = 10_000  # exchanges with violations kept; the counts go on


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # masked
    operation_id: str | None
    status: int | None  # None: no one answered
    violations: tuple[Violation, ...]
    answered_by: str = "upstream"  # or "mock" (`--fallback mock`)
    body: Any = None  # the request body, to reproduce it (`forwarding.reported_body`)

    @property
    def name(self) -> str:
        """What the report files it under: its operation; undocumented paths per method
        (callers choose paths without end)."""
        return self.operation_id or f"{self.method} (undocumented)"

    def as_json(self) -> dict[str, Any]:
        target = self.path + (f"?{self.query}" if self.query else "")
        return {
            "operation_id": self.operation_id,
            "request": {
                "method": self.method,
                "target": target,
                "headers": self.headers,
                "body": self.body,
            },
            "status": self.status,
            "answered_by": self.answered_by,
            "violations": [v.as_json() for v in self.violations],
        }


@dataclass
class Report:
    exchanges: int = 0
    kept: list[Exchange] = field(default_factory=list)
    operations: dict[str, int] = field(default_factory=dict)  # operation -> exchanges seen
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, exchange: Exchange) -> None:
        name = exchange.name
        with self._lock:
            self.exchanges += 1
            self.operations[name] = self.operations.get(name, 0) + 1
            if self.worth_keeping(exchange) and len(self.kept) < MAX_KEPT:
                self.kept.append(exchange)

    @staticmethod
    def worth_keeping(exchange: Exchange) -> bool:
        return bool(exchange.violations) or exchange.answered_by != "upstream"

    def as_json(self) -> dict[str, Any]:
        with self._lock:
            kept = list(self.kept)
            return {
                "exchanges": self.exchanges,
                "with_violations": sum(1 for e in kept if e.violations),
                "violations": sum(len(e.violations) for e in kept),
                "answered_by_mock": sum(1 for e in kept if e.answered_by == "mock"),
                "entries": [e.as_json() for e in kept],
            }

    def junit(self) -> str:
        """JUnit XML: a test case per operation seen, failing with its violations."""
        with self._lock:
            operations = dict(self.operations)
            kept = list(self.kept)
        by_operation: dict[str, list[Exchange]] = {}
        for exchange in (e for e in kept if e.violations):
            by_operation.setdefault(exchange.name, []).append(exchange)
        suite = ElementTree.Element(
            "testsuite",
            name="ibl-mock proxy: contract",
            tests=str(len(operations)),
            failures=str(len(by_operation)),
        )
        for name in sorted(operations):
            case = ElementTree.SubElement(suite, "testcase", classname="contract", name=name)
            broken = by_operation.get(name)
            if broken:
                lines = [
                    f"{e.method} {e.path}{'?' + e.query if e.query else ''} -> {e.status}: "
                    f"{v.location} [{v.rule}] {v.message}"
                    for e in broken
                    for v in e.violations
                ]
                failure = ElementTree.SubElement(
                    case, "failure", message=f"{len(lines)} violation(s)", type="contract"
                )
                failure.text = "\n".join(lines)
        return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)
