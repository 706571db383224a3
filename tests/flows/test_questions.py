"""Conversation, not commands: yes/no in words, questions inside forms, tickets, thanks, English, clarifying.

Each test types what people type, with the real Buleleng Kesra pack.
"""
import pytest

CONSENT = "Sebelum melanjutkan"
DESCRIBE = "Ceritakan apa yang terjadi (pengaduan Anda):"


@pytest.mark.parametrize("word", ["setuju", "ya", "oke", "boleh", "iya setuju", "Ya, saya setuju", "ok"])
def test_yes_in_words_at_the_complaint_consent(chat, word):
    chat.say("menu", "pengaduan")
    assert chat.texts[0].startswith(CONSENT)
    chat.say(word)
    assert chat.texts == [DESCRIBE]


@pytest.mark.parametrize("word", ["tidak", "gak mau", "tidak setuju", "nggak", "ga mau"])
def test_no_in_words_at_the_complaint_consent(chat, word):
    chat.say("menu", "pengaduan", word)
    assert chat.texts[0].startswith("Baik, tidak ada data yang disimpan.")
    assert "complaint" not in chat.state and chat.screen == "main"


@pytest.mark.parametrize("word", ["setuju", "oke", "boleh"])
def test_yes_in_words_at_the_request_consent(chat, word):
    chat.say("menu", "3", "1")
    assert chat.texts[0].startswith(CONSENT)
    chat.say(word)
    assert chat.texts == ["Nama lengkap Anda:"]


def test_the_consent_question_never_traps(chat):
    chat.say("menu", "pengaduan", "hmm gimana ya")
    assert chat.texts[0] == "Ketik *ya* atau *setuju* untuk melanjutkan, *tidak* bila tidak setuju, atau *batal*."
    assert chat.texts[1].startswith(CONSENT)
    chat.say("ya")
    assert chat.texts == [DESCRIBE]


def test_a_question_at_the_consent_is_answered_and_the_consent_asked_again(chat):
    chat.say("menu", "pengaduan", "berapa lama pengaduan ditanggapi?")
    assert chat.texts[0].startswith("*Jangka waktu penyelesaian pengaduan")
    assert "Pengaduan ringan: 3 jam" in chat.texts[0]
    assert chat.texts[1] == "Kita lanjutkan isian Anda:" and chat.texts[2].startswith(CONSENT)
    chat.say("setuju")
    assert chat.texts == [DESCRIBE]


def test_a_question_in_the_middle_of_the_form_is_answered_and_the_form_resumes(chat):
    chat.say("menu", "pengaduan", "ya", "Petugas meminta uang", "Kantor Kesra", "kemarin pagi")
    assert chat.texts[0] == "Pengaduan ini tentang apa?"
    chat.say("nomor telepon kantor brp")
    assert "Telepon: 0362 21985" in chat.texts[0]
    assert chat.texts[-1] == "Pengaduan ini tentang apa?" and chat.state["complaint"]["step"] == "category"
    assert chat.state["complaint"]["description"] == "Petugas meminta uang"


def test_a_short_question_where_free_text_is_due_is_answered_too(chat):
    chat.say("menu", "pengaduan", "ya", "email pengaduan apa?")
    assert "kesrasetdakabupatenbuleleng@gmail.com" in chat.texts[0]
    assert chat.texts[-1] == DESCRIBE and "description" not in chat.state["complaint"]


def test_a_statement_where_free_text_is_due_is_the_answer(chat):
    chat.say("menu", "pengaduan", "ya", "Syarat konsultasi di loket dipersulit petugas")
    assert chat.state["complaint"]["description"] == "Syarat konsultasi di loket dipersulit petugas"


def test_yes_at_the_summary_sends(chat):
    chat.say("menu", "pengaduan", "ya", "Petugas meminta uang", "Kantor Kesra", "kemarin pagi", "4", "lewati", "3")
    assert chat.texts[0].startswith("*Ringkasan pengaduan:*")
    chat.say("ya")
    assert [e.type for e in chat.last.effects] == ["create_ticket"]


@pytest.mark.parametrize("typed", ["ADU-2612-0001", "adu-2612-0001", "ADU 2612 0001", "KON-2611-0003."])
def test_a_bare_ticket_number_is_a_status_check(chat, typed):
    chat.say("menu", typed)
    (effect,) = chat.last.effects
    assert effect.type == "check_status" and effect.data["number"] == typed.upper().strip(".").replace(" ", "-")


@pytest.mark.parametrize("typed", ["sudah 2 minggu belum ada kabar", "belum ada kabar", "nomer tiket saya hilang",
                                   "pengaduan saya belum ditanggapi"])
def test_no_news_offers_the_tickets_and_their_status(chat, typed):
    chat.say("menu", typed)
    assert chat.texts[0].startswith("Mohon maaf menunggu.")
    assert [e.type for e in chat.last.effects] == ["list_tickets"]


@pytest.mark.parametrize("typed", ["terima kasih", "makasih ya min", "suksma", "matur suksma", "thanks"])
def test_thanks_gets_a_short_polite_answer(chat, typed):
    chat.say("menu", "syarat konsultasi", typed)
    assert chat.texts == ["Sama-sama. 🙏 Bila ada pertanyaan lain, tulis saja atau ketik *menu*."]
    assert chat.screen == "service"


def test_an_english_question_gets_english_framing(chat):
    chat.say("menu", "what are the requirements for consultation?")
    assert chat.texts[0] == ("*Requirements for Consultation Service:*\n• Surat tugas\n"
                             "• Dokumen/ berkas pendukung\n• Tanda pengenal/ identitas\n\n"
                             "Anything else? Just write it. Type *topics* for the list of topics, or *menu*.")
    assert chat.state["lang"] == "en"
    chat.say("biaya konsultasi brp")
    assert chat.texts[0].startswith("*Biaya Pelayanan Konsultasi:*") and chat.state["lang"] == "id"


