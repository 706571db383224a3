"""The engine with the real Buleleng Kesra pack: questions, commands on every screen, odd messages."""
import copy

import pytest

from flows import Location, step
from tests.flows.conftest import Chat, make_message

HELP = "Petunjuk:"
MAIN = "Silakan pilih:"
SERVICES = "Layanan yang tersedia:"
KONSULTASI = "*Pelayanan Konsultasi*\nApa yang ingin Anda ketahui?"
STATUS = "Ketik nomor tiket Anda (mis. ADU-2611-0042):"
CHOOSE = "Permohonan apa yang ingin Anda ajukan?"

#: How to reach each screen outside a form from a fresh chat, and what it shows.
SCREENS = {
    "main": (("menu",), MAIN),
    "services": (("menu", "1"), SERVICES),
    "service": (("menu", "1", "1"), KONSULTASI),
    "status": (("menu", "4"), STATUS),
    "request_choose": (("menu", "3"), CHOOSE),
}


@pytest.mark.parametrize("question, heading", [
    ("syarat konsultasi", "*Persyaratan Pelayanan Konsultasi:*"),
    ("biaya konsultasi", "*Biaya Pelayanan Konsultasi:*"),
    ("berapa lama konsultasi?", "*Waktu penyelesaian Pelayanan Konsultasi:*"),
    ("prosedur konsultasi", "*Prosedur Pelayanan Konsultasi:*"),
    ("produk konsultasi", "*Produk layanan Pelayanan Konsultasi:*"),
    ("dasar hukum konsultasi", "*Dasar hukum Pelayanan Konsultasi:*"),
    ("cara pengaduan konsultasi", "*Pengaduan, saran dan masukan (Pelayanan Konsultasi):*"),
    ("Biaya pembinaan masyarakat?", "*Biaya Fasilitasi Pembinaan Masyarakat:*"),
    ("syarat fasilitasi pembinaan", "*Persyaratan Fasilitasi Pembinaan Masyarakat:*"),
    # typos, case and punctuation are forgiven
    ("biayaa konsultasi", "*Biaya Pelayanan Konsultasi:*"),
    ("syarat konsultsi", "*Persyaratan Pelayanan Konsultasi:*"),
    ("PERSYARATAN KONSULTASI!!", "*Persyaratan Pelayanan Konsultasi:*"),
    ("prosedurr konsultasi", "*Prosedur Pelayanan Konsultasi:*"),
    # -nya, informal words and abbreviations
    ("dasar hukumnya apa", "*Dasar hukum Pelayanan Konsultasi:*"),
    ("brp lama konsul", "*Waktu penyelesaian Pelayanan Konsultasi:*"),
    # English questions find the facts too, and get English framing
    ("consultation fee", "*Fee for Consultation Service:*"),
    ("what are the requirements for consultation?", "*Requirements for Consultation Service:*"),
])
def test_a_question_gets_the_answer_and_one_line_with_the_next_step(chat, question, heading):
    chat.say("menu", question)
    assert chat.texts[0].startswith(heading)
    assert chat.screen == "service"
    # The next step is the answer's last line, in the same message (after the flowchart, for a procedure).
    assert chat.texts[-1].endswith(("Ada pertanyaan lain? Tulis saja. Ketik *topik* untuk daftar topik, atau *menu*.",
                                    "Anything else? Just write it. Type *topics* for the list of topics, or *menu*."))
    assert len(chat.texts) == (3 if "Prosedur" in heading else 1)
    assert chat.options == []  # the full topic list only on request


def test_topik_after_an_answer_shows_every_topic_of_the_service(chat):
    chat.say("menu", "syarat konsultasi", "topik")
    assert chat.texts[0] == KONSULTASI
    assert "Persyaratan" in chat.options and "Ajukan permohonan layanan ini" in chat.options


def test_the_procedure_comes_with_its_flowchart(chat):
    chat.say("menu", "prosedur konsultasi")
    assert chat.last.replies[1].image == {"kind": "flowchart", "service": "konsultasi"}


def test_a_topic_without_a_service_asks_which_service(chat):
    chat.say("menu", "syaratnya apa?")
    assert chat.screen == "clarify" and chat.texts[0] == "Maksud Anda layanan yang mana? Ketik nomornya:"
    assert chat.options == ["Pelayanan Konsultasi", "Fasilitasi Pembinaan Masyarakat"]
    chat.say("2")
    assert chat.texts[0].startswith("*Persyaratan Fasilitasi Pembinaan Masyarakat:*")


def test_a_fact_both_services_share_is_answered_without_asking(chat):
    chat.say("menu", "berapa biayanya?")
    assert chat.texts[0].startswith("*Biaya ") and "Gratis" in chat.texts[0]


