"""Made records naming fixture records: the path's own, else ones that belong together."""

from __future__ import annotations

from typing import Any

import pytest

from ibl_mock.data.faking import make_faker
from ibl_mock.data.references import (
    Link,
    drawn_rules,
    links_from,
    refer,
    references_from,
)
from ibl_mock.data.store import Record, Store
from ibl_mock.data.vocabulary import Vocabulary, VocabularyError

ORGS = [{"id": 3, "key": "north", "name": "North Academy"}, {"id": 8, "key": "south", "name": "S"}]
USERS = [
    {"id": 101, "username": "ada", "org": "north"},
    {"id": 102, "username": "alan", "org": "north"},
    {"id": 201, "username": "grace", "org": "south"},
]
SECTION = {
    "orgs": {"params": ["org"], "fields": {"^(platform|org)$": ["id", "key"]}},
    "users": {"params": ["user_id"], "fields": {"^(owner|user_id)$": ["id", "username"]}},
}
LINKS = (Link("users", "org", "orgs", "key"),)


def store() -> Store:
    made = Store()
    for org in ORGS:
        made["orgs"].add(org)
    for user in USERS:
        made["users"].add(user)
    return made


def referred(
    record: Record, scope: dict[str, str] | None = None, seed: int = 0, **kinds: type
) -> Record:
    """`record` with its references given, where a field takes values of `kinds[field]`."""

    def accepts(field: str, value: Any) -> bool:
        return isinstance(value, kinds.get(field, str)) and not isinstance(value, bool)

    data = store()
    references = references_from(SECTION, data)
    refer(record, references, LINKS, data, scope or {}, make_faker(seed), accepts)
    return record


def test_the_path_names_the_org_and_the_user() -> None:
    record = referred({"platform": 0, "org": "x", "owner": "y"}, {"org": "south"}, platform=int)
    assert record == {"platform": 8, "org": "south", "owner": "grace"}  # grace: south's only
    by_id = referred({"owner": "y", "org": "x"}, {"user_id": "102"})
    assert by_id == {"owner": "alan", "org": "north"}  # the org follows the user


def test_fields_take_the_first_listed_value_of_their_type() -> None:
    record = referred({"owner": 0, "user_id": "z"}, {"user_id": "ada"}, owner=int)
    assert record == {"owner": 101, "user_id": "ada"}


def test_records_drawn_belong_together() -> None:
    for seed in range(20):
        record = referred({"org": "x", "owner": "y"}, seed=seed)
        owner = next(u for u in USERS if u["username"] == record["owner"])
        assert owner["org"] == record["org"]


def test_draws_differ_by_seed_and_repeat_for_one() -> None:
    drawn = [referred({"org": "x", "owner": "y"}, seed=seed)["owner"] for seed in range(20)]
    assert len(set(drawn)) > 1
    assert drawn == [referred({"org": "x", "owner": "y"}, seed=s)["owner"] for s in range(20)]


def test_an_object_takes_the_values_of_the_keys_it_shares() -> None:
    record = referred(
        {"owner": {"id": 0, "username": "y", "bio": "b"}}, {"user_id": "ada"}, owner=dict
    )
    assert record == {"owner": {"id": 101, "username": "ada", "bio": "b"}}


def test_values_the_field_refuses_leave_the_made_one() -> None:
    assert referred({"owner": 1.5}, {"user_id": "ada"}, owner=float) == {"owner": 1.5}


def test_a_path_naming_no_fixture_record_changes_nothing_of_it() -> None:
    record = referred({"org": "made", "owner": "made"}, {"org": "west"})
    assert record["org"] == "made"  # no org west: nor one drawn in its place
    assert record["owner"] in {u["username"] for u in USERS}  # users are still drawn


def test_the_fixtures_own_references_become_links() -> None:
    options = {"users": {"references": {"org": "orgs.key"}}, "orgs": {}}
    assert links_from(options) == (Link("users", "org", "orgs", "key"),)


def test_referring_names_draw_fixture_values_anywhere() -> None:
    words = Vocabulary(drawn_rules(references_from(SECTION, store()), store()))
    assert words.string("owner", "", make_faker(0)) in {"ada", "alan", "grace"}
    assert words.number("owner", "", make_faker(0)) in {101.0, 102.0, 201.0}
    assert words.string("platform", "", make_faker(0)) in {"north", "south"}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (["orgs"], "'references' must map fixture collections"),
        ({"teams": {"fields": {"^team$": ["id"]}}}, "references.teams: no fixture records"),
        ({"orgs": {"params": ["org"]}}, "references.orgs: needs 'fields:'"),
        ({"orgs": {"params": "org", "fields": {}}}, "'params' must list path parameter"),
        ({"orgs": {"fields": {"^org$": ["slug"]}}}, r"'\^org\$' must list fields of its records"),
        ({"orgs": {"fields": {"(": ["id"]}}}, "not a regular expression"),
    ],
)
def test_references_that_cannot_work_are_refused(section: Any, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        references_from(section, store())
