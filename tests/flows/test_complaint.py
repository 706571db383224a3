"""The complaint form step by step: commands on every step, going back, changing answers, identity."""
import copy

import pytest

from flows import Location
from tests.flows.conftest import document, make_message

#: From a fresh chat to each step of the form, and the question that step asks.
ANSWERS = ("menu", "2", "1", "Petugas meminta uang", "Kantor Kesra", "kemarin pagi", "4", "lewati", "1", "Budi",
           "2")
STEPS = {
    "consent": (2, "Sebelum melanjutkan"),
    "description": (3, "Ceritakan apa yang terjadi"),
    "place": (4, "Di mana kejadiannya?"),
    "time": (5, "Kapan kejadiannya?"),
    "category": (6, "Pengaduan ini tentang apa?"),
    "evidence": (7, "Kirim bukti"),
    "identity": (8, "Bagaimana identitas Anda dicatat?"),
    "name": (9, "Tulis nama Anda:"),
    "summary": (10, "*Ringkasan pengaduan:*"),
    "edit": (11, "Bagian mana yang ingin diubah?"),
}
BACK = {"description": "consent", "place": "description", "time": "place", "category": "time",
        "evidence": "category", "identity": "evidence", "name": "identity", "summary": "name", "edit": "summary"}


def reach(chat, step):
    chat.say(*ANSWERS[:STEPS[step][0]])
    assert chat.state["complaint"]["step"] == step
    return copy.deepcopy(chat.state["complaint"])


def summary_of(chat) -> str:
    assert chat.state["complaint"]["step"] == "summary"
    return chat.texts[-1]


@pytest.mark.parametrize("step", STEPS)
def test_bantuan_shows_help_and_asks_again(chat, step):
    draft = reach(chat, step)
    chat.say("bantuan")
    assert chat.texts[0].startswith("Petunjuk:")
    assert chat.texts[1].startswith(STEPS[step][1])
    assert chat.state["complaint"] == draft


@pytest.mark.parametrize("step", ["description", "place", "time", "name"])
@pytest.mark.parametrize("thanks", ["makasih", "terima kasih", "Makasih kak"])
def test_thanks_typed_in_the_form_is_not_taken_as_the_answer(chat, step, thanks):
    draft = reach(chat, step)
    chat.say(thanks)
    assert len(chat.texts) == 2 and chat.texts[1].startswith(STEPS[step][1])
    assert chat.state["complaint"] == draft


@pytest.mark.parametrize("step", STEPS)
def test_menu_parks_the_draft_and_the_complaint_option_resumes_it(chat, step):
    draft = reach(chat, step)
    chat.say("menu")
    assert chat.screen == "main" and chat.state["complaint"] == draft
    chat.say("2")
    assert chat.texts[0] == "Melanjutkan isian Anda sebelumnya."
    assert chat.texts[1].startswith(STEPS[step][1])


@pytest.mark.parametrize("step", STEPS)
def test_batal_discards_the_draft(chat, step):
    reach(chat, step)
    chat.say("batal")
    assert chat.texts[0] == "Baik, isian dibatalkan dan tidak disimpan."
    assert "complaint" not in chat.state and chat.screen == "main"
    chat.say("2")
    assert chat.texts[0].startswith("Sebelum melanjutkan")  # a fresh draft


@pytest.mark.parametrize("step", BACK)
def test_kembali_goes_one_step_back_and_keeps_the_answers(chat, step):
    draft = reach(chat, step)
    chat.say("kembali")
    assert chat.state["complaint"]["step"] == BACK[step]
    assert chat.texts[0].startswith(STEPS[BACK[step]][1])
    assert {k: v for k, v in chat.state["complaint"].items() if k != "step"} == \
        {k: v for k, v in draft.items() if k != "step"}


def test_kembali_on_the_consent_question_leaves_to_the_main_menu(chat):
    reach(chat, "consent")
    chat.say("kembali")
    assert chat.screen == "main" and chat.texts[0].startswith("Silakan pilih:")


