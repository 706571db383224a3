"""Tables of cases for each helper: durations, fees, channels, deadlines, lists, mermaid, headings, names."""
from __future__ import annotations

import pytest

from bot.standards.channels import channels_in, fill_values
from bot.standards.deadlines import deadlines_in
from bot.standards.durations import parse_duration, words_to_int
from bot.standards.fees import parse_fee
from bot.standards.lists import build_tree, items_from_lines, render, split_unmarked, strip_separators
from bot.standards.markup import Line, clean_inline, to_lines
from bot.standards.mermaid import extract_flows, parse_mermaid, traversal_labels
from bot.standards.names import find_agency, title_case
from bot.standards.sections import match_heading


# --- durations -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, minutes, days",
    [
        ("15 menit", 15, None),
        ("60 Menit", 60, None),
        ("3 jam", 180, None),
        ("1 jam 30 menit", 90, None),
        ("Maksimal 3 hari", None, 3),
        ("3 (tiga) hari kerja", None, 3),
        ("1 (satu) – 60 (enam puluh) hari kerja", None, 60),
        ("Jangka waktu penyelesaian 1 (satu) – 60 (enam puluh) hari kerja", None, 60),
        ("7 - 14 hari kerja", None, 14),
        ("5 s.d. 10 hari kerja", None, 10),
        ("paling lama 2 minggu", None, 10),
        ("Administrasi : 15 menit Konsultasi : sesuai materi konsultasi", 15, None),
        ("Administrasi : 15 Menit; Konsultasi : Sesuai materi konsultasi", 15, None),
        ("Administrasi : 15 menit; Verifikasi : 30 menit", 45, None),
        ("tiga hari kerja", None, 3),
        ("sesuai materi konsultasi", None, None),
        ("Saat itu juga", None, None),
        ("", None, None),
    ],
)
def test_durations(text: str, minutes: int | None, days: int | None) -> None:
    got = parse_duration(text)
    assert got == {"text": text, "minutes": minutes, "working_days": days}


@pytest.mark.parametrize("words, value", [("satu", 1), ("enam puluh", 60), ("lima belas", 15),
                                          ("sebelas", 11), ("dua puluh lima", 25), ("banyak", None)])
def test_number_words(words: str, value: int | None) -> None:
    assert words_to_int(words) == value


# --- fees ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, amount",
    [
        ("Gratis", 0),
        ("gratis.", 0),
        ("Tidak dipungut biaya", 0),
        ("Tidak dikenakan biaya / gratis", 0),
        ("Tanpa biaya", 0),
        ("Rp 0,-", 0),
        ("Rp 50.000,-", 50000),
        ("Rp. 1.500.000,00", 1500000),
        ("Rp50000", 50000),
        ("Biaya Rp 25.000 per dokumen", 25000),
        ("Rp 1,5 juta", 1500000),
        ("100.000 rupiah", 100000),
        ("Rp 10.000 untuk A, Rp 20.000 untuk B", None),
        ("Gratis, kecuali legalisir Rp 5.000", None),
        ("Sesuai Peraturan Daerah", None),
        ("", None),
    ],
)
def test_fees(text: str, amount: int | None) -> None:
    fee = parse_fee(text)
    assert (fee["text"], fee["amount_idr"]) == (text, amount)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Rp 0,- (Gratis)", "free"),
        ("Tidak dipungut biaya", "free"),
        ("-", "not_stated"),
        ("Sesuai Perda Nomor 3 Tahun 2023 tentang Retribusi Daerah", "reference"),
        ("Tarif sesuai PNBP", "reference"),
        ("Rp 50.000,-", "amount"),
        ("Rp 10.000 untuk A, Rp 20.000 untuk B", "items"),
        ("ditanggung pemohon", "unclear"),
    ],
)
def test_fee_kinds_tell_free_not_stated_and_reference_apart(text: str, kind: str) -> None:
    assert parse_fee(text)["kind"] == kind


