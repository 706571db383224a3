"""Every example of issue 8's "Why", typed on WhatsApp and answered through the whole system.

Each test is one citizen's chat: the webhook, the real RQ worker and the reply the fake Twilio received.
The first message of a chat is greeted, then answered; the line after an answer offers the next step.
"""
import pytest

from tests.conftest import make_settings
from tests.system import Loket, split_hints

NEXT = "Ada pertanyaan lain? Tulis saja. Ketik *topik* untuk daftar topik, atau *menu*."


@pytest.fixture
def loket_of(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    """The whole system serving the named pack."""
    systems = []

    def make(pack: str) -> Loket:
        settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_pack=pack)
        systems.append(Loket(settings, redis, fake_twilio, fake_telegram))
        return systems[-1]
    yield make
    for system in systems:
        system.close()


def ask(loket: Loket, text: str) -> list[str]:
    """Type ``text`` and return the messages it got back, an answer's closing hint as an item of its own."""
    before = len(loket.whatsapp_bodies())
    loket.whatsapp(text)
    loket.work()
    return split_hints(loket.whatsapp_bodies()[before:])


def test_the_whatsapp_number_for_complaints_is_given_not_the_form(loket_of):
    bangli = loket_of("bangli-dpmptsp")
    greeting, answer, offer = ask(bangli, "mau ngadu, nomor wa pengaduan berapa?")
    assert greeting.startswith("Om Swastyastu")
    assert answer == "*WhatsApp (Pelayanan Pengaduan Masyarakat):*\n• WhatsApp: 08123866945"
    assert offer == NEXT


@pytest.mark.parametrize("pack, question, fact", [
    ("bangli-dpmptsp", "no telp kantor brp", "• Telepon: 036691267"),
    ("buleleng-kesra", "email kesra apa", "• E-mail: kesrasetdakabupatenbuleleng@gmail.com"),
    ("kalbar-kesra", "nomor fax brp", "• Faksimile: (0561) 730062"),
    ("bangli-dpmptsp", "websitenya apa", "• Situs web: https://dpmptsp.banglikab.go.id"),
])
def test_each_complaint_channel_by_its_kind(loket_of, pack, question, fact):
    loket = loket_of(pack)
    _, answer, _ = ask(loket, question)
    assert fact in answer


def test_complaint_deadlines_not_the_consultations_15_minutes(loket_of):
    buleleng = loket_of("buleleng-kesra")
    _, answer, _ = ask(buleleng, "kalau pengaduan saya tidak ditanggapi berapa lama?")
    assert answer == ("*Jangka waktu penyelesaian pengaduan (Pelayanan Konsultasi):*\n"
                      "• Pengaduan ringan: 3 jam\n• Pengaduan bersifat normative: 5 hari kerja\n"
                      "• Pengaduan tidak berkadar pengawasan: 14 hari kerja\n"
                      "• Pengaduan berkadar pengawasan dan memerlukan pemeriksaan: 60 hari kerja")
    assert "15 menit" not in answer


def test_nya_facilities_evaluation_and_staff_are_found(loket_of):
    kalbar = loket_of("kalbar-kesra")
    _, legal, _ = ask(kalbar, "dasar hukumnya apa")
    assert legal.startswith("*Dasar hukum Pelayanan Konsultasi:*\n1. Undang-Undang Nomor 14 Tahun 2008")
    (facilities, _) = ask(kalbar, "ada ruang laktasi?")
    assert "ruang laktasi" in facilities and facilities.startswith("*Sarana dan fasilitas Pelayanan Konsultasi:*")
    (evaluation, _) = ask(kalbar, "kapan survei kepuasan?")
    assert "• Survei Kepuasan Masyarakat dilakukan 2 (dua) kali dalam 1 (satu) tahun" in evaluation
    (staff, _) = ask(kalbar, "berapa petugasnya?")
    assert staff == "*Jumlah pelaksana Pelayanan Konsultasi:*\n5 (lima) orang"