def test_refusing_consent_stores_nothing_and_lists_other_channels(chat):
    reach(chat, "consent")
    chat.say("2")
    assert chat.texts[0].startswith("Baik, tidak ada data yang disimpan.")
    assert "SP4N-LAPOR!" in chat.texts[0]
    assert "complaint" not in chat.state and not chat.last.effects


@pytest.mark.parametrize("field, number, answer, line", [
    ("description", "1", "Loket tutup pukul 10 pagi", "Isi: Loket tutup pukul 10 pagi"),
    ("place", "2", "Kantor Camat Sukasada", "Tempat: Kantor Camat Sukasada"),
    ("time", "3", "Jumat lalu", "Waktu: Jumat lalu"),
    ("category", "4", "1", "Tentang: Permintaan informasi / pertanyaan"),
    ("identity", "5", "3", "Identitas: Anonim (tanpa identitas)"),
])
def test_changing_one_answer_returns_to_the_summary_with_the_others_intact(chat, field, number, answer, line):
    reach(chat, "edit")
    chat.say("kembali")
    before = summary_of(chat).splitlines()
    chat.say("2", number)
    assert chat.state["complaint"]["step"] == field
    chat.say(answer)
    after = summary_of(chat).splitlines()
    assert line in after
    assert len(after) == len(before) and sum(b != a for b, a in zip(before, after)) == 1


def test_changing_identity_from_anonymous_to_named_asks_the_name(chat):
    chat.say(*ANSWERS[:8], "3")
    assert "Identitas: Anonim (tanpa identitas)" in summary_of(chat)
    chat.say("2", "5", "1")
    assert chat.texts[0] == "Tulis nama Anda:"
    chat.say("Ni Luh Putu Ayu")
    summary = summary_of(chat)
    assert "Identitas: Dengan nama: Ni Luh Putu Ayu" in summary
    assert "Isi: Petugas meminta uang" in summary and "Tempat: Kantor Kesra" in summary


def test_changing_identity_to_confidential_asks_the_name_again(chat):
    reach(chat, "edit")
    chat.say("5", "2", "Budi Santoso")
    assert "Identitas: Rahasia (nama hanya diketahui pengelola pengaduan): Budi Santoso" in summary_of(chat)


def test_changing_identity_to_anonymous_forgets_the_name(chat):
    reach(chat, "edit")
    chat.say("5", "3", "1")
    data = chat.last.effects[0].data
    assert data["identity"] == "anonymous" and data["name"] is None


def test_kembali_while_changing_an_answer_goes_back_to_the_choice(chat):
    reach(chat, "edit")
    chat.say("2", "kembali")
    assert chat.state["complaint"]["step"] == "edit" and "editing" not in chat.state["complaint"]
    chat.say("kembali")
    assert "Tempat: Kantor Kesra" in summary_of(chat)


def test_a_written_place_replaces_a_shared_location(chat):
    chat.say(*ANSWERS[:4])
    chat.send(make_message(kind="location", location=Location(-8.1121, 115.0882, "Kantor Bupati")))
    assert chat.state["complaint"]["place"] == "Kantor Bupati (-8.112100, 115.088200)"
    chat.say("kemarin", "2", "lewati", "3", "2", "2", "Desa Panji", "1")
    data = chat.last.effects[0].data
    assert data["place"] == "Desa Panji" and data["location"] is None


def test_submit_hands_the_whole_draft_to_the_worker(chat):
    reach(chat, "summary")
    chat.say("1")
    (effect,) = chat.last.effects
    assert effect.type == "create_ticket"
    assert effect.data == {
        "kind": "complaint", "key": "20261123T020000.000000", "service": None, "category": "penyimpangan",
        "unit": "kesra", "sla_class": "berkadar_pengawasan", "description": "Petugas meminta uang",
        "place": "Kantor Kesra", "location": None, "occurred": "kemarin pagi", "evidence": [],
        "identity": "named", "name": "Budi", "lang": "id"}
    assert "complaint" not in chat.state and chat.screen == "main"


