"""Online requests: the consultation guest book and the facilitation request, step by step."""
import copy

import pytest

from flows import step, wants_media
from tests.flows.conftest import document, make_message

#: Konsultasi from a fresh chat: main menu "3", the guest book, then each answer.
ANSWERS = ("menu", "3", "1", "1", "Budi Santoso", "Dinas Sosial Buleleng", "Konsultasi hibah rumah ibadah",
           document(41), "24-11-2026", "2")
STEPS = {
    "consent": (3, "Sebelum melanjutkan"),
    "name": (4, "Nama lengkap Anda:"),
    "institution": (5, "Nama instansi / lembaga / organisasi Anda:"),
    "purpose": (6, "Keperluan / materi konsultasi:"),
    "surat_tugas": (7, "Kirim foto atau PDF *surat tugas* Anda:"),
    "day": (8, "Hari apa Anda ingin datang?"),
    "summary": (9, "*Ringkasan permohonan Pelayanan Konsultasi:*"),
    "edit": (10, "Bagian mana yang ingin diubah?"),
}
BACK = {"name": "consent", "institution": "name", "purpose": "institution", "surat_tugas": "purpose",
        "day": "surat_tugas", "summary": "day", "edit": "summary"}
SUMMARY = """*Ringkasan permohonan Pelayanan Konsultasi:*
Nama lengkap Anda: Budi Santoso
Nama instansi / lembaga / organisasi Anda: Dinas Sosial Buleleng
Keperluan / materi konsultasi: Konsultasi hibah rumah ibadah
Surat tugas: ✓
Hari apa Anda ingin datang: Selasa, 24 November 2026"""


def run(chat, *turns):
    for turn in turns:
        chat.send(turn) if not isinstance(turn, str) else chat.say(turn)
    return chat.last


def reach(chat, step_name):
    run(chat, *ANSWERS[:STEPS[step_name][0]])
    assert chat.screen == "request" and chat.state["request"]["step"] == step_name
    return copy.deepcopy(chat.state["request"])


def test_the_guest_book_from_the_main_menu_to_the_ticket_request(chat):
    run(chat, *ANSWERS[:3])
    assert chat.texts[0].startswith("Sebelum melanjutkan") and chat.options == ["Setuju", "Tidak setuju"]
    run(chat, *ANSWERS[3:8])
    assert chat.texts[0] == ("Hari apa Anda ingin datang? Tulis tanggal, mis. 25-11-2026.\n"
                             "Jam layanan: Sen–Kam 07:30–15:30, Jum 07:30–13:00.")
    run(chat, ANSWERS[8])
    assert chat.texts == [SUMMARY] and chat.options == ["Kirim", "Ubah"]
    chat.say("1")
    (effect,) = chat.last.effects
    assert effect.type == "create_ticket"
    assert effect.data == {
        "kind": "consultation", "key": "20261123T020000.000000", "service": "konsultasi", "category": None,
        "unit": "kesra", "sla_class": "ringan", "working_days": None, "hours": None, "description": SUMMARY,
        "values": {"name": "Budi Santoso", "institution": "Dinas Sosial Buleleng",
                   "purpose": "Konsultasi hibah rumah ibadah", "day": "2026-11-24"},
        "evidence": [41], "identity": "named", "name": "Budi Santoso", "lang": "id"}
    assert "request" not in chat.state and chat.screen == "main"


def test_the_service_menu_offers_the_request_as_its_last_topic(chat):
    chat.say("menu", "1", "1")
    assert chat.options[7] == "Ajukan permohonan layanan ini"
    chat.say("8")
    assert chat.state["request"]["service"] == "konsultasi" and chat.texts[0].startswith("Sebelum melanjutkan")
    chat.say("kembali")
    assert chat.screen == "service" and "request" not in chat.state  # nothing answered: nothing kept


def test_a_facilitation_request_asks_for_the_letter_and_keeps_three_working_days(chat):
    run(chat, "menu", "3", "2", "1", "I Made Sudarsana", "Banjar Adat Paketan",
        "Pembinaan kerukunan, Balai Banjar, 60 peserta")
    assert chat.texts == ["Kirim foto atau PDF *surat permohonan* pembinaan masyarakat:"]
    assert wants_media(chat.state, chat.ctx)
    run(chat, document(9))
    assert chat.texts[0].splitlines()[-1] == "Surat permohonan: ✓"
    chat.say("1")
    data = chat.last.effects[0].data
    assert (data["kind"], data["service"], data["working_days"], data["sla_class"]) == (
        "request", "pembinaan-masyarakat", 3, None)
    assert data["evidence"] == [9] and data["values"]["institution"] == "Banjar Adat Paketan"


@pytest.mark.parametrize("step_name", STEPS)
def test_bantuan_shows_help_and_asks_again(chat, step_name):
    draft = reach(chat, step_name)
    chat.say("bantuan")
    assert chat.texts[0].startswith("Petunjuk:") and chat.texts[1].startswith(STEPS[step_name][1])
    assert chat.state["request"] == draft


