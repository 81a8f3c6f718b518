"""The contract decides the status: an error is answered with a status the operation documents.

A mock's natural answer (404 for an unknown id, 401 for a refused key...) may not be listed
for an operation. Then the first documented status that means the same is sent instead
(403 for a refused key where only 403 is documented); when none is documented, the caller
behaves so that a documented status is right (an unknown id is answered as if it existed),
or keeps the natural status where the request itself broke the contract.
"""

from __future__ import annotations

from typing import Any

# Natural status -> documented statuses that say the same thing, closest first. A status
# documented exactly, by its class (`4XX`) or by `default` needs no substitute.
SUBSTITUTES: dict[int, tuple[int, ...]] = {
    400: (422,),
    401: (403,),
    403: (401, 404),
    404: (410,),
    409: (422, 400),
    422: (400,),
}
# Natural status -> words a description of an error status says it with (lowercase, no
# spaces or underscores), for documents that number their errors their own way.
MEANINGS: dict[int, tuple[str, ...]] = {
    400: ("validation", "invalidparameter", "invalidrequest", "invalidinput", "badrequest"),
    401: ("unauthorized", "unauthenticated", "notauthorized", "accessdenied", "forbidden"),
    403: ("accessdenied", "forbidden", "notauthorized"),
    404: ("notfound", "nosuch"),
    409: ("conflict", "alreadyexists"),
    422: ("validation", "unprocessable"),
}
# 405, 406, 413 and 415 stay as they are: they are about the protocol (method, media type,
# size), which the document cannot be asked to foresee, and nothing else says them.


def status_key(responses: dict[str, Any], code: int) -> str | None:
    """The responses key documenting `code`: exact, then `4XX`, then `default`."""
    for key in (str(code), f"{str(code)[0]}XX", f"{str(code)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def documented_status(responses: dict[str, Any], natural: int) -> int | None:
    """The status to send for `natural` under `responses`: itself where documented, else
    the closest documented substitute, else None (nothing documented says the same)."""
    if status_key(responses, natural) is not None:
        return natural
    for substitute in SUBSTITUTES.get(natural, ()):
        if status_key(responses, substitute) is not None:
            return substitute
    return named_status(responses, natural)


def named_status(responses: dict[str, Any], natural: int) -> int | None:
    """A documented error status whose description names the natural one's meaning:
    Amazon's documents list their errors as 480, 481... described `ValidationException`,
    `ResourceNotFoundException`; one of those is the documented way to say 400 or 404."""
    words = MEANINGS.get(natural, ())
    for key, response in responses.items():
        if not (str(key).isdigit() and 400 <= int(key) < 500) or not isinstance(response, dict):
            continue
        said = str(response.get("description", "")).lower().replace(" ", "").replace("_", "")
        if any(word in said for word in words):
            return int(key)
    return None


def answer_status(responses: dict[str, Any] | None, natural: int) -> int:
    """The status to send: documented or substituted; the natural one when the operation
    is unknown or documents nothing that says the same."""
    if responses is None:
        return natural
    return documented_status(responses, natural) or natural
