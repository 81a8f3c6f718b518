"""Error bodies as Django REST Framework renders them: `{"detail": "..."}`.

One table maps a status to its default message; every error the server answers,
whether raised by a handler, by Connexion's validation or by routing, goes through
`error_response`, so no problem+json body and no traceback ever leaves the server.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from connexion.exceptions import BadRequestProblem, ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from .statuses import answer_status

log = logging.getLogger("ibl_mock")

DEFAULT_DETAIL: dict[int, str] = {
    400: "Malformed request.",
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    406: "Could not satisfy the request Accept header.",
    413: "Request body too large.",
    415: "Unsupported media type in request.",
    500: "A server error occurred.",
    501: "Not implemented by this mock.",
}


class ApiError(ProblemException):
    """An error a handler raises; rendered as `{"detail": ...}` with its status."""

    status_code_default = 400

    def __init__(self, detail: str | None = None, headers: dict[str, str] | None = None) -> None:
        status = self.status_code_default
        super().__init__(
            status=status,
            title="",
            detail=detail or DEFAULT_DETAIL.get(status, ""),
            headers=headers,
        )


class InvalidBody(BadRequestProblem):
    """A request body that parsed but does not match its schema: 400, or 422 where the
    operation documents 422 (as FastAPI-style APIs do)."""


class NotAuthenticated(ApiError):
    status_code_default = 401


class AuthenticationFailed(ApiError):
    status_code_default = 401

    def __init__(self, detail: str = "Invalid token.", headers: dict[str, str] | None = None):
        super().__init__(detail, headers)


class PermissionDenied(ApiError):
    status_code_default = 403


class NotFound(ApiError):
    status_code_default = 404


class NotImplementedByMock(ApiError):
    status_code_default = 501


def error_body(detail: str) -> bytes:
    return json.dumps({"detail": detail}, separators=(",", ":"), ensure_ascii=False).encode()


def error_response(
    status: int, detail: str, headers: dict[str, str] | None = None
) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=error_body(detail),
        headers=dict(headers or {}),
    )


def detail_of(exc: HTTPException, status: int) -> str:
    """What we raised keeps its words; Connexion's client errors keep theirs (they name
    the parameter); routing and framework errors get DRF's message for the status."""
    own = isinstance(exc, ApiError) or (
        isinstance(exc, ProblemException) and status in (400, 413, 415, 422)
    )
    if own and isinstance(exc.detail, str) and exc.detail:
        return exc.detail
    return DEFAULT_DETAIL.get(status, "Error.")


MethodsAt = Callable[[str], Sequence[str]]
# operationId or None -> its documented responses (None: not an operation of the API).
ResponsesOf = Callable[[str | None], dict[str, Any] | None]
# (operationId or None, status, message) -> (body, media type); (None, None) for no body.
Shape = Callable[[str | None, int, str], tuple[Any, str | None]]


def plain_shape(_operation_id: str | None, _status: int, detail: str) -> tuple[Any, str | None]:
    return {"detail": detail}, "application/json"


def shaped_response(
    status: int, body: Any, media: str | None, headers: dict[str, str]
) -> ConnexionResponse:
    content = b"" if media is None else json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return ConnexionResponse(
        status_code=status,
        mimetype=media,
        content_type=media,
        body=content.encode() if isinstance(content, str) else content,
        headers=headers,
    )


def no_check(_request: ConnexionRequest) -> None:
    return None


def no_operation(_method: str, _path: str) -> str | None:
    return None


def no_responses(_operation_id: str | None) -> dict[str, Any] | None:
    return None


def http_error_handler(
    methods_at: MethodsAt,
    shape: Shape = plain_shape,
    authenticate: Callable[[ConnexionRequest], None] = no_check,
    locate: Callable[[str, str], str | None] = no_operation,
    responses_of: ResponsesOf = no_responses,
) -> Callable[..., ConnexionResponse]:
    """The handler for every HTTPException; `methods_at` fills 405's Allow header, `shape`
    gives the body the operation documents for the status, `responses_of` gives an
    operation's documented responses, whose statuses the answer keeps to
    (`statuses.answer_status`). A 405 goes to a caller who passes `authenticate`, as DRF
    authenticates before it looks at the method."""

    def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, HTTPException)
        status = int(getattr(exc, "status", None) or exc.status_code)
        headers = dict(exc.headers or {})
        if status == 405:
            try:
                authenticate(request)
            except ApiError as refused:
                status = int(refused.status_code)
                return error_response(status, str(refused.detail), dict(refused.headers or {}))
            headers["Allow"] = ", ".join(methods_at(request.scope["path"]))
            return error_response(405, f'Method "{request.method}" not allowed.', headers)
        routing = request.scope.get("extensions", {}).get("connexion_routing", {})
        # A path parameter of the wrong type fails routing itself: find the operation
        # from the templates so the 404 takes the shape it documents.
        operation_id = routing.get("operation_id") or locate(request.method, request.scope["path"])
        if status >= 500 and not isinstance(exc, NotImplementedByMock):
            log.error("error in %s %s", request.method, request.url.path, exc_info=exc)
        detail = detail_of(exc, status)
        responses = responses_of(operation_id)
        if isinstance(exc, InvalidBody) and responses is not None and "422" in responses:
            status = 422
        elif 400 <= status < 500:
            status = answer_status(responses, status)
        try:
            body, media = shape(operation_id, status, detail)
        except Exception:  # an error here would escape as Starlette's bare 500
            log.exception("could not shape the %s body of %s", status, operation_id)
            body, media = plain_shape(operation_id, status, detail)
        return shaped_response(status, body, media, headers)

    return handle


def handle_unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """A bug in the mock: log it in full, answer DRF's 500 body."""
    log.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, DEFAULT_DETAIL[500])


def handle_disconnect(request: ConnexionRequest, _exc: Exception) -> ConnexionResponse:
    """The client went away before its body was read: no fault of the mock's to log in
    full, and nobody to read the answer."""
    log.debug("client left during %s %s", request.method, request.url.path)
    return error_response(400, "The client closed the connection.")


def error_handlers(
    methods_at: MethodsAt,
    shape: Shape = plain_shape,
    authenticate: Callable[[ConnexionRequest], None] = no_check,
    locate: Callable[[str, str], str | None] = no_operation,
    responses_of: ResponsesOf = no_responses,
) -> list[tuple[type[Exception], Any]]:
    http = http_error_handler(methods_at, shape, authenticate, locate, responses_of)
    return [
        (ProblemException, http),
        (HTTPException, http),
        (ClientDisconnect, handle_disconnect),
        (Exception, handle_unexpected),
    ]
