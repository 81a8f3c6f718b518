"""schemathesis over every operation, in-process: all checks, all phases.

Two passes: one lets schemathesis invent every parameter (mostly the 400/403/404 edges),
one pins org and user to a real student so that pages, filters, retrieve and destroy run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from ibl_mock.app import MockServer, create_app
from ibl_mock.settings import Settings
from tests.conftest import MAIN_ADMIN

from ..conftest import SEED_SPEC

HEADERS = {"Authorization": f"Api-Token {MAIN_ADMIN}"}
PHASES = {name: {"enabled": True} for name in ("examples", "coverage", "fuzzing", "stateful")}
HYPOTHESIS = settings(
    max_examples=150,
    derandomize=True,  # CI must not flake; local runs of `st run` explore at random
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def load(parameters: dict[str, Any] | None = None) -> tuple[Any, MockServer]:
    config = SchemathesisConfig.from_dict(
        {
            "headers": HEADERS,
            "checks": {"enabled": True},
            "phases": PHASES,
            "parameters": parameters or {},
        }
    )
    app = create_app(Settings.build(spec_path=SEED_SPEC))
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config), app


OWNER = {"org": "main", "user_id": "amara.okafor"}
STATEFUL = settings(HYPOTHESIS, max_examples=100, stateful_step_count=10)

fuzzed, fuzzed_app = load()
owned, owned_app = load({f"path.{name}": value for name, value in OWNER.items()})


@fuzzed.parametrize()
@HYPOTHESIS
def test_fuzzed_parameters_conform(case: Any) -> None:
    case.call_and_validate(headers=HEADERS)


@owned.parametrize()
@HYPOTHESIS
def test_a_real_users_images_conform(case: Any) -> None:
    case.call_and_validate(headers=HEADERS)


def test_stateful_sequences_conform() -> None:
    class FuzzedMachine(fuzzed.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            fuzzed_app.reset()  # each scenario starts from the seeded world, or Hypothesis
            # sees its replays diverge

    FuzzedMachine.run(settings=STATEFUL)


def test_stateful_sequences_over_a_real_user_conform() -> None:
    # The state machine does not apply config `parameters`: pin them in a hook instead.
    class OwnedMachine(owned.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            owned_app.reset()
            deleted.clear()

        def before_call(self, case: Any) -> None:
            case.path_parameters = {**(case.path_parameters or {}), **OWNER}

        def after_call(self, response: Any, case: Any) -> None:
            # schemathesis' use_after_free check needs the CLI engine's history; do it here.
            statuses[response.status_code] += 1
            url = case.formatted_path
            if case.method == "DELETE" and response.status_code == 204:
                deleted.add(url)
            elif case.method == "GET" and url in deleted:
                assert response.status_code == 404, f"{url} still served after DELETE"

    statuses: Counter[int] = Counter()
    deleted: set[str] = set()
    OwnedMachine.run(settings=STATEFUL)
    assert statuses[200] and statuses[204], statuses  # the sequences reached the handlers
