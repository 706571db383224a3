"""A citizen on Telegram: keyboards, button presses, old buttons, and every other kind of update."""
from tests.fakes.telegram_api import (
    make_channel_post_update, make_contact_update, make_edited_message_update, make_location_update,
    make_sticker_update, make_voice_update,
)

CHAT = 555000111


def _keyboard(call):
    markup = call.params.get("reply_markup")
    if isinstance(markup, str):
        import json
        markup = json.loads(markup)
    return markup["inline_keyboard"] if markup else None


def test_menu_has_buttons_and_a_press_answers(loket):
    loket.telegram("/start", chat_id=CHAT)
    loket.work()
    calls = loket.fake_telegram.calls("sendMessage", CHAT)
    menu = calls[-1]
    assert len(calls) == 1  # the greeting heads the menu: one message
    assert menu.params["text"].startswith("Om Swastyastu")
    rows = _keyboard(menu)
    assert rows[0][0]["text"] == "1. Informasi layanan"
    services_button = rows[0][0]["callback_data"]

    loket.telegram_press(services_button, chat_id=CHAT)
    loket.work()
    last = loket.fake_telegram.calls("sendMessage", CHAT)[-1]
    assert "Layanan yang tersedia" in last.params["text"]
    service_button = _keyboard(last)[0][0]["callback_data"]
    loket.telegram_press(service_button, chat_id=CHAT)
    loket.work()
    topics = loket.fake_telegram.calls("sendMessage", CHAT)[-1]
    labels = [row[0]["text"] for row in _keyboard(topics)]
    assert labels[:2] == ["1. Persyaratan", "2. Biaya / tarif"]
    loket.telegram_press(_keyboard(topics)[0][0]["callback_data"], chat_id=CHAT)
    loket.work()
    texts = loket.telegram_answers(CHAT)
    assert "<b>Persyaratan Pelayanan Konsultasi:</b>\n• Surat tugas" in texts[-2]
    assert loket.fake_telegram.calls("answerCallbackQuery")  # the button's spinner is stopped


def test_procedure_sends_a_photo(loket):
    loket.telegram("prosedur konsultasi", chat_id=CHAT)
    loket.work()
    photos = loket.fake_telegram.calls("sendPhoto", CHAT)
    assert len(photos) == 1
    upload = photos[0].params["photo"]
    assert upload.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Alur Pelayanan Konsultasi" in photos[0].params["caption"]


def test_old_keyboard_gets_the_current_menu(loket):
    loket.telegram("halo", chat_id=CHAT)
    loket.work()
    old = _keyboard(loket.fake_telegram.calls("sendMessage", CHAT)[-1])[0][0]["callback_data"]
    loket.telegram("1", chat_id=CHAT)
    loket.work()
    loket.telegram_press(old, chat_id=CHAT)
    loket.work()
    texts = loket.telegram_texts(CHAT)
    assert "menu lama" in texts[-2]
    assert "Layanan yang tersedia" in texts[-1]


def test_other_updates_are_answered_or_ignored_never_500(loket):
    loket.telegram("halo", chat_id=CHAT)
    for update in (make_sticker_update(chat_id=CHAT), make_voice_update(chat_id=CHAT),
                   make_contact_update(chat_id=CHAT), make_location_update(chat_id=CHAT)):
        assert loket.telegram_update(update).status_code == 200
    for ignored in (make_edited_message_update("halo lagi", 3, chat_id=CHAT), make_channel_post_update("info")):
        assert loket.telegram_update(ignored).status_code == 200
    assert loket.telegram_update({"update_id": 1, "poll": {"id": "1"}}).status_code == 200
    assert loket.client.post("/webhooks/telegram", data="not json", content_type="application/json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": loket.settings.telegram_webhook_secret}
                             ).status_code == 200
    loket.work()
    texts = loket.telegram_texts(CHAT)
    polite = [t for t in texts if "belum bisa saya proses" in t]
    assert len(polite) == 4  # sticker, voice, contact, location outside a form
    assert len(texts) == 1 + 4 * 2  # the greeting on the menu, then each polite answer + the menu again


def test_long_text_is_split_within_4096(loket):
    from bot.channels.telegram import render
    from bot.types import Reply
    calls = render(Reply("kata " * 2000))
    assert len(calls) >= 3 and all(len(c["text"]) <= 4096 for c in calls)