@pytest.mark.parametrize("step_name", STEPS)
def test_menu_parks_the_draft_and_the_request_option_resumes_it(chat, step_name):
    draft = reach(chat, step_name)
    chat.say("menu")
    assert chat.screen == "main" and chat.state["request"] == draft
    chat.say("3")
    if step_name == "consent":  # nothing answered yet: the citizen chooses again, and the same one resumes
        assert chat.screen == "request_choose"
        chat.say("1")
    assert chat.texts[0] == "Melanjutkan isian Anda sebelumnya."
    assert chat.texts[1].startswith(STEPS[step_name][1])


@pytest.mark.parametrize("step_name", STEPS)
def test_batal_discards_the_draft_and_says_so(chat, step_name):
    reach(chat, step_name)
    chat.say("batal")
    assert chat.texts[0] == "Baik, isian dibatalkan dan tidak disimpan."
    assert "request" not in chat.state and chat.screen == "main"


@pytest.mark.parametrize("step_name", BACK)
def test_kembali_goes_one_step_back_and_keeps_the_answers(chat, step_name):
    draft = reach(chat, step_name)
    chat.say("kembali")
    assert chat.state["request"]["step"] == BACK[step_name]
    assert chat.texts[0].startswith(STEPS[BACK[step_name]][1])
    assert chat.state["request"]["values"] == draft["values"]
    assert chat.state["request"]["evidence"] == draft["evidence"]


def test_kembali_is_never_taken_as_an_answer(chat):
    reach(chat, "institution")
    chat.say("kembali", "Budi S.", "Dinas Sosial")
    assert chat.state["request"]["values"] == {"name": "Budi S.", "institution": "Dinas Sosial"}


def test_kembali_on_the_consent_question_leaves_to_where_it_began(chat):
    reach(chat, "consent")
    chat.say("kembali")
    assert chat.screen == "request_choose" and chat.texts[0] == "Permohonan apa yang ingin Anda ajukan?"
    chat.say("kembali")
    assert chat.screen == "main"


def test_refusing_consent_cancels(chat):
    reach(chat, "consent")
    chat.say("2")
    assert chat.texts[0] == "Baik, isian dibatalkan dan tidak disimpan."
    assert "request" not in chat.state and not chat.last.effects


@pytest.mark.parametrize("number, turn, line", [
    ("1", "Budi Santoso, S.Pd.", "Nama lengkap Anda: Budi Santoso, S.Pd."),
    ("2", "Kementerian Agama Buleleng", "Nama instansi / lembaga / organisasi Anda: Kementerian Agama Buleleng"),
    ("3", "Bantuan sosial keagamaan", "Keperluan / materi konsultasi: Bantuan sosial keagamaan"),
    ("4", document(77), "Surat tugas: ✓"),
    ("5", "30-11-2026", "Hari apa Anda ingin datang: Senin, 30 November 2026"),
])
def test_changing_one_answer_returns_to_the_summary_with_the_others_intact(chat, number, turn, line):
    reach(chat, "edit")
    assert chat.options == ["Nama lengkap Anda", "Nama instansi / lembaga / organisasi Anda",
                            "Keperluan / materi konsultasi", "Surat tugas", "Hari apa Anda ingin datang"]
    chat.say(number)
    run(chat, turn)
    assert chat.state["request"]["step"] == "summary"
    after = chat.texts[0].splitlines()
    assert line in after
    before = SUMMARY.splitlines()
    assert sum(b != a for b, a in zip(before, after)) == (0 if number == "4" else 1)
    if number == "4":
        assert chat.state["request"]["evidence"] == {"surat_tugas": 77}


def test_kembali_while_changing_an_answer_goes_back_to_the_choice(chat):
    reach(chat, "edit")
    chat.say("4", "kembali")
    assert chat.state["request"]["step"] == "edit" and "editing" not in chat.state["request"]
    chat.say("kembali")
    assert chat.texts == [SUMMARY]


@pytest.mark.parametrize("typed, reason", [
    ("22-11-2026", "tanggal itu sudah lewat atau hari ini"),
    ("23-11-2026", "tanggal itu sudah lewat atau hari ini"),
    ("29-11-2026", "kantor tutup pada hari itu"),  # a Sunday
    ("28/11/2026", "kantor tutup pada hari itu"),  # a Saturday
    ("25-12-2026", "hari libur (Hari Raya Natal)"),
    ("2026-12-24", "hari libur (Cuti Bersama Hari Raya Natal)"),
    ("01-03-2027", "paling lambat 90 hari dari sekarang"),
])
def test_a_day_that_cannot_be_booked_is_refused_with_its_reason(chat, typed, reason):
    draft = reach(chat, "day")
    chat.say(typed)
    assert chat.texts[0] == f"Tanggal itu tidak bisa dipakai: {reason}. Pilih hari kerja lain."
    assert chat.texts[1].startswith("Hari apa Anda ingin datang?")
    assert chat.state["request"] == draft


