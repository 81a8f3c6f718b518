"""Handlers for operations nobody wrote: a documented response for every request.

The response is chosen by `negotiation` (status from Prefer, media type from Accept) and
filled by `responses` (examples, else schema-made data).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import connexion
from connexion.context import operation as connexion_operation

from ..contract.spec import Operation, Spec
from ..pipeline.middleware import EMPTY_BUT_TYPED, NO_BODY_STATUSES
from ..pipeline.negotiation import choose_media, choose_status, parse_prefer
from ..pipeline.problems import DEFAULT_DETAIL
from .responses import BodyMaker, ErrorShaper, encode, sent_type

Handler = Callable[..., Any]


def media_types(spec: Spec, responses: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for response in responses.values():
        for media in spec.resolve(response).get("content") or {}:
            if media not in found:
                found.append(media)
    return found


def documented_response(
    spec: Spec, operation: Operation, maker: BodyMaker, errors: ErrorShaper | None = None
) -> Handler:
    """A handler answering from the spec alone. An error status with no example of its
    own is shaped by `errors`, so it carries a message that means something."""
    responses: dict[str, Any] = spec.operation_object(operation).get("responses") or {}
    # Connexion insists on a content type when an operation produces several, even for an
    # empty body; NoContentHeaders removes it again from bodiless answers.
    insist = not spec.declares_header(operation, "accept")  # else its values are the document's
    placeholder = (
        {"Content-Type": produced[0]} if (produced := media_types(spec, responses)) else {}
    )

    def handler(*_args: Any, **_kwargs: Any) -> Any:
        headers = connexion.request.headers
        preference = parse_prefer(headers.get("prefer"))
        key, status = choose_status(responses, preference)
        response = spec.resolve(responses[key])
        content = response.get("content") or {}
        media = choose_media(content, headers.get("accept"), insist=insist)
        out_headers = maker.headers(operation.operation_id, key, response)
        if media is None:
            return None, status, {**out_headers, **placeholder}
        sent = sent_type(media)
        if errors is not None and status >= 400 and not has_examples(content[media]):
            body, shaped_media = errors.shape(operation.operation_id, status, message(status))
            if shaped_media == sent:
                return body, status, {**out_headers, "Content-Type": sent}
        body = maker.body(operation.operation_id, key, media, content[media], preference)
        schema = (spec.resolve(content[media]) or {}).get("schema")
        if body is None and schema is None:  # a media type documented without a schema
            body = {} if "json" in sent else typed_empty()
        encoded = encode(body, sent, schema, spec.document)
        if encoded in (b"", "") and "json" not in sent:  # `text/plain: ""` is still that type
            encoded = typed_empty()
        return encoded, status, {**out_headers, "Content-Type": sent}

    handler.__name__ = operation.operation_id
    return handler


def typed_empty() -> bytes:
    """An empty body that keeps its documented media type (see `EMPTY_BUT_TYPED`)."""
    connexion.request.scope["extensions"][EMPTY_BUT_TYPED] = True
    return b""


def has_examples(media_object: Any) -> bool:
    return isinstance(media_object, dict) and (
        "example" in media_object or bool(media_object.get("examples"))
    )


def message(status: int) -> str:
    if status in DEFAULT_DETAIL:
        return DEFAULT_DETAIL[status]
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return f"Error {status}."


def honouring_prefer(
    handler: Handler, fallback: Handler, content: dict[str, Any] | None = None, insist: bool = True
) -> Handler:
    """A hand-written handler that yields to the spec when the client sends `Prefer` or
    accepts only another of the documented media types (`content`, the success
    response's); accepting none of them is a 406, as DRF answers, unless Accept is a
    parameter of the operation (`insist` False: see `choose_media`)."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        headers = connexion.request.headers
        if not parse_prefer(headers.get("prefer")).empty:
            return fallback()
        chosen = choose_media(content or {}, headers.get("accept"), False, insist)
        if content and "json" not in str(chosen):
            return fallback()
        return conformed(handler(*args, **kwargs))

    return wrapper


def conformed(answer: Any) -> Any:
    """A `(body, status, headers)` answer as Connexion and HTTP take it: no body with a
    204 or 304 (a stateful update documented as 204 returns its record), and a media type
    on a bodiless answer where the operation produces several (an error documented as
    JSON and HTML), which Connexion insists on; NoContentHeaders drops it again."""
    if not (isinstance(answer, tuple) and len(answer) == 3):
        return answer
    body, status, headers = answer
    if status in NO_BODY_STATUSES:
        body = None
    if body is None and not any(name.lower() == "content-type" for name in headers or {}):
        produced = sorted(connexion_operation.produces or ())
        if len(produced) > 1:
            headers = {**(headers or {}), "Content-Type": produced[0]}
    return body, status, headers
