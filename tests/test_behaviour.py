"""Behaviours: what a client may set, and what each call then gets."""

from __future__ import annotations

import pytest

from ibl_mock.control.behaviour import Behaviour, BehaviourError, Behaviours

DOCUMENTED: dict[str, object] = {"200": {}, "404": {}, "5XX": {}}


def test_a_behaviour_reads_back_as_it_was_set() -> None:
    data = {"delay_ms": {"min": 10, "max": 20}, "status": 404, "failure_rate": 0.25, "failure": 503}
    assert Behaviour.parse(data, DOCUMENTED).as_json() == data  # 503 matches the 5XX range


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        (
            {"status": 418},
            "'status': 418 is not documented for this operation (documented: 200, 404, 5XX)",
        ),
        ({"status": True}, "'status' must be an HTTP status code"),
        ({"delay_ms": "slow"}, "'delay_ms' must be a number of milliseconds"),
        ({"delay_ms": 10**9}, "'delay_ms' must be from 0 to 60000"),
        ({"delay_ms": {"min": 1}}, "takes exactly 'min' and 'max'"),
        ({"failure": "explode"}, "'failure' must be an HTTP status code"),
    ],
)
def test_a_wrong_behaviour_names_its_field(data: object, message: str) -> None:
    with pytest.raises(BehaviourError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Behaviour.parse(data, DOCUMENTED)


def test_outcomes_are_drawn_from_the_seed() -> None:
    def draws(seed: int) -> list[bool]:
        behaviours = Behaviours(seed)
        behaviours.set("op", Behaviour(failure_rate=0.5))
        return [o.drop for o in (behaviours.outcome("op") for _ in range(50)) if o]

    assert draws(1) == draws(1) and draws(1) != draws(2)
    assert 10 < sum(draws(1)) < 40
    assert Behaviours(1).outcome("op") is None  # no behaviour, nothing happens
