"""ibl-mock: a contract-first, stateful mock server for OpenAPI documents.

The default mock is the ibl.ai data-manager API kept in this repository's `spec/`,
`handlers/` and `fixtures/` folders.
"""

from collections.abc import Callable
from typing import TypeVar

__version__ = "0.1.0"

F = TypeVar("F", bound=Callable[..., object])
VOLATILE = "__ibl_mock_volatile__"


def volatile(handler: F) -> F:
    """Mark a handler whose GET answers depend on more than the request and the store
    (the clock, chance, another service): its answers are never given again from memory
    (see `pipeline.answer_cache`)."""
    setattr(handler, VOLATILE, True)
    return handler
