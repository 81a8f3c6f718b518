"""Starlette's routers, trying only the routes a path may match.

Connexion routes through Starlette's `Router` (its routing middleware holds a route per
operation), and a Router tries its routes one by one: with the whole ibl API, some 300
regular expressions per request, most of its cost. Connexion builds its routers
routers inside its middleware stack, when the app first starts, and offers no hook for
their class; `RouteIndexing` sits just outside its routing and, on the first request,
gives each router it finds down the stack an `IndexedDispatch` as its `middleware_stack`
(the attribute `Router.__call__` hands every request to).
"""

from __future__ import annotations

from typing import Any

from starlette._utils import get_route_path
from starlette.routing import Match, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from ..contract.path_index import TemplateIndex

WORTH_INDEXING = 16  # routes; below this a plain scan costs as little
DEEPEST = 64  # `.app` links followed down a middleware stack


def route_template(route: Any) -> str | None:
    """The path template the index files a route under; None: always to be tried."""
    if type(route) is not Route or ":path}" in route.path:
        return None  # a mount's prefix, or a parameter spanning segments
    return str(route.path)


class IndexedDispatch:
    """What `Router.app` does for a request, over the routes the index leaves; a path that
    none of them matches gets the router's own handling (partial matches, redirects, its
    default), so the answer is the same as without the index."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.index = TemplateIndex([route_template(r) for r in router.routes])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routes = self.router.routes
        if scope["type"] != "http" or self.index.size != len(routes):
            await self.router.app(scope, receive, send)  # a route added since: scan them all
            return
        partial: tuple[Any, Scope] | None = None
        for position in self.index.candidates(get_route_path(scope)):
            route = routes[position]
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope.setdefault("router", self.router)
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial = (route, child_scope)
        if partial is None:
            await self.router.app(scope, receive, send)
            return
        scope.setdefault("router", self.router)
        scope["route"] = partial[0]
        scope.update(partial[1])
        await partial[0].handle(scope, receive, send)


def index_router(router: Router) -> None:
    """Index `router` and the routers mounted in it; a router with middleware of its own
    (its `middleware_stack` is not its `app`) is left as it is."""
    for route in router.routes:
        if isinstance(route, Mount) and isinstance(route.app, Router):
            index_router(route.app)
    plain = getattr(router.middleware_stack, "__func__", None) is Router.app
    if plain and len(router.routes) >= WORTH_INDEXING:
        router.middleware_stack = IndexedDispatch(router)


def index_routers_below(app: Any) -> None:
    """Every Starlette router held as `.router` by an app down the `.app` chain."""
    for _ in range(DEEPEST):
        if app is None:
            return
        router = getattr(app, "router", None)
        if isinstance(router, Router):
            index_router(router)
        app = getattr(app, "app", None)


class RouteIndexing:
    """Indexes the routers below it on the first request (they exist only by then)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.indexed = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.indexed and scope["type"] == "http":
            index_routers_below(self.app)
            self.indexed = True
        await self.app(scope, receive, send)