@pytest.mark.parametrize("typed", ["besok", "31-02-2027", "24-11", "2026/11/24x"])
def test_what_is_not_a_date_asks_again(chat, typed):
    draft = reach(chat, "day")
    chat.say(typed)
    assert chat.texts == [chat.texts[0]] and chat.texts[0].startswith("Hari apa Anda ingin datang?")
    assert chat.state["request"] == draft


@pytest.mark.parametrize("typed", ["24-11-2026", "24/11/2026", "24.11.2026", "2026-11-24", " 24-11-2026 "])
def test_date_formats(chat, typed):
    reach(chat, "day")
    chat.say(typed)
    assert chat.state["request"]["values"]["day"] == "2026-11-24"


def test_a_refused_document_keeps_the_draft_and_asks_again(chat):
    draft = reach(chat, "surat_tugas")
    chat.send(document(None, refused="mismatch"))
    assert chat.texts[0].startswith("Berkas tidak diterima: isi berkas tidak sesuai jenisnya.")
    assert chat.texts[1] == "Kirim foto atau PDF *surat tugas* Anda:"
    assert chat.state["request"] == draft
    chat.say("sudah saya kirim")
    assert chat.texts == ["Kirim foto atau PDF *surat tugas* Anda:"] and chat.state["request"] == draft
    chat.send(document(5))
    assert chat.state["request"]["evidence"] == {"surat_tugas": 5}


def test_a_refused_and_an_accepted_file_together_take_the_accepted_one(chat):
    from dataclasses import replace
    reach(chat, "surat_tugas")
    good, bad = document(6).media[0], document(None, refused="type", mime="?").media[0]
    chat.send(replace(document(6), media=(bad, good)))
    assert chat.state["request"]["evidence"] == {"surat_tugas": 6} and chat.state["request"]["step"] == "day"


def test_files_are_fetched_only_on_a_document_step(chat):
    for step_name in STEPS:
        chat.state = None
        reach(chat, step_name)
        assert wants_media(chat.state, chat.ctx) is (step_name == "surat_tugas")


def test_a_file_on_a_text_step_is_answered_politely(chat):
    draft = reach(chat, "purpose")
    chat.send(document(3))
    assert chat.texts[0].startswith("Maaf, pesan jenis ini (berkas)")
    assert chat.texts[1] == "Keperluan / materi konsultasi:" and chat.state["request"] == draft


@pytest.mark.parametrize("kind", ["sticker", "voice", "contact"])
def test_unsupported_messages_on_the_document_step_keep_the_draft(chat, kind):
    draft = reach(chat, "surat_tugas")
    chat.send(make_message(kind=kind))
    assert "belum bisa saya proses" in chat.texts[0] and chat.texts[1].startswith("Kirim foto atau PDF")
    assert chat.state["request"] == draft


def test_english_where_no_text_answer_is_due_switches_language(chat):
    reach(chat, "surat_tugas")
    chat.say("english")
    assert chat.texts == ["Language set to English.",
                          "Send a photo or PDF of your *letter of assignment (surat tugas)*:"]
    run(chat, document(8), "24-11-2026")
    assert chat.texts[0].splitlines()[4] == "Letter of assignment (surat tugas): ✓"
    assert chat.texts[0].splitlines()[5] == "Which day would you like to come: Tuesday, 24 November 2026"


def test_english_as_a_text_answer_is_kept_as_the_answer(chat):
    reach(chat, "purpose")
    chat.say("english")
    assert chat.state["request"]["values"]["purpose"] == "english" and chat.state["lang"] == "id"


def test_an_answered_draft_is_resumed_not_replaced_by_another_service(chat):
    draft = reach(chat, "purpose")
    chat.say("menu", "1", "2", "8")  # the facilitation service's own request option
    assert chat.texts[0] == "Melanjutkan isian Anda sebelumnya."
    assert chat.state["request"] == draft


def test_a_draft_whose_service_left_the_pack_is_dropped_politely(chat):
    reach(chat, "institution")
    chat.state["request"]["service"] = "dihapus"
    chat.say("Dinas Sosial")
    assert chat.texts[0] == "Layanan ini belum menerima permohonan daring. Silakan datang langsung ke kantor."
    assert chat.screen == "main" and "request" not in chat.state
    assert not wants_media({"screen": "request", "request": {"service": "dihapus", "step": "x"}}, chat.ctx)


def test_the_same_confirmation_twice_makes_the_same_ticket_request(chat, ctx):
    reach(chat, "summary")
    msg = make_message("1")
    first, second = step(chat.state, msg, ctx), step(chat.state, msg, ctx)
    assert first == second and first.effects[0].data["key"] == "20261123T020000.000000"
