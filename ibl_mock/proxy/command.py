"""`ibl-mock proxy --upstream URL`: its options, and serving it until stopped, when the
report is written where `--report` says."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..settings import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SPEC

if TYPE_CHECKING:  # the command line stays quick: the proxy is imported when it runs
    from .forwarding import ContractProxy, ProxySettings


def proxy_app(
    spec_path: Path,
    settings: ProxySettings,
    base_path: str | None = None,
    fallback: bool = False,
    record: Path | None = None,
) -> ContractProxy:
    """The proxy of `spec_path`'s contract in front of `settings.upstream`; `fallback`: the
    mock of the contract (its handlers and fixtures beside it) answers what it lacks."""
    from ..app import create_app
    from ..contract.spec import load_spec
    from ..control.journal import Masker
    from ..pipeline.auth import secret_parameters
    from ..settings import Settings
    from .conformance import ContractCheck
    from .forwarding import ContractProxy
    from .recording import Recorder
    from .report import Report

    spec = load_spec(spec_path)
    headers, query = secret_parameters(spec.document)
    masker = Masker(headers, query)
    served = spec.base_path if base_path is None else base_path
    check = ContractCheck(spec, served, masker)
    mock = None
    if fallback:
        mock = create_app(Settings.build(spec_path=spec_path, base_path=served), spec=spec)
    recorder = None if record is None else Recorder(record, spec)
    return ContractProxy(settings, check, masker, Report(), mock, recorder=recorder)


def upstream_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL (http://host:port)")
    return text.rstrip("/")


def add_proxy_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    proxy = commands.add_parser(
        "proxy", help="forward to the real API, checking both directions against the contract"
    )
    proxy.add_argument("--upstream", required=True, type=upstream_url, metavar="URL")
    proxy.add_argument("--spec", type=Path, help="OpenAPI document (default: the ibl spec)")
    proxy.add_argument("--host", default=DEFAULT_HOST, help="interface (default %(default)s)")
    proxy.add_argument("--port", type=int, default=DEFAULT_PORT, help="default %(default)s")
    proxy.add_argument(
        "--base-path", help="where the spec's paths are (default: its first server URL's path)"
    )
    proxy.add_argument(
        "--report",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="on exit, write the violations there: JUnit XML for a .xml name, else JSON "
        "(repeatable: --report contract.json --report contract.xml)",
    )
    proxy.add_argument(
        "--violations-header",
        action="store_true",
        help="add X-Ibl-Mock-Violations to each answer (the answer is held until checked)",
    )
    proxy.add_argument(
        "--fallback",
        choices=["none", "mock"],
        default="none",
        help="'mock': the mock of the contract answers a documented operation the upstream "
        "lacks (no answer, 501, or a 404 that is not a record's)",
    )
    proxy.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="on exit, write the records the upstream answered as fixture files there "
        "(serve them with: ibl-mock serve --spec SPEC --fixtures DIR)",
    )
    proxy.add_argument(
        "--admin-token",
        default=os.environ.get("IBL_MOCK_ADMIN_TOKEN") or None,
        help="callers of /__mock__/ (report, journal) send X-Mock-Admin-Token: TOKEN "
        "(default: $IBL_MOCK_ADMIN_TOKEN; none: open)",
    )
    proxy.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    proxy.add_argument("--ca-file", type=Path, help="verify the upstream's TLS with this CA")
    proxy.add_argument("--insecure", action="store_true", help="do not verify upstream TLS")
    proxy.add_argument("--log-level", default="info", choices=["error", "warning", "info"])


def write_report(proxy: ContractProxy, path: Path) -> None:
    if path.suffix.lower() == ".xml":
        path.write_text(proxy.report.junit(), encoding="utf-8")
    else:
        path.write_text(json.dumps(proxy.report.as_json(), indent=2), encoding="utf-8")


def run_proxy(args: argparse.Namespace) -> int:
    import uvicorn

    from .forwarding import REPORT_PATH, ProxySettings, shown_url

    verify: bool | str = False if args.insecure else str(args.ca_file) if args.ca_file else True
    settings = ProxySettings(
        args.upstream, args.timeout, args.violations_header, verify, args.admin_token
    )
    spec_path = (args.spec or DEFAULT_SPEC).resolve()
    proxy = proxy_app(spec_path, settings, args.base_path, args.fallback == "mock", args.record)
    print(
        f"ibl-mock proxy: http://{args.host}:{args.port} -> {shown_url(args.upstream)}, "
        "checked against "
        f"{proxy.check.spec.title}; report at http://{args.host}:{args.port}{REPORT_PATH}",
        flush=True,
    )
    config = uvicorn.Config(
        proxy,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        server_header=False,  # the upstream's own Server and Date pass through
        date_header=False,
    )
    # After uvicorn's logging set-up, which removes every handler there was.
    logging.basicConfig(level=args.log_level.upper(), format="ibl-mock proxy: %(message)s")
    for chatty in ("httpx", "httpx2", "httpcore"):  # a line per forwarded request: the log's
        logging.getLogger(chatty).setLevel(logging.WARNING)
    server = uvicorn.Server(config)
    signal.signal(signal.SIGTERM, lambda *_: None)  # uvicorn stops gracefully, as on Ctrl-C
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if proxy.recorder is not None:
        written = proxy.recorder.write()
        print(
            f"ibl-mock proxy: recorded {len(written)} collection(s) into {args.record} "
            f"({proxy.recorder.left_out} record(s) breaking their schema left out)",
            file=sys.stderr,
        )
    for path in args.report:
        write_report(proxy, path)
        print(f"ibl-mock proxy: report written to {path}", file=sys.stderr)
    counts = proxy.report.as_json()
    print(
        f"ibl-mock proxy: {counts['exchanges']} exchanges, {counts['with_violations']} with "
        f"{counts['violations']} violations",
        flush=True,
    )
    return 0 if server.started else 1
