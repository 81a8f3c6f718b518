"""Fixtures are validated once at load; a bad one names its file, record and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ibl_mock.contract.spec import load_spec
from ibl_mock.data.faking import make_faker
from ibl_mock.data.fixtures import FixtureError, load_fixtures
from ibl_mock.data.names_file import NO_NAMES
from ibl_mock.data.store import Store
from ibl_mock.settings import Settings
from tests.conftest import SPECS

THINGS_SPEC = load_spec(SPECS / "things" / "spec" / "openapi.yaml").document


def fixtures_with(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def load(folder: Path, seed: int = 0) -> Store:
    store = Store()
    load_fixtures(folder, THINGS_SPEC, store, seed)
    return store


def test_good_records_are_stored_with_their_options(tmp_path: Path) -> None:
    folder = fixtures_with(
        tmp_path, {"things.yaml": "schema: Thing\nlimit: 3\nrecords:\n  - {id: 4, name: a}\n"}
    )
    store = Store()
    loaded = load_fixtures(folder, THINGS_SPEC, store, 0)
    assert list(store["things"]) == [{"id": 4, "name": "a"}]
    assert loaded.options == {"things": {"limit": 3}}


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ("- {id: 1}", r"things.yaml: record #1 \(id 1\): field 'name': required but missing"),
        (
            "- {id: 1, name: ok}\n- {id: 2, name: waytoolongname}",
            r"record #2 \(id 2\): field 'name': 'waytoolongname' is too long",
        ),
        ("- {id: x, name: a}", r"field 'id': 'x' is not of type 'integer'"),
        ("- {id: 1, name: a, url: 'not a uri'}", r"field 'url': 'not a uri' is not a 'uri'"),
        ("- just text", r"record #1: expected a mapping, got str"),
        ("- {id: 1, name: a}\n- {id: 1, name: b}", r"things.yaml: things: duplicate id 1"),
    ],
)
def test_bad_records_are_named(tmp_path: Path, records: str, message: str) -> None:
    folder = fixtures_with(tmp_path, {"things.yaml": f"schema: Thing\nrecords:\n{records}\n"})
    with pytest.raises(FixtureError, match=message):
        load(folder)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("records: []", "needs 'schema: <SchemaName>'"),
        ("schema: Thing", "needs 'records:'"),
        ("schema: Nope\nrecords: []", "unknown schema 'Nope'; known: ApiToken, Thing"),
        ("schema: Thing\nrecords: [\n", r"things.yaml:\d+:\d+: invalid YAML"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(fixtures_with(tmp_path, {"things.yaml": text}))


def test_references_must_exist(tmp_path: Path) -> None:
    folder = fixtures_with(
        tmp_path,
        {
            "schemas.yaml": "schemas:\n  Person: {type: object}\n",
            "people.yaml": "schema: Person\nrecords:\n  - {id: 1, name: ann}\n",
            "things.yaml": (
                "schema: Thing\nreferences: {owner: people.name}\n"
                "records:\n  - {id: 1, name: a, owner: ann}\n  - {id: 2, name: b, owner: bob}\n"
            ),
        },
    )
    with pytest.raises(
        FixtureError, match=r"record #2 \(id 2\): field 'owner': 'bob' matches no people.name"
    ):
        load(folder)


SEED_HOOK = """
def seed(store, fake):
    for _ in range(3):
        store["things"].add({"name": fake.first_name()[:10]})