def test_the_service_menu_answers_topics_by_number(chat):
    chat.say("menu", "1", "1", "2")
    assert chat.texts[0].startswith("*Biaya Pelayanan Konsultasi:*")
    chat.say("1")
    assert chat.texts[0].startswith("*Persyaratan Pelayanan Konsultasi:*")


def test_first_contact_with_a_question_greets_then_answers(chat):
    chat.say("syarat konsultasi")
    greeting, _, answer = chat.texts[0].partition("\n\n")
    assert greeting.startswith("Om Swastyastu")  # one message: the greeting heads the answer
    assert answer.startswith("*Persyaratan Pelayanan Konsultasi:*")


def test_nonsense_says_what_can_be_answered_and_whom_to_call(chat):
    chat.say("menu", "1", "1", "asdf qwer")
    assert chat.texts[0].startswith("Maaf, saya belum menemukan jawabannya di standar pelayanan kami.")
    assert "• Pelayanan Konsultasi" in chat.texts[0] and "Telepon: 0362 21985" in chat.texts[0]
    assert chat.screen == "service"


def test_english_switch_and_back(chat):
    chat.say("menu", "english")
    assert chat.texts[0] == "Language set to English."
    assert chat.texts[1].startswith("Please choose:") and "Service information" in chat.options
    chat.say("consultation fee")
    assert chat.texts[0].startswith("*Fee for Consultation Service:*")
    assert chat.texts[-1].endswith("Anything else? Just write it. Type *topics* for the list of topics, or *menu*.")
    chat.say("bahasa indonesia")
    assert chat.texts[0] == "Bahasa diubah ke Bahasa Indonesia."
    assert chat.state["lang"] == "id" and chat.screen == "service"


def test_the_language_option_of_the_main_menu_toggles(chat):
    chat.say("menu", "5")
    assert chat.state["lang"] == "en" and chat.texts[0] == "Language set to English."
    chat.say("5")
    assert chat.state["lang"] == "id"


@pytest.mark.parametrize("screen", SCREENS)
def test_bantuan_shows_help_and_the_same_screen(chat, screen):
    path, shown = SCREENS[screen]
    chat.say(*path, "bantuan")
    assert chat.texts[0].startswith(HELP)
    assert chat.texts[1].startswith(shown) and chat.screen == screen


@pytest.mark.parametrize("screen, parent", [
    ("main", MAIN), ("services", MAIN), ("service", SERVICES), ("status", MAIN), ("request_choose", MAIN)])
def test_kembali_goes_one_screen_up(chat, screen, parent):
    path, _ = SCREENS[screen]
    chat.say(*path, "kembali")
    assert chat.texts[0].startswith(parent)


def test_zero_is_the_back_option_of_the_service_menu(chat):
    chat.say("menu", "1", "1")
    assert chat.last.replies[-1].options[-1].key == "0"
    chat.say("0")
    assert chat.screen == "services"


@pytest.mark.parametrize("screen", SCREENS)
def test_menu_goes_to_the_main_menu(chat, screen):
    path, _ = SCREENS[screen]
    chat.say(*path, "menu")
    assert chat.screen == "main" and chat.texts == [chat.texts[0]] and chat.texts[0].startswith(MAIN)


@pytest.mark.parametrize("screen", SCREENS)
def test_batal_with_nothing_to_cancel_says_so(chat, screen):
    path, _ = SCREENS[screen]
    chat.say(*path, "batal")
    assert chat.texts[0] == "Tidak ada isian yang sedang berjalan."
    assert chat.screen == "main"


def test_a_greeting_mid_conversation_greets_again(chat):
    chat.say("menu", "1", "halo")
    assert chat.texts[0].startswith("Om Swastyastu") and chat.screen == "main"


def test_status_screen_takes_a_number(chat):
    chat.say("menu", "4", "kon 2611 0007")
    assert [e.data for e in chat.last.effects] == [{"number": "KON-2611-0007", "lang": "id"}]
    assert chat.screen == "main"


def test_status_and_my_tickets_work_anywhere(chat):
    chat.say("menu", "1", "1", "status PMH-2611-0001")
    assert chat.last.effects[0].type == "check_status" and chat.last.effects[0].data["number"] == "PMH-2611-0001"
    chat.say("tiket saya")
    assert chat.last.effects[0].type == "list_tickets"


# --- buttons -------------------------------------------------------------------

def test_a_current_button_works_like_typing_its_number(chat):
    chat.say("menu")
    chat.press("1")
    assert chat.screen == "services"



@pytest.mark.parametrize("screen", [s
                                    for s in SCREENS])
def test_an_old_button_gets_the_current_screen(chat, screen):
    path, shown = SCREENS[screen]
    chat.say("menu")
    old = chat.state["token"]
    chat.say(*path[1:])
    if screen == "main":
        chat.say("1", "menu")  # a newer main menu: the first one's buttons are old now
    before = copy.deepcopy(chat.state)
    chat.press("2", token=old)
    assert chat.texts[0] == "Tombol itu dari menu lama. Ini menu yang berlaku sekarang:"
    assert chat.texts[1].startswith(shown)
    assert chat.screen == before["screen"]