@pytest.mark.parametrize("pack, question, served", [
    ("kalbar-kesra", "syarat pembinaan masyarakat", "• Pelayanan Konsultasi"),
    ("bangli-dpmptsp", "mau urus izin usaha, syaratnya apa?", "• Pelayanan Pengaduan Masyarakat"),
])
def test_a_service_the_pack_does_not_have_is_not_answered_with_another(loket_of, pack, question, served):
    loket = loket_of(pack)
    _, answer = ask(loket, question)
    assert "tidak dilayani di sini" in answer and served in answer
    assert "Persyaratan" not in answer and "Surat Tugas" not in answer and "KTP" not in answer


@pytest.mark.parametrize("word", ["setuju", "ya", "oke"])
def test_consent_in_words(loket_of, word):
    buleleng = loket_of("buleleng-kesra")
    ask(buleleng, "halo")
    (consent,) = ask(buleleng, "pengaduan")
    assert consent.startswith("Sebelum melanjutkan")
    assert ask(buleleng, word) == ["Ceritakan apa yang terjadi (pengaduan Anda):"]


def file_complaint(loket: Loket) -> str:
    """File a complaint in this chat and return its ticket number."""
    for text in ("halo", "pengaduan", "setuju", "Petugas meminta uang untuk formulir", "Loket kantor",
                 "kemarin pagi", "1", "lewati", "1", "Made", "1"):
        replies = ask(loket, text)
    created = replies[-1]
    assert created.startswith("Terima kasih. Pengaduan Anda tercatat dengan nomor *")
    return created.split("*")[1]


def test_thanks_a_bare_ticket_number_and_no_news(loket_of):
    bangli = loket_of("bangli-dpmptsp")
    number = file_complaint(bangli)
    assert ask(bangli, "terima kasih") == ["Sama-sama. 🙏 Bila ada pertanyaan lain, tulis saja atau ketik *menu*."]
    (status,) = ask(bangli, number)
    assert status.startswith(f"Tiket *{number}* (pengaduan)\nStatus: diterima")
    sorry, tickets = ask(bangli, "sudah 2 minggu belum ada kabar")
    assert sorry.startswith("Mohon maaf menunggu.")
    assert tickets == f"Tiket Anda:\n• {number}: diterima"
    _, lost = ask(bangli, "nomer tiket saya hilang")
    assert lost == f"Tiket Anda:\n• {number}: diterima"


def test_an_english_question_is_answered_in_english(loket_of):
    kalbar = loket_of("kalbar-kesra")
    _, answer, offer = ask(kalbar, "what are the requirements?")
    assert answer == ("*Requirements for Consultation Service:*\n• Surat Tugas\n• Dokumen/berkas pendukung\n"
                      "• Tanda pengenal/identitas")
    assert offer == "Anything else? Just write it. Type *topics* for the list of topics, or *menu*."


def test_on_telegram_a_clarification_is_buttons_and_a_press_answers(loket):
    import json
    chat = 555000222
    loket.telegram("/start", chat_id=chat)
    loket.telegram("syaratnya apa?", chat_id=chat)
    loket.work()
    question = loket.fake_telegram.calls("sendMessage", chat)[-1]
    assert question.params["text"] == "Maksud Anda layanan yang mana? Ketik nomornya:"
    markup = question.params["reply_markup"]
    rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
    assert [row[0]["text"] for row in rows] == ["1. Pelayanan Konsultasi", "2. Fasilitasi Pembinaan Masyarakat"]
    loket.telegram_press(rows[1][0]["callback_data"], chat_id=chat)
    loket.work()
    answer, offer = loket.telegram_answers(chat)[-2:]
    assert answer.startswith("<b>Persyaratan Fasilitasi Pembinaan Masyarakat:</b>\n• Surat permohonan pembinaan")
    assert offer.startswith("Ada pertanyaan lain?")
