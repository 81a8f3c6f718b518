"""`date-time` and `time` as RFC 3339 has them (ibl_mock/contract/formats.py)."""

from __future__ import annotations

import jsonschema_rs
import pytest

from ibl_mock.app import create_app
from ibl_mock.contract.formats import (
    OAS30_FORMATS,
    STANDARD,
    is_lenient_time,
)
from ibl_mock.data.faking import SchemaFaker, make_faker
from ibl_mock.pipeline.keywords import REQUEST_FORMATS
from ibl_mock.settings import Settings
from tests.conftest import SPECS

TIMES = ["00:00:00Z", "16:39:57-08:00", "23:59:60.25+01:00", "00:59:60+01:00", "23:59:60Z",
         "12:00:00", "24:00:00Z", "12:60:00Z", "12:00:00+24:00", "1:00:00Z", "12:00Z", "noon",
         "12:00:00 Z"]  # fmt: skip
DATE_TIMES = ["2026-12-02T04:19:37Z", "2026-12-02t04:19:37.5-05:00", "2026-12-02T04:19:37",
              "2026-12-02 04:19:37Z", "2026-02-30T00:00:00Z", "2026-12-02", "x"]  # fmt: skip


def strict(format_: str, draft: str = "4") -> jsonschema_rs.Validator:
    """What schemathesis checks answers with."""
    kind = jsonschema_rs.Draft4Validator if draft == "4" else jsonschema_rs.Draft202012Validator
    return kind({"format": format_}, validate_formats=True)


@pytest.mark.parametrize("text", TIMES)
def test_a_time_is_one_as_a_strict_checker_reads_it(text: str) -> None:
    assert OAS30_FORMATS.conforms(text, "time") == strict("time").is_valid(text)


@pytest.mark.parametrize("text", DATE_TIMES)
def test_a_date_time_is_one_as_a_strict_checker_reads_it(text: str) -> None:
    assert OAS30_FORMATS.conforms(text, "date-time") == strict("date-time").is_valid(text)


def test_a_request_time_may_leave_its_offset_out() -> None:
    assert is_lenient_time("12:00:00") and is_lenient_time("12:00:00+02:00")
    assert not is_lenient_time("12:00") and not is_lenient_time("25:00:00")


def test_the_served_formats_hold_answers_to_rfc_3339() -> None:
    assert not OAS30_FORMATS.conforms("07:30:00", "time")
    assert OAS30_FORMATS.conforms("07:30:00Z", "time")
    assert not OAS30_FORMATS.conforms("2026-01-01 07:00:00", "date-time")


def test_times_with_offsets_are_taken_and_answered_in_rfc_3339() -> None:
    server = create_app(Settings.build(spec_path=SPECS / "times" / "openapi.yaml"))
    with server.app.test_client() as client:
        for sent in ("16:39:57-08:00", "00:00:00Z", "07:30:00"):
            answer = client.get("/alarms", params={"at": sent})
            assert answer.status_code == 200, (sent, answer.text)
            body = answer.json()  # the example breaks RFC 3339: a made body instead
            assert OAS30_FORMATS.conforms(body["rings"], "time"), body
            assert OAS30_FORMATS.conforms(body["set"], "date-time"), body
            assert strict("duration", "2020-12").is_valid(body["lasts"]), body
        assert client.get("/alarms", params={"at": "7 am"}).status_code == 400


@pytest.mark.parametrize("format_", [*STANDARD, "date-time", "time"])
def test_values_made_for_a_standard_format_are_in_it(format_: str) -> None:
    check = strict(format_, "2020-12")
    for seed in range(5):
        made = SchemaFaker({}, make_faker(seed)).value({"type": "string", "format": format_})
        assert check.is_valid(made) and OAS30_FORMATS.conforms(made, format_), made


def test_the_served_formats_hold_answers_to_their_standards() -> None:
    assert not OAS30_FORMATS.conforms("22:00:00", "duration")
    assert not OAS30_FORMATS.conforms("a_b.com", "hostname")
    assert OAS30_FORMATS.conforms("P1DT2H", "duration")


def test_a_request_date_time_may_write_its_offset_without_a_colon() -> None:
    # Python's `%z`, and so the published iblai client: `+0000`; Django reads it
    taken = REQUEST_FORMATS
    assert taken.conforms("2026-01-01T00:00:00.000000+0000", "date-time")
    assert taken.conforms("2026-01-01T00:00:00-0530", "date-time")
    assert taken.conforms("2026-01-01T00:00:00+05:30", "date-time")
    assert not taken.conforms("2026-01-01T00:00:00+000", "date-time")
    assert not taken.conforms("2026-01-01T00:00:00+2500", "date-time")
    assert not OAS30_FORMATS.conforms("2026-01-01T00:00:00+0000", "date-time")  # answers
