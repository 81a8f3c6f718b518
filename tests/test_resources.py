"""contract/resources: which resource a path hangs under."""

from __future__ import annotations

from ibl_mock.contract.resources import Owners, recognise
from ibl_mock.contract.spec import load_spec
from tests.conftest import SPECS

ACTIONS = recognise(load_spec(SPECS / "crud-untidy" / "openapi.yaml"))


def owner_key(path: str) -> str | None:
    owner = Owners(ACTIONS).of(path)
    return None if owner is None else owner.key


def test_a_path_under_an_item_belongs_to_its_resource() -> None:
    assert owner_key("/boards/{board_id}/archive") == "/boards"
    assert owner_key("/boards/{id}/cards/{card}/move") == "/boards"


def test_the_nearest_item_owns_a_path_under_nested_items() -> None:
    assert owner_key("/owners/{o}/repos/{r}/star") == "/owners/{owner}/repos"


def test_a_path_under_no_item_has_no_owner() -> None:
    assert owner_key("/boards/archive") is None  # under the collection, not an item
    assert owner_key("/boards/{id}") is None  # the item itself
    assert owner_key("/elsewhere/{id}/x") is None
