"""The report files: XLSX cells read back with openpyxl, CSV in Indonesian format, the PDF rendered by poppler.

No file may hold a name, a phone number or a complaint's text: only counts and suggestions.
"""
from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.reports.build import gather, render
from bot.reports.periods import month, semester
from tests.reports.conftest import AGENCY, CONFIDENTIAL_NAME, CONFIDENTIAL_TEXT, TZ

MADE_ON = date(2026, 12, 1)
NEVER = (CONFIDENTIAL_NAME, CONFIDENTIAL_TEXT, "Wayan", "Warga", "Jalan rusak", "081234567890", "+62812000000",
         "catatan internal", "Sedang kami periksa")


@pytest.fixture
def november(seeded, pack):
    period = month("2026-11")
    return pack, gather(seeded, AGENCY, period, TZ), period


def _rows(sheet) -> dict:
    """First column -> the row's other cells, for rows with a label."""
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0] is not None}


def test_the_xlsx_opens_and_its_cells_hold_the_figures(november):
    pack, fig, period = november
    book = load_workbook(io.BytesIO(render(pack, fig, period, "xlsx", MADE_ON)))
    assert book.sheetnames == ["ringkasan", "saluran", "kategori", "kelas", "unit", "permohonan", "unsur",
                               "ikm_unit_layanan", "profil", "saran"]
    summary = book["ringkasan"]
    assert summary["A1"].value == "Laporan Bulanan Pelayanan Pengaduan dan Survei Kepuasan Masyarakat"
    assert summary["A3"].value == "Periode: November 2026"
    rows = _rows(summary)
    assert rows["Pengaduan diterima"][0] == 6
    assert rows["Selesai dalam batas waktu"][0] == 2 and rows["Selesai melewati batas waktu"][0] == 2
    assert rows["Median waktu sampai selesai (jam)"][0] == 132.0
    assert rows["Indeks Kepuasan Masyarakat (IKM)"][0] == 84.49
    assert rows["Mutu pelayanan"][0] == "B (Baik)"
    ikm_cell = next(c for row in summary.iter_rows() for c in row if c.value == 84.49)
    assert ikm_cell.number_format == "#,##0.00"
    channels = _rows(book["saluran"])
    assert channels["WhatsApp"][:2] == (4, 66.67) and channels["Telegram"][:2] == (2, 33.33)
    classes = _rows(book["kelas"])
    assert classes["Pengaduan ringan"][0] == 2 and classes["Jumlah"][0] == 6
    elements = _rows(book["unsur"])
    assert elements["U1"][:5] == ("Persyaratan", 4, 3.5, 0.389, "B")
    assert elements["U8"][:5] == ("Penanganan pengaduan, saran dan masukan", 3, 2.67, 0.296, "C")
    assert _rows(book["permohonan"])["Konsultasi"][:2] == (2, 1)
    groups = [row for row in book["ikm_unit_layanan"].iter_rows(min_row=6, values_only=True)]
    assert groups == [("Unit", "Bagian Kesejahteraan Rakyat", 4, 84.49, "B"),
                      ("Layanan", "Pelayanan Konsultasi", 1, None, None),
                      ("Layanan", "Fasilitasi Pembinaan Masyarakat", 3, 81.02, "B")]
    suggestions = [row[1] for row in book["saran"].iter_rows(min_row=6, values_only=True)]
    assert suggestions == ["Pelayanan cepat, terima kasih. WA saya [\u2026]", "Tambah kursi di ruang tunggu"]
    cells = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert not [word for word in NEVER if word in cells]


def test_the_csv_is_semicolon_separated_with_decimal_commas(november):
    pack, fig, period = november
    data = render(pack, fig, period, "csv", MADE_ON)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Pengaduan diterima", "6"] in rows
    assert ["Median waktu sampai selesai (jam)", "132,00"] in rows
    assert ["Indeks Kepuasan Masyarakat (IKM)", "84,49"] in rows
    assert ["U3", "Waktu penyelesaian", "4", "2,75", "0,306", "C"] in rows
    assert ["WhatsApp", "4", "66,67"] in rows
    assert not [word for word in NEVER if word in text]


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
                          ).stdout.decode("utf-8")


def test_the_monthly_pdf_renders_and_reads_as_the_figures(november, tmp_path):
    pack, fig, period = november
    pdf = render(pack, fig, period, "pdf", MADE_ON)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    for expected in ("Laporan Bulanan Pelayanan Pengaduan", "Periode: November 2026", "Rekapitulasi pengaduan",
                     "84,49", "132,00", "Survei Kepuasan Masyarakat (SKM)", "Tambah kursi di ruang tunggu",
                     "Unsur dengan nilai terendah: U8 Penanganan pengaduan, saran dan masukan (2,67)"):
        assert expected in " ".join(text.split()), expected
    assert not [word for word in NEVER if word in text]
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    with Image.open(pages[0]) as first:
        assert first.size == (414, 585)  # A4 (595 × 842 pt) at 50 dpi
        histogram = first.convert("L").histogram()
        inked = sum(histogram[:128])
        assert inked > 5000  # text and tables, not a blank page


def test_the_semester_pdf_has_the_usual_structure(seeded, pack):
    period = semester("2026-2")
    text = " ".join(_pdf_text(render(pack, gather(seeded, AGENCY, period, TZ), period, "pdf", MADE_ON)).split())
    sections = ["1. Pendahuluan", "2. Metodologi", "3. Hasil", "Profil responden", "4. Kesimpulan dan Saran",
                "5. Saran dan masukan yang diterima", "Lampiran: Rekapitulasi pengaduan"]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "Periode: Semester II 2026" in text and "88,31 – 100,00 A Sangat Baik" in text
    assert "Nilai IKM Semester II 2026 adalah 70,97 dengan mutu pelayanan C (Kurang Baik)." in text
    assert "belum mencapai jumlah minimal (8) untuk 8 transaksi layanan" in text
