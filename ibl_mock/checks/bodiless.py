"""Answers that HTTP sends without a body, documented with one.

A 204 or 304 response has no content in HTTP (RFC 9110, 15.3.5 and 15.4.5), whatever the
document says: no server, mock or real, can send the body it describes. Such `content`
is named at start and left out of the document the mock serves, so that the contract it
publishes is one it keeps. Fifty-odd of the APIs.guru documents do this (Amazon's tag
operations answer 204 with a JSON schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..contract.docwalk import HTTP_METHODS
from .diagnostics import Finding, pointer

BODILESS = ("204", "304")


def bodiless_content(document: dict[str, Any]) -> Iterator[Finding]:
    """A finding per inline 204/304 response holding content (a referenced response may
    serve other statuses too, so it is left as written)."""
    paths = document.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        for method, operation in (item if isinstance(item, dict) else {}).items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            responses = operation.get("responses")
            for status in BODILESS:
                response = responses.get(status) if isinstance(responses, dict) else None
                if isinstance(response, dict) and response.get("content"):
                    where = pointer(("paths", path, method, "responses", status, "content"))
                    yield Finding(
                        where,
                        f"a {status} answer has no body in HTTP; its content is not served",
                        unused=where,
                    )
