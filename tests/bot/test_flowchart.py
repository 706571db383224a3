"""Procedure flowcharts: PNG output, label handling, and the text fallback."""
from __future__ import annotations

import shutil
import struct

import pytest

from bot.content import flowchart
from bot.content.flowchart import (
    FlowchartUnavailable,
    build_graph,
    flow_steps_text,
    render_flow_png,
    traversal_order,
    wrap_label,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

LINEAR = {
    "nodes": {
        "A": "Tamu / Pengguna layanan",
        "B": "Petugas informasi / ketatausahaan",
        "C": "Unjuk surat / konsultasi atasan",
        "D": "Penyiapan fasilitasi pembinaan",
        "E": "Menerima layanan pembinaan",
    },
    "edges": [["A", "B"], ["B", "C"], ["C", "D"], ["D", "E"]],
}

BANGLI = {
    "nodes": {
        "M": "MASYARAKAT",
        "PM": "PENGADUAN MANUAL",
        "PO": "PENGADUAN ONLINE",
        "PP": "PETUGAS PENGADUAN",
        "OIT": "OPERATOR IT",
        "TPT": "TIM PENGADUAN DAN BIDANG TERKAI",
        "HTPM": "HASIL/TINDAK-LANJUT PENGADUAN MASYARAKAT",
    },
    "edges": [
        ["M", "PM"], ["M", "PO"], ["PM", "PP"], ["PO", "OIT"],
        ["PP", "TPT"], ["OIT", "TPT"], ["TPT", "HTPM"], ["HTPM", "M"],
    ],
}

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which PNG requires to come first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@needs_dot
@pytest.mark.parametrize("flow", [LINEAR, BANGLI], ids=["linear", "bangli-cycle"])
def test_render_png(flow: dict, tmp_path) -> None:
    data = render_flow_png(flow, title="Alur layanan")
    width, height = png_size(data)
    assert 200 <= width <= 1400, "narrow enough for a phone without shrinking text to nothing"
    assert 300 <= height <= 3000
    (tmp_path / "flow.png").write_bytes(data)


@needs_dot
def test_linear_flow_is_taller_than_wide() -> None:
    width, height = png_size(render_flow_png(LINEAR))
    assert height > width


@pytest.mark.parametrize("flow", [LINEAR, BANGLI], ids=["linear", "bangli-cycle"])
def test_all_labels_in_source(flow: dict) -> None:
    source = build_graph(flow, title="Alur pengaduan").source
    for label in flow["nodes"].values():
        assert "\\n".join(wrap_label(label)) in source
        for word in label.split():
            assert word in source
    assert "Alur pengaduan" in source
    assert "rankdir=TB" in source


def test_cycle_edge_is_dashed_and_does_not_constrain_ranks() -> None:
    source = build_graph(BANGLI).source
    loop_lines = [line for line in source.splitlines() if "HTPM -> M" in line]
    assert len(loop_lines) == 1
    assert "style=dashed" in loop_lines[0] and "constraint=false" in loop_lines[0]
    assert "M -> PM" in source and "TPT -> HTPM" in source


def test_labels_wrap_at_word_boundaries() -> None:
    assert wrap_label("HASIL/TINDAK-LANJUT PENGADUAN MASYARAKAT") == ["HASIL/TINDAK-LANJUT", "PENGADUAN MASYARAKAT"]
    assert wrap_label("Petugas informasi / ketatausahaan") == ["Petugas informasi /", "ketatausahaan"]
    assert all(len(line) <= 22 for line in wrap_label("TIM PENGADUAN DAN BIDANG TERKAI"))


@needs_dot
def test_special_characters_are_escaped() -> None:
    flow = {"nodes": {"node": 'Surat "resmi" \\ <b>tebal</b>', "edge": "Selesai"}, "edges": [["node", "edge"]]}
    source = build_graph(flow).source
    assert '\\"resmi\\"' in source
    assert "\\\\" in source  # a literal backslash, not a DOT escape
    assert "<b>" in source and "label=<" not in source  # not an HTML label
    assert render_flow_png(flow)[:8] == PNG_SIGNATURE


def test_undeclared_edge_endpoint_uses_its_id() -> None:
    flow = {"nodes": {"A": "Mulai"}, "edges": [["A", "Selesai"]]}
    assert flow_steps_text(flow) == ["1. Mulai", "2. Selesai"]


def test_malformed_edge_is_rejected() -> None:
    with pytest.raises(ValueError):
        flow_steps_text({"nodes": {"A": "x"}, "edges": [["A"]]})


def test_missing_dot_raises_flowchart_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flowchart.shutil, "which", lambda name: None)
    with pytest.raises(FlowchartUnavailable):
        render_flow_png(LINEAR)


def test_dot_vanishing_from_path_raises_flowchart_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flowchart.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(FlowchartUnavailable):
        render_flow_png(LINEAR)


def test_steps_text_linear() -> None:
    assert flow_steps_text(LINEAR) == [
        "1. Tamu / Pengguna layanan",
        "2. Petugas informasi / ketatausahaan",
        "3. Unjuk surat / konsultasi atasan",
        "4. Penyiapan fasilitasi pembinaan",
        "5. Menerima layanan pembinaan",
    ]


def test_steps_text_cycle_notes_branches_and_return() -> None:
    assert traversal_order(BANGLI) == ["M", "PM", "PO", "PP", "OIT", "TPT", "HTPM"]
    assert flow_steps_text(BANGLI) == [
        "1. MASYARAKAT (→ lanjut ke langkah 2 atau 3)",
        "2. PENGADUAN MANUAL (→ lanjut ke langkah 4)",
        "3. PENGADUAN ONLINE (→ lanjut ke langkah 5)",
        "4. PETUGAS PENGADUAN (→ lanjut ke langkah 6)",
        "5. OPERATOR IT",
        "6. TIM PENGADUAN DAN BIDANG TERKAI",
        "7. HASIL/TINDAK-LANJUT PENGADUAN MASYARAKAT (→ kembali ke langkah 1)",
    ]
