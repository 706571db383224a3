"""Layouts of published standards, each in a short document written the way agencies write it."""
from __future__ import annotations

from bot.standards import parse_standard_strict as parse
from bot.standards.parse import parse_services

SIPPN_PAGE = """Surat Keterangan Usaha

No. SK: 12/KEL/2024

  1. Surat pengantar RT/RW
  2. 2. Fotokopi KTP

  1. Pemohon datang ke loket
  2. Petugas memeriksa berkas
  3. Lurah menandatangani surat

15 Menit

Tidak dipungut biaya

Surat Keterangan Usaha

Melalui Kotak Saran

Anda juga dapat menyampaikan pengaduan, aspirasi, maupun permintaan informasi melalui aplikasi LAPOR!

Website LAPOR! Unduh di Play Store Unduh di App Store
"""


def test_sippn_page_without_headings_is_read_in_the_registry_order() -> None:
    r = parse(SIPPN_PAGE)
    assert r["name"] == "Surat Keterangan Usaha"
    assert r["requirements"] == ["Surat pengantar RT/RW", "Fotokopi KTP"]  # doubled "2. 2." repaired
    assert r["procedure"] == ["Pemohon datang ke loket", "Petugas memeriksa berkas", "Lurah menandatangani surat"]
    assert r["completion_time"]["minutes"] == 15
    assert r["fee"]["kind"] == "free"
    assert r["products"] == ["Surat Keterangan Usaha"]
    assert r["complaint_channels"] == [{"kind": "box", "value": None}, {"kind": "lapor", "value": None}]
    assert any("SIPPN order" in w for w in r["warnings"])
    assert not any("No. SK" in w or "Play Store" in w for w in r["warnings"])


def test_sippn_page_with_empty_requirements_goes_by_what_the_blocks_are() -> None:
    r = parse("No. SK: 1/2024\n10 Menit\nTidak dipungut biaya\nSurat Pengantar SKCK\n"
              "Penanganan Pengaduan, Saran dan Masukan\n1. Tatap muka langsung\n2. Kotak pengaduan\n")
    assert r["requirements"] == [] and r["procedure"] == []
    assert r["completion_time"]["minutes"] == 10 and r["fee"]["amount_idr"] == 0
    assert r["name"] == "Surat Pengantar SKCK" and r["products"] == ["Surat Pengantar SKCK"]


def test_timed_steps_in_the_time_field_become_the_procedure_and_are_not_summed() -> None:
    r = parse("Uji Kendaraan\n\n  1. KTP\n  2. STNK\n\n  1. Prosedur Layanan Uji Kendaraan\n\n"
              "1. Pendaftaran (waktu 2 menit)\n\n2. Pengujian kendaraan (waktu 15 menit)\n\n"
              "3. Penyerahan hasil uji (waktu 1 menit)\n\nRp. 45.000/unit\n\nTanda Bukti Lulus Uji\n")
    assert r["procedure"] == ["Pendaftaran (waktu 2 menit)", "Pengujian kendaraan (waktu 15 menit)",
                              "Penyerahan hasil uji (waktu 1 menit)"]
    assert r["completion_time"]["minutes"] is None
    assert any("sum would be minutes 18" in w for w in r["warnings"])


def test_a_stated_total_is_used_not_the_sum() -> None:
    r = parse("LAYANAN X\n\nWaktu Penyelesaian :\n1. Verifikasi 10 menit\n2. Cetak 5 menit\n3. Tanda tangan 5 menit\n"
              "4. Total waktu penyelesaian 30 menit\n\nBiaya : Gratis\n")
    assert r["completion_time"]["minutes"] == 30


def test_cases_with_their_own_times_give_the_first() -> None:
    r = parse("SAMBUNGAN BARU\n\nJangka Waktu Penyelesaian\n1. Sambungan baru standart 2 (dua) hari kerja\n"
              "2. Sambungan baru non standart 5 (lima) hari kerja\n\nBiaya : Rp 1.195.000\n")
    assert r["completion_time"]["working_days"] == 2
    assert any("cases" in w for w in r["warnings"])


def test_tab_separated_procedure_with_per_step_times() -> None:
    r = parse("IZIN USAHA\n\nProsedur:\n1\tPemohon mengisi formulir\t5 menit\n2\tPetugas memverifikasi berkas\t10 menit\n"
              "3\tKepala dinas menandatangani\t1 hari\n\nJangka waktu penyelesaian: 2 hari kerja\n")
    assert r["procedure"] == ["Pemohon mengisi formulir (5 menit)", "Petugas memverifikasi berkas (10 menit)",
                              "Kepala dinas menandatangani (1 hari)"]
    assert r["completion_time"]["working_days"] == 2 and r["completion_time"]["minutes"] is None


