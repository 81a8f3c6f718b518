"""The results of a corpus run: totals, a markdown table, and the same as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.corpus_document import ALL_CHECKS, Result

# Column heading of each check in the markdown table (the JSON keeps the full names).
SHORT = {
    "not_a_server_error": "5xx",
    "status_code_conformance": "status",
    "content_type_conformance": "ctype",
    "response_schema_conformance": "schema",
}
CAUSE_WIDTH = 220


def totals(results: list[Result]) -> dict[str, Any]:
    count = len(results)
    clean = sum(result.clean for result in results)
    # Documents schemathesis finished within the budget: of these, how many had nothing.
    finished = [result for result in results if result.started and not result.timeout]
    finished_clean = sum(result.clean for result in finished)
    return {
        "documents": count,
        "started": sum(result.started for result in results),
        "zero_failures": clean,
        "zero_failures_percent": percent(clean, count),
        "checked_in_full": len(finished),
        "zero_failures_of_checked_in_full": finished_clean,
        "zero_failures_of_checked_in_full_percent": percent(finished_clean, len(finished)),
        "any_5xx": sum(result.any_5xx for result in results),
        "timeouts": sum(result.timeout for result in results),
        "with_schemathesis_errors": sum(bool(result.errors) for result in results),
        "with_credentials_refused": sum(bool(result.auth_rejected) for result in results),
        "failures_by_check": {
            check: sum(result.failures.get(check, 0) for result in results) for check in ALL_CHECKS
        },
    }


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def totals_text(summary: dict[str, Any]) -> str:
    by_check = ", ".join(f"{name} {count}" for name, count in summary["failures_by_check"].items())
    return "\n".join(
        [
            f"documents: {summary['documents']}",
            f"started: {summary['started']}",
            f"zero-failure documents: {summary['zero_failures']} "
            f"({summary['zero_failures_percent']}%)",
            f"checked in full (within the budget): {summary['checked_in_full']}, of which "
            f"zero-failure: {summary['zero_failures_of_checked_in_full']} "
            f"({summary['zero_failures_of_checked_in_full_percent']}%)",
            f"documents with any 5xx: {summary['any_5xx']}",
            f"timeouts: {summary['timeouts']}",
            f"documents with schemathesis errors: {summary['with_schemathesis_errors']}",
            "documents where some operation answered only 401/403: "
            f"{summary['with_credentials_refused']}",
            f"failures by check: {by_check}",
        ]
    )


def cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= CAUSE_WIDTH else text[: CAUSE_WIDTH - 1] + "…"


def row(result: Result) -> str:
    version = result.version + (
        f" (from {result.origin})" if result.origin.startswith("swagger") else ""
    )
    started = "yes" if result.started else "no"
    counts = [str(result.failures.get(check, 0)) for check in ALL_CHECKS]
    note = "timeout" if result.timeout else ""
    values = [f"`{result.id}`", version, str(result.operations), started, *counts]
    values += [
        str(result.auth_rejected),
        str(result.errors),
        cell(result.cause),
        f"{result.duration:.0f}",
        note,
    ]
    return "| " + " | ".join(values) + " |"


def markdown(results: list[Result], meta: dict[str, Any]) -> str:
    summary = totals(results)
    heads = ["document", "version", "ops", "started", *(SHORT[c] for c in ALL_CHECKS)]
    heads += ["401-only", "st errors", "first failure (5xx first) or error", "s", "note"]
    lines = [
        "# ibl-mock on real-world OpenAPI documents",
        "",
        "Written by `bench/corpus.py`; do not edit by hand.",
        "",
        *(f"- {key}: {value}" for key, value in meta.items()),
        "",
        "## Totals",
        "",
        "```",
        totals_text(summary),
        "```",
        "",
        "A zero-failure document started, was loaded by both schemathesis runs within the",
        "budget, and got no failure. Check columns count distinct failures (operation and",
        "failure kind), valid and invalid requests together; `401-only` counts operations",
        "that answered every valid request with 401/403; `st errors` are schemathesis'",
        "own (data it cannot generate, a document it cannot load). Logs of each document:",
        "`build/corpus/logs/<run>/<document>/` (`sample`, `fixed`, `only`, `pytest`): server",
        "stderr, schemathesis output and reports.",
        "",
        "## Documents",
        "",
        "| " + " | ".join(heads) + " |",
        "|" + "---|" * len(heads),
        *(row(result) for result in results),
    ]
    return "\n".join(lines) + "\n"


def write(results: list[Result], meta: dict[str, Any], out: Path, name: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    table, data = out / f"{name}.md", out / f"{name}.json"
    table.write_text(markdown(results, meta), encoding="utf-8")
    document = {
        "meta": meta,
        "totals": totals(results),
        "documents": [result.as_dict() for result in results],
    }
    data.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return table, data
