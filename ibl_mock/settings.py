"""Frozen settings for one mock server: which mock folder, which spec, which seed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

PACKAGE_DIR = Path(__file__).resolve().parent


def default_mock_dir() -> Path:
    """The mock of the ibl API (spec/, handlers/, fixtures/): the repository root in a
    checkout (and an editable install), else the copy a wheel carries inside the package
    (pyproject's package-dir puts the root's folders under `ibl_mock/default_mock/`)."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "spec" / "openapi.yaml").is_file():
        return checkout
    return PACKAGE_DIR / "default_mock"


DEFAULT_MOCK_DIR = default_mock_dir()
IN_CHECKOUT = PACKAGE_DIR.parent == DEFAULT_MOCK_DIR
DEFAULT_SEED = 0
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_SPEC = DEFAULT_MOCK_DIR / "spec" / "openapi.yaml"
DEFAULT_JOURNAL_SIZE = 1000

AppType = Literal["flask", "async"]
AccessLog = Literal["text", "json", "off"]
# When the document's conformance passes run (what they find is reported; what is served
# does not depend on them): before serving, once serving ("later": `serve`, whose first
# answer need not wait for seconds of checks on a large document), or not ("skip": a
# worker, whose parent reports them).
Conformance = Literal["now", "later", "skip"]


def mock_dir_of(spec_path: Path) -> Path:
    """The mock folder holding `spec_path`: `<dir>/spec/openapi.yaml` belongs to `<dir>`."""
    parent = spec_path.resolve().parent
    return parent.parent if parent.name == "spec" else parent


def normal_base_path(text: str) -> str:
    """`v2`, `/v2` and `/v2/` all mean `/v2`; `/` and `` mean the root (``)."""
    path = text.strip()
    if "://" in path or any(c in path for c in "?#{} \t\\"):
        raise ValueError(
            f"base path {text!r} must be a plain URL path such as /v2 "
            "(no scheme, host, query, fragment, braces or spaces)"
        )
    path = "/" + path.strip("/")
    return "" if path == "/" else path


@dataclass(frozen=True)
class Settings:
    spec_path: Path
    handlers_dir: Path | None
    fixtures_dir: Path | None
    seed: int = DEFAULT_SEED
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    app_type: AppType = "async"
    base_path: str | None = None  # None: the path of the spec's first server URL
    admin: bool = False  # serve the admin API under /__mock__
    admin_token: str | None = None  # ...guarded by this token (implies admin)
    cors_origins: tuple[str, ...] = ("*",)  # () turns CORS off
    journal_size: int = DEFAULT_JOURNAL_SIZE
    access_log: AccessLog = "off"
    strict: bool = False  # refuse a document with any finding, rather than serve around it
    store_url: str | None = None  # redis://...: the state shared by workers and machines
    store_namespace: str | None = None  # its keys' prefix (None: one per document)
    answer_cache: bool = True  # repeated reads answered again while the store is unchanged
    callbacks: bool = True  # send the callbacks operations describe, after success
    callback_delay_ms: float = 0  # ...this long after the answer
    conformance: Conformance = "now"

    @classmethod
    def build(
        cls,
        spec_path: Path | None = None,
        fixtures_dir: Path | None = None,
        seed: int = DEFAULT_SEED,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        app_type: AppType = "async",
        base_path: str | None = None,
        admin: bool = False,
        admin_token: str | None = None,
        cors_origins: tuple[str, ...] = ("*",),
        journal_size: int = DEFAULT_JOURNAL_SIZE,
        access_log: AccessLog = "off",
        strict: bool = False,
        store_url: str | None = None,
        store_namespace: str | None = None,
        answer_cache: bool = True,
        callbacks: bool = True,
        callback_delay_ms: float = 0,
    ) -> Settings:
        """Settings for a spec, finding its handlers and fixtures beside it unless told."""
        spec = (spec_path or DEFAULT_SPEC).resolve()
        home = mock_dir_of(spec)
        handlers = home / "handlers"
        fixtures = fixtures_dir.resolve() if fixtures_dir else home / "fixtures"
        return cls(
            spec_path=spec,
            handlers_dir=handlers if handlers.is_dir() else None,
            fixtures_dir=fixtures if fixtures.is_dir() or fixtures_dir else None,
            seed=seed,
            host=host,
            port=port,
            app_type=app_type,
            base_path=None if base_path is None else normal_base_path(base_path),
            admin=admin or admin_token is not None,
            admin_token=admin_token,
            cors_origins=cors_origins,
            journal_size=journal_size,
            access_log=access_log,
            strict=strict,
            store_url=store_url,
            store_namespace=store_namespace,
            answer_cache=answer_cache,
            callbacks=callbacks,
            callback_delay_ms=callback_delay_ms,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
