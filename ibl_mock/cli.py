"""`ibl-mock serve | tokens | validate`: parse arguments, call the core, print."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .control.heap import building
from .proxy.command import add_proxy_command, run_proxy
from .settings import (
    DEFAULT_HOST,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_PORT,
    DEFAULT_SEED,
    DEFAULT_SPEC,
    IN_CHECKOUT,
    Settings,
    normal_base_path,
)

if TYPE_CHECKING:  # the engine is imported when a command runs, after Ctrl-C is handled
    from .app import MockServer
    from .pipeline.auth import Principal


def port_number(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {value}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def cors_origin(text: str) -> str:
    """`https://app.example.org` (scheme, host, maybe port), `*`, or `none`."""
    if text in ("*", "none") or re.fullmatch(r"https?://[^/\s]+", text.rstrip("/")):
        return text.rstrip("/")
    raise argparse.ArgumentTypeError(
        f"{text!r} is not an origin: give scheme and host, e.g. http://localhost:5173"
    )


def admin_token(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the admin token must not be empty")
    return text


def non_negative_ms(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of milliseconds") from None
    if not 0 <= value <= 3_600_000:
        raise argparse.ArgumentTypeError("a delay is from 0 to 3600000 milliseconds")
    return value


def cors_origins(given: list[str] | None) -> tuple[str, ...]:
    if not given:
        return ("*",)
    return () if given == ["none"] else tuple(given)


def base_path_option(text: str) -> str:
    try:
        return normal_base_path(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ibl-mock", description="A stateful OpenAPI mock server.")
    commands = top.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve a mock over HTTP")
    add_mock_options(serve)
    serve.add_argument("--host", default=DEFAULT_HOST, help="interface (default %(default)s)")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="default %(default)s")
    serve.add_argument(
        "--base-path",
        type=base_path_option,
        help="serve under this path (default: the path of the spec's first server URL)",
    )
    serve.add_argument(
        "--app",
        choices=["async", "flask"],
        default="async",
        help="Connexion app type (default %(default)s)",
    )
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text",
        help="one line per request, as text or JSON (default %(default)s)",
    )
    serve.add_argument("--quiet", action="store_true", help="no line per request")
    serve.add_argument(
        "--watch",
        action="store_true",
        help="reload when the spec, handlers or fixtures change; a broken edit is reported "
        "and the last good version keeps serving",
    )
    serve.add_argument(
        "--admin", action="store_true", help="serve the admin API under /__mock__/ (no token)"
    )
    serve.add_argument(
        "--admin-token",
        type=admin_token,
        default=os.environ.get("IBL_MOCK_ADMIN_TOKEN") or None,
        help="serve the admin API to callers sending X-Mock-Admin-Token: TOKEN "
        "(default: $IBL_MOCK_ADMIN_TOKEN)",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        type=cors_origin,
        metavar="ORIGIN",
        help="allow this browser origin (repeatable; default any; 'none' turns CORS off)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="refuse a document with errors (by default they are reported, located, and "
        "the mock serves around them)",
    )
    serve.add_argument(
        "--store",
        metavar="URL",
        help="keep the mock's records in Redis (redis://HOST:PORT/DB, unix:///PATH?db=N), "
        "shared by every worker and every ibl-mock pointed at it (default: in memory)",
    )
    serve.add_argument(
        "--store-namespace",
        metavar="NAME",
        help="the prefix of the mock's keys in the store, to keep mocks of one document "
        "apart (default: one per document)",
    )
    serve.add_argument(
        "--no-answer-cache",
        dest="answer_cache",
        action="store_false",
        help="make every read afresh (by default a GET asked again, the same in every header, "
        "is answered again from memory while the store is unchanged)",
    )
    serve.add_argument(
        "--no-callbacks",
        dest="callbacks",
        action="store_false",
        help="send no callbacks (by default an operation's documented callbacks are sent "
        "after it succeeds, and journaled with the receiver's answer)",
    )
    serve.add_argument(
        "--callback-delay",
        type=non_negative_ms,
        default=0,
        metavar="MS",
        help="send callbacks this many milliseconds after the answer (default 0)",
    )
    serve.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="worker processes (default %(default)s; more than one needs --store)",
    )
    serve.add_argument(
        "--journal-size",
        type=positive_int,
        default=DEFAULT_JOURNAL_SIZE,
        help="requests the journal keeps (default %(default)s)",
    )

    tokens = commands.add_parser("tokens", help="list the API tokens of the fixtures")
    add_mock_options(tokens)
    tokens.add_argument("--json", action="store_true", help="print JSON")

    add_proxy_command(commands)

    validate = commands.add_parser(
        "validate", help="check an OpenAPI document: every error, located; exit 2 if any"
    )
    validate.add_argument("spec", type=Path, nargs="?", help="default: the ibl-data-manager spec")
    validate.add_argument(
        "--record",
        action="store_true",
        help="note a valid document as such beside it (SPEC.valid): its first start skips checks",
    )
    validate.add_argument(
        "--strict", action="store_true", help="accepted for symmetry: validate is always strict"
    )
    return top


def add_mock_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--spec", type=Path, help="OpenAPI document (default: the ibl spec)")
    command.add_argument("--fixtures", type=Path, help="fixtures folder (default: beside spec)")
    command.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default %(default)s")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.build(
        spec_path=args.spec,
        fixtures_dir=args.fixtures,
        seed=args.seed,
        host=getattr(args, "host", DEFAULT_HOST),
        port=getattr(args, "port", DEFAULT_PORT),
        app_type=getattr(args, "app", "async"),
        base_path=getattr(args, "base_path", None),
        admin=getattr(args, "admin", False),
        admin_token=getattr(args, "admin_token", None),
        cors_origins=cors_origins(getattr(args, "cors_origin", None)),
        journal_size=getattr(args, "journal_size", DEFAULT_JOURNAL_SIZE),
        access_log="off" if getattr(args, "quiet", True) else getattr(args, "log_format", "text"),
        strict=getattr(args, "strict", False),
        store_url=getattr(args, "store", None),
        store_namespace=getattr(args, "store_namespace", None),
        answer_cache=getattr(args, "answer_cache", True),
        callbacks=getattr(args, "callbacks", True),
        callback_delay_ms=getattr(args, "callback_delay", 0),
    )


def banner(server: MockServer, port: int) -> str:
    from .app import SWAGGER_UI_PATH

    settings = server.settings
    base = f"http://{settings.host}:{port}{server.base_path}"
    operations = plural(len(server.spec.operations), "operation")
    lines = [
        f"ibl-mock: serving {server.spec.title} ({operations})",
        f"  URL:        {base}/",
        f"  Swagger UI: {base}{SWAGGER_UI_PATH}/",
    ]
    demo = next(iter(server.credentials.all()), None)
    if demo is not None:
        prefix = f"{server.credentials.prefix} " if server.credentials.prefix else ""
        who = ", ".join(p for p in (demo.username, demo.role, demo.org) if p)
        lines.append(f"  Demo token: {prefix}{demo.key}" + (f"  ({who})" if who else ""))
        if settings.spec_path == DEFAULT_SPEC.resolve() and IN_CHECKOUT:
            lines.append("  All tokens: make tokens  (or: .venv/bin/ibl-mock tokens)")
        elif settings.spec_path == DEFAULT_SPEC.resolve():
            lines.append("  All tokens: ibl-mock tokens")
        else:
            lines.append(f"  All tokens: .venv/bin/ibl-mock tokens --spec {settings.spec_path}")
    if settings.admin:
        guard = "token in X-Mock-Admin-Token" if settings.admin_token else "open"
        lines.append(f"  Admin API:  http://{settings.host}:{port}/__mock__/  ({guard})")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


def refused_workers(args: argparse.Namespace) -> str | None:
    """Why `--workers` cannot be served as asked, if it cannot."""
    if args.workers == 1:
        return None
    if not args.store:
        return (
            f"--workers {args.workers} needs a shared store: add --store redis://HOST:PORT/DB "
            "(each worker would otherwise keep records of its own, and a record created "
            "through one would be missing from the next)"
        )
    if args.watch:
        return "--watch reloads one process: use it without --workers"
    return None


def serve(args: argparse.Namespace) -> int:
    import uvicorn  # only `serve` needs the server

    from .app import create_app
    from .control.behaviour import QuietDrops
    from .control.heap import settle

    if (refusal := refused_workers(args)) is not None:
        complain([refusal])
        return 2
    try:  # the conformance passes run once serving: the first answer need not wait
        server = create_app(replace(settings_from(args), conformance="later"))
    except ConnectionError as exc:  # --store names a Redis that does not answer
        complain([str(exc)])
        return 1
    server.controls.settle = settle  # this process is the mock's alone
    settle()
    complain(server.spec.report())
    logging.getLogger("uvicorn.error").addFilter(QuietDrops())
    # With JSON request lines on stdout, what is said to people goes to stderr.
    human = sys.stderr if args.log_format == "json" and not args.quiet else sys.stdout

    def say(line: str) -> None:
        print(line, file=human, flush=True)

    if args.watch:
        from .control.reload import Watcher

        Watcher(server, say=say).start()

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                bound = self.servers[0].sockets[0].getsockname()[1] if self.servers else args.port
                say(banner(server, bound))
                finish_checks(server)

    if args.workers > 1:
        return serve_workers(args, server, say)
    config = uvicorn.Config(
        server,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        lifespan="on",  # Connexion builds its middleware before the first request, not in it
        access_log=False,  # the mock's own line per request says more
    )
    runner = Server(config)
    # uvicorn shuts down gracefully on SIGTERM too, then re-raises the signal: let that
    # end here, like Ctrl-C, rather than kill the process before it says it stopped.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        runner.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down gracefully
        pass
    except SystemExit:  # uvicorn exits when it cannot bind; it has logged why
        pass
    if not runner.started:  # the port taken, or the app failing to start: uvicorn said which
        print(
            f"ibl-mock: could not serve on {args.host}:{args.port} (the reason is above)",
            file=sys.stderr,
        )
        return 1
    say("ibl-mock: stopped")
    return 0


def finish_checks(server: MockServer) -> None:
    """The document's checks left for once serving, on a thread beside it that works in
    the lulls between requests (they only read the document; a process of their own
    would cost a second copy of it); their findings said when known. Being started
    counts as a request: the first ones, sent at once, have the server to themselves."""
    if server.spec.later is None:
        return
    server.last_answered = time.monotonic()

    def finish() -> None:
        try:
            complain(server.spec.finish_checks(pause=server.quiet))
        except Exception as exc:  # a check tripping on the document: said, not a traceback
            complain([f"{server.spec.path}: not checked further after start-up ({exc!r})"])

    threading.Thread(target=finish, name="ibl-mock-checks", daemon=True).start()


def serve_workers(args: argparse.Namespace, server: MockServer, say: Callable[[str], None]) -> int:
    """uvicorn's workers, each building the mock (`workers.worker_app`); this process built
    one first, to report on the document and fill the shared store, and binds the socket
    they share."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from .workers import SETTINGS_VARIABLE, settings_text

    os.environ[SETTINGS_VARIABLE] = settings_text(server.settings)
    config = uvicorn.Config(
        "ibl_mock.workers:worker_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        lifespan="off",
        access_log=False,
    )
    try:
        sock = config.bind_socket()
    except SystemExit:
        print(f"ibl-mock: could not serve on {args.host}:{args.port}", file=sys.stderr)
        return 1
    sock.listen(config.backlog)  # from now on: a request waits for a worker, not refused
    lines = banner(server, sock.getsockname()[1]).splitlines()
    lines.insert(-1, f"  Workers:    {args.workers}, sharing {args.store}")
    say("\n".join(lines))
    finish_checks(server)
    Multiprocess(config, sockets=[sock]).run()
    say("ibl-mock: stopped")
    return 0


