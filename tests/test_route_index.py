"""pipeline/route_index: Starlette's routers try only the routes a path may match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from starlette.routing import Router

from ibl_mock.app import create_app
from ibl_mock.pipeline.route_index import IndexedDispatch
from ibl_mock.settings import Settings

SIZE = 40  # paths: past the index's threshold


def many_paths(folder: Path) -> Path:
    """A document of SIZE resources, an item path each, and one template with text after
    its parameter (`/{name}:download`) beside a bare `/{name}`."""
    paths: dict[str, Any] = {}
    answer = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    for n in range(SIZE):
        paths[f"/r{n}/"] = {"get": {"operationId": f"list{n}", "responses": answer}}
        paths[f"/r{n}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "get": {"operationId": f"get{n}", "responses": answer},
        }
    paths["/files/{name}:download"] = {
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {}}],
        "get": {"operationId": "download", "responses": answer},
    }
    document = {"openapi": "3.0.3", "info": {"title": "many", "version": "1"}, "paths": paths}
    spec = folder / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document))
    return spec


def routers_in(stack: list[Any]) -> list[Router]:
    """The routers of Connexion's middleware stack, and those mounted in them."""
    found: list[Any] = []
    for layer in stack:
        router = getattr(layer, "router", None)
        if isinstance(router, Router):
            found += [router, *(getattr(r, "app", None) for r in router.routes)]
    return [r for r in found if isinstance(r, Router)]


def test_requests_route_as_before_through_the_index(tmp_path: Path) -> None:
    server = create_app(Settings.build(spec_path=many_paths(tmp_path)))
    with server.app.test_client() as client:
        assert client.get("/r0/").status_code == 200
        assert client.get(f"/r{SIZE - 1}/abc").status_code == 200
        assert client.get("/files/report:download").status_code == 200
        wrong = client.post("/r3/1")
        assert wrong.status_code == 405 and wrong.headers["allow"] == "GET, HEAD"
        assert client.get("/r3/1/extra").status_code == 404
        stack = list(server.app.middleware.middleware_stack or [])
        indexed = [r for r in routers_in(stack) if isinstance(r.middleware_stack, IndexedDispatch)]
        assert [len(r.routes) for r in indexed] == [2 * SIZE + 1]  # Connexion's routing


def test_routes_are_made_when_first_tried(tmp_path: Path) -> None:
    server = create_app(Settings.build(spec_path=many_paths(tmp_path)))
    with server.app.test_client() as client:
        assert client.get("/r5/abc").status_code == 200
        stack = list(server.app.middleware.middleware_stack or [])
        (routing,) = [
            r for r in routers_in(stack) if isinstance(r.middleware_stack, IndexedDispatch)
        ]
        made = [getattr(r, "path", None) for r in routing.routes if "_pending" not in vars(r)]
        assert "/r5/{id}" in made and len(made) < 5  # the candidates of one path, not all


def test_a_concrete_path_is_matched_before_its_method(tmp_path: Path) -> None:
    # OpenAPI matches `/workflows/node-types/` before `/workflows/{unique_id}/`: a PUT of
    # it is that path's 405 (it takes GET), not a PUT of a workflow whose id is no uuid.
    spec = Path(__file__).parent / "specs" / "concrete-paths" / "openapi.yaml"
    server = create_app(Settings.build(spec_path=spec))
    with server.app.test_client() as client:
        assert client.get("/workflows/node-types/").status_code == 200
        refused = client.put("/workflows/node-types/", json={"name": "a"})
        assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
        workflow = "/workflows/3fa85f64-5717-4562-b3fc-2c963f66afa6/"
        assert client.put(workflow, json={"name": "a"}).status_code in (200, 404)
        assert client.put("/workflows/not-a-uuid/", json={"name": "a"}).status_code == 400
