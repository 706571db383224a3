"""A citizen asks about a service on WhatsApp, from the first "halo" to the fee."""
from tests.system import CITIZEN


def test_halo_menu_service_requirements_and_fee(loket):
    loket.whatsapp("halo")
    loket.work()
    (menu,) = loket.whatsapp_bodies()  # one message: the greeting heads the menu
    assert menu.startswith("Om Swastyastu")
    assert "1. Informasi layanan" in menu and "2. Sampaikan pengaduan" in menu

    loket.whatsapp("1")
    loket.work()
    assert "1. Pelayanan Konsultasi" in loket.last_whatsapp()

    loket.whatsapp("1")
    loket.work()
    assert "1. Persyaratan" in loket.last_whatsapp() and "2. Biaya / tarif" in loket.last_whatsapp()

    loket.whatsapp("1")
    loket.work()
    requirements = loket.whatsapp_answers()[-2]
    assert requirements == ("*Persyaratan Pelayanan Konsultasi:*\n• Surat tugas\n"
                            "• Dokumen/ berkas pendukung\n• Tanda pengenal/ identitas")

    loket.whatsapp("2")
    loket.work()
    assert loket.whatsapp_answers()[-2] == "*Biaya Pelayanan Konsultasi:*\nGratis (tidak dipungut biaya)."
    assert loket.last_whatsapp().endswith("\n\nAda pertanyaan lain? Tulis saja. Ketik *topik* untuk daftar topik, "
                                          "atau *menu*.")  # the answer and its next step are one message

    sent = loket.fake_twilio.messages_to(CITIZEN)
    assert {m["From"] for m in sent} == {"whatsapp:+14155238886"}
    assert {m["To"] for m in sent} == {CITIZEN}


def test_fee_question_from_anywhere(loket):
    loket.whatsapp("halo")
    loket.whatsapp("1")
    loket.whatsapp("biaya konsultasi")
    loket.work()
    assert "*Biaya Pelayanan Konsultasi:*\nGratis (tidak dipungut biaya)." in loket.whatsapp_answers()


def test_typo_and_question_forms(loket):
    loket.whatsapp("syarat konsultasii")
    loket.work()
    (first,) = loket.whatsapp_bodies()  # first contact is greeted and answered in one message
    greeting, answer, _hint = loket.whatsapp_answers()
    assert greeting.startswith("Om Swastyastu") and first.startswith(greeting)
    assert answer.startswith("*Persyaratan Pelayanan Konsultasi:*")
    loket.whatsapp("berapa biayanya?")
    loket.work()
    assert loket.whatsapp_answers()[-2].startswith("*Biaya Pelayanan Konsultasi:*")


def test_procedure_sends_the_flowchart_picture(loket):
    loket.whatsapp("prosedur konsultasi")
    loket.work()
    sent = loket.fake_twilio.messages_to(CITIZEN)
    pictures = [m for m in sent if m.get("MediaUrl")]
    assert len(pictures) == 1
    url = pictures[0]["MediaUrl"][0]
    assert url == "https://loket.example.go.id/media/flowchart/konsultasi.png"
    png = loket.client.get("/media/flowchart/konsultasi.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    steps = [b for b in loket.whatsapp_answers() if b.startswith("*Prosedur")][0]
    assert "1. Tamu/ pengguna layanan menuju ke Petugas pemberi konsultasi" in steps


def test_english_switch_and_help(loket):
    loket.whatsapp("halo")
    loket.whatsapp("english")
    loket.whatsapp("1")
    loket.work()
    assert "1. Consultation Service" in loket.last_whatsapp()
    loket.whatsapp("help")
    loket.work()
    assert any(b.startswith("Help:") for b in loket.whatsapp_bodies())


def test_gibberish_gets_a_helpful_answer(loket):
    loket.whatsapp("halo")
    loket.whatsapp("qwxzv blorp")
    loket.work()
    answer = loket.last_whatsapp()
    assert answer.startswith("Maaf, saya belum menemukan jawabannya di standar pelayanan kami.")
    assert "• Pelayanan Konsultasi" in answer and "Telepon: 0362 21985" in answer  # what can be asked, whom to call


def test_sticker_like_media_outside_a_form_is_answered(loket):
    url = loket.fake_twilio.add_media(b"RIFF....WEBPVP8 ", "image/webp")
    loket.whatsapp("halo")
    loket.whatsapp("", media=[(url, "image/webp")])
    loket.work()
    assert any("belum bisa saya proses" in b for b in loket.whatsapp_bodies())


def test_long_answer_split_at_1600(loket):
    loket.whatsapp("dasar hukum konsultasi")
    loket.work()
    assert all(len(b) <= 1600 for b in loket.whatsapp_bodies())
