"""Connexion's routing, trying only the routes a path may match, compiled when first tried.

Connexion routes through Starlette's `Router` (its routing middleware holds a route per
operation), and a Router tries its routes one by one: with the whole ibl API, some 300
regular expressions per request, most of its cost; and each route compiles its regular
expression when it is made (a quarter of a second of the ibl API's first request).
`IndexedRouting` takes the place of Connexion's `RoutingMiddleware` in its middleware list
(`use_indexed_routing`): the same routing, over routes that compile when first tried,
each API's router given an `IndexedDispatch` as its `middleware_stack` (the attribute
`Router.__call__` hands every request to).

The path is matched before the method, as OpenAPI matches a concrete path before a
templated one: `PUT /workflows/node-types/`, where `/workflows/node-types/` takes only GET
and `/workflows/{unique_id}/` takes PUT, is the 405 of the path it names (as Django's
URL patterns, tried in order, give it), not a PUT of `{unique_id}` refused with a 400.
Every API's router is indexed, so that a small document routes by the same rule.
"""

from __future__ import annotations

import re
from typing import Any

from connexion.middleware.routing import RoutingAPI, RoutingMiddleware
from starlette._utils import get_route_path
from starlette.routing import Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from ..contract.path_index import TemplateIndex

CONVERTOR = re.compile(r"\{([^{}:]+):[^{}]*\}")


def route_path(route: Any) -> str | None:
    """The path template a route serves (a mount's prefix), without Starlette's
    convertors: `/things/{id:int}` (DELETE's integer) is `/things/{id}` (GET's string)."""
    path = getattr(route, "path", None)
    return CONVERTOR.sub(r"{\1}", path) if isinstance(path, str) else None


def route_template(route: Any) -> str | None:
    """The path template the index files a route under; None: always to be tried."""
    if not isinstance(route, Route) or ":path}" in route.path:
        return None  # a mount's prefix, or a parameter spanning segments
    return str(route.path)


class LazyRoute(Route):
    """A Starlette route made when it is first used: its path is kept, the rest (the
    compiled expression among it) made by `Route` on the first attribute asked for."""

    def __init__(self, path: str, endpoint: Any, **options: Any) -> None:
        self.path = path
        self._pending = (endpoint, options)

    def __getattr__(self, name: str) -> Any:
        pending = self.__dict__.pop("_pending", None)
        if pending is None:
            raise AttributeError(name)
        Route.__init__(self, self.path, pending[0], **pending[1])
        return getattr(self, name)


class IndexedDispatch:
    """What `Router.app` does for a request, over the routes the index leaves, but path
    first: once a route's path matches, only the routes of that template are tried, and
    none taking the method is that path's 405. A path that none of them matches gets the
    router's own handling (redirects, its default)."""

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
            if partial is not None and route_path(route) != route_path(partial[0]):
                continue  # the path is another template's: only its methods are tried
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


class IndexedRoutingAPI(RoutingAPI):
    """Connexion's routing of one API, its operations as `LazyRoute`s."""

    def _add_operation_internal(
        self, method: str, path: str, operation: Any, name: str | None = None
    ) -> None:
        self.router.routes.append(LazyRoute(path, operation, methods=[method]))


class IndexedRouting(RoutingMiddleware):
    """Connexion's `RoutingMiddleware`, each API's router indexed."""

    def add_api(
        self,
        specification: Any,
        base_path: str | None = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        api = IndexedRoutingAPI(
            specification, base_path=base_path, arguments=arguments, next_app=self.app, **kwargs
        )
        api.router.middleware_stack = IndexedDispatch(api.router)
        for route in self.router.routes:  # an API mounted at the same path falls through
            if isinstance(route, Mount) and route.path == api.base_path:
                route.app.default = api.router  # type: ignore[attr-defined]
        self.router.mount(api.base_path, app=api.router)


def use_indexed_routing(middlewares: list[Any]) -> None:
    """`IndexedRouting` in the place of Connexion's routing in its middleware list: after
    other middleware is placed, since placing them looks Connexion's class up."""
    middlewares[middlewares.index(RoutingMiddleware)] = IndexedRouting
