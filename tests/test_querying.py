from __future__ import annotations

from ibl_mock.data.querying import filter_exact, order, ordering_fields, search, search_terms

RECORDS = [
    {"id": 1, "provider": "openai", "model": "dall-e-3", "prompt": "A red Fox", "n": 3},
    {"id": 2, "provider": "nvidia", "model": "flux.1-dev", "prompt": "blue whale", "n": 1},
    {"id": 3, "provider": "openai", "model": "gpt-image-1", "prompt": "red whale", "n": 3},
    {"id": 4, "provider": "replicate", "model": "sdxl", "prompt": None, "n": None},
]
FIELDS = ("prompt", "model", "provider")


def ids(records: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in records]


def test_exact_filters_combine_and_skip_empty_values() -> None:
    assert ids(filter_exact(RECORDS, {"provider": "openai"})) == [1, 3]
    assert ids(filter_exact(RECORDS, {"provider": "openai", "model": "dall-e-3"})) == [1]
    assert ids(filter_exact(RECORDS, {"provider": "", "model": None})) == [1, 2, 3, 4]
    assert ids(filter_exact(RECORDS, {"provider": "OpenAI"})) == []  # exact, not iexact


def test_search_terms_split_on_spaces_and_commas_and_keep_quoted_phrases() -> None:
    assert search_terms('red, whale "blue whale"') == ["red", "whale", "blue whale"]
    assert search_terms("  ") == []
    assert search_terms(None) == []
    assert search_terms('unbalanced "quote') == ["unbalanced", '"quote']
    assert search_terms("nul\x00byte") == ["nulbyte"]


def test_search_needs_every_term_in_some_field_case_insensitively() -> None:
    assert ids(search(RECORDS, "RED", FIELDS)) == [1, 3]
    assert ids(search(RECORDS, "red whale", FIELDS)) == [3]
    assert ids(search(RECORDS, "openai whale", FIELDS)) == [3]  # terms may match other fields
    assert ids(search(RECORDS, "", FIELDS)) == [1, 2, 3, 4]
    assert ids(search(RECORDS, "zebra", FIELDS)) == []


def test_ordering_fields_drop_unknown_and_malformed_terms() -> None:
    assert ordering_fields("-n, id ,bogus,--id,", ["id", "n"]) == ["-n", "id"]
    assert ordering_fields(None, ["id"]) == []


def test_order_by_several_fields_with_descending_and_a_tiebreak() -> None:
    assert ids(order(RECORDS, "-n,-id", ["id", "n"], ["id"])) == [4, 3, 1, 2]  # None first
    assert ids(order(RECORDS, "n", ["id", "n"], ["id"])) == [2, 1, 3, 4]  # None last ascending
    assert ids(order(RECORDS, "-n", ["id", "n"], ["id"])) == [4, 1, 3, 2]  # ties keep id order


def test_order_falls_back_to_the_default_when_nothing_valid_is_asked() -> None:
    assert ids(order(RECORDS, "bogus", ["id"], ["-id"])) == [4, 3, 2, 1]
    assert ids(order(RECORDS, None, ["id"], ["-id"])) == [4, 3, 2, 1]


def test_quoted_terms_keep_commas_and_apostrophes_stay_literal() -> None:
    assert search_terms('"diagram, minimal" x') == ["diagram, minimal", "x"]
    assert search_terms("Newton's heart's") == ["Newton's heart's"]
    assert search_terms("'single quoted' a,,b") == ["single quoted", "a", "b"]


def test_search_does_not_fold_sharp_s_into_ss() -> None:
    records = [{"id": 1, "prompt": "a class"}, {"id": 2, "prompt": "Straße"}]
    assert ids(search(records, "ß", ["prompt"])) == [2]
    assert ids(search(records, "STRASSE", ["prompt"])) == []


def test_text_orders_case_insensitively() -> None:
    records = [{"id": 1, "t": "b"}, {"id": 2, "t": "B"}, {"id": 3, "t": "a"}, {"id": 4, "t": "C"}]
    assert ids(order(records, "t", ["t"], ["id"])) == [3, 2, 1, 4]
