"""`ibl-mock` as a user runs it: in a child process, reading what it prints."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import BIN, MAIN_ADMIN, ROOT, SPECS, LiveServer, images_url


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ibl-mock"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_tokens_prints_org_username_role_and_token() -> None:
    result = run("tokens")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ORG", "USERNAME", "ROLE", "TOKEN"]
    assert lines[1].split() == ["main", "jordan.lee", "platform_admin", MAIN_ADMIN]
    assert len(lines) == 10


def test_tokens_as_json() -> None:
    rows = json.loads(run("tokens", "--json").stdout)
    assert rows[0] == {
        "org": "main",
        "username": "jordan.lee",
        "role": "platform_admin",
        "token": MAIN_ADMIN,
        "authorization": f"Api-Token {MAIN_ADMIN}",
    }
    assert {r["role"] for r in rows} == {"platform_admin", "student"}


def test_validate_accepts_the_ibl_spec_and_refuses_a_broken_one() -> None:
    good = run("validate")
    whole = yaml.load((ROOT / "spec" / "openapi.yaml").read_text(), Loader=yaml.CSafeLoader)
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    count = sum(len(methods & set(item)) for item in whole["paths"].values())
    assert count > 1000
    assert good.returncode == 0 and f"valid OpenAPI 3.0.3, {count} operations" in good.stdout
    bad = run("validate", str(SPECS / "bad-openapi.yaml"))
    assert bad.returncode == 2
    assert f"ibl-mock: {SPECS / 'bad-openapi.yaml'}: 1 problem, not valid:" in bad.stderr
    assert "bad-openapi.yaml:7: /paths/~1x/get/parameters/0/schema/type: 'intger' is not" in (
        bad.stderr
    )


def test_validate_record_writes_the_verdict_and_a_large_texts_reading(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    document = yaml.safe_load((SPECS / "things" / "spec" / "openapi.yaml").read_text())
    spec.write_text(yaml.safe_dump(document))
    small = run("validate", "--record", str(spec))
    assert small.returncode == 0 and f"{spec}.valid: recorded" in small.stdout
    assert ".parsed" not in small.stdout  # parsing it costs less than reading a record
    document["info"]["description"] = "A long story. " * 20000
    spec.write_text(yaml.safe_dump(document))
    large = run("validate", "--record", str(spec))
    assert large.returncode == 0 and f"{spec}.parsed: recorded" in large.stdout
    key, reading = (tmp_path / "openapi.yaml.parsed").read_text().split("\n", 1)
    assert json.loads(reading) == document and len(key) == 64


def test_validate_prints_every_finding_located_and_what_would_be_left_out() -> None:
    path = SPECS / "lenient-broken-operation" / "openapi.yaml"
    result = run("validate", "--strict", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"ibl-mock: {path}: 1 problem, not valid:",
        f"  {path}:34: /components/schemas/Summary/properties/total: "
        "unresolvable $ref '#/components/schemas/Money'",
        "  Left out (not served): GET /orders-summary (/paths/~1orders-summary/get/responses/200/"
        "content/application~1json/schema: leads to the unresolvable $ref "
        "'#/components/schemas/Money')",
    ]


def test_serve_strict_refuses_a_document_with_errors_saying_where() -> None:
    path = SPECS / "lenient-response-example" / "openapi.yaml"
    result = run("serve", "--strict", "--spec", str(path), "--port", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"ibl-mock: {path}: 2 problems, refused (--strict):" in result.stderr
    assert f"{path}:16: /paths/~1pet-of-the-day/get/responses/200/content/" in result.stderr


def test_serve_names_the_errors_then_serves_around_them() -> None:
    path = SPECS / "lenient-response-example" / "openapi.yaml"
    live = LiveServer("--spec", str(path))
    try:
        said = "\n".join(live.banner)
        assert f"ibl-mock: {path}: 2 problems, served anyway (--strict refuses it):" in said
        assert f"{path}:28: /paths/~1pet-of-the-week/get/responses/200/content/" in said
        with urllib.request.urlopen(live.url + "/pet-of-the-week", timeout=10) as response:
            assert json.load(response) == {"id": 7, "name": "Rex"}
    finally:
        code, _ = live.stop()
    assert code == 0


def test_the_conformance_passes_report_after_the_banner_on_a_first_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Their findings change nothing served: the first answer does not wait for them.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = SPECS / "later-findings" / "openapi.yaml"
    later = f"ibl-mock: {path}: 2 problems, found after start-up, served anyway"
    live = LiveServer("--spec", str(path))
    try:
        assert not any("problem" in line for line in live.banner)
        with urllib.request.urlopen(live.url + "/a", timeout=10) as response:
            assert json.load(response) == {"ok": True}
        deadline = time.monotonic() + 30
        while later not in "".join(live.output) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        code, said = live.stop()
    assert code == 0 and later in said
    assert f"{path}:20: /paths/~1b~1{{id}}/get: Path parameter 'id' for 'get'" in said
    again = LiveServer("--spec", str(path))  # remembered: said before serving, as any finding
    try:
        assert f"ibl-mock: {path}: 2 problems, served anyway" in "\n".join(again.banner)
    finally:
        again.stop()


def test_a_bad_fixture_stops_start_up_with_its_name(tmp_path: Path) -> None:
    fixtures = shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    users = fixtures / "users.yaml"
    users.write_text(users.read_text().replace("role: student", "role: teacher", 1))
    result = run("serve", "--fixtures", str(fixtures), "--port", "0")
    assert result.returncode == 2
    assert "users.yaml: record #2 (id 1057): field 'role': 'teacher' is not one of" in result.stderr


def test_serve_prints_url_ui_and_a_working_demo_token_then_stops_on_ctrl_c() -> None:
    live = LiveServer("--seed", "3")
    banner = "\n".join(live.banner)
    assert f"Swagger UI: {live.url}/ui/" in banner
    assert f"Demo token: Api-Token {MAIN_ADMIN}" in banner
    request = urllib.request.Request(
        live.url + images_url(), headers={"Authorization": f"Api-Token {MAIN_ADMIN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["count"] >= 12
    with urllib.request.urlopen(live.url + "/ui/", timeout=10) as response:
        assert b"swagger" in response.read().lower()
    code, out = live.stop()
    assert code == 0
    assert "ibl-mock: stopped" in out and "Traceback" not in out


def test_a_busy_port_is_reported() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.returncode == 1
    assert f"could not serve on 127.0.0.1:{port}" in result.stderr


def test_bad_arguments_are_refused_by_name() -> None:
    result = run("serve", "--port", "70000")
    assert result.returncode == 2 and "port must be 0..65535" in result.stderr


def test_duplicate_token_keys_stop_start_up(tmp_path: Path) -> None:
    fixtures = shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    tokens = fixtures / "tokens.yaml"
    amara = "830d93bb37cf9c2a2dbb32046101c79762ef8ca517d6af2370e20079c8e9a9d2"
    tokens.write_text(tokens.read_text().replace(amara, MAIN_ADMIN))
    result = run("tokens", "--fixtures", str(fixtures))
    assert result.returncode == 2
    assert "tokens.yaml: record #2 (id 2): field 'key'" in result.stderr


def test_validate_takes_swagger_2_as_the_openapi_3_it_serves() -> None:
    result = run("validate", str(SPECS / "swagger2" / "petstore.yaml"))
    assert result.returncode == 0, result.stderr
    assert "valid Swagger 2.0, served as OpenAPI 3.0.3" in result.stdout


def test_validate_refuses_what_is_not_openapi() -> None:
    for name, message in [
        ("swagger12.yaml", "Swagger 1.2 is not served (2.0 and OpenAPI 3 are)"),
        ("dangling-ref.yaml", "unresolvable $ref"),
    ]:
        result = run("validate", str(SPECS / name))
        assert result.returncode == 2 and message in result.stderr
        assert "Traceback" not in result.stderr
    assert (
        "not an OpenAPI 3.0 or 3.1 document"
        in run("validate", str(ROOT / "fixtures" / "users.yaml")).stderr
    )


def test_sigterm_stops_as_cleanly_as_ctrl_c() -> None:
    live = LiveServer()
    code, out = live.stop(signal.SIGTERM)
    assert code == 0
    assert "ibl-mock: stopped" in out and "Traceback" not in out


def test_base_path_overrides_the_spec_server_path() -> None:
    spec = SPECS / "corpus" / "custom-envelope" / "openapi.yaml"  # its server URL ends in /v2
    live = LiveServer("--spec", str(spec), "--base-path", "fleet/")
    try:
        assert live.url.endswith("/fleet")
        with urllib.request.urlopen(live.url + "/openapi.json", timeout=10) as response:
            assert json.load(response)["servers"][0]["url"] == "/fleet"
        root = live.url.removesuffix("/fleet")
        for gone in ("/v2/openapi.json", "/v2/vehicles"):
            try:
                urllib.request.urlopen(root + gone, timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 404
            else:
                raise AssertionError(f"{gone} is still served")
    finally:
        code, _ = live.stop()
    assert code == 0


def test_a_base_path_with_a_host_is_refused() -> None:
    result = run("serve", "--base-path", "http://example.test/v2")
    assert result.returncode == 2
    assert "argument --base-path: base path 'http://example.test/v2' must be" in result.stderr


def wait_for(lines: list[str], needle: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = next((line for line in lines if needle in line), None)
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never printed: {''.join(lines)}")


def test_serve_logs_one_json_line_per_request_and_names_the_admin_api() -> None:
    live = LiveServer("--admin-token", "t0k", "--log-format", "json")
    try:
        banner = "\n".join(live.banner)
        assert (
            "Admin API:  http://127.0.0.1:" in banner and "(token in X-Mock-Admin-Token)" in banner
        )
        request = urllib.request.Request(
            live.url + images_url(), headers={"Authorization": f"Api-Token {MAIN_ADMIN}"}
        )
        urllib.request.urlopen(request, timeout=10).close()
        line = json.loads(wait_for(live.output, '"operation_id"'))
        assert line["operation_id"] == "ai_mentor_orgs_users_ai_generated_images_list"
        assert line["status"] == 200 and line["method"] == "GET" and line["duration_ms"] > 0
    finally:
        live.stop()


def test_serve_quiet_logs_no_requests() -> None:
    live = LiveServer("--quiet")
    try:
        urllib.request.urlopen(live.url + "/openapi.json", timeout=10).close()
        try:
            urllib.request.urlopen(live.url + images_url(), timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 401
    finally:
        code, out = live.stop()
    assert code == 0 and "GET /" not in out


def test_a_handler_that_cannot_be_imported_stops_start_up_with_its_line(tmp_path: Path) -> None:
    folder = shutil.copytree(SPECS / "corpus" / "drf-library", tmp_path / "library")
    (folder / "handlers").mkdir()
    (folder / "handlers" / "books.py").write_text('import os\nraise RuntimeError("boom")\n')
    result = run("tokens", "--spec", str(folder / "openapi.yaml"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "books.py: cannot be imported: line 2: RuntimeError: boom" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--admin-token", " "), "the admin token must not be empty"),
        (("--cors-origin", "localhost:3000"), "'localhost:3000' is not an origin"),
    ],
)
def test_bad_serve_options_are_refused_by_name(args: tuple[str, ...], says: str) -> None:
    result = run("serve", *args)
    assert result.returncode == 2 and says in result.stderr


def test_json_request_lines_have_stdout_to_themselves() -> None:
    command = [
        str(BIN / "ibl-mock"),
        "serve",
        "--port",
        "0",
        "--log-format",
        "json",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None and process.stdout is not None
        said = [process.stderr.readline() for _ in range(2)]
        url = said[1].split()[-1].rstrip("/")
        assert said[0].startswith("ibl-mock: serving") and url.startswith("http://")
        try:
            urllib.request.urlopen(url + images_url(), timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 401
        assert json.loads(process.stdout.readline())["status"] == 401
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert out == "" and "ibl-mock: stopped" in err


def test_a_check_tripping_after_start_up_is_said_in_a_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ibl_mock.app import create_app
    from ibl_mock.cli import finish_checks
    from ibl_mock.settings import Settings

    server = create_app(Settings.build(spec_path=SPECS / "later-findings" / "openapi.yaml"))

    def broken(pause: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    object.__setattr__(server.spec, "later", broken)
    finish_checks(server)
    for thread in [t for t in threading.enumerate() if t.name == "ibl-mock-checks"]:
        thread.join(10)
    said = capsys.readouterr().err
    assert "not checked further after start-up (RecursionError(" in said
    assert "Traceback" not in said