def tokens(args: argparse.Namespace) -> int:
    from .app import create_app

    server = create_app(settings_from(args))
    rows = server.credentials.all()
    if args.json:
        print(json.dumps([token_row(p, server.credentials.prefix) for p in rows], indent=2))
        return 0
    print(f"{'ORG':<10} {'USERNAME':<16} {'ROLE':<15} TOKEN")
    for p in rows:
        print(f"{p.org:<10} {p.username:<16} {p.role:<15} {p.key}")
    return 0


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def token_row(principal: Principal, prefix: str) -> dict[str, str]:
    header = f"{prefix} {principal.key}" if prefix else principal.key
    return {
        "org": principal.org,
        "username": principal.username,
        "role": principal.role,
        "token": principal.key,
        "authorization": header,
    }


def validate(args: argparse.Namespace) -> int:
    """The strict check: every finding, located, and exit 2 if there is any."""
    from .contract.spec import load_spec

    path = args.spec or DEFAULT_SPEC
    spec = load_spec(path)
    if spec.findings:
        complain(spec.report("not valid", limit=None))
        return 2
    operations = plural(len(spec.operations), "operation")
    served = spec.document.get("openapi")
    kind = f"Swagger {spec.source_version}, served as OpenAPI {served}"
    if spec.source_version != "2.0":
        kind = f"OpenAPI {served}"
    print(f"{path}: valid {kind}, {operations}")
    if args.record:
        record(path, spec.fingerprint)
    return 0


