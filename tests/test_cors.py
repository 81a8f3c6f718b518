"""Browsers get CORS answers: preflights, credentials, the configured origins."""

from __future__ import annotations

from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.settings import Settings
from tests.conftest import AMARA, auth, images_url

PREFLIGHT = {
    "Origin": "http://localhost:5173",
    "Access-Control-Request-Method": "DELETE",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def test_a_preflight_is_answered_for_any_origin_with_credentials() -> None:
    with TestClient(create_app(Settings.build())) as client:
        answer = client.options(images_url(image_id=1), headers=PREFLIGHT)
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "http://localhost:5173"
        assert answer.headers["access-control-allow-credentials"] == "true"
        assert "DELETE" in answer.headers["access-control-allow-methods"]
        assert "authorization" in answer.headers["access-control-allow-headers"].lower()
        listed = client.get(
            images_url(), headers={**auth(AMARA), "Origin": "http://localhost:5173"}
        )
        assert listed.headers["access-control-allow-origin"] == "http://localhost:5173"
        refused = client.get(images_url(), headers={"Origin": "http://localhost:5173"})
        assert refused.status_code == 401  # errors carry CORS headers too, so a page can read them
        assert refused.headers["access-control-allow-origin"] == "http://localhost:5173"


def test_only_configured_origins_are_allowed() -> None:
    settings = Settings.build(cors_origins=("https://app.example.org",))
    with TestClient(create_app(settings)) as client:
        other = client.options(images_url(), headers=PREFLIGHT)
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        mine = client.options(
            images_url(), headers={**PREFLIGHT, "Origin": "https://app.example.org"}
        )
        assert mine.headers["access-control-allow-origin"] == "https://app.example.org"


def test_cors_can_be_turned_off() -> None:
    with TestClient(create_app(Settings.build(cors_origins=()))) as client:
        answer = client.get(
            images_url(), headers={**auth(AMARA), "Origin": "http://localhost:5173"}
        )
        assert "access-control-allow-origin" not in answer.headers
        assert client.options(images_url(), headers=PREFLIGHT).status_code == 401  # as any OPTIONS
