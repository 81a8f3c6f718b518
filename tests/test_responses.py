"""Response headers the mock makes can always be sent (serving.responses)."""

from __future__ import annotations

from ibl_mock.serving.responses import header_text


def test_latin_1_text_is_sent_as_it_is() -> None:
    assert header_text("/api/books/3") == "/api/books/3"
    assert header_text("Zoë") == "Zoë"


def test_text_beyond_latin_1_is_percent_encoded() -> None:
    sent = header_text("http://h/individuals/\U000e736e/business-names/7")
    sent.encode("latin-1")  # would raise, as uvicorn did: "Invalid HTTP header value"
    assert sent == "http://h/individuals/%F3%A7%8D%AE/business-names/7"


def test_control_characters_are_percent_encoded() -> None:
    # uvicorn refused the answer midway ("Invalid HTTP header value"): the client saw the
    # connection closed without a response
    assert header_text("/commits/a\nb/comments\x00") == "/commits/a%0Ab/comments%00"
    assert header_text("tab\tkept") == "tab\tkept"