def record(path: Path, fingerprint: str) -> None:
    """Beside the document: `.valid`, the fingerprint of it as checked, and `.parsed`, its
    reading, for a large YAML text; a start-up then neither checks nor parses it."""
    from .checks.checked import record_valid, verdict_file
    from .contract.parsed import record_reading
    from .contract.spec import parse, read_text

    record_valid(path, fingerprint)
    print(f"{verdict_file(path)}: recorded")
    if path.suffix in (".yaml", ".yml"):
        text = read_text(path)
        if (reading := record_reading(path, text, parse(text, path))) is not None:
            print(f"{reading}: recorded")


def complain(lines: list[str]) -> None:
    """Problems go to stderr, the first line marked as ibl-mock's."""
    if lines:
        print("ibl-mock: " + "\n".join(lines), file=sys.stderr, flush=True)


COMMANDS = {"serve": serve, "tokens": tokens, "validate": validate, "proxy": run_proxy}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with building() if args.command == "serve" else contextlib.nullcontext():
        return run(args)


def run(args: argparse.Namespace) -> int:
    try:
        from .contract.spec import SpecError
        from .data.fixtures import FixtureError
        from .serving.resolver import HandlerError

        try:
            return COMMANDS[args.command](args)
        except (SpecError, FixtureError, HandlerError) as exc:
            print(f"ibl-mock: {exc}", file=sys.stderr)
            return 2
    except KeyboardInterrupt:
        print("ibl-mock: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ibl-mock tokens | head -3`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
