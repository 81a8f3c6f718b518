"""Seeded collections whose ids come from a small space: each id once, the first record
holding it kept (a duplicate id crashed every call to the collection before)."""

from __future__ import annotations

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import SPECS

SPEC = SPECS / "small-ids" / "openapi.yaml"


def listed(path: str, seed: int = 7) -> list[dict[str, str]]:
    with create_app(Settings.build(spec_path=SPEC, seed=seed)).app.test_client() as client:
        answer = client.get(path)
        assert answer.status_code == 200, answer.text
        records: list[dict[str, str]] = answer.json()
        return records


def test_a_small_id_space_seeds_each_id_once() -> None:
    sizes = listed("/sizes")
    assert sorted(r["id"] for r in sizes) == ["large", "small"]
    assert [r["id"] for r in listed("/modes")] == ["only"]


def test_the_records_kept_are_the_same_every_run() -> None:
    assert listed("/sizes") == listed("/sizes")


def test_a_kept_record_is_served_by_its_id() -> None:
    with create_app(Settings.build(spec_path=SPEC)).app.test_client() as client:
        assert client.get("/sizes/small").json()["id"] == "small"


def test_creating_a_record_when_every_id_is_taken_is_a_409() -> None:
    with create_app(Settings.build(spec_path=SPEC)).app.test_client() as client:
        taken = client.post("/sizes", json={"id": "small", "label": "S"})
        assert (taken.status_code, taken.json()) == (
            409,
            {"detail": "A record with this id already exists."},
        )  # a 500 before: no free id was left to give it


def test_ids_of_type_number_are_numbers() -> None:
    # they were made as decimals and kept as text ("4739.55"), which their schema refuses
    assert all(isinstance(r["id"], int) for r in listed("/gauges"))
    with create_app(Settings.build(spec_path=SPEC)).app.test_client() as client:
        made = client.post("/gauges", json={"name": "rain"}).json()
        assert isinstance(made["id"], int)
        assert client.get(f"/gauges/{made['id']}").json() == made


def test_ids_made_from_words_stay_free_past_the_vocabulary() -> None:
    # 50 words drawn, all taken after a thousand creates: a 409 nobody documented
    with create_app(Settings.build(spec_path=SPEC)).app.test_client() as client:
        made = [client.post("/words", json={}) for _ in range(1100)]
        assert {answer.status_code for answer in made} == {201}
        assert len({answer.json()["id"] for answer in made}) == 1100
