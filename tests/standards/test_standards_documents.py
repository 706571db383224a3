"""The four real standards in shared/standards/ against hand-written expectations.

Each expected/<doc>.json was written by reading the document, not by dumping
the parser. The test is parametrised over documents and fields, so a failure
names both. Warnings are compared loosely (a list of strings, empty or not as
expected): their wording is for people and may change.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.standards import KEYS, parse_file, parse_standard_strict

DOCS_DIR = Path(__file__).parent / "documents"
EXPECTED_DIR = Path(__file__).parent / "expected"
DOCS = ["bangli-dpmptsp-pengaduan.md", "buleleng-kesra-konsultasi.txt",
        "buleleng-kesra-pembinaan-masyarakat.txt", "kalbar-kesra-konsultasi.md"]
FIELDS = [k for k in KEYS if k != "warnings"]

_cache: dict[str, dict] = {}


def parsed(doc: str) -> dict:
    if doc not in _cache:
        _cache[doc] = parse_file(DOCS_DIR / doc)
    return _cache[doc]


def expected(doc: str) -> dict:
    return json.loads((EXPECTED_DIR / (Path(doc).stem + ".json")).read_text(encoding="utf-8"))





@pytest.mark.parametrize("doc", DOCS)
def test_expected_file_has_every_key(doc: str) -> None:
    assert set(expected(doc)) == set(KEYS)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("doc", DOCS)
def test_field_matches_hand_written_expectation(doc: str, field: str) -> None:
    assert parsed(doc)[field] == expected(doc)[field]


@pytest.mark.parametrize("doc", DOCS)
def test_warnings_loosely(doc: str) -> None:
    got = parsed(doc)["warnings"]
    want = expected(doc)["warnings"]
    assert isinstance(got, list) and all(isinstance(w, str) and w for w in got)
    assert bool(got) == bool(want)


@pytest.mark.parametrize("doc", DOCS)
def test_output_has_exactly_the_interface_keys(doc: str) -> None:
    assert list(parsed(doc)) == list(KEYS)


@pytest.mark.parametrize("doc", DOCS)
def test_json_round_trip(doc: str) -> None:
    text = json.dumps(parsed(doc), ensure_ascii=False)
    assert json.loads(text) == parsed(doc)


@pytest.mark.parametrize("doc", DOCS)
def test_no_markup_or_markers_left_in_texts(doc: str) -> None:
    data = parsed(doc)
    texts = [data["name"], data["staff"], data["completion_time"]["text"], data["fee"]["text"]]
    for key in ("requirements", "procedure", "products", "legal_basis", "facilities", "competencies",
                "supervision", "guarantees", "safety", "evaluation"):
        texts.extend(data[key])
    for text in texts:
        if text is None:
            continue
        assert "<" not in text and ">" not in text and "&gt;" not in text and "**" not in text, text
        assert not text.startswith(("a. ", "b. ", "1. ", "1) ", "- ", "• ")), text
        assert not text.endswith(";"), text


def test_parse_file_equals_parse_standard_of_the_text() -> None:
    for doc in DOCS:
        text = (DOCS_DIR / doc).read_text(encoding="utf-8")
        assert parse_standard_strict(text) == parsed(doc)


def test_bangli_warns_that_procedure_comes_from_the_flowchart() -> None:
    warnings = " ".join(parsed("bangli-dpmptsp-pengaduan.md")["warnings"])
    assert "flowchart" in warnings
    assert "Dibentuk Tim" in warnings  # the complaint item that is no channel is not dropped silently


def test_kalbar_warns_about_the_missing_complaint_flowchart() -> None:
    assert any("flowchart" in w for w in parsed("kalbar-kesra-konsultasi.md")["warnings"])