def test_tariff_items_keep_amount_and_unit_as_written() -> None:
    fee = parse_fee("A. Mobil Penumpang Umum  Rp. 45.000/unit; B. Golongan Kecil : - Mobil Micro Bus Rp. 65.000/unit; "
                    "F. Kartu Uji Rp.25.000")
    assert fee["kind"] == "items" and fee["amount_idr"] is None
    assert [(i["amount_idr"], i["unit"]) for i in fee["items"]] == [(45000, "unit"), (65000, "unit"), (25000, None)]
    assert fee["items"][0]["text"] == "Mobil Penumpang Umum Rp. 45.000/unit"
    assert fee["items"][2]["text"].startswith("F. Kartu Uji") or fee["items"][2]["text"].startswith("Kartu Uji")


# --- channels --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tatap muka langsung dengan Petugas/ Pejabat Berwenang", [("in_person", None)]),
        ("Tertulis disampaikan melalui Kotak Saran", [("box", None)]),
        ("Tertulis disampaikan ke Kotak Pengaduan;", [("box", None)]),
        ("Pengaduan secara tertulis ke Dinas PMPTSP", [("letter", None)]),
        ("Pengaduan secara langsung ke Dinas PMPTSP", [("in_person", None)]),
        ("Melalui kotak saran yang ada pada Dinas PMPTSP", [("box", None)]),
        ("Telepon 0362 21985", [("phone", "0362 21985")]),
        ("Telepon : (0561) 736541 ext. 126", [("phone", "(0561) 736541 ext. 126")]),
        ("Faximile : (0561) 730062", [("fax", "(0561) 730062")]),
        ("WA : 085828735503", [("whatsapp", "085828735503")]),
        ("WhatsApp : 08123866945", [("whatsapp", "08123866945")]),
        ("Melalui e-mail : kesrasetdakabupatenbuleleng@gmail.com",
         [("email", "kesrasetdakabupatenbuleleng@gmail.com")]),
        ("Melalui web-mail : kesrasetda@bulelengkab.go.id", [("email", "kesrasetda@bulelengkab.go.id")]),
        ("Email : kesra@kalbarprov.go.id", [("email", "kesra@kalbarprov.go.id")]),
        ("Online melalui website SP4N-LAPOR/ www.lapor.go.id", [("lapor", "www.lapor.go.id")]),
        ("Online melalui website SP4N-LAPOR! (www.lapor.go.id)", [("lapor", "www.lapor.go.id")]),
        ("SP4N-LAPOR!", [("lapor", None)]),
        ("Web : https://dpmptsp.banglikab.go.id", [("web", "https://dpmptsp.banglikab.go.id")]),
        ("Melalui Email,Telp,WA, FB,Web.",
         [("email", None), ("phone", None), ("whatsapp", None), ("social", None), ("web", None)]),
        ("Instagram @dpmptsp_bangli", [("social", "@dpmptsp_bangli")]),
        ("pengaduan@contoh.go.id", [("email", "pengaduan@contoh.go.id")]),
        ("Dibentuk Tim / petugas khusus penanganan pengaduan", []),
        ("Tatap muka langsung dengan Petugas/ Pejabat Berwenang Tertulis disampaikan melalui Kotak Saran "
         "Telepon 0362 21985 Melalui e-mail : a@b.com Melalui web-mail : c@d.go.id "
         "Online melalui website SP4N-LAPOR/ www.lapor.go.id",
         [("in_person", None), ("box", None), ("phone", "0362 21985"), ("email", "a@b.com"),
          ("email", "c@d.go.id"), ("lapor", "www.lapor.go.id")]),
    ],
)
def test_channels(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(c["kind"], c["value"]) for c in channels_in(text)] == expected


def test_channels_take_values_from_elsewhere_and_dedupe() -> None:
    listed = channels_in("Melalui Email,Telp,WA, FB,Web.") + channels_in("Email : x@y.id")
    directory = channels_in("Telp. : 036691267") + channels_in("WhatsApp : 08123866945") + \
        channels_in("Web : https://a.go.id")
    got = [(c["kind"], c["value"]) for c in fill_values(listed, directory)]
    assert got == [("email", "x@y.id"), ("phone", "036691267"), ("whatsapp", "08123866945"),
                   ("social", None), ("web", "https://a.go.id")]