@pytest.mark.parametrize("data", ["", "nonsense", "t:1", "tx:1", "t999:1"])
def test_malformed_button_data_is_an_old_button(chat, data):
    chat.say("menu")
    chat.send(make_message(kind="callback", callback_data=data))
    assert chat.texts[0].startswith("Tombol itu dari menu lama") and chat.screen == "main"


def test_an_old_button_inside_a_form_keeps_the_draft(chat):
    chat.say("menu", "2")
    consent = chat.state["token"]
    chat.say("1", "Petugas tidak ada di tempat")
    chat.press("1", token=consent)  # "Setuju" again, now that the place is asked
    assert chat.texts[0].startswith("Tombol itu dari menu lama")
    assert chat.texts[1] == "Di mana kejadiannya? Tulis alamat/tempat, atau kirim lokasi."
    assert chat.state["complaint"]["description"] == "Petugas tidak ada di tempat"


# --- messages the bot cannot take ----------------------------------------------

UNSUPPORTED = [
    ("sticker", {}, "stiker"),
    ("voice", {}, "pesan suara"),
    ("contact", {}, "kontak"),
    ("location", {"location": Location(-8.112, 115.09)}, "lokasi"),
    ("video", {}, "video"),
    ("media", {}, "berkas"),
    ("unsupported", {}, "tidak dikenal"),
]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind, extra, word", UNSUPPORTED)
def test_unsupported_messages_get_a_polite_answer_and_the_screen_again(chat, screen, kind, extra, word):
    path, shown = SCREENS[screen]
    chat.say(*path)
    chat.send(make_message(kind=kind, **extra))
    assert chat.texts[0] == (f"Maaf, pesan jenis ini ({word}) belum bisa saya proses. "
                             "Silakan kirim teks, foto, atau PDF.")
    assert chat.texts[1].startswith(shown) and chat.screen == screen


@pytest.mark.parametrize("kind, extra, word", UNSUPPORTED[:4])
def test_unsupported_messages_in_a_form_keep_the_draft(chat, kind, extra, word):
    chat.say("menu", "2", "1", "Antrian panjang", "Kantor Kesra")
    before = copy.deepcopy(chat.state["complaint"])
    chat.send(make_message(kind=kind, **extra))
    assert f"({word})" in chat.texts[0]
    assert chat.texts[1].startswith("Kapan kejadiannya?")
    assert chat.state["complaint"] == before


def test_unsupported_message_as_first_contact_greets(chat):
    chat.send(make_message(kind="sticker"))
    assert chat.texts[0].startswith("Om Swastyastu") and chat.screen == "main"


# --- purity --------------------------------------------------------------------

def test_a_turn_does_not_change_the_state_it_was_given(ctx):
    chat = Chat(ctx)
    chat.say("menu", "2", "1")
    frozen = copy.deepcopy(chat.state)
    step(chat.state, make_message("Pungutan liar di loket"), ctx)
    assert chat.state == frozen


@pytest.mark.parametrize("path", [("menu", "2"), ("menu", "3", "1"), ("menu", "3", "2"), ("menu", "1", "1", "8")])
def test_the_same_message_twice_makes_the_same_turn(ctx, path):
    chat = Chat(ctx)
    chat.say(*path[:-1])
    msg = make_message(path[-1])
    first, second = step(chat.state, msg, ctx), step(chat.state, msg, ctx)
    assert first == second
    key = (first.state.get("complaint") or first.state.get("request"))["key"]
    assert key == "20261123T020000.000000"  # from the message's time, not the clock


def test_batal_in_a_request_keeps_a_parked_complaint(chat):
    chat.say("menu", "2", "1", "Ada pungutan liar di loket", "menu", "3", "1", "1", "Budi Santoso", "batal")
    assert "request" not in chat.state
    assert chat.state["complaint"]["description"] == "Ada pungutan liar di loket"


def test_a_greeting_heads_the_first_message_but_never_a_pictures_caption():
    from flows.common import headed
    from flows.types import Option, Reply
    menu = Reply("Silakan pilih:", options=(Option("services", "Informasi layanan"),), menu_token=3)
    (one,) = headed("Selamat datang. 🙏", [menu])
    assert one.text == "Selamat datang. 🙏\n\nSilakan pilih:" and one.options == menu.options and one.menu_token == 3
    picture = Reply("Alur Pelayanan Konsultasi", image={"kind": "flowchart", "service": "konsultasi"})
    assert headed("Selamat datang. 🙏", [picture]) == [Reply("Selamat datang. 🙏"), picture]
    assert headed("Selamat datang. 🙏", []) == [Reply("Selamat datang. 🙏")]
