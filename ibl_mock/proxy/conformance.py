"""Whether one exchange keeps the contract: the request (path, method, parameters, body,
credentials) and the response (status, media type, required headers, body schema), each
break a `Violation` naming the operation, where, the rule and what is wrong. Knows
nothing of forwarding: `forwarding` hands it what passed."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from ..checks.examples import Checkers
from ..contract.path_index import path_values
from ..contract.spec import Operation, Spec
from ..control.journal import Masker
from ..control.masking import MASK, masked, secret_path
from ..pipeline.coercion import Schemas, parameter_schema
from ..pipeline.statuses import status_key
from ..pipeline.styles import serialised

JSON_MEDIA = re.compile(r"^application/([\w.+-]*\+)?json$")


@dataclass(frozen=True)
class Violation:
    operation_id: str | None
    location: str  # request.query.page, response.body/results/0/id, response.status...
    rule: str  # a short name: undocumented-path, required, schema, status, media-type...
    message: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def media_of(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def is_json(media: str) -> bool:
    return bool(JSON_MEDIA.match(media))


def pointer_of(parts: Any) -> str:
    return "".join(f"/{part}" for part in parts)


class ContractCheck:
    """The checks of one document, served under `base_path`."""

    def __init__(self, spec: Spec, base_path: str, masker: Masker) -> None:
        self.spec = spec
        self.base_path = base_path.rstrip("/")
        self.masker = masker  # a credential's value is never written into a violation
        version = "3.1" if str(spec.document.get("openapi", "")).startswith("3.1") else "3.0"
        self.checkers = Checkers(spec.document, version)
        self.schemas = Schemas(spec.document)

    def relative(self, path: str) -> str | None:
        if not self.base_path:
            return path
        if path == self.base_path or path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :] or "/"
        return None

    def operation(self, method: str, path: str) -> Operation | None:
        relative = self.relative(path)
        found = None if relative is None else self.spec.operation_at(method.lower(), relative)
        return None if found is None else self.spec.operations[found]

    def request(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[Operation | None, list[Violation]]:
        """The operation the request is for (None: none documented) and its breaks."""
        operation = self.operation(method, path)
        if operation is None:
            relative = self.relative(path)
            if relative is not None and self.spec.methods_at(relative):
                allowed = ", ".join(m.upper() for m in self.spec.methods_at(relative))
                message = f"{method} is not documented at {path} (documented: {allowed})"
                return None, [Violation(None, "request.method", "undocumented-method", message)]
            message = f"no documented path matches {path}"
            return None, [Violation(None, "request.path", "undocumented-path", message)]
        found = [*self.parameters(operation, path, query, headers)]
        found += self.credentials(operation, headers, query)
        found += self.request_body(operation, headers, body)
        return operation, found

    def declared(self, operation: Operation) -> list[dict[str, Any]]:
        """The operation's parameters, path-level ones it does not override included."""
        item = self.spec.resolve(self.spec.document["paths"][operation.path])
        own = self.spec.operation_object(operation).get("parameters") or []
        shared = item.get("parameters") or []
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for param in [*shared, *own]:
            param = self.spec.resolve(param)
            if isinstance(param, dict):
                merged[(str(param.get("in")), str(param.get("name")))] = param
        return list(merged.values())

    def parameters(
        self, operation: Operation, path: str, query: str, headers: dict[str, str]
    ) -> list[Violation]:
        sent: dict[str, dict[str, Any]] = {
            "path": path_values(operation.path, self.relative(path) or path),
            "query": parse_qs(query, keep_blank_values=True),  # a key's every value
            "header": headers,
            "cookie": cookies(headers.get("cookie", "")),
        }
        found = []
        for param in self.declared(operation):
            place, name = str(param.get("in")), str(param.get("name"))
            values = sent.get(place, {})
            key = name.lower() if place == "header" else name
            where = f"request.{place}.{name}"
            if key not in values:
                if param.get("required"):
                    message = f"the {place} parameter {name!r} is required but was not sent"
                    found.append(Violation(operation.operation_id, where, "required", message))
                continue
            schema = parameter_schema(param)
            raw = values[key]
            if place == "query":  # laid out as its style says (`?tag=a&tag=b`, `?ids=1,2`)
                raw = serialised(raw, param, self.schemas)
            typed = self.schemas.typed(raw, schema)
            error = self.checkers.error("request", schema, typed)
            if error is not None:
                secret = (place == "header" and key in self.masker.headers) or (
                    place == "query" and key in self.masker.query
                )
                said = f"{name}={MASK}: not a value of its schema ({error.validator})"
                message = said if secret else f"{name}={raw!r}: {error.message}"
                found.append(Violation(operation.operation_id, where, "schema", message))
        return found

    def credentials(
        self, operation: Operation, headers: dict[str, str], query: str
    ) -> list[Violation]:
        """A security requirement no credential of the request could meet."""
        requirements = self.spec.operation_object(operation).get("security")
        if requirements is None:
            requirements = self.spec.document.get("security") or []
        if not requirements or any(not r for r in requirements):
            return []  # none asked, or one alternative asks nothing
        schemes = (self.spec.document.get("components") or {}).get("securitySchemes") or {}
        names = dict(parse_qsl(query, keep_blank_values=True))
        sent_cookies = cookies(headers.get("cookie", ""))
        for requirement in requirements:
            if all(sends(schemes.get(n) or {}, headers, names, sent_cookies) for n in requirement):
                return []
        wanted = " or ".join("+".join(r) for r in requirements)
        message = f"no credential of the documented security was sent (wanted: {wanted})"
        return [Violation(operation.operation_id, "request.security", "security", message)]

    def request_body(
        self, operation: Operation, headers: dict[str, str], body: bytes | None
    ) -> list[Violation]:
        described = self.spec.resolve(self.spec.operation_object(operation).get("requestBody"))
        if not isinstance(described, dict):
            return []
        op = operation.operation_id
        if not body:
            if described.get("required"):
                return [Violation(op, "request.body", "required", "a body is required")]
            return []
        content = described.get("content") or {}
        media = media_of(headers.get("content-type"))
        media_object = matching_media(content, media)
        if media_object is None:
            documented = ", ".join(content) or "none"
            message = f"Content-Type {media or '(none)'} is not documented ({documented})"
            return [Violation(op, "request.header.content-type", "media-type", message)]
        return self.json_body(op, "request", media, media_object, body)

    def json_body(
        self, op: str, direction: str, media: str, media_object: Any, body: bytes
    ) -> list[Violation]:
        schema = media_object.get("schema") if isinstance(media_object, dict) else None
        if schema is None or not is_json(media):
            return []  # only JSON bodies are read against their schema
        try:
            value = json.loads(body)
        except ValueError as exc:
            message = f"the {media} body is not JSON: {exc}"
            return [Violation(op, f"{direction}.body", "json", message)]
        error = self.checkers.error(direction, schema, value)
        if error is None:
            return []
        where = f"{direction}.body{pointer_of(error.absolute_path)}"
        said = error.message  # may quote the value: not a credential's
        if secret_path(error.absolute_path) or masked(error.instance) != error.instance:
            said = f"{MASK}: not a value of its schema ({error.validator})"
        return [Violation(op, where, "schema", said)]

    def response(
        self, operation: Operation, status: int, headers: dict[str, str], body: bytes
    ) -> list[Violation]:
        op = operation.operation_id
        responses = self.spec.operation_object(operation).get("responses") or {}
        key = status_key(responses, status)
        if key is None:
            documented = ", ".join(map(str, responses)) or "none"
            message = f"status {status} is not documented (documented: {documented})"
            return [Violation(op, "response.status", "status", message)]
        described = self.spec.resolve(responses[key])
        described = described if isinstance(described, dict) else {}
        found = self.response_headers(op, described, headers)
        content = described.get("content") or {}
        if not content or not body:
            if content and not body and status not in (204, 304):
                message = f"status {status} documents a body ({', '.join(content)}); none came"
                found.append(Violation(op, "response.body", "body", message))
            return found
        media = media_of(headers.get("content-type"))
        media_object = matching_media(content, media)
        if media_object is None:
            message = f"Content-Type {media or '(none)'} is not documented ({', '.join(content)})"
            found.append(Violation(op, "response.header.content-type", "media-type", message))
            return found
        return found + self.json_body(op, "response", media, media_object, body)

    def response_headers(
        self, op: str, described: dict[str, Any], headers: dict[str, str]
    ) -> list[Violation]:
        found = []
        for name, header in (described.get("headers") or {}).items():
            header = self.spec.resolve(header)
            if isinstance(header, dict) and header.get("required") and name.lower() not in headers:
                message = f"the header {name} is required but was not sent"
                found.append(Violation(op, f"response.header.{name}", "required", message))
        return found


def matching_media(content: dict[str, Any], media: str) -> Any:
    """The media type object documented for `media`: exact, else its range (`text/*`,
    `*/*`)."""
    if media in content:
        return content[media]
    kind = media.split("/")[0]
    for documented, media_object in content.items():
        plain = media_of(documented)
        if plain == media or plain in (f"{kind}/*", "*/*"):
            return media_object
    return None


def cookies(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


def sends(
    scheme: dict[str, Any], headers: dict[str, str], query: dict[str, str], jar: dict[str, str]
) -> bool:
    """Whether the request carries a credential of `scheme` (its value is the upstream's
    to judge)."""
    kind = scheme.get("type")
    if kind == "apiKey":
        name = str(scheme.get("name", ""))
        where = scheme.get("in")
        return (
            name.lower() in headers
            if where == "header"
            else name in query
            if where == "query"
            else name in jar
        )
    if kind in ("http", "oauth2", "openIdConnect"):
        return "authorization" in headers
    return True  # mutualTLS and unknown kinds: not visible here