def test_no_duplicate_channels() -> None:
    listed = channels_in("Telepon 0362 21985") + channels_in("Telp. 0362 21985")
    assert fill_values(listed, []) == [{"kind": "phone", "value": "0362 21985"}]


# --- complaint deadlines ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pengaduan ringan, selambat-lambatnya 3 jam", [("Pengaduan ringan", 3, None)]),
        ("Pengaduan bersifat normative, selambat-lambatnya 5 hari kerja",
         [("Pengaduan bersifat normative", None, 5)]),
        ("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan, selambat-lambatnya 60 hari kerja.",
         [("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan", None, 60)]),
        ("Pengaduan ringan, selambat-lambatnya 3 jam Pengaduan bersifat normative, selambat-lambatnya 5 hari kerja"
         " Pengaduan tidak berkadar pengawasan, selambat-lambatnya 14 hari kerja",
         [("Pengaduan ringan", 3, None), ("Pengaduan bersifat normative", None, 5),
          ("Pengaduan tidak berkadar pengawasan", None, 14)]),
        ("Aduan berat: paling lama 2 minggu", [("Aduan berat", None, 10)]),
        ("Telepon 0362 21985", []),
        ("Pengaduan dapat dilakukan melalui", []),
    ],
)
def test_deadlines(text: str, expected: list[tuple]) -> None:
    assert [(d["class"], d["hours"], d["working_days"]) for d in deadlines_in(text)] == expected


# --- list splitting --------------------------------------------------------------------------

def items(*texts: str, **flags) -> list[str]:
    lines = [Line(t, **flags) for t in texts]
    return render(build_tree(items_from_lines(lines).items))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a. Surat tugas b. Dokumen/ berkas pendukung c. Tanda pengenal/ identitas",
         ["Surat tugas", "Dokumen/ berkas pendukung", "Tanda pengenal/ identitas"]),
        ("a. Undang-Undang Nomor 14 tahun 2008 tentang Keterbukaan Informasi Publikb. Undang-Undang Nomor 25"
         " tahun 2009 tentang Pelayanan Publikc. Peraturan Bupati Nomor : 2 Tahun 2020 tentang Tata Kerja",
         ["Undang-Undang Nomor 14 tahun 2008 tentang Keterbukaan Informasi Publik",
          "Undang-Undang Nomor 25 tahun 2009 tentang Pelayanan Publik",
          "Peraturan Bupati Nomor : 2 Tahun 2020 tentang Tata Kerja"]),
        ("1. KTP/Pekenal lainnya 2. Alamat Pelapor 3. Bukti dukung aduan",
         ["KTP/Pekenal lainnya", "Alamat Pelapor", "Bukti dukung aduan"]),
        ("1) Meja 2) Kursi", ["Meja", "Kursi"]),
        ("a. Telepon (0561) 736541 ext. 126 b. Faks", ["Telepon (0561) 736541 ext. 126", "Faks"]),
        ("a. Kantor DPMPTSP Kab. Bangli b. Kantor Camat", ["Kantor DPMPTSP Kab. Bangli", "Kantor Camat"]),
        ("a. Surat, formulir, dst. b. KTP", ["Surat, formulir, dst.", "KTP"]),
        ("a. Pukul 08.00 s.d. 15.00 d. salah", ["Pukul 08.00 s.d. 15.00 d. salah"]),
        ("a. Peraturan Nomor 2. Tahun 2020 b. Lain", ["Peraturan Nomor 2. Tahun 2020", "Lain"]),
        ("a. Informasi yang diberikan dijamin keabsahannya.b. Pelayanan dilaksanakan di ruangan kantor",
         ["Informasi yang diberikan dijamin keabsahannya", "Pelayanan dilaksanakan di ruangan kantor"]),
        ("a. Pengaduan dapat dilakukan melalui : 1) Telepon 2) Surat b. Kotak saran",
         ["Pengaduan dapat dilakukan melalui : Telepon; Surat", "Kotak saran"]),
        ("• Meja • Kursi", ["Meja", "Kursi"]),
        ("- Email : a@b.id - Telp. : 036691267", ["Email : a@b.id", "Telp. : 036691267"]),
        ("Jam 08.00 - 16.00 WITA", ["Jam 08.00 - 16.00 WITA"]),
        ("2- 5 Orang", ["2- 5 Orang"]),
    ],
)
def test_split_run_together(text: str, expected: list[str]) -> None:
    assert items(text) == expected


