"""PDF and DOCX standards, multi-service documents, provenance and review, bad files.

The fixtures are committed (made by ``fixtures/make_fixtures.py`` from corpus texts):
a three-page PDF with a letterhead and page number on every page, a PDF annex of three
services, a DOCX with a table, and the scanned, encrypted and broken files the command
must refuse with one line and exit code 2.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from bot.standards import parse_file
from bot.standards.command import import_standard_command

FIX = Path(__file__).parent / "fixtures"
SLEMAN = Path(__file__).resolve().parents[2] / ".." / "shared" / "standards" / "real" / "disdukcapil-sleman-akta-kelahiran.txt"


def run(path, *, as_json=False, out=None, all_services=False, review=False) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = import_standard_command(str(path), as_json, out, stdout, stderr, all_services=all_services,
                                   show_review=review)
    return code, stdout.getvalue(), stderr.getvalue()


def test_multipage_pdf_with_letterhead_and_page_numbers_on_every_page() -> None:
    r = parse_file(FIX / "sei-suka-sktm-multipage.pdf")
    assert r["name"] == "Standar Pelayanan Penerbitan Surat Keterangan Tidak Mampu"
    assert r["agency"] == "Kecamatan Sei Suka Kabupaten Batu Bara"
    assert r["requirements"] == ["Surat pengantar/Keterangan dari kepala desa/kelurahan",
                                 "Foto copy Kartu Tanda Penduduk/Kartu Keluarga"]
    assert len(r["procedure"]) == 9 and r["procedure"][-1] == "Pengarsipan dokumen"
    assert r["completion_time"]["minutes"] == 60
    assert r["fee"]["amount_idr"] == 0 and r["fee"]["kind"] == "free"
    assert r["products"] == ["Dokumen Surat Keterangan Tidak Mampu"]
    assert {"kind": "email", "value": "kec.seisuka@gmail.com"} in r["complaint_channels"]
    everything = json.dumps(r, ensure_ascii=False)
    assert "Halaman" not in everything  # page numbers are chrome
    assert not any("PEMERINTAH KABUPATEN" in w for w in r["warnings"])  # the letterhead is not left over


def test_pdf_table_cells_stay_apart() -> None:
    r = parse_file(FIX / "three-services.pdf")
    assert r["requirements"][0] == "Surat pengantar/Keterangan dari kepala desa/kelurahan"
    assert not any("Persyaratan" in t or "KOMPONEN" in t for t in r["requirements"] + r["procedure"])


def test_docx_with_a_table() -> None:
    r = parse_file(FIX / "kotim-izin-reklame.docx")
    assert r["name"] == "Standar Pelayanan Izin Reklame"
    assert r["agency"] == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Kotawaringin Timur"
    assert len(r["requirements"]) == 9 and r["requirements"][2] == "Persetujuan Pemilik Lahan (Perjanjian Sewa)"
    assert r["completion_time"]["working_days"] == 5
    assert r["fee"] == {"text": "Gratis", "amount_idr": 0, "kind": "free", "items": []}


@pytest.mark.parametrize("name, reason", [
    ("scanned.pdf", "scanned PDF"),
    ("encrypted.pdf", "encrypted PDF"),
    ("broken.pdf", "broken PDF"),
    ("broken.docx", "broken DOCX"),
])
def test_bad_files_exit_2_with_one_clear_line(name: str, reason: str) -> None:
    code, out, err = run(FIX / name)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and reason in err and "Traceback" not in err


def test_password_protected_office_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "standar.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" + b"\x00" * 64)
    code, out, err = run(path)
    assert code == 2 and out == "" and err.count("\n") == 1 and "password-protected" in err


def test_all_writes_one_content_file_per_service_and_prints_a_table(tmp_path: Path) -> None:
    code, out, err = run(FIX / "three-services.pdf", all_services=True, out=str(tmp_path / "services"))
    assert code == 0
    files = sorted((tmp_path / "services").glob("*.yaml"))
    assert len(files) == 3
    names = {yaml.safe_load(f.read_text(encoding="utf-8"))["name"] for f in files}
    assert names == {"Standar Pelayanan Penerbitan Surat Keterangan Tidak Mampu",
                     "Standar Pelayanan Penerbitan Izin Reklame Insidentil",
                     "Standar Pelayanan Pengurusan Kartu Anggota Perpustakaan"}
    header, *rows = out.splitlines()
    assert header.split() == ["service", "facts", "found", "warnings", "file"]
    assert len(rows) == 3 and all("/9" in row and row.endswith(".yaml") for row in rows)


def test_all_json_is_a_list_with_sources() -> None:
    code, out, _ = run(FIX / "three-services.pdf", all_services=True, as_json=True)
    services = json.loads(out)
    assert code == 0 and isinstance(services, list) and len(services) == 3
    perpus = services[2]
    assert perpus["requirements"] == ["Mengisi Buku Daftar Pemustaka", "Mengisi Buku Daftar Anggota Perpustakaan",
                                      "Melampirkan Foto Copy KTP Peminjam"]
    assert [c["kind"] for c in perpus["complaint_channels"]] == ["phone", "box"]
    # the third service's facts are located in the third service, not in the first
    assert perpus["sources"]["requirements"][0] > services[0]["sources"]["complaint_channels"][1]


def test_without_all_the_first_service_and_a_warning() -> None:
    code, out, err = run(FIX / "three-services.pdf", as_json=True)
    data = json.loads(out)
    assert code == 0 and isinstance(data, dict)
    assert data["name"] == "Standar Pelayanan Penerbitan Surat Keterangan Tidak Mampu"
    assert "holds 3 services" in err


@pytest.mark.skipif(not SLEMAN.exists(), reason="the shared corpus is not beside this checkout")
def test_sources_are_line_ranges_of_the_text_read() -> None:
    code, out, _ = run(SLEMAN, as_json=True)
    data = json.loads(out)
    lines = SLEMAN.read_text(encoding="utf-8").split("\n")
    first, last = data["sources"]["requirements"]
    assert lines[first - 1].startswith("a. Surat keterangan lahir") and lines[last - 1] == "2) Fotokopi paspor (dilegalisir)"
    first, last = data["sources"]["procedure"]
    assert lines[first - 1].startswith("1. Pemohon") and lines[last - 1].startswith("9. Petugas menyerahkan")
    first, last = data["sources"]["legal_basis"]
    assert lines[first - 1].startswith("Dasar Hukum") and lines[last - 1] == "Daerah Nomor 1 Tahun 2015."


@pytest.mark.skipif(not SLEMAN.exists(), reason="the shared corpus is not beside this checkout")
def test_review_prints_each_fact_beside_its_source_lines() -> None:
    code, out, _ = run(SLEMAN, review=True)
    assert code == 0
    block = out.split("== requirements")[1].split("== ")[0]
    assert "9. Untuk orang asing, ditambah: Fotokopi paspor (dilegalisir)" in block
    assert "   44 | 2) Fotokopi paspor (dilegalisir)" in block
    assert "== completion_time  [source not located]" in out and "(not found)" in out
    assert "labels printed before their values" in out  # the unsure repair is named for the reviewer


def test_review_of_a_pdf_shows_the_extracted_lines() -> None:
    code, out, _ = run(FIX / "sei-suka-sktm-multipage.pdf", review=True)
    assert code == 0
    fee = out.split("== fee")[1].split("== ")[0]
    assert "Gratis  ->  free, amount: 0" in fee and "| " in fee
