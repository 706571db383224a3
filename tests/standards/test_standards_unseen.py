"""Documents the parser has never seen: other layouts of the same fourteen components."""
from __future__ import annotations

from bot.standards import parse_standard_strict as parse

HTML_TABLE = """
<h2>STANDAR PELAYANAN PENERBITAN IZIN USAHA</h2>
<p>DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KABUPATEN GIANYAR</p>
<table border="1">
<tr><th>No</th><th>Komponen</th><th>Uraian</th></tr>
<tr><td>1</td><td>Persyaratan Pelayanan</td><td><ol><li>Fotokopi KTP;</li><li>Surat permohonan.</li></ol></td></tr>
<tr><td>2</td><td>Sistem, Mekanisme dan Prosedur</td>
    <td>1) Pemohon mengajukan berkas 2) Petugas memverifikasi 3) Izin terbit</td></tr>
<tr><td>3</td><td>Jangka Waktu Pelayanan</td><td>3 (tiga) hari kerja</td></tr>
<tr><td>4</td><td>Biaya / Tarif</td><td>Rp. 1.500.000,00</td></tr>
<tr><td>5</td><td>Produk Pelayanan</td><td>Surat Izin Usaha</td></tr>
<tr><td>6</td><td>Pengelolaan Pengaduan</td><td>WA: 081234567890; Email: adu@gianyarkab.go.id</td></tr>
<tr><td>7</td><td>Jam Pelayanan</td><td>Senin - Jumat 08.00 - 15.00</td></tr>
</table>
"""


def test_html_table_document() -> None:
    r = parse(HTML_TABLE)
    assert r["name"] == "Standar Pelayanan Penerbitan Izin Usaha"
    assert r["agency"] == "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Gianyar"
    assert r["requirements"] == ["Fotokopi KTP", "Surat permohonan"]
    assert r["procedure"] == ["Pemohon mengajukan berkas", "Petugas memverifikasi", "Izin terbit"]
    assert r["completion_time"] == {"text": "3 (tiga) hari kerja", "minutes": None, "working_days": 3}
    assert r["fee"] == {"text": "Rp. 1.500.000,00", "amount_idr": 1500000, "kind": "amount", "items": []}
    assert r["products"] == ["Surat Izin Usaha"]
    assert r["complaint_channels"] == [{"kind": "whatsapp", "value": "081234567890"},
                                       {"kind": "email", "value": "adu@gianyarkab.go.id"}]
    assert any("Jam Pelayanan" in w and "08.00" in w for w in r["warnings"])
    assert any(w == "missing section: Dasar Hukum" for w in r["warnings"])


PLAIN_ROMAN = """PELAYANAN KARTU KELUARGA

I. PERSYARATAN
1. Surat pengantar RT/RW;
2. KTP asli; dan
3. Buku nikah.

II. PROSEDUR PELAYANAN
- Pemohon datang ke loket
- Petugas memeriksa berkas
- Kartu Keluarga dicetak

Jangka waktu penyelesaian: 60 menit
Biaya: Tidak dipungut biaya
Produk: Kartu Keluarga

III. PENANGANAN PENGADUAN
Pengaduan disampaikan melalui SMS ke 0812 3456 7890 atau Instagram @disdukcapil_x
Jumlah Pelaksana: 3 orang
"""


def test_plain_document_with_roman_numbers_and_inline_headings() -> None:
    r = parse(PLAIN_ROMAN)
    assert r["name"] == "Pelayanan Kartu Keluarga"
    assert r["requirements"] == ["Surat pengantar RT/RW", "KTP asli", "Buku nikah"]
    assert r["procedure"] == ["Pemohon datang ke loket", "Petugas memeriksa berkas", "Kartu Keluarga dicetak"]
    assert r["completion_time"]["minutes"] == 60
    assert r["fee"]["amount_idr"] == 0
    assert r["products"] == ["Kartu Keluarga"]
    assert {"kind": "phone", "value": "0812 3456 7890"} in r["complaint_channels"]
    assert {"kind": "social", "value": "@disdukcapil_x"} in r["complaint_channels"]
    assert r["staff"] == "3 orang"


TYPOS = """# Layanan Legalisir

**1. Persyaratn Pelayanan**
a. Ijazah asli b. Fotokopi ijazah

**2. BIAYA (TARIF)**
Rp 5.000,- per lembar

**3. Jangka Waktu Penyelesaan**
1 jam

**4. Sarana/Prasarana**
Ruang tunggu

**5. Dokumen Lain-lain**
Tidak ada
"""


def test_typos_and_unknown_heading() -> None:
    r = parse(TYPOS)
    assert r["requirements"] == ["Ijazah asli", "Fotokopi ijazah"]
    assert r["fee"] == {"text": "Rp 5.000,- per lembar", "amount_idr": 5000, "kind": "amount", "items": []}
    assert r["completion_time"]["minutes"] == 60
    assert r["facilities"] == ["Ruang tunggu"]
    assert any("Dokumen Lain-lain" in w and "Tidak ada" in w for w in r["warnings"])


def test_truncated_document_keeps_what_it_has() -> None:
    text = PLAIN_ROMAN[: PLAIN_ROMAN.index("II. PROSEDUR")]
    r = parse(text)
    assert r["requirements"] == ["Surat pengantar RT/RW", "KTP asli", "Buku nikah"]
    missing = [w for w in r["warnings"] if w.startswith("missing section")]
    assert len(missing) == 13


def test_marker_less_list_that_cannot_be_split_is_warned() -> None:
    text = ("1. Persyaratan\n2. Sistem, Mekanisme, dan Prosedur <ol style=\"list-style-type: none\"> "
            "Pemohon datang ke loket lalu petugas memeriksa berkas kemudian kepala seksi menandatangani surat "
            "dan akhirnya pemohon menerima hasil</ol>\n")
    r = parse(text)
    assert len(r["procedure"]) == 1
    assert any("without markers" in w for w in r["warnings"])


def test_empty_and_garbage_strings() -> None:
    for text in ("", " ", "\x00\x00", "<<<>>>", "| | |", "graph LR", "1.", "a. b. c."):
        r = parse(text)
        assert r["requirements"] == [] and isinstance(r["warnings"], list)