def test_arrow_chain_is_a_list_of_steps() -> None:
    r = parse("SKTM\n\nPersyaratan: KTP\n\nProsedur: Pemohon → Petugas loket → Kasi Pemerintahan → Lurah\n")
    assert r["procedure"] == ["Pemohon", "Petugas loket", "Kasi Pemerintahan", "Lurah"]


def test_hidden_html_and_entities_are_not_facts() -> None:
    r = parse("<h2>Layanan KIA</h2><div style=\"display:none\">Persyaratan: KTP palsu</div>"
              "<p><b>Persyaratan</b></p><ul><li>Akta kelahiran&nbsp;anak</li><li>KK &amp; KTP orang tua</li></ul>"
              "<p><b>Biaya</b></p><p>Gratis</p>")
    assert r["requirements"] == ["Akta kelahiran anak", "KK & KTP orang tua"]


def test_pre_2014_names_and_components_without_a_field() -> None:
    r = parse("PELAYANAN LEGALISIR\n\n1. Prosedur Pelayanan\n   a. Pemohon menyerahkan fotokopi\n   b. Petugas mencocokkan\n"
              "2. Waktu Pelayanan\n   15 menit\n3. Biaya Pelayanan\n   Rp 2.000 per lembar\n"
              "4. Pejabat yang bertanggung jawab\n   Kepala Seksi Pelayanan\n5. Produk Pelayanan\n   Fotokopi dilegalisir\n")
    assert r["procedure"] == ["Pemohon menyerahkan fotokopi", "Petugas mencocokkan"]
    assert r["completion_time"]["minutes"] == 15
    assert r["fee"]["amount_idr"] == 2000
    assert r["products"] == ["Fotokopi dilegalisir"]
    assert any("Pejabat yang bertanggung jawab" in w and "Kepala Seksi" in w for w in r["warnings"])


def test_labels_printed_before_their_values_are_paired_again() -> None:
    r = parse("Standar Pelayanan Akta Kematian\n1.\n\nPersyaratan\n\n\n2.\n\nProsedur/Mekanisme\n\n"
              "a. Surat keterangan kematian;\nb. Fotokopi KK;\n\n1. Pemohon mengajukan berkas;\n"
              "2. Petugas mencetak akta.\n")
    assert r["requirements"] == ["Surat keterangan kematian", "Fotokopi KK"]
    assert r["procedure"] == ["Pemohon mengajukan berkas", "Petugas mencetak akta"]
    assert any("labels printed before their values" in w for w in r["warnings"])


def test_label_and_value_on_one_line_without_separator() -> None:
    r = parse("Jenis Perizinan Izin Apotek\nDasar Hukum a. Undang-Undang Nomor 36 Tahun 2009. b. Permenkes 9 Tahun 2017.\n"
              "Waktu Pelayanan 24 Hari Kerja\nBiaya gratis\nProduk Izin Apotek\n")
    assert r["name"] == "Izin Apotek"
    assert len(r["legal_basis"]) == 2 and r["completion_time"]["working_days"] == 24
    assert r["fee"]["amount_idr"] == 0 and r["products"] == ["Izin Apotek"]


def test_table_rows_flattened_with_pipes_and_a_label_split_over_two_rows() -> None:
    r = parse("Pelayanan Gigi\nPersyaratan | a) KTP |\nb) Kartu BPJS | |\nWaktu | a) Pemeriksaan : 15 menit |\n"
              "pelayanan | b) Tindakan : sesuai kasus |\nBiaya | Gratis bagi peserta BPJS |\n")
    assert r["requirements"] == ["KTP", "Kartu BPJS"]
    assert r["completion_time"]["minutes"] == 15
    assert r["fee"]["amount_idr"] == 0


def test_several_services_in_one_document() -> None:
    doc = ("STANDAR PELAYANAN KTP\n1. Persyaratan\nKK\n2. Biaya\nGratis\n\n"
           "STANDAR PELAYANAN KARTU KELUARGA\n1. Persyaratan\nBuku nikah\n2. Biaya\nGratis\n")
    services = [r for r, _ in parse_services(doc)]
    assert [s["name"] for s in services] == ["Standar Pelayanan KTP", "Standar Pelayanan Kartu Keluarga"]
    assert [s["requirements"] for s in services] == [["KK"], ["Buku nikah"]]


