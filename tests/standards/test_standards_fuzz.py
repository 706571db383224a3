"""Property tests: whatever the input, the importer answers instead of crashing.

``parse_standard_strict`` is used (not the crash-proof ``parse_standard``) so
that a bug shows up here instead of hiding behind the safety net.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standards import KEYS, NotAStandard, parse_file, parse_standard, parse_standard_strict

DOCS_DIR = Path(__file__).parent / "documents"
DOC_TEXTS = sorted(p.read_text(encoding="utf-8") for p in DOCS_DIR.glob("*")) if DOCS_DIR.is_dir() else []
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOC_FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words and markup the parser reacts to, so random texts reach deep branches.
VOCAB = [
    "Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Jangka Waktu Penyelesaian", "Biaya/Tarif", "Gratis",
    "Produk Layanan", "Penanganan Pengaduan, Saran, dan Masukan", "Dasar Hukum", "Jumlah Pelaksana",
    "Kompetensi Pelaksana", "a.", "b.", "c.", "1.", "2.", "1)", "2)", "-", "•", ":", ";", ".", "\n", "\t",
    "<li>", "</li>", "<ol style=\"list-style-type: none\">", "<ul>", "</ul>", "<p>", "</p>", "<b>", "</b>",
    "<pre>", "</pre>", "graph LR", "A[x]", "-->", "--&gt;", "B[y]", "|", "| 1 |", "##", "**", "Rp 50.000,-",
    "3 jam", "5 hari kerja", "Telepon 0362 21985", "WA", "e-mail : a@b.go.id", "www.lapor.go.id", "Kotak Saran",
    "Tatap muka", "KETERANGAN :", "Prosedur :", "Pengaduan ringan, selambat-lambatnya", "Kab.", "ext.", "dst.",
    "```mermaid", "```", "(", ")", "[", "]", "{", "}", "&amp;", "\ue000", "\ue001", "\ue003", "0",
]
markup_text = st.lists(st.sampled_from(VOCAB) | st.text(max_size=12), max_size=60).map(" ".join)


def assert_shape(result: dict) -> None:
    assert list(result) == list(KEYS)
    assert isinstance(result["warnings"], list) and all(isinstance(w, str) for w in result["warnings"])
    for key in ("requirements", "procedure", "products", "legal_basis", "facilities", "competencies",
                "supervision", "guarantees", "safety", "evaluation"):
        assert isinstance(result[key], list) and all(isinstance(t, str) and t for t in result[key]), key
    assert set(result["completion_time"]) == {"text", "minutes", "working_days"}
    assert set(result["fee"]) == {"text", "amount_idr", "kind", "items"}
    assert result["fee"]["kind"] in {None, "free", "amount", "items", "reference", "not_stated", "unclear"}
    for ch in result["complaint_channels"]:
        assert set(ch) == {"kind", "value"}
        assert ch["kind"] in {"in_person", "box", "letter", "phone", "whatsapp", "fax", "email", "web",
                              "lapor", "social"}
    for flow in (result["flow"], result["complaint_flow"]):
        if flow is not None:
            assert set(flow) == {"nodes", "edges"}
            for a, b in flow["edges"]:
                assert a in flow["nodes"] and b in flow["nodes"]


@FAST
@given(st.text(max_size=400))
def test_random_text_never_crashes(text: str) -> None:
    assert_shape(parse_standard_strict(text))


@FAST
@given(markup_text)
def test_random_markup_never_crashes(text: str) -> None:
    assert_shape(parse_standard_strict(text))


@DOC_FAST
@given(st.data())
def test_shuffled_lines_never_crash(data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(DOC_TEXTS))
    lines = doc.split("\n")
    shuffled = data.draw(st.permutations(lines))
    assert_shape(parse_standard_strict("\n".join(shuffled)))


@DOC_FAST
@given(st.data())
def test_shuffled_paragraphs_never_crash(data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(DOC_TEXTS))
    blocks = doc.split("\n\n")
    shuffled = data.draw(st.permutations(blocks))
    assert_shape(parse_standard_strict("\n\n".join(shuffled)))


PLAIN = DOCS_DIR / "buleleng-kesra-konsultasi.txt"


@lru_cache(maxsize=1)
def _plain_parsed() -> dict:
    return parse_standard_strict(PLAIN.read_text(encoding="utf-8"))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_section_order_does_not_matter(data: st.DataObject) -> None:
    """In the plain-text standard each service-delivery section is one line: any order gives the same fields."""
    lines = PLAIN.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("1.\tPersyaratan"))
    block = lines[first:first + 6]
    assert block[-1].startswith("6.\tPenanganan")
    shuffled = data.draw(st.permutations(block))
    text = "\n".join(lines[:first] + list(shuffled) + lines[first + 6:])
    got, want = parse_standard_strict(text), _plain_parsed()
    for key in KEYS:
        if key != "warnings":
            assert got[key] == want[key], key


@DOC_FAST
@given(st.data())
def test_truncated_documents_return_what_was_found(data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(DOC_TEXTS))
    cut = data.draw(st.integers(min_value=0, max_value=len(doc)))
    result = parse_standard_strict(doc[:cut])
    assert_shape(result)
    full = parse_standard_strict(doc)
    missing = [w for w in result["warnings"] if w.startswith("missing section")]
    if cut < len(doc) // 2:
        assert missing  # the second half of every standard holds sections
    # nothing found in a prefix that the full document does not also know about
    for req in result["requirements"][:-1]:
        assert req in full["requirements"]


@FAST
@given(st.binary(max_size=600))
def test_random_bytes_in_parse_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "doc.bin"
    path.write_bytes(data)
    try:
        result = parse_file(path)
    except NotAStandard as exc:
        assert str(exc)
    else:
        assert_shape(result)


@DOC_FAST
@given(st.data())
def test_documents_with_random_bytes_spliced_in(tmp_path_factory: pytest.TempPathFactory,
                                                data: st.DataObject) -> None:
    doc = data.draw(st.sampled_from(DOC_TEXTS)).encode("utf-8")
    at = data.draw(st.integers(min_value=0, max_value=len(doc)))
    noise = data.draw(st.binary(max_size=40))
    path = tmp_path_factory.mktemp("splice") / "doc.txt"
    path.write_bytes(doc[:at] + noise + doc[at:])
    try:
        result = parse_file(path)
    except NotAStandard as exc:
        assert str(exc)
    else:
        assert_shape(result)


def test_parse_standard_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.standards as standards

    def boom(text: str) -> tuple[dict, int]:
        raise RuntimeError("bug")

    monkeypatch.setattr(standards, "parse_document", boom)
    result = parse_standard("anything")
    assert_shape(result)
    assert any("internal parser error" in w for w in result["warnings"])