def test_two_services_close_are_a_short_list_and_a_name_answers_it(chat):
    chat.say("menu", "syaratnya apa")
    assert chat.options == ["Pelayanan Konsultasi", "Fasilitasi Pembinaan Masyarakat"]
    chat.say("pembinaan")
    assert chat.texts[0].startswith("*Persyaratan Fasilitasi Pembinaan Masyarakat:*")


def test_a_service_not_served_here_is_said_so_with_what_is(chat):
    chat.say("menu", "mau urus izin usaha, syaratnya apa?")
    assert chat.texts == ["Maaf, layanan itu (izin, usaha) tidak dilayani di sini. Kesra Setda Buleleng melayani:\n"
                          "• Pelayanan Konsultasi\n• Fasilitasi Pembinaan Masyarakat\n"
                          "Silakan tanyakan salah satunya, atau hubungi instansi yang menangani layanan tersebut."]


def test_what_the_standard_does_not_state_is_said_so_with_the_contact(chat):
    chat.say("menu", "nomor fax brp")
    assert chat.texts[0].startswith("Faksimile tidak tercantum dalam standar pelayanan kami.\nSilakan hubungi petugas kami:")
    assert "• Telepon: 0362 21985" in chat.texts[0]


def test_office_hours_are_marked_as_the_agencys_own_addition(chat):
    chat.say("menu", "jam buka kantor?")
    assert chat.texts[0].startswith(
        "*Jam layanan Kesra Setda Buleleng:*\nSen–Kam 07:30–15:30, Jum 07:30–13:00\n"
        "(Keterangan dari instansi, belum tercantum dalam standar pelayanan; mohon dikonfirmasi ke petugas.)\n\n")


def test_yes_in_words_erases_after_asking(chat):
    chat.say("menu", "hapus data saya", "ya")
    assert [e.type for e in chat.last.effects] == ["erase_data"]


def test_a_huge_message_is_matched_on_its_start_only(chat):
    from flows.text import MAX_CHARS, normalise
    huge = "syarat konsultasi? " + "tolong " * 10_000
    assert len(normalise(huge)) <= MAX_CHARS
    chat.say("menu", huge[:65_536])
    assert chat.texts[0].startswith("*Persyaratan Pelayanan Konsultasi:*")


def test_a_huge_description_is_kept_whole_by_the_form(chat):
    text = "Petugas lambat sekali melayani. " * 100
    chat.say("menu", "pengaduan", "ya", text)
    assert chat.state["complaint"]["description"] == text.strip()


def test_two_facts_close_are_a_short_list_then_the_service_if_it_matters(chat):
    chat.say("menu", "surat")
    assert chat.texts[0] == "Maksud Anda yang mana? Ketik nomornya:"
    assert chat.options == ["Persyaratan", "Prosedur"]
    chat.say("1")
    assert chat.options == ["Pelayanan Konsultasi", "Fasilitasi Pembinaan Masyarakat"]
    chat.say("2")
    assert chat.texts[0].startswith("*Persyaratan Fasilitasi Pembinaan Masyarakat:*")


def test_a_greeting_before_a_question_does_not_change_the_question(chat):
    chat.say("menu", "selamat pagi bu, syarat konsultasi apa ya?")
    assert chat.texts[0].startswith("*Persyaratan Pelayanan Konsultasi:*")


def test_a_greeting_with_no_question_is_greeted_back(chat):
    chat.say("menu", "selamat pagi kak, mau nanya dong")
    assert chat.texts[0].startswith("Om Swastyastu") and chat.screen == "main"


@pytest.mark.parametrize("word", ["nggih", "inggih", "betul"])
def test_regional_yes_at_the_consent(chat, word):
    chat.say("menu", "pengaduan", word)
    assert chat.texts == [DESCRIBE]


def test_a_pending_fact_stays_when_the_service_is_named_instead_of_numbered(chat):
    chat.say("menu", "berapa lama?")
    assert chat.screen == "clarify"
    chat.say("konsultasi")
    assert chat.texts[0].startswith(
        "*Waktu penyelesaian Pelayanan Konsultasi:*\nAdministrasi : 15 menit Konsultasi : sesuai materi konsultasi\n\n")


def test_a_follow_up_about_another_service_asks_the_same_fact(chat):
    chat.say("menu", "syarat konsultasi", "kalau pembinaan?")
    assert chat.texts[0].startswith("*Persyaratan Fasilitasi Pembinaan Masyarakat:*")
    chat.say("pembinaan masyarakat")
    assert chat.texts[0] == "*Fasilitasi Pembinaan Masyarakat*\nApa yang ingin Anda ketahui?"


@pytest.mark.parametrize("text", ["tadi sy ke kantor tp loketnya tutup padahal masih jam kerja. sy ingin menyampaikan keluhan",
                                  "aku mau laporin petugas yg minta imbalan", "pengen ngadu nih, petugasnya judes",
                                  "I want to make a complaint about the staff"])
def test_a_wish_to_complain_opens_the_form_whatever_the_story_mentions(chat, text):
    chat.say("menu", text)
    assert chat.texts[0].startswith(CONSENT)


@pytest.mark.parametrize("text", ["kalau mau ngadu lewat mana?", "kalau mau mengadu harus bawa apa", "keluhan bisa disampaikan kemana ya"])
def test_asking_how_to_complain_is_answered_not_opened(chat, text):
    chat.say("menu", text)
    assert not chat.texts[0].startswith(CONSENT)


def test_a_wish_for_something_not_served_is_not_taken_as_a_request(chat):
    chat.say("menu", "mau daftar bansos")
    assert "tidak dilayani" in chat.texts[0]