def test_evidence_counts_each_file_once_and_explains_refusals(chat):
    reach(chat, "evidence")
    chat.send(document(7))
    assert chat.texts == ["Bukti diterima (1). Kirim lagi, atau ketik *selesai*."]
    chat.send(document(7))  # the same stored file again (a re-run)
    assert chat.state["complaint"]["evidence"] == [7]
    chat.send(document(None, refused="type", mime="application/x-msdownload"))
    assert chat.texts[0].startswith("Berkas tidak diterima: jenis application/x-msdownload tidak diterima")
    chat.say("foto menyusul")
    assert chat.texts[0].startswith("Saya sedang menunggu bukti")
    chat.say("selesai")
    assert chat.state["complaint"]["step"] == "identity" and chat.state["complaint"]["evidence"] == [7]


def test_english_on_a_choice_step_switches_language(chat):
    reach(chat, "consent")
    chat.say("english")
    assert chat.texts[0] == "Language set to English."
    assert chat.texts[1].startswith("Before we go on")
    chat.say("1", "Officer asked for money", "Town hall", "yesterday", "english")
    assert chat.texts[1] == "What is the complaint about?" and chat.state["complaint"]["step"] == "category"


def test_english_on_a_free_text_step_is_an_answer(chat):
    reach(chat, "place")
    chat.say("english")  # e.g. the English course room: the form takes it as the place
    assert chat.state["complaint"]["place"] == "english" and chat.state["lang"] == "id"


@pytest.mark.parametrize("text", ["", "ok"])
def test_an_empty_description_is_refused(chat, text):
    reach(chat, "description")
    chat.say(text)
    assert chat.texts[0].startswith("Isi pengaduan tidak boleh kosong")
    assert chat.state["complaint"]["step"] == "description"


def test_the_same_confirmation_twice_makes_the_same_ticket_request(chat, ctx):
    from flows import step
    reach(chat, "summary")
    msg = make_message("1")
    first, second = step(chat.state, msg, ctx), step(chat.state, msg, ctx)
    assert first.effects == second.effects and first.effects[0].data["key"] == "20261123T020000.000000"


def test_a_whole_complaint_typed_in_words_as_on_whatsapp(chat):
    """Nobody has to type a number: each option may be typed by its words, as people do on WhatsApp."""
    chat.say("menu", "mau ngadu", "setuju", "Petugas minta uang untuk surat rekomendasi", "Kantor Kesra",
             "kemarin pagi", "pungli")
    assert chat.state["complaint"]["category"] == "penyimpangan"
    chat.say("lewati", "rahasia")
    assert chat.state["complaint"]["identity"] == "confidential"
    result = chat.say("Wayan", "kirim")
    assert [e.type for e in result.effects] == ["create_ticket"]
    assert result.effects[0].data["identity"] == "confidential"


@pytest.mark.parametrize("typed, identity", [("anonim", "anonymous"), ("dengan nama", "named"), ("Rahasia", "confidential"),
                                             ("rahasiaa", "confidential"), ("3", "anonymous")])
def test_the_identity_typed_by_its_words(chat, typed, identity):
    chat.say("menu", "pengaduan", "setuju", "Antrean lama sekali", "Kantor Kesra", "tadi pagi", "2", "lewati", typed)
    assert chat.state["complaint"]["identity"] == identity


def test_words_that_name_no_option_ask_again(chat):
    """Words found in no category's name (or in two) leave the choice open: the form asks again, it never guesses."""
    chat.say("menu", "pengaduan", "setuju", "Antrean lama sekali", "Kantor Kesra", "tadi pagi", "yang lainnya")
    assert chat.state["complaint"]["step"] == "category"
