"""The fixed sample of real-world documents (bench/corpus/ci_sample.txt), each served by
`ibl-mock serve` and checked by schemathesis over HTTP, as `python -m bench.corpus --fixed`.

What holds today: every document starts, except those in KNOWN_FAILING, which fail to
start for the cause listed (a part of the start-up error); none gets a server error; and
every one keeps its contract (no failure of any check) except those in
KNOWN_NONCONFORMING, each with its cause. Tighten it as the engine is fixed: when a listed
document starts or conforms, the test warns, and its line goes. The whole table
of the run is written to build/corpus/fixed-results.md, logs to build/corpus/logs/pytest/.
Needs the corpus packages: `make test` installs them first (`make corpus-install`).
"""

from __future__ import annotations

import os
import warnings

import pytest

from bench.corpus import BUILD, LOGS, fixed_sample, run_corpus
from bench.corpus_document import Result, slug
from bench.corpus_report import write
from bench.corpus_sources import PACKAGES

SAMPLE = fixed_sample()
BUDGET = 150.0  # seconds per document; the sample takes a few minutes on 2 cores
LOGS_HERE = LOGS / "pytest"

# Document id -> a part of its start-up error, one line per expected failure, e.g.
#     "oas-examples:2.0/json/petstore.json": "Swagger 2.0 is not served",
# (every document of the sample starts today; Swagger 2.0 ones since it is served).
KNOWN_FAILING: dict[str, str] = {}
# Document id -> why it is not yet free of failures (any check), one line each; every
# other document of the sample must come out with none (a timeout only stops the search).
KNOWN_NONCONFORMING: dict[str, str] = {
    "oas-examples:3.0/json/parameters-style.json": "label-style objects laid out in one segment",
}


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    if not PACKAGES.is_dir():
        pytest.fail(f"{PACKAGES} is missing: run `make corpus-install` (needs npm)")
    found = run_corpus(SAMPLE, jobs=os.cpu_count() or 1, budget=BUDGET, seed=1, logs=LOGS_HERE)
    write(found, {"command": "pytest tests/test_real_world_sample.py"}, BUILD, "fixed-results")
    return {result.id: result for result in found}


@pytest.mark.parametrize("document", SAMPLE)
def test_document_starts(results: dict[str, Result], document: str) -> None:
    result = results[document]
    logs = LOGS_HERE / slug(document)
    expected = KNOWN_FAILING.get(document)
    if expected is None:
        assert result.started, f"{document} did not start: {result.start_error} (see {logs})"
    elif result.started:
        warnings.warn(f"{document} starts now: remove it from KNOWN_FAILING", stacklevel=1)
    else:
        assert expected in result.start_error, f"{document}: {result.start_error} (see {logs})"


def test_known_failures_are_in_the_sample() -> None:
    assert set(KNOWN_FAILING) <= set(SAMPLE), set(KNOWN_FAILING) - set(SAMPLE)
    assert set(KNOWN_NONCONFORMING) <= set(SAMPLE), set(KNOWN_NONCONFORMING) - set(SAMPLE)


@pytest.mark.parametrize("document", SAMPLE)
def test_document_never_gets_a_server_error(results: dict[str, Result], document: str) -> None:
    result = results[document]
    assert not result.failures.get("not_a_server_error"), (
        f"{document}: {result.cause} {result.server_errors} (see {LOGS_HERE / slug(document)})"
    )


@pytest.mark.parametrize("document", SAMPLE)
def test_document_keeps_its_contract(results: dict[str, Result], document: str) -> None:
    result = results[document]
    if document in KNOWN_NONCONFORMING:
        if not result.failure_total:
            warnings.warn(
                f"{document} conforms now: remove it from KNOWN_NONCONFORMING", stacklevel=1
            )
        return
    assert not result.failure_total, (
        f"{document}: {result.failures} {result.cause} (see {LOGS_HERE / slug(document)})"
    )
