"""Connexion's AsyncApp, each handler decorated once.

Connexion's AsyncOperation decorates its handler at every request: a new decorator, then
inside it the parameter and response decorators again, each inspecting the handler's
signature (a fifth of an answer's time, measured on a list). What they make depends on
the operation alone; what a request brings (`scope`, `receive`, the operation being
served) they read from Connexion's context when called. Here the decorated handler is
made once per operation, through Connexion's own classes: its app's inner ASGI app (the
API class it builds operations with) is swapped before any API is added.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from connexion import AsyncApp
from connexion.apps.asynchronous import AsyncApi, AsyncASGIApp, AsyncOperation
from connexion.context import receive, scope
from connexion.decorators.main import StarletteDecorator


class DecoratedOnce(StarletteDecorator):
    """Connexion's Starlette decorator, its inner decorators applied once, not per call."""

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        decorated = self.decorate(function)

        @functools.wraps(function)
        async def wrapper(*_args: Any, **_kwargs: Any) -> Any:
            request = self.framework.get_request(
                uri_parser=self.uri_parser, scope=scope, receive=receive
            )
            return await decorated(request)

        return wrapper


class OnceDecoratedOperation(AsyncOperation):
    @functools.cached_property
    def fn(self) -> Callable[..., Any]:
        decorator = DecoratedOnce(pythonic_params=self.pythonic_params, jsonifier=self.jsonifier)
        return decorator(self._fn)


class OnceDecoratedApi(AsyncApi):
    def make_operation(self, operation: Any) -> AsyncOperation:
        return OnceDecoratedOperation.from_operation(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )


class OnceDecoratedASGIApp(AsyncASGIApp):
    api_cls = OnceDecoratedApi


class MockAsyncApp(AsyncApp):
    """AsyncApp serving `OnceDecoratedOperation`s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._middleware_app = OnceDecoratedASGIApp()
        self.middleware.app = self._middleware_app  # before any API is added: see above
