"""ibl-mock as an installable tool: a wheel built from the checkout, installed outside it,
serves the ibl API with its spec, handlers and fixtures, prints its tokens and backs the
pytest fixture of another project's suite."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPENDENCIES = sysconfig.get_paths()["purelib"]  # the venv's: ibl-mock's dependencies
FOREIGN_SUITE = """
import json, urllib.request

def test_the_ibl_api_is_served(ibl_mock):
    url = ibl_mock.url + "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/"
    request = urllib.request.Request(url, headers=ibl_mock.auth("amara.okafor"))
    assert json.load(urllib.request.urlopen(request))["count"] > 0
"""


def test_every_package_of_the_engine_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "ibl_mock").rglob("__init__.py")
    }
    assert found <= listed


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ibl-mock installed (without its dependencies) into a folder of its own."""
    target = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    return target


def outside(installed: Path, tmp_path: Path, *code: str) -> tuple[list[str], dict[str, str], Path]:
    """A Python command run from a folder outside the checkout, importing the installed
    ibl-mock (-S: no site, so the checkout's editable install is not seen)."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{installed}{os.pathsep}{DEPENDENCIES}",
        "PYTHONUNBUFFERED": "1",
    }
    return [sys.executable, "-S", *code], env, tmp_path


def run_outside(installed: Path, tmp_path: Path, *code: str) -> subprocess.CompletedProcess[str]:
    command, env, cwd = outside(installed, tmp_path, *code)
    return subprocess.run(
        command,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


CLI = "import sys; from ibl_mock.cli import main; sys.exit(main(sys.argv[1:]))"


def test_the_installed_tool_carries_the_default_mock(installed: Path, tmp_path: Path) -> None:
    found = run_outside(
        installed, tmp_path, "-c", "import ibl_mock.settings as s; print(s.DEFAULT_SPEC)"
    )
    assert found.stdout.strip() == str(
        installed / "ibl_mock" / "default_mock" / "spec" / "openapi.yaml"
    )


def test_the_installed_tool_prints_the_tokens(installed: Path, tmp_path: Path) -> None:
    found = run_outside(installed, tmp_path, "-c", CLI, "tokens", "--json")
    assert found.returncode == 0, found.stderr
    usernames = {token["username"] for token in json.loads(found.stdout)}
    assert {"jordan.lee", "amara.okafor", "sarah.chen"} <= usernames


@pytest.fixture
def served(installed: Path, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    command, env, cwd = outside(installed, tmp_path, "-c", CLI, "serve", "--port", "0")
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    banner: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        url = next(
            found.group(1) for line in banner if (found := re.search(r"URL:\s+(\S+?)/?$", line))
        )
        yield url, banner
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_installed_tool_serves_the_ibl_api_with_its_handlers(
    served: tuple[str, list[str]],
) -> None:
    url, banner = served
    token = next(line.split()[3] for line in banner if "Demo token:" in line)
    images = f"{url}/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/?page_size=2"
    request = urllib.request.Request(images, headers={"Authorization": f"Api-Token {token}"})
    page = json.load(urllib.request.urlopen(request))
    assert page["count"] > 2 and len(page["results"]) == 2
    assert any("All tokens: ibl-mock tokens" in line for line in banner)


def test_the_installed_tool_backs_another_projects_pytest_fixture(
    installed: Path, tmp_path: Path
) -> None:
    (tmp_path / "test_theirs.py").write_text(FOREIGN_SUITE)
    found = run_outside(
        installed, tmp_path, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_theirs.py"
    )
    assert found.returncode == 0, found.stdout + found.stderr
    assert "1 passed" in found.stdout
