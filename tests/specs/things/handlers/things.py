"""Hand-written handler of the tiny `things` scenario spec."""

from __future__ import annotations

from typing import Any

from ibl_mock.data.store import Store
from ibl_mock.pipeline.problems import NotFound

from ._shared import THINGS


def things_retrieve(id_: int, store: Store, verbose: bool | None = None) -> Any:
    thing = store[THINGS].get(id_)
    if thing is None:
        raise NotFound()
    return thing if verbose else {"id": thing["id"], "name": thing["name"]}


def helper_not_an_operation() -> None:
    """Not an operationId: the resolver must leave it alone."""
