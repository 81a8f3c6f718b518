"""What ibl-mock changes of Connexion's behaviour, kept to ibl-mock's own apps.

Connexion offers no hook for three things the mock needs: skipping its second validation
of a document (ibl-mock validated it once, at load, and serves documents Connexion would
refuse), leaving parameter values as `SchemaURIParser` typed them (its decorator casts them
again by their schema's `type`: a KeyError where there is none), and quieting log lines
that every generic handler would trigger. The first is swapped in only for the length of
ibl-mock's own `add_api` (its own Specification class, `contract.connexion_spec`, has it
for good); the others act only while
a request of an ibl-mock app is being answered (`Serving` marks it), so that a user's own
Connexion app in the same process (the pytest plugin loads ibl-mock into every session of
its environment) keeps Connexion's behaviour whole.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import connexion.decorators.parameter
from connexion.spec import OpenAPISpecification
from starlette.types import ASGIApp, Receive, Scope, Send

SERVING: contextvars.ContextVar[bool] = contextvars.ContextVar("ibl_mock_serving", default=False)
_CONNEXION_CAST = connexion.decorators.parameter._get_val_from_param
_LOADING = threading.Lock()  # one swap at a time: interleaved ones would keep the swap


class Serving:
    """Marks the requests of an ibl-mock app, outermost, for the changes below."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = SERVING.set(True)
        try:
            await self.app(scope, receive, send)
        finally:
            SERVING.reset(token)


def typed_or_cast(value: Any, definition: dict[str, Any]) -> Any:
    """ibl-mock's values come typed by `SchemaURIParser`; anyone else's are cast as
    Connexion casts them."""
    return value if SERVING.get() else _CONNEXION_CAST(value, definition)


def not_again(cls: type, spec: Any) -> None:
    """In place of Connexion's validation, for a document ibl-mock validated itself."""
    return None


@contextmanager
def validated_already() -> Iterator[None]:
    """Connexion's loading validates; within this block, it does not."""
    with _LOADING:
        own = OpenAPISpecification.__dict__.get("_validate_spec")  # else its base's
        OpenAPISpecification._validate_spec = classmethod(not_again)
        try:
            yield
        finally:
            if own is None:
                del OpenAPISpecification._validate_spec
            else:
                OpenAPISpecification._validate_spec = own


class WhileServing(logging.Filter):
    """Drops records under `level` logged while an ibl-mock request is answered: generic
    handlers take **kwargs (an ERROR for every security parameter passed to them), many
    operations take several media types (a WARNING each request), and a form body that
    fails its schema is logged whole (the answer says so already)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not SERVING.get()


QUIETED = {
    "connexion.decorators.parameter": logging.CRITICAL,
    "connexion.operations.openapi3": logging.ERROR,
    "connexion.validators.form_data": logging.CRITICAL,
}


def install() -> None:
    """Once per process, at import: each change is inert outside ibl-mock's requests."""
    connexion.decorators.parameter._get_val_from_param = typed_or_cast
    for name, level in QUIETED.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, WhileServing) for f in logger.filters):
            logger.addFilter(WhileServing(level))
