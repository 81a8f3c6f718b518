"""XML media types are answered with XML shaped by the schema's `xml` objects."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from ibl_mock.serving.xml_bodies import is_xml, safe_tag, xml_text

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "xml": {"name": "pet"},
                "properties": {
                    "id": {"type": "integer", "xml": {"attribute": True}},
                    "name": {"type": "string"},
                    "tags": {
                        "type": "array",
                        "xml": {"wrapped": True},
                        "items": {"type": "string", "xml": {"name": "tag"}},
                    },
                    "photoUrls": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    }
}


def test_xml_media_types_are_recognised() -> None:
    assert is_xml("application/xml") and is_xml("text/xml; charset=utf-8")
    assert is_xml("application/atom+xml") and not is_xml("application/json")


def test_a_body_is_written_as_the_xml_objects_say() -> None:
    body = {"id": 7, "name": "Rex", "tags": ["a", "b"], "photoUrls": ["u1", "u2"]}
    root = ElementTree.fromstring(xml_text(body, {"$ref": "#/components/schemas/Pet"}, DOCUMENT))
    assert root.tag == "pet" and root.get("id") == "7"
    assert root.findtext("name") == "Rex"
    assert [t.text for t in root.findall("tags/tag")] == ["a", "b"]  # wrapped
    assert [u.text for u in root.findall("photoUrls")] == ["u1", "u2"]  # repeated in place


def test_any_property_name_becomes_an_element_name() -> None:
    assert safe_tag("a b") == "a_b" and safe_tag("1st") == "_1st" and safe_tag("") == "_"
    text = xml_text({"a b": 1, "2x": [True, None]}, {}, {})
    root = ElementTree.fromstring(text)  # parses: the names are well formed
    assert root.tag == "root" and root.findtext("a_b") == "1"