def test_a_label_printed_between_the_steps_of_the_component_before_it() -> None:
    r = parse("LAYANAN DATA\n1. Persyaratan\n1. Surat permohonan\n2. Prosedur\n1. Pemohon mengirim surat\n"
              "3. Jangka waktu penyelesaian\n2. Sekretaris mendisposisikan surat\n3. Pejabat memberi informasi\n"
              "4. Biaya\nGratis\n")
    assert r["procedure"] == ["Pemohon mengirim surat", "Sekretaris mendisposisikan surat", "Pejabat memberi informasi"]
    assert any("printed between the items" in w for w in r["warnings"])


def test_steps_printed_before_their_label_are_given_to_it() -> None:
    r = parse("RAWAT JALAN\n1. Persyaratan pelayanan 1. Rujukan 2. KTP\n\n1. Mengambil nomor antrian\n"
              "2. Pemeriksaan dokter\n3. Pengambilan obat\n\n2. Prosedur Keterangan:\n1. Antrean di loket\n"
              "2. Dokter memeriksa\n3. Obat diambil di farmasi\n3. Waktu pelayanan 1 Jam\n")
    assert r["requirements"] == ["Rujukan", "KTP"]
    assert r["procedure"][:3] == ["Mengambil nomor antrian", "Pemeriksaan dokter", "Pengambilan obat"]
    assert r["completion_time"]["minutes"] == 60


def test_a_legal_basis_introduced_by_a_sentence():
    """"Hukum yang mendasari … adalah sebagai berikut :" heads the list that follows (Puskesmas Tirto)."""
    text = ("STANDAR PELAYANAN PENDAFTARAN\n\n"
            "Hukum yang mendasari standar pelayanan pendaftaran adalah sebagai berikut :\n"
            "  1. Undang – Undang Republik Indonesia nomor 25 tahun 2009 tentang Pelayanan Publik\n"
            "  2. Permenkes Nomor 43 Tahun 2019 Tentang Pusat Kesehatan Masyarakat\n"
            "Persyaratan Pelayanan\n  1. Kartu identitas\n")
    result = parse(text)
    assert result["legal_basis"] == ["Undang – Undang Republik Indonesia nomor 25 tahun 2009 tentang Pelayanan Publik",
                                     "Permenkes Nomor 43 Tahun 2019 Tentang Pusat Kesehatan Masyarakat"]


def test_an_sms_short_code_is_a_complaint_number():
    text = ("STANDAR PELAYANAN SURAT KETERANGAN DOMISILI\n\nPersyaratan\n1. KTP\n\n"
            "Penanganan Pengaduan, Saran dan Masukan\nMedia pengaduan tidak langsung yaitu kotak pengaduan saran "
            "dan Sms Center 1708\n")
    assert {"kind": "phone", "value": "1708"} in parse(text)["complaint_channels"]


def test_a_delivery_estimate_is_not_added_to_the_completion_time():
    text = ("STANDAR PELAYANAN PEREKAMAN KTP\n\nPersyaratan\n1. KK\n\nWaktu Penyelesaian\n"
            "Waktu penyelesaian perekaman KTP elektronik selama 1 hari kerja.\n"
            "KTP diantarkan via POS ke alamat pemohon perkiraan 2 hari kerja\n")
    result = parse(text)
    assert result["completion_time"]["working_days"] == 1
    assert any("estimate" in w for w in result["warnings"])


def test_a_page_of_one_table_per_service_named_in_capitals():
    """Disdukcapil Sanggau: each table is titled by the service in capitals, with no "Standar Pelayanan"."""
    block = ("{name} | |\n---|---|\nPersyaratan Pelayanan | 1. KTP-el 2. KK |\n"
             "Jangka Waktu Pelayanan | Maksimal {days} (dua) hari kerja. |\nProduk Pelayanan | BIODATA |\n")
    text = "SEMUA PRODUK LAYANAN DUKCAPIL (GRATIS)\n" + block.format(name="PENCATATAN BIODATA WNI DALAM WILAYAH NKRI", days=2) \
        + block.format(name="PENCATATAN BIODATA ORANG ASING", days=3)
    services = [result for result, _ in parse_services(text)]
    assert [s["name"].upper() for s in services] == ["PENCATATAN BIODATA WNI DALAM WILAYAH NKRI",
                                                     "PENCATATAN BIODATA ORANG ASING"]
    assert [s["completion_time"]["working_days"] for s in services] == [2, 3]
