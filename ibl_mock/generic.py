"""Handlers for operations nobody wrote: a documented response for every request.

The response is chosen by `negotiation` (status from Prefer, media type from Accept) and
filled by `responses` (examples, else schema-made data).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import connexion

from .negotiation import choose_media, choose_status, parse_prefer
from .responses import BodyMaker, encode
from .spec import Operation, Spec

Handler = Callable[..., Any]


def media_types(spec: Spec, responses: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for response in responses.values():
        for media in spec.resolve(response).get("content") or {}:
            if media not in found:
                found.append(media)
    return found


def documented_response(spec: Spec, operation: Operation, maker: BodyMaker) -> Handler:
    """A handler answering from the spec alone."""
    responses: dict[str, Any] = spec.operation_object(operation).get("responses") or {}
    # Connexion insists on a content type when an operation produces several, even for an
    # empty body; NoContentHeaders removes it again from bodiless answers.
    placeholder = (
        {"Content-Type": produced[0]} if (produced := media_types(spec, responses)) else {}
    )

    def handler(*_args: Any, **_kwargs: Any) -> Any:
        headers = connexion.request.headers
        preference = parse_prefer(headers.get("prefer"))
        key, status = choose_status(responses, preference)
        response = spec.resolve(responses[key])
        content = response.get("content") or {}
        media = choose_media(content, headers.get("accept"))
        out_headers = maker.headers(operation.operation_id, key, response)
        if media is None:
            return None, status, {**out_headers, **placeholder}
        body = maker.body(operation.operation_id, key, media, content[media], preference)
        return encode(body, media), status, {**out_headers, "Content-Type": media}

    handler.__name__ = operation.operation_id
    return handler


def honouring_prefer(handler: Handler, fallback: Handler) -> Handler:
    """A hand-written handler that yields to the spec when the client sends `Prefer`."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if parse_prefer(connexion.request.headers.get("prefer")).empty:
            return handler(*args, **kwargs)
        return fallback()

    return wrapper