"""


def test_the_seed_hook_adds_records_deterministically(tmp_path: Path) -> None:
    folder = fixtures_with(
        tmp_path, {"things.yaml": "schema: Thing\nrecords: []\n", "seed.py": SEED_HOOK}
    )
    assert load(folder, seed=7).dump() == load(folder, seed=7).dump()
    assert load(folder, seed=7).dump() != load(folder, seed=8).dump()
    assert len(load(folder)["things"]) == 3


def test_what_the_seed_hook_adds_is_validated(tmp_path: Path) -> None:
    bad_hook = "def seed(store, fake):\n    store['things'].add({'name': 'x' * 11})\n"
    folder = fixtures_with(
        tmp_path, {"things.yaml": "schema: Thing\nrecords: []\n", "seed.py": bad_hook}
    )
    with pytest.raises(FixtureError, match=r"seed.py \(things\): record #1 \(id 1\): field 'name'"):
        load(folder)


def test_the_ibl_fixtures_load_and_give_every_student_a_dozen_images_or_more() -> None:
    settings = Settings.build()
    assert settings.fixtures_dir is not None
    store = Store()
    load_fixtures(settings.fixtures_dir, load_spec(settings.spec_path).document, store, 0)
    orgs = {o["key"] for o in store["orgs"]}
    assert len(orgs) >= 2
    for org in orgs:
        members = store["users"].find(org=org)
        assert [u["role"] for u in members].count("platform_admin") >= 1
        students = [u for u in members if u["role"] == "student"]
        assert len(students) >= 2
        for student in students:
            assert len(store["images"].find(user=student["id"])) >= 12


def test_a_broken_ibl_fixture_stops_start_up_naming_it(tmp_path: Path) -> None:
    settings = Settings.build()
    assert settings.fixtures_dir is not None
    copy = shutil.copytree(settings.fixtures_dir, tmp_path / "fixtures")
    images = copy / "images.yaml"
    images.write_text(images.read_text().replace("user: 2217", "user: -5", 1))
    with pytest.raises(
        FixtureError, match=r"images.yaml: record #3 \(id 3\): field 'user': -5 is less"
    ):
        load_fixtures(copy, load_spec(settings.spec_path).document, Store(), 0)


def test_a_missing_fixtures_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="fixtures folder not found"):
        load(tmp_path / "nowhere")


def test_unique_fields_refuse_a_repeated_value(tmp_path: Path) -> None:
    folder = fixtures_with(
        tmp_path,
        {
            "things.yaml": (
                "schema: Thing\nunique: [name]\n"
                "records:\n  - {id: 1, name: a}\n  - {id: 2, name: a}\n"
            )
        },
    )
    with pytest.raises(
        FixtureError, match=r"record #2 \(id 2\): field 'name': 'a' is also in record #1"
    ):
        load(folder)


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (
            "def seed(store, fake):\n    raise RuntimeError('boom')\n",
            r"seed\(\) failed: line 2: RuntimeError: boom",
        ),
        ("def seed(store, fake)\n    pass\n", r"cannot be imported: line 1: SyntaxError"),
        ("x = 1\n", r"defines no function seed"),
    ],
)
def test_a_broken_seed_hook_is_named(tmp_path: Path, hook: str, message: str) -> None:
    folder = fixtures_with(
        tmp_path, {"things.yaml": "schema: Thing\nrecords: []\n", "seed.py": hook}
    )
    with pytest.raises(FixtureError, match=message):
        load(folder)


THINGS_NAMES = """
references:
  things:
    fields: {^thing$: [name]}
names:
  - {match: ^label$, values: [Widget]}
"""


def test_the_names_file_is_read_with_the_fixtures(
    tmp_path: Path,
) -> None:
    folder = fixtures_with(
        tmp_path,
        {
            "things.yaml": "schema: Thing\nrecords:\n  - {id: 1, name: a}\n",
            "names.yaml": THINGS_NAMES,
        },
    )
    store = Store()
    loaded = load_fixtures(folder, THINGS_SPEC, store, 0)
    assert store.names() == ["things"]  # the names file holds no records
    assert loaded.names.vocabulary.string("label", "", make_faker(0)) == "Widget"
    assert loaded.names.vocabulary.string("thing", "", make_faker(0)) == "a"
    (folder / "names.yaml").unlink()
    assert load_fixtures(folder, THINGS_SPEC, Store(), 0).names is NO_NAMES  # engine's words


def test_a_bad_names_file_stops_start_up_naming_it(tmp_path: Path) -> None:
    folder = fixtures_with(
        tmp_path,
        {
            "things.yaml": "schema: Thing\nrecords:\n  - {id: 1, name: a}\n",
            "names.yaml": "references: {things: {fields: {^thing$: [colour]}}}\n",
        },
    )
    with pytest.raises(FixtureError, match=r"names.yaml: references.things: '\^thing\$' must"):
        load(folder)
