"""Bodies and headers of documented responses: from examples, else from the schema.

Static bodies (the default) are made once per operation, status and media type with a
seed derived from the server's, so they are the same on every run; `dynamic` bodies are
made anew for each request.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import random
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

from ..contract.formats import OAS30_FORMATS, OAS31_FORMATS
from ..contract.quick_reader import QuickReader
from ..contract.refs import deref
from ..contract.spec import Spec
from ..contract.strict import StrictOAS30ReadValidator, StrictOAS31ReadValidator
from ..data.faking import SchemaFaker, seeded_faker
from ..data.fitting import fit
from ..data.names_file import NO_NAMES, Names
from ..identity_cache import IdentityCache
from ..pipeline.negotiation import (
    JSON_RANGES,
    NO_PREFERENCE,
    BadPreference,
    Preference,
    status_key,
)
from .xml_bodies import is_xml, xml_text


def stable_seed(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class BodyMaker:
    """Values made from the document's schemas, seeded, in the mock's words (`names`)."""

    def __init__(self, document: dict[str, Any], seed: int, names: Names = NO_NAMES) -> None:
        self.document = document
        self.seed = seed
        self.names = names
        self._static: dict[tuple[str, ...], Any] = {}
        self._checkers: IdentityCache[Any] = IdentityCache(limit=20_000)  # schema -> reader
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def faker(self, *parts: object, dynamic: bool = False) -> Iterator[SchemaFaker]:
        seed = random.getrandbits(63) if dynamic else stable_seed(self.seed, *parts)
        with seeded_faker(seed) as fake:
            yield SchemaFaker(self.document, fake, not dynamic, vocabulary=self.names.vocabulary)

    def body(
        self, operation_id: str, status: str, media: str, media_object: Any, preference: Preference
    ) -> Any:
        media_object = deref(self.document, media_object) or {}
        examples = {
            name: deref(self.document, example)
            for name, example in (media_object.get("examples") or {}).items()
        }
        if preference.example is not None:
            if preference.example not in examples:
                known = ", ".join(examples) or "none"
                raise BadPreference(
                    f"Prefer: example={preference.example!r} is not an example of this "
                    f"response (examples: {known})."
                )
            return examples[preference.example].get("value")
        if not preference.dynamic:
            if "example" in media_object:
                return media_object["example"]
            for example in examples.values():
                if isinstance(example, dict) and "value" in example:
                    return example["value"]
        schema = media_object.get("schema")
        if schema is None:
            return None
        if preference.dynamic:
            with self.faker(dynamic=True) as faker:
                return self.fitting(schema, faker)
        key = (operation_id, status, media)
        with self._lock:
            if key not in self._static:
                with self.faker(*key) as faker:
                    self._static[key] = self.fitting(schema, faker)
            return self._static[key]

    def fitting(self, schema: Any, faker: SchemaFaker) -> Any:
        """A schema-made body, repaired until its schema accepts it."""
        made = faker.value(schema)
        return fit(made, self.checker(schema), self.document, faker.fake, faker.vocabulary)

    def checker(self, schema: Any) -> Any:
        """The read validator of `schema`, built once per schema."""
        return self._checkers.get(schema, lambda: read_checker(self.document, schema))

    def headers(self, operation_id: str, status: str, response: dict[str, Any]) -> dict[str, str]:
        """Values for the response headers the spec marks required."""
        made: dict[str, str] = {}
        for name, header in (response.get("headers") or {}).items():
            header = deref(self.document, header)
            if not isinstance(header, dict) or not header.get("required"):
                continue
            with self.faker(operation_id, status, name) as faker:
                value = faker.value(header.get("schema", {}), name)
            made[name] = header_text(value if isinstance(value, str) else json.dumps(value))
        return made


# What HTTP forbids in a header value: control characters but the tab (uvicorn's own check).
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def header_text(text: str) -> str:
    """A header value HTTP can carry: text beyond Latin-1, and control characters (a
    Location holding a path sent with a newline in it), percent-encoded, since the server
    cannot send them as they are."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return urllib.parse.quote(text, safe="/:?#[]@!$&'()*+,;=%")
    return CONTROL.sub(lambda found: urllib.parse.quote(found.group()), text)


def encode(
    body: Any, media: str | None, schema: Any = None, document: dict[str, Any] | None = None
) -> Any:
    """What Connexion should send: JSON media types as data, XML ones as XML shaped by
    `schema`, others as text or bytes."""
    if body is None or media is None or "json" in media:
        return body
    if isinstance(body, bytes | str):
        return body
    if is_xml(media):
        return xml_text(body, schema or {}, document or {})
    return json.dumps(body)


