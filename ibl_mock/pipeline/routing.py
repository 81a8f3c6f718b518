"""Connexion's routing, with path numbers written as JSON and OpenAPI write them.

Connexion routes `{frame}` of type number through a convertor whose pattern knows no
exponent (`-1.1e-308`, a valid number), so such a path found no route: a 404 the
document does not give. The convertors here keep the text as sent: the URI parser types
it by the schema and validation judges it, so `1.5` for an integer is a 400 naming the
parameter, not a route that was never there."""

from __future__ import annotations

from typing import Any

import starlette.convertors
import werkzeug.routing
from starlette.types import ASGIApp, Receive, Scope, Send

NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"


class NumberText(starlette.convertors.Convertor[str]):
    regex = NUMBER

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


class NumberRule(werkzeug.routing.BaseConverter):
    """The same for Flask's routing (`--app-type flask`), which has its own convertors."""

    regex = NUMBER


def route_numbers_in_flask(flask_app: Any) -> None:
    flask_app.url_map.converters["float"] = NumberRule
    flask_app.url_map.converters["int"] = NumberRule


class NumberPaths:
    """Passes every call on. Built right outside Connexion's routing, hence after it and
    before any API is added to it, it replaces the number convertors that routing has just
    registered (Connexion offers no hook of its own for them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        starlette.convertors.register_url_convertor("float", NumberText())
        starlette.convertors.register_url_convertor("int", NumberText())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