def test_items_on_separate_lines_with_bullets_and_nesting() -> None:
    lines = ["- a. Pengaduan dapat dilakukan melalui :", "  - 1) Tatap muka;", "  - 2) Telepon;",
             "b. Alur :", "c. Jangka waktu :", "- 1) Ringan, 3 jam;"]
    assert items(*[l.strip() for l in lines]) == [
        "Pengaduan dapat dilakukan melalui : Tatap muka; Telepon", "Alur :", "Jangka waktu : Ringan, 3 jam"]


def test_generic_label_is_dropped_and_notes_are_labelled() -> None:
    lines = [Line("Prosedur :"), Line("a. Satu"), Line("b. Dua"), Line("KETERANGAN :"), Line("1. Catatan")]
    result = items_from_lines(lines)
    assert [(i.text, i.label) for i in result.items] == [("Satu", "prosedur"), ("Dua", "prosedur"),
                                                         ("Catatan", "keterangan")]


def test_continuation_lines_are_joined() -> None:
    assert items("a. Undang-Undang Nomor 25 Tahun 2009 tentang", "pelayanan publik;", "b. Perda") == [
        "Undang-Undang Nomor 25 Tahun 2009 tentang pelayanan publik", "Perda"]


@pytest.mark.parametrize(
    "text, pieces, confident",
    [
        ("Tamu/ pengguna layanan menuju ke Petugas pemberi konsultasi Tamu/ pengguna layanan menyampaikan "
         "keperluan, mengisi buku tamu Tamu/ pengguna layanan menerima layanan dari petugas",
         ["Tamu/ pengguna layanan menuju ke Petugas pemberi konsultasi",
          "Tamu/ pengguna layanan menyampaikan keperluan, mengisi buku tamu",
          "Tamu/ pengguna layanan menerima layanan dari petugas"], True),
        ("Pemohon datang; Petugas memeriksa; Pemohon menerima", ["Pemohon datang", "Petugas memeriksa",
                                                                "Pemohon menerima"], True),
        ("Satu langkah saja", ["Satu langkah saja"], True),
        ("Pemohon datang ke loket lalu petugas memeriksa berkas kemudian kepala seksi menandatangani surat dan "
         "akhirnya pemohon menerima hasil", None, False),
    ],
)
def test_split_unmarked(text: str, pieces: list[str] | None, confident: bool) -> None:
    got, sure = split_unmarked(text)
    assert sure is confident
    assert got == (pieces if pieces is not None else [text])


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["Surat Tugas;", "Dokumen;", "Identitas."], ["Surat Tugas", "Dokumen", "Identitas"]),
        (["A.", "B"], ["A", "B"]),
        (["A", "B.", "C"], ["A", "B.", "C"]),
        (["A", "B", "C."], ["A", "B", "C"]),
        (["A; dan", "B."], ["A", "B"]),
        (["Formulir, dll.", "B"], ["Formulir, dll.", "B"]),
        (["Tunggu..."], ["Tunggu..."]),
    ],
)
def test_trailing_punctuation_rule(texts: list[str], expected: list[str]) -> None:
    assert strip_separators(texts) == expected


def test_scalar_keeps_its_final_period() -> None:
    assert strip_separators(["Tim Penyediaan Layanan."], final_period=False) == ["Tim Penyediaan Layanan."]


