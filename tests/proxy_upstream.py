"""The upstream the proxy tests stand in front of: a small app serving the pet shop of
tests/specs/proxy, breaking its contract in known ways (see test_proxy.py)."""

from __future__ import annotations

import hashlib
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PETS = {
    1: {"id": 1},  # breaks: `name` is required
    2: {"id": 2, "name": "Kit"},  # served as text/plain: an undocumented media type
    4: {"id": 4, "name": "Zoë 🐈"},  # keeps the contract, non-ASCII
}


async def list_pets(request: Request) -> Response:
    return JSONResponse([{"id": 4, "name": "Zoë"}, {"id": "two", "name": "Tom"}])  # id: string


async def create_pet(request: Request) -> Response:
    body = await request.body()
    name = json.loads(body).get("name", "?") if body else "?"
    return JSONResponse({"id": 9, "name": name}, status_code=201, headers={"Location": "/9"})


async def get_pet(request: Request) -> Response:
    pet_id = int(request.path_params["pet_id"])
    if pet_id == 3:
        return JSONResponse({"detail": "I'm a teapot"}, status_code=418)  # undocumented
    if pet_id == 2:
        return Response(json.dumps(PETS[2]), media_type="text/plain")
    if pet_id in PETS:
        return JSONResponse(PETS[pet_id])
    return JSONResponse({"detail": "Not found."}, status_code=404)


async def owner_pets(request: Request) -> Response:
    return JSONResponse([{"id": 1, "name": "Rex"}, {"id": 2, "name": "Kit"}])


async def owner_pet(request: Request) -> Response:
    return JSONResponse({"id": 2, "name": "Kitty"})


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def echo(request: Request) -> Response:
    """What reached the upstream: raw path, query, headers (repeated ones too)."""
    headers = [[k.decode(), v.decode()] for k, v in request.scope["headers"]]
    path = request.scope.get("raw_path", b"").decode()
    query = request.scope.get("query_string", b"").decode()
    return JSONResponse({"raw_path": path, "query": query, "headers": headers})


async def login(request: Request) -> Response:
    answer = JSONResponse({"ok": True})
    answer.set_cookie("session", "SESSION-OF-alice")
    return answer


async def upload(request: Request) -> Response:
    digest, size = hashlib.sha256(), 0
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
    return JSONResponse({"size": size, "sha256": digest.hexdigest()})


async def blob(request: Request) -> Response:
    return Response(bytes(range(256)) * 4096, media_type="application/octet-stream")


app = Starlette(
    routes=[
        Route("/api/pets", list_pets, methods=["GET"]),
        Route("/api/pets", create_pet, methods=["POST"]),
        Route("/api/pets/{pet_id:int}", get_pet, methods=["GET"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/api/owners/{owner_id:int}/pets", owner_pets, methods=["GET"]),
        Route("/api/owners/{owner_id:int}/pets/{pet_id:int}", owner_pet, methods=["GET"]),
        Route("/api/blob", blob, methods=["GET"]),
        Route("/api/echo/{rest:path}", echo, methods=["GET"]),
        Route("/api/login", login, methods=["POST"]),
        Route("/api/upload", upload, methods=["POST"]),
    ]
)
