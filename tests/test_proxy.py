"""proxy: in front of a real upstream (tests/proxy_upstream.py, its own process) that
breaks the contract of tests/specs/proxy in known ways; the report names each break and
nothing else, and every answer reaches the client unchanged."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from ibl_mock.app import create_app
from ibl_mock.proxy.command import proxy_app
from ibl_mock.proxy.forwarding import ContractProxy, ProxySettings
from ibl_mock.settings import Settings
from tests.conftest import BIN, SPECS
from tests.test_cors import browse_dom

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = SPECS / "proxy" / "openapi.yaml"
KEY = {"X-API-Key": "k-secret-123"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[Any]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"the process on port {port} ended: {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.proxy_upstream:app", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def proxy(upstream: str) -> ContractProxy:
    return proxy_app(CONTRACT, ProxySettings(upstream))


def broken(proxy: ContractProxy) -> set[tuple[str | None, str, str]]:
    return {
        (v["operation_id"], v["location"], v["rule"])
        for entry in proxy.report.as_json()["entries"]
        for v in entry["violations"]
    }


def test_the_report_names_each_break_of_the_upstream_and_nothing_else(
    proxy: ContractProxy,
) -> None:
    with TestClient(proxy) as client:
        assert client.get("/api/pets", headers=KEY).status_code == 200
        assert client.get("/api/pets/1", headers=KEY).json() == {"id": 1}
        assert client.get("/api/pets/2", headers=KEY).status_code == 200
        assert client.get("/api/pets/3", headers=KEY).status_code == 418
        assert client.get("/api/pets/4", headers=KEY).json()["name"] == "Zoë 🐈"
        assert client.get("/api/pets/5", headers=KEY).status_code == 404
        made = client.post("/api/pets", headers=KEY, json={"name": "Rex"})
        assert made.status_code == 201 and made.headers["location"] == "/9"
    assert broken(proxy) == {
        ("listPets", "response.body/1/id", "schema"),
        ("getPet", "response.body", "schema"),  # `name` missing
        ("getPet", "response.header.content-type", "media-type"),
        ("getPet", "response.status", "status"),
    }
    assert proxy.report.as_json()["exchanges"] == 7


def test_requests_breaking_the_contract_are_forwarded_and_reported(proxy: ContractProxy) -> None:
    with TestClient(proxy) as client:
        assert client.get("/api/pets?limit=ten", headers=KEY).status_code == 200
        assert client.get("/api/pets").status_code == 200  # no key: the upstream's to judge
        assert client.get("/api/health", headers=KEY).json() == {"ok": True}
        assert client.delete("/api/pets/4", headers=KEY).status_code == 405
        client.post("/api/pets", headers={**KEY, "Content-Type": "application/json"})
    found = broken(proxy)
    assert ("listPets", "request.query.limit", "schema") in found
    assert ("listPets", "request.security", "security") in found
    assert (None, "request.path", "undocumented-path") in found
    assert (None, "request.method", "undocumented-method") in found
    assert ("createPet", "request.body", "required") in found


def test_credentials_never_reach_the_report(proxy: ContractProxy) -> None:
    with TestClient(proxy) as client:
        client.get("/api/pets/1", headers={**KEY, "Authorization": "Bearer t0ken"})
        client.post("/api/pets", headers=KEY, json={"password": "hunter2"})  # no name
        client.post("/api/pets", headers=KEY, json={"name": {"api_key": "sesame"}})
    made = proxy.report.as_json()["entries"][1]
    assert made["request"]["body"] == {"password": "***"}  # kept to reproduce, masked
    text = str(proxy.report.as_json())
    assert "k-secret-123" not in text and "t0ken" not in text and "hunter2" not in text
    assert "sesame" not in text
    entry = proxy.report.as_json()["entries"][0]
    assert entry["request"]["headers"]["x-api-key"] == "***"


def test_binary_bodies_pass_through_unchanged(proxy: ContractProxy) -> None:
    with TestClient(proxy) as client:
        answer = client.get("/api/blob", headers=KEY)
    assert answer.content == bytes(range(256)) * 4096


def test_an_unreachable_upstream_is_a_502_naming_it() -> None:
    proxy = proxy_app(CONTRACT, ProxySettings(f"http://127.0.0.1:{free_port()}", timeout_s=2))
    with TestClient(proxy) as client:
        answer = client.get("/api/pets/4", headers=KEY)
    assert answer.status_code == 502 and "did not answer" in answer.json()["detail"]
    assert ("upstream", "unreachable") in {(loc, rule) for _, loc, rule in broken(proxy)}


def test_the_violations_header_is_opt_in(upstream: str) -> None:
    proxy = proxy_app(CONTRACT, ProxySettings(upstream, violations_header=True))
    with TestClient(proxy) as client:
        answer = client.get("/api/pets/1", headers=KEY)
        clean = client.get("/api/pets/4", headers=KEY)
        blob = client.get("/api/blob", headers=KEY)  # held whole, then sent whole
    assert "required property" in answer.headers["x-ibl-mock-violations"]
    assert answer.json() == {"id": 1}
    assert clean.headers["x-ibl-mock-violations"] == "[]"
    assert blob.content == bytes(range(256)) * 4096


def test_the_command_serves_the_report_and_writes_junit_on_exit(
    upstream: str, tmp_path: Path
) -> None:
    port = free_port()
    report = tmp_path / "contract.xml"
    as_json = tmp_path / "contract.json"
    process = subprocess.Popen(
        [str(BIN / "ibl-mock"), "proxy", "--upstream", upstream, "--spec", str(CONTRACT),
         "--port", str(port), "--report", str(report), "--report", str(as_json)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=KEY) as client:
            assert client.get("/api/pets/3").status_code == 418
            assert client.get("/api/pets/4").status_code == 200
            live = client.get("/__mock__/report").json()
        assert live["exchanges"] == 2 and live["with_violations"] == 1
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "getPet" in output and "status 418 is not documented" in output  # the log
    suite = ElementTree.fromstring(report.read_text())
    assert suite.get("tests") == "1" and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "response.status [status]" in (failure.text or "")
    written = json.loads(as_json.read_text())
    assert written["exchanges"] == 2 and written["entries"][0]["operation_id"] == "getPet"


def test_what_the_upstream_lacks_is_answered_by_the_mock_with_fallback(upstream: str) -> None:
    proxy = proxy_app(CONTRACT, ProxySettings(upstream), fallback=True)
    with TestClient(proxy) as client:
        owners = client.get("/api/owners", headers=KEY)  # the upstream: 404, no such path
        missing_pet = client.get("/api/pets/5", headers=KEY)  # a record's own 404
    assert owners.status_code == 200 and owners.headers["x-ibl-mock-answered-by"] == "mock"
    assert all(isinstance(owner["name"], str) for owner in owners.json())
    assert missing_pet.status_code == 404 and "x-ibl-mock-answered-by" not in missing_pet.headers
    assert missing_pet.json() == {"detail": "Not found."}  # the upstream's words
    report = proxy.report.as_json()
    assert report["answered_by_mock"] == 1 and report["with_violations"] == 0


def test_without_fallback_a_lacking_upstream_is_a_violation(proxy: ContractProxy) -> None:
    with TestClient(proxy) as client:
        assert client.get("/api/owners", headers=KEY).status_code == 404
    assert broken(proxy) == {("listOwners", "response.status", "status")}


def test_an_unreachable_upstream_is_answered_by_the_mock_with_fallback() -> None:
    gone = ProxySettings(f"http://127.0.0.1:{free_port()}", timeout_s=2)
    proxy = proxy_app(CONTRACT, gone, fallback=True)
    with TestClient(proxy) as client:
        answer = client.get("/api/pets", headers=KEY)
    assert answer.status_code == 200 and answer.headers["x-ibl-mock-answered-by"] == "mock"
    assert isinstance(answer.json(), list)
    assert ("upstream", "unreachable") in {(loc, rule) for _, loc, rule in broken(proxy)}


def test_the_journal_entry_of_a_request_carries_its_violations(proxy: ContractProxy) -> None:
    with TestClient(proxy) as client:
        client.get("/api/pets/3", headers=KEY)
        client.get("/api/pets/4", headers=KEY)
        entries = client.get("/__mock__/journal").json()
        assert client.delete("/__mock__/journal").status_code == 204
        assert client.get("/__mock__/journal").json() == []
        assert client.get("/__mock__/other").status_code == 404
    assert [e["path"] for e in entries] == ["/api/pets/4", "/api/pets/3"]
    assert entries[0]["violations"] == [] and entries[0]["operation_id"] == "getPet"
    assert [v["rule"] for v in entries[1]["violations"]] == ["status"]
    assert entries[1]["headers"]["x-api-key"] == "***"


def test_the_proxy_page_shows_its_report_in_a_browser(upstream: str, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "ibl-mock"), "proxy", "--upstream", upstream, "--spec", str(CONTRACT),
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=KEY) as client:
            assert client.get("/api/pets/3").status_code == 418
        dom = browse_dom(f"http://127.0.0.1:{port}/__mock__/", tmp_path / "profile")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    report = re.search(r'<tbody id="report">(.*?)</tbody>', dom, re.S)
    assert report and "getPet" in report.group(1) and "status 418 is not documented" in dom
    assert "ibl-mock proxy: Pet shop contract" in dom
    assert re.search(r'<section id="collections-section" hidden', dom)  # the mock's only


def test_a_recording_becomes_a_stateful_world(upstream: str, tmp_path: Path) -> None:
    folder = tmp_path / "fixtures"
    proxy = proxy_app(CONTRACT, ProxySettings(upstream), record=folder)
    with TestClient(proxy) as client:
        client.get("/api/pets", headers=KEY)  # 4 Zoë, and "two" (its id breaks the schema)
        client.get("/api/pets/4", headers={**KEY, "Authorization": "Bearer t0ken"})
        client.get("/api/pets/1", headers=KEY)  # no name: left out
    assert proxy.recorder is not None
    written = proxy.recorder.write()
    assert [path.name for path in written] == ["recorded-pets.yaml"]
    assert proxy.recorder.left_out == 2
    assert "t0ken" not in written[0].read_text() and "k-secret" not in written[0].read_text()
    served = create_app(Settings.build(spec_path=CONTRACT, fixtures_dir=folder))
    with TestClient(served) as client:
        listed = client.get("/api/pets", headers=KEY).json()
        assert listed == [{"id": 4, "name": "Zoë 🐈"}]  # merged by id: the last answer won
        assert client.get("/api/pets/4", headers=KEY).json()["name"] == "Zoë 🐈"
        made = client.post("/api/pets", headers=KEY, json={"name": "Rex"})
        assert made.status_code == 201
        assert len(client.get("/api/pets", headers=KEY).json()) == 2  # stateful


def test_records_nested_under_a_parent_are_recorded_under_it(upstream: str, tmp_path: Path) -> None:
    folder = tmp_path / "fixtures"
    proxy = proxy_app(CONTRACT, ProxySettings(upstream), record=folder)
    with TestClient(proxy) as client:
        client.get("/api/owners/7/pets", headers=KEY)
        client.get("/api/owners/7/pets/2", headers=KEY)  # renamed since the list
    assert proxy.recorder is not None
    assert [p.name for p in proxy.recorder.write()] == [
        "recorded-owners-ownerId-pets-ownerId-7.yaml"
    ]
    served = create_app(Settings.build(spec_path=CONTRACT, fixtures_dir=folder))
    with TestClient(served) as client:
        mine = client.get("/api/owners/7/pets", headers=KEY).json()
        other = client.get("/api/owners/8/pets", headers=KEY).json()
    assert mine == [{"id": 1, "name": "Rex"}, {"id": 2, "name": "Kitty"}]
    assert other != mine  # another owner's pets: seeded, not recorded


def test_recorded_credentials_are_masked(tmp_path: Path) -> None:
    from ibl_mock.control.masking import masked

    record = {"id": 1, "api_key": "abc", "owner": {"password": "pw", "name": "n"}, "tokens": 3}
    assert masked(record) == {
        "id": 1, "api_key": "***", "owner": {"password": "***", "name": "n"}, "tokens": 3,
    }  # fmt: skip


def test_requests_reach_the_upstream_as_sent_and_nothing_more(upstream: str) -> None:
    proxy = proxy_app(CONTRACT, ProxySettings(upstream))
    with TestClient(proxy) as client:
        client.post("/api/login")  # the upstream sets a cookie for this caller
        client.cookies.clear()  # ...who is gone: the next request is another caller's
        echoed = client.get(
            "/api/echo/a%2Fb%3Fc=1?x=1&x=2",
            headers=[("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "2.2.2.2")],
        ).json()
    assert echoed["raw_path"] == "/api/echo/a%2Fb%3Fc=1" and echoed["query"] == "x=1&x=2"
    names = [name for name, _ in echoed["headers"]]
    forwarded = [value for name, value in echoed["headers"] if name == "x-forwarded-for"]
    assert forwarded == ["1.1.1.1", "2.2.2.2"]
    assert "cookie" not in names  # another caller's cookie never travels
    assert "accept-encoding" in names  # the test client's own
    with TestClient(proxy) as client:
        bare = client.get("/api/echo/x", headers={"accept-encoding": "identity"}).json()
    assert ["accept-encoding", "identity"] in bare["headers"]


def test_repeated_query_keys_are_one_array() -> None:
    from ibl_mock.contract.spec import load_spec
    from ibl_mock.control.journal import Masker
    from ibl_mock.proxy.conformance import ContractCheck

    check = ContractCheck(load_spec(SPECS / "proxy" / "tagged.yaml"), "", Masker())
    _, found = check.request("GET", "/things", "tag=a&tag=b", {}, None)
    assert found == []
    _, found = check.request("GET", "/things", "tag=a&tag=7&limit=x", {}, None)
    assert [v.location for v in found] == ["request.query.limit"]


def test_a_password_in_the_upstream_url_is_never_shown(upstream: str) -> None:
    with_secret = upstream.replace("http://", "http://svc:S3cretPw@")
    proxy = proxy_app(CONTRACT, ProxySettings(with_secret))
    with TestClient(proxy) as client:
        info = client.get("/__mock__/")
    assert "S3cretPw" not in info.text and "svc:***@127.0.0.1" in info.json()["upstream"]


def test_a_large_upload_is_passed_on_whole(upstream: str) -> None:
    payload = bytes(range(256)) * (80 * 1024)  # 20 MiB: more than is kept for checks
    proxy = proxy_app(CONTRACT, ProxySettings(upstream))
    with TestClient(proxy) as client:
        got = client.post("/api/upload", content=payload).json()
    assert got == {"size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}


def test_an_admin_token_guards_the_report_and_journal(upstream: str) -> None:
    proxy = proxy_app(CONTRACT, ProxySettings(upstream, admin_token="adm"))
    with TestClient(proxy) as client:
        assert client.get("/api/pets/3", headers=KEY).status_code == 418  # the API is open
        for path in ("/__mock__/", "/__mock__/report", "/__mock__/journal"):
            assert client.get(path).status_code == 401
            refused = client.get(path, headers={"X-Mock-Admin-Token": "guess"})
            assert refused.status_code == 401
            assert client.get(path, headers={"X-Mock-Admin-Token": "adm"}).status_code == 200
        page = client.get("/__mock__/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and 'id="token"' in page.text  # it asks for the token


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The upstream over HTTPS, its certificate signed by a CA of the test's own."""
    folder = tmp_path_factory.mktemp("tls")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=ibl-mock test CA", cwd=folder)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=127.0.0.1", cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext",
            cwd=folder)  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.proxy_upstream:app", "--port", str(port),
         "--log-level", "warning", "--ssl-keyfile", str(folder / "server.key"),
         "--ssl-certfile", str(folder / "server.pem")],
        cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, process)
        yield f"https://127.0.0.1:{port}", folder / "ca.pem"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_upstream_with_a_custom_ca_is_reached_with_that_ca(
    tls_upstream: tuple[str, Path],
) -> None:
    url, ca = tls_upstream
    trusting = proxy_app(CONTRACT, ProxySettings(url, verify=str(ca)))
    with TestClient(trusting) as client:
        assert client.get("/api/pets/4", headers=KEY).json() == {"id": 4, "name": "Zoë 🐈"}
    default = proxy_app(CONTRACT, ProxySettings(url, timeout_s=5))
    with TestClient(default) as client:
        refused = client.get("/api/pets/4", headers=KEY)
    assert refused.status_code == 502 and "CERTIFICATE_VERIFY_FAILED" in refused.text
