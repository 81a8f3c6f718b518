"""Which documented response to give: status from `Prefer`, media type from `Accept`.

`Prefer: code=404, example=empty, dynamic=true` works as in Prism: `code` picks any
documented status, `example` a named example, `dynamic` fresh schema-made data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .problems import ApiError
from .statuses import status_key as status_key  # re-exported: where it was first


class BadPreference(ApiError):
    status_code_default = 400


class NotAcceptable(ApiError):
    status_code_default = 406


@dataclass(frozen=True)
class Preference:
    code: int | None = None
    example: str | None = None
    dynamic: bool = False

    @property
    def empty(self) -> bool:
        return self.code is None and self.example is None and not self.dynamic


NO_PREFERENCE = Preference()
# Media ranges a document may write for a body; the mock answers them in JSON.
JSON_RANGES = ("*/*", "application/*")
TRUE_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def parse_prefer(header: str | None) -> Preference:
    """Read the Prefer header; preferences this mock does not know are ignored (RFC 7240)."""
    if not header:
        return NO_PREFERENCE
    found: dict[str, str] = {}
    for token in header.replace(";", ",").split(","):
        key, _, value = token.strip().partition("=")
        found[key.strip().lower()] = value.strip().strip('"')
    code = found.get("code")
    if code is not None and not (code.isascii() and code.isdigit() and 100 <= int(code) <= 599):
        raise BadPreference(f"Prefer: code={code!r} is not an HTTP status code.")
    dynamic = found.get("dynamic", "false").lower()
    if dynamic not in TRUE_WORDS:
        raise BadPreference(f"Prefer: dynamic={dynamic!r} must be true or false.")
    return Preference(
        code=int(code) if code else None,
        example=found.get("example") or None,
        dynamic=TRUE_WORDS[dynamic],
    )


def documents_success(responses: dict[str, Any]) -> bool:
    """Whether some documented status is a success (2xx, 2XX or default)."""
    return bool(responses) and success_status(responses)[1] // 100 == 2


# Statuses that blame the request or its credentials: never the answer to a valid one.
REQUEST_FAULTS = {"400", "401", "403", "407", "411", "413", "414", "415", "422", "431"}


def success_status(responses: dict[str, Any]) -> tuple[str, int]:
    """The first documented 2xx (or 2XX, or default) and the status to send for it."""
    for key in sorted(responses):
        if key.startswith("2") and key.isascii() and key.isdigit():
            return key, int(key)
    for key in ("2XX", "2xx", "default"):
        if key in responses:
            return key, 200
    # A 1xx cannot be sent as an answer (HTTP clients wait for the final one): with no
    # success documented, the first other documented status a valid request with a good
    # credential may get (SCIM's 405 for deleting a user, not its 400).
    final = sorted(k for k in responses if not str(k).startswith("1")) or sorted(responses)
    first = next((k for k in final if k not in REQUEST_FAULTS), final[0])
    return first, int(first) if first.isascii() and first.isdigit() else 200


def choose_status(responses: dict[str, Any], preference: Preference) -> tuple[str, int]:
    if preference.code is None:
        return success_status(responses)
    key = status_key(responses, preference.code)
    if key is None:
        documented = ", ".join(sorted(responses))
        raise BadPreference(
            f"Prefer: code={preference.code} is not documented for this operation "
            f"(documented: {documented})."
        )
    return key, preference.code


def accepted(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((media.lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def choose_media(
    content: dict[str, Any], accept: str | None, name_offered: bool = True, insist: bool = True
) -> str | None:
    """The documented media type that best fits Accept; JSON first when anything goes.
    None fitting is a 406 naming what is offered, or in DRF's own words; unless Accept
    is a parameter the operation documents (`insist` False): its values are then the
    document's own, and the first offered type answers."""
    if not content:
        return None
    offered = sorted(content, key=lambda m: "json" not in m)
    for wanted, _quality in accepted(accept):
        for media in offered:
            if media_matches(wanted, media.lower()):
                return media
    if not insist:
        return offered[0]
    if not name_offered:
        raise NotAcceptable()  # DRF's words: "Could not satisfy the request Accept header."
    raise NotAcceptable(f"None of the accepted types is offered here: {', '.join(offered)}.")


def media_matches(wanted: str, media: str) -> bool:
    if wanted in ("*/*", "*"):
        return True
    kind, _, sub = wanted.partition("/")
    if sub == "*":
        return media.startswith(kind + "/")
    return media.split(";")[0].strip() == wanted