# --- markup ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "raw, clean",
    [
        ("<b>Persyaratan</b>", "Persyaratan"),
        ("Email : [kesra@kalbarprov.go.id](mailto:kesra@kalbarprov.go.id)", "Email : kesra@kalbarprov.go.id"),
        ("*Online* melalui **SP4N**", "Online melalui SP4N"),
        ('<a href="http://www.lapor.go.id">www.lapor.go.id</a>', "www.lapor.go.id"),
        ("A --&gt; B &amp; C", "A --> B & C"),
        ("snake_case_name stays", "snake_case_name stays"),
    ],
)
def test_clean_inline(raw: str, clean: str) -> None:
    assert clean_inline(raw) == clean


def test_table_rows_become_heading_and_content() -> None:
    lines, _ = to_lines("| NO | KOMPONEN | URAIAN |\n|--|--|--|\n| 1. | Persyaratan | 1. KTP 2. KK |\n")
    assert [(l.text, l.table_heading) for l in lines] == [("Persyaratan", True), ("1. KTP 2. KK", False)]


def test_html_table_rows_are_read_like_markdown_ones() -> None:
    lines, _ = to_lines("<table><tr><td>1</td><td>Biaya</td><td><p>Gratis</p></td></tr></table>")
    assert [(l.text, l.table_heading) for l in lines] == [("Biaya", True), ("Gratis", False)]


# --- mermaid ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "source, nodes, edges",
    [
        ("graph LR A[Tamu] --> B[Petugas] B --> C[Selesai]",
         {"A": "Tamu", "B": "Petugas", "C": "Selesai"}, [["A", "B"], ["B", "C"]]),
        ("graph LR\n    A[Tamu] --&gt; B[Petugas]\n    B --&gt; C[Unjuk surat / konsultasi]",
         {"A": "Tamu", "B": "Petugas", "C": "Unjuk surat / konsultasi"}, [["A", "B"], ["B", "C"]]),
        ("graph TD\nA((Mulai)) -->|ya| B{Lengkap?}\nB -- tidak --> A\nB --> C([Selesai])",
         {"A": "Mulai", "B": "Lengkap?", "C": "Selesai"}, [["A", "B"], ["B", "A"], ["B", "C"]]),
        ("graph LR; A & B --> C; C --> D & E",
         {"A": "A", "B": "B", "C": "C", "D": "D", "E": "E"},
         [["A", "C"], ["B", "C"], ["C", "D"], ["C", "E"]]),
        ('flowchart TB\n A["Label (with) brackets"] --> B', {"A": "Label (with) brackets", "B": "B"}, [["A", "B"]]),
        ("graph LR M[HASIL/TINDAK-LANJUT] --> N[X] N --> M",
         {"M": "HASIL/TINDAK-LANJUT", "N": "X"}, [["M", "N"], ["N", "M"]]),
    ],
)
def test_parse_mermaid(source: str, nodes: dict, edges: list) -> None:
    assert parse_mermaid(source) == {"nodes": nodes, "edges": edges}


def test_parse_mermaid_empty() -> None:
    assert parse_mermaid("graph LR") is None


@pytest.mark.parametrize(
    "text",
    [
        "before <pre> graph LR A[x] --> B[y] </pre> after",
        "before\n```mermaid\ngraph LR\nA[x] --> B[y]\n```\nafter",
        "before\n\ngraph LR\nA[x] --> B[y]\n\nafter",
        "before <pre> graph LR A[x] --&gt; B[y]",  # unclosed (truncated) <pre>
    ],
)
def test_extract_flows(text: str) -> None:
    rest, flows = extract_flows(text)
    assert flows == [{"nodes": {"A": "x", "B": "y"}, "edges": [["A", "B"]]}]
    assert "graph" not in rest and rest.startswith("before")


def test_traversal_order_for_a_cycle() -> None:
    flow = parse_mermaid("graph LR M[m] --> PM[pm] M --> PO[po] PM --> PP[pp] PO --> OIT[oit] "
                         "PP --> T[t] OIT --> T T --> H[h] H --> M")
    assert traversal_labels(flow) == ["m", "pm", "po", "pp", "oit", "t", "h"]


