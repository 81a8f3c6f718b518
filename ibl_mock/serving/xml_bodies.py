"""Bodies of XML media types written as XML, shaped by the schema's `xml` objects.

A schema-made body is data; an `application/xml` answer holding JSON text would break its
own media type. OpenAPI's `xml` object says how: the element `name` (else the schema's
component name, else the property name), `attribute`, `wrapped` arrays, `prefix` and
`namespace`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from ..contract.refs import merged

DEFAULT_ROOT = "root"
NOT_NAME = re.compile(r"[^A-Za-z0-9_.:-]")


def safe_tag(name: str) -> str:
    """An XML element name for any property name (`a b` -> `a_b`, `1st` -> `_1st`)."""
    tag = NOT_NAME.sub("_", name) or "_"
    return tag if re.match(r"[A-Za-z_]", tag) else "_" + tag


def is_xml(media: str) -> bool:
    kind = media.split(";")[0].strip().lower()
    return kind.endswith("/xml") or kind.endswith("+xml")


def xml_text(body: Any, schema: Any, document: dict[str, Any]) -> str:
    """`body` as an XML document whose root is named by `schema`."""
    root_name = element_name(schema, document, DEFAULT_ROOT)
    element = ElementTree.Element(root_name)
    fill(element, body, schema, document)
    return ElementTree.tostring(element, encoding="unicode", xml_declaration=True)


def element_name(schema: Any, document: dict[str, Any], fallback: str) -> str:
    written = merged(document, schema) if isinstance(schema, dict) else {}
    xml = written.get("xml") if isinstance(written, dict) else None
    if isinstance(xml, dict) and isinstance(xml.get("name"), str) and xml["name"]:
        name = xml["name"]
        prefixed = f"{xml['prefix']}:{name}" if isinstance(xml.get("prefix"), str) else name
        return safe_tag(prefixed)
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return safe_tag(ref.rsplit("/", 1)[-1])
    return safe_tag(fallback)


def fill(element: ElementTree.Element, value: Any, schema: Any, document: dict[str, Any]) -> None:
    written = merged(document, schema) if isinstance(schema, dict) else {}
    written = written if isinstance(written, dict) else {}
    found = written.get("xml")
    xml: dict[str, Any] = found if isinstance(found, dict) else {}
    if isinstance(xml.get("namespace"), str):
        element.set("xmlns" + (f":{xml['prefix']}" if xml.get("prefix") else ""), xml["namespace"])
    if isinstance(value, dict):
        properties = written.get("properties") or {}
        for name, item in value.items():
            child_schema = properties.get(name, {})
            child = merged(document, child_schema) if isinstance(child_schema, dict) else {}
            child_xml = child.get("xml") if isinstance(child, dict) else None
            tag = element_name(child_schema, document, str(name)) if child_xml else safe_tag(name)
            if isinstance(child_xml, dict) and child_xml.get("attribute"):
                element.set(tag, scalar(item))
            else:
                add_child(element, tag, item, child_schema, document)
    elif isinstance(value, list):
        item_schema = written.get("items", {})
        tag = element_name(item_schema, document, "item")
        for item in value:
            add_child(element, tag, item, item_schema, document)
    else:
        element.text = scalar(value)


def add_child(
    parent: ElementTree.Element, tag: str, value: Any, schema: Any, document: dict[str, Any]
) -> None:
    written = merged(document, schema) if isinstance(schema, dict) else {}
    xml = written.get("xml") if isinstance(written, dict) else None
    if isinstance(value, list) and not (isinstance(xml, dict) and xml.get("wrapped")):
        # An unwrapped array repeats its items in place, named as the property.
        item_schema = written.get("items", {}) if isinstance(written, dict) else {}
        for item in value:
            fill(ElementTree.SubElement(parent, tag), item, item_schema, document)
        return
    fill(ElementTree.SubElement(parent, tag), value, schema, document)


def scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, dict | list) else str(value)