MESSAGE_FIELDS = ("detail", "message", "error", "title", "description", "msg", "reason")


class ErrorShaper:
    """Error bodies in the shape the operation documents for that status.

    With no documented body, DRF's `{"detail": ...}`. With one, the first of a few common
    shapes that the schema accepts (`{"detail"}`, `{"message"}`, DRF's field errors...),
    else a body made from its example or schema with the message in its first
    message-like string property.
    """

    def __init__(self, spec: Spec, maker: BodyMaker) -> None:
        self.spec = spec
        self.maker = maker
        self._validators: dict[tuple[str, ...], Any] = {}

    def shape(self, operation_id: str | None, status: int, detail: str) -> tuple[Any, str | None]:
        plain: tuple[Any, str | None] = ({"detail": detail}, "application/json")
        operation = self.spec.operations.get(operation_id or "")
        if operation is None:
            return plain
        item = self.spec.operation_object(operation)
        responses = item.get("responses") or {}
        key = status_key(responses, status)
        if key is None:
            return plain
        content = self.spec.resolve(responses[key]).get("content") or {}
        media = next((m for m in content if "json" in m), None)
        if media is None:  # a range (`*/*`) takes JSON: the error is sent as JSON
            media = next((m for m in content if m.split(";")[0].strip() in JSON_RANGES), None)
        if media is None:
            return (None, None) if not content else plain
        media_object = self.spec.resolve(content[media]) or {}
        accepts = self.validator(operation.operation_id, key, media, media_object.get("schema"))
        for candidate in common_shapes(detail):
            if accepts(candidate):
                return candidate, sent_type(media)
        made = self.maker.body(operation.operation_id, key, media, media_object, NO_PREFERENCE)
        body = copy.deepcopy(made)
        carry_message(body, detail)
        # The message may break the schema (a maxLength, an enum): then the made body alone.
        return (body if accepts(body) else made), sent_type(media)

    def validator(self, *key_and_schema: Any) -> Callable[[Any], bool]:
        *key, schema = key_and_schema
        cache_key = tuple(str(k) for k in key)
        if cache_key not in self._validators:
            if schema is None:
                self._validators[cache_key] = lambda _body: True
            else:
                checker = read_checker(self.spec.document, schema)
                self._validators[cache_key] = functools.partial(safely_valid, checker)
        found: Callable[[Any], bool] = self._validators[cache_key]
        return found


def sent_type(media: str) -> str:
    """The Content-Type to send for a documented media type: a range (`*/*`) is answered
    in JSON, a header no client could take literally."""
    return "application/json" if media.split(";")[0].strip() in JSON_RANGES else media


def read_checker(document: dict[str, Any], schema: Any) -> Any:
    """A validator of bodies the server sends, by the document's own OpenAPI version
    (3.0's reader rejects 3.1's `type: [string, "null"]` outright)."""
    root = {**document, "$ref": "#/x-ibl-mock-schema", "x-ibl-mock-schema": schema}
    if str(document.get("openapi", "")).startswith("3.1"):
        slow = StrictOAS31ReadValidator(root, format_checker=OAS31_FORMATS)
    else:
        slow = StrictOAS30ReadValidator(root, format_checker=OAS30_FORMATS)
    return QuickReader(document, schema, slow)


def common_shapes(detail: str) -> list[dict[str, Any]]:
    return [
        {"detail": detail},
        {"message": detail},
        {"error": detail},
        {"non_field_errors": [detail]},
        {"errors": [detail]},
        {"errors": [{"message": detail}]},
        {"errors": [{"title": detail}]},
        {"errors": [{"detail": detail}]},
        {"error": {"message": detail}},
        {"title": detail},
        {"detail": detail, "status": 0},
    ]


def carry_message(body: Any, detail: str) -> bool:
    """Put the message in the first message-like string of a made error body, looking
    into nested objects and the first entry of arrays (`{"errors": [{"title": ...}]}`)."""
    if isinstance(body, list):
        return bool(body) and carry_message(body[0], detail)
    if not isinstance(body, dict):
        return False
    field = next((f for f in MESSAGE_FIELDS if isinstance(body.get(f), str)), None)
    if field is not None:
        body[field] = detail
        return True
    return any(carry_message(value, detail) for value in body.values())


def safely_valid(checker: Any, body: Any) -> bool:
    try:
        return bool(checker.is_valid(body))
    except Exception:  # the validator library failing on a schema corner: not a match
        return False