# --- headings --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, key",
    [
        ("Persyaratan", "requirements"),
        ("PERSYARATAN PELAYANAN", "requirements"),
        ("Persyaratn Pelayanan", "requirements"),
        ("Sistem, Mekanisme, dan Prosedur", "procedure"),
        ("Sistem, Mekanisme dan Prosedur", "procedure"),
        ("Mekanisme & Prosedur", "procedure"),
        ("Jangka Waktu Penyelesaian", "completion_time"),
        ("Jangka Waktu Pelayanan", "completion_time"),
        ("Biaya/Tarif", "fee"),
        ("Biaya/ tarif", "fee"),
        ("Biaya (tarif)", "fee"),
        ("BIAYA / TARIF", "fee"),
        ("Produk Pelayanan", "products"),
        ("Produk Layanan", "products"),
        ("Penanganan Pengaduan, Saran, dan Masukan", "complaints"),
        ("Penanganan pengaduan saran dan masukan", "complaints"),
        ("Dasar Hukum", "legal_basis"),
        ("Sarana, prasarana, dan/atau fasilitas", "facilities"),
        ("Sarana, Prasarana, dan/ atau Fasilitas", "facilities"),
        ("Sarana dan Prasarana", "facilities"),
        ("Kompetensi Pelaksana", "competencies"),
        ("Pengawasan internal", "supervision"),
        ("Pengawasan Intern", "supervision"),
        ("Jumlah Pelaksana", "staff"),
        ("Jaminan Pelayanan", "guarantees"),
        ("Jaminan Keamanan dan Keselamatan pelayanan", "safety"),
        ("Jaminan Keamanan dan Keselamatan", "safety"),
        ("Evaluasi kinerja Pelaksana", "evaluation"),
        ("Evaluasi Kinerja Pelaksna", "evaluation"),
    ],
)
def test_heading_meanings(text: str, key: str) -> None:
    match = match_heading(text)
    assert match is not None and match.key == key


@pytest.mark.parametrize("text", ["Jangka Waktu Penyelesaian Pengaduan", "FASILITASI PEMBINAAN MASYARAKAT",
                                  "Pelayanan Konsultasi", "Tamu/ pengguna layanan", "Service Delivery"])
def test_not_headings(text: str) -> None:
    assert match_heading(text) is None


# --- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "title, expected",
    [
        ("STANDAR PELAYANAN PENGADUAN MASYARAKAT", "Standar Pelayanan Pengaduan Masyarakat"),
        ("FASILITASI PEMBINAAN MASYARAKAT", "Fasilitasi Pembinaan Masyarakat"),
        ("PELAYANAN KONSULTASI", "Pelayanan Konsultasi"),
        ("PENERBITAN SURAT IZIN DAN NIB DI DPMPTSP", "Penerbitan Surat Izin dan NIB di DPMPTSP"),
        ("Pelayanan Konsultasi", "Pelayanan Konsultasi"),
        ("Pelayanan KTP-el", "Pelayanan KTP-el"),
    ],
)
def test_title_case(title: str, expected: str) -> None:
    assert title_case(title) == expected


@pytest.mark.parametrize(
    "texts, agency",
    [
        (["Masyarakat datang langsung ke DPMPTSP Kabupaten Bangli atau dengan"], "DPMPTSP Kabupaten Bangli"),
        (["dilayani oleh Dinas Kesehatan Kota Denpasar setiap hari"], "Dinas Kesehatan Kota Denpasar"),
        (["ke Dinas PMPTSP", "melalui Dinas PMPTSP"], "Dinas PMPTSP"),
        (["Bagian Bina Mental Spritual, Bagian Pelayanan Dasar dan Bagian Pelayanan Non Dasar"], None),
        (["Kepala Bagian, Analis Kebijakan"], None),
        ([], None),
    ],
)
def test_agency(texts: list[str], agency: str | None) -> None:
    assert find_agency(texts) == agency
