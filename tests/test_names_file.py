"""fixtures/names.yaml, read with the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibl_mock.data.faking import make_faker
from ibl_mock.data.names_file import NO_NAMES, Names, NamesError, read_names
from ibl_mock.data.store import Store

NAMES = """
references:
  users:
    params: [user_id]
    fields: {^owner$: [username]}
names:
  - {match: ^tutor$, values: [Algebra Ace]}
"""


def users() -> Store:
    store = Store()
    store["users"].add({"id": 1, "username": "ada", "org": "north"})
    return store


def names_in(tmp_path: Path, text: str, store: Store | None = None) -> Names:
    (tmp_path / "names.yaml").write_text(text)
    options = {"users": {"references": {"org": "orgs.key"}}}
    return read_names(tmp_path, store or users(), options)


def test_a_folder_without_a_names_file_has_no_names(tmp_path: Path) -> None:
    assert read_names(tmp_path, Store(), {}) is NO_NAMES


def test_the_file_gives_a_vocabulary_references_and_the_fixtures_links(tmp_path: Path) -> None:
    names = names_in(tmp_path, NAMES)
    assert names is not NO_NAMES
    vocabulary = names.vocabulary
    assert vocabulary.string("tutor", "", make_faker(0)) == "Algebra Ace"
    assert vocabulary.string("owner", "", make_faker(0)) == "ada"  # drawn from the users
    assert [r.collection for r in names.references] == ["users"]
    assert [link.target for link in names.links] == ["orgs"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("names: []\nwords: []\n", r"names.yaml: unknown section\(s\) words; known: lists, names"),
        ("names:\n  - {match: '^a$'}\n", r"names.yaml: names rule #1 \(\^a\$\): give exactly"),
        ("references: {teams: {fields: {}}}\n", "names.yaml: references.teams: no fixture"),
        ("names: [\n", r"names.yaml:\d+:\d+: invalid YAML"),
    ],
)
def test_a_bad_names_file_is_named_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(NamesError, match=message):
        names_in(tmp_path, text)


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    first = names_in(tmp_path, "names:\n  - {match: ^tutor$, values: [One]}\n")
    second = names_in(tmp_path, "names:\n  - {match: ^tutor$, values: [Another one]}\n")
    made = [n.vocabulary.string("tutor", "", make_faker(0)) for n in (first, second)]
    assert made == ["One", "Another one"]
