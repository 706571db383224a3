"""The fakes speak the real wire protocols: proven by driving the real SDKs at them."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time

import pytest
import requests
import telegram
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.twilio.http import BaseUrlHttpClient
from tests.fakes import telegram_api as tg
from tests.fakes.server import FakeServer
from tests.fakes.twilio_api import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    FakeTwilio,
    make_inbound,
    make_status_callback,
    signed_inbound,
    twilio_error,
)

CITIZEN = "whatsapp:+6281234567890"
SENDER = "whatsapp:+14155238886"
TEMPLATE = "HX" + "ab" * 16


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch):
    """PTB 22 warns (-> error here) when durations are read as ints; opt in to timedelta."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


# --------------------------------------------------------------------------- server


def test_fake_server_starts_and_stops_cleanly():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"pong"]

    with FakeServer(app) as srv:
        url = srv.url
        with requests.Session() as s:
            assert s.get(url + "/").text == "pong"
    with pytest.raises(requests.ConnectionError), requests.Session() as s:
        s.get(url + "/", timeout=1)


# --------------------------------------------------------------------------- Twilio


def test_real_twilio_client_sends_through_fake(fake_twilio):
    with BaseUrlHttpClient(fake_twilio.url) as http:
        client = Client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, http_client=http)
        msg = client.messages.create(to="whatsapp:+6281200000001", from_=SENDER, body="x")
    assert msg.sid.startswith("SM") and len(msg.sid) == 34
    assert msg.status == "queued" and msg.to == "whatsapp:+6281200000001" and msg.from_ == SENDER
    assert msg.account_sid == DEFAULT_ACCOUNT_SID and msg.error_code is None
    assert isinstance(msg.date_created, dtm.datetime) and msg.num_segments == "1"
    assert fake_twilio.bodies_to("+6281200000001") == ["x"]
    assert fake_twilio.sent[0]["sid"] == msg.sid and fake_twilio.sent[0]["From"] == SENDER


def test_template_media_and_status_callback_fields_recorded(twilio_client, fake_twilio):
    twilio_client.messages.create(
        to=CITIZEN, from_=SENDER, content_sid=TEMPLATE, content_variables=json.dumps({"1": "A-017"}),
        status_callback="https://loket.example/twilio/status",
    )
    twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="foto", media_url=["https://a/1.jpg", "https://a/2.jpg"])
    template, media = fake_twilio.messages_to(CITIZEN)
    assert template["ContentSid"] == TEMPLATE and json.loads(template["ContentVariables"]) == {"1": "A-017"}
    assert "Body" not in template and template["StatusCallback"].endswith("/status")
    assert media["MediaUrl"] == ["https://a/1.jpg", "https://a/2.jpg"] and media["sid"].startswith("MM")


def test_messaging_service_without_from_is_accepted(twilio_client):
    msg = twilio_client.messages.create(to=CITIZEN, messaging_service_sid="MG" + "0" * 32, body="hai")
    assert msg.status == "accepted" and msg.from_ is None


def test_63016_raises_twilio_rest_exception(twilio_client, fake_twilio):
    fake_twilio.fail_next(400, 63016)
    with pytest.raises(TwilioRestException) as info:
        twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="di luar jendela")
    assert info.value.code == 63016 and info.value.status == 400
    assert "outside the allowed window" in info.value.msg
    # Only the next call failed; nothing was recorded as sent, but the attempt was.
    assert twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="lagi").sid
    assert fake_twilio.bodies_to(CITIZEN) == ["lagi"]
    assert [a["http_status"] for a in fake_twilio.attempts] == [400, 201]


def test_fail_when_refuses_freeform_but_accepts_template(twilio_client, fake_twilio):
    fake_twilio.fail_when(lambda f: 63016 if f["To"] == CITIZEN and "ContentSid" not in f else None)
    with pytest.raises(TwilioRestException) as info:
        twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="halo")
    assert info.value.code == 63016
    assert twilio_client.messages.create(to=CITIZEN, from_=SENDER, content_sid=TEMPLATE).sid
    assert twilio_client.messages.create(to="whatsapp:+6281299999999", from_=SENDER, body="ok").sid


@pytest.mark.parametrize(
    ("status", "code"), [(429, 20429), (500, 20500), (503, 20503), (400, 21610)]
)
def test_programmed_http_errors(twilio_client, fake_twilio, status, code):
    fake_twilio.fail_next(status, None if status != 400 else code, times=2)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as info:
            twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="x")
        assert (info.value.status, info.value.code) == (status, code)
    assert twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="x").status == "queued"


def test_error_json_shape_and_retry_after_header(fake_twilio):
    fake_twilio.fail_next(429, retry_after=3)
    url = f"{fake_twilio.url}/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json"
    with requests.Session() as s:
        resp = s.post(url, data={"To": CITIZEN, "From": SENDER, "Body": "x"},
                      auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN))
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "3"
    assert resp.json() == {"code": 20429, "message": "Too Many Requests",
                           "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}


def test_wrong_credentials_get_401(fake_twilio):
    with BaseUrlHttpClient(fake_twilio.url) as http:
        client = Client(DEFAULT_ACCOUNT_SID, "wrong-token", http_client=http)
        with pytest.raises(TwilioRestException) as info:
            client.messages.create(to=CITIZEN, from_=SENDER, body="x")
    assert (info.value.status, info.value.code) == (401, 20003)
    assert fake_twilio.sent == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"from_": SENDER}, 21619),
        ({"from_": SENDER, "body": "x" * 1601}, 21617),
        ({"body": "x"}, 21603),
        ({"from_": "+14155238886", "body": "x"}, 63007),
        ({"from_": SENDER, "content_sid": "HXnope"}, 21655),
    ],
)
def test_validation_errors_like_twilio(twilio_client, kwargs, code):
    with pytest.raises(TwilioRestException) as info:
        twilio_client.messages.create(to=CITIZEN, **kwargs)
    assert info.value.code == code and info.value.status == 400


def test_fetch_and_status_progression(twilio_client, fake_twilio):
    sid = twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="x").sid
    callback = fake_twilio.set_status(sid, "delivered")
    assert twilio_client.messages(sid).fetch().status == "delivered"
    assert callback["MessageSid"] == sid and callback["MessageStatus"] == "delivered"
    assert callback["To"] == CITIZEN and "ErrorCode" not in callback


def test_deferred_failure_arrives_as_status_callback(twilio_client, fake_twilio):
    fake_twilio.fail_next(400, 63016, deferred=True)
    msg = twilio_client.messages.create(to=CITIZEN, from_=SENDER, body="x",
                                        status_callback="https://loket.example/s")
    assert msg.status == "queued"
    (url, form), = fake_twilio.status_callbacks
    assert url == "https://loket.example/s"
    assert form["MessageStatus"] == "failed" and form["ErrorCode"] == "63016"
    assert fake_twilio.sent[0]["status"] == "failed" and fake_twilio.sent[0]["error_code"] == 63016
    assert twilio_client.messages(msg.sid).fetch().error_code == 63016


def test_media_requires_basic_auth_and_redirects_to_cdn(fake_twilio):
    url = fake_twilio.add_media(b"\xff\xd8jpeg-bytes", "image/jpeg")
    assert f"/Accounts/{DEFAULT_ACCOUNT_SID}/Messages/MM" in url and "/Media/ME" in url
    with requests.Session() as s:
        assert s.get(url).status_code == 401
        resp = s.get(url, auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN))
    assert resp.status_code == 200 and resp.content == b"\xff\xd8jpeg-bytes"
    assert resp.headers["Content-Type"] == "image/jpeg"
    assert [r.status_code for r in resp.history] == [307] and "/cdn/" in resp.url
    assert len(fake_twilio.media_fetches) == 1


def test_base_url_client_rewrites_only_twilio_hosts():
    with BaseUrlHttpClient("http://127.0.0.1:9/prefix/") as http:
        assert http.rewrite("https://api.twilio.com/2010-04-01/A.json") == "http://127.0.0.1:9/prefix/2010-04-01/A.json"
        assert http.rewrite("https://api.dublin.ie1.twilio.com/x?y=1") == "http://127.0.0.1:9/prefix/x?y=1"
        assert http.rewrite("https://messaging.twilio.com") == "http://127.0.0.1:9/prefix"
        assert http.rewrite("https://eviltwilio.com/x") == "https://eviltwilio.com/x"
        assert http.rewrite("https://s3.amazonaws.com/x") == "https://s3.amazonaws.com/x"


def test_wait_for_awaits_background_sender(fake_twilio):
    def worker():
        time.sleep(0.2)
        with BaseUrlHttpClient(fake_twilio.url) as http:
            client = Client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, http_client=http)
            for body in ("satu", "dua"):
                client.messages.create(to=CITIZEN, from_=SENDER, body=body)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert [m["Body"] for m in fake_twilio.wait_for(2, timeout=5)] == ["satu", "dua"]
        assert fake_twilio.wait_for(lambda m: m["Body"] == "dua")[0]["To"] == CITIZEN
    finally:
        thread.join()
    with pytest.raises(AssertionError, match="timed out"):
        fake_twilio.wait_for(3, timeout=0.2)


def test_inbound_text_form_is_realistic_and_signed():
    url = "https://loket.example/webhooks/twilio?x=1"
    params, signature = signed_inbound(url, make_inbound("halo"), DEFAULT_AUTH_TOKEN)
    assert RequestValidator(DEFAULT_AUTH_TOKEN).validate(url, params, signature)
    assert not RequestValidator("other").validate(url, params, signature)
    assert params["MessageSid"].startswith("SM") and params["SmsSid"] == params["MessageSid"]
    assert params["From"] == CITIZEN and params["WaId"] == "6281234567890"
    assert params["NumMedia"] == "0" and params["SmsStatus"] == "received" and params["ApiVersion"] == "2010-04-01"
    assert params["AccountSid"] == DEFAULT_ACCOUNT_SID and params["ProfileName"] == "Budi"
    assert all(isinstance(v, str) for v in params.values())


def test_inbound_media_location_button_and_extras(fake_twilio):
    media_url = fake_twilio.add_media(b"%PDF-1.4", "application/pdf")
    media = fake_twilio.inbound("", media=[(media_url, "application/pdf")])
    assert media["NumMedia"] == "1" and media["MediaUrl0"] == media_url
    assert media["MediaContentType0"] == "application/pdf" and media["MessageType"] == "document"
    assert media["MessageSid"] in media_url  # same MM sid as the hosted media

    loc = make_inbound(location=(-6.2, 106.8, "Jl. Merdeka 1", "Kantor"))
    assert (loc["Latitude"], loc["Longitude"], loc["Address"], loc["Label"]) == ("-6.2", "106.8", "Jl. Merdeka 1", "Kantor")
    assert loc["Body"] == "" and loc["MessageType"] == "location"

    btn = make_inbound(button=("Ya", "confirm:42"))
    assert (btn["ButtonText"], btn["ButtonPayload"], btn["Body"]) == ("Ya", "confirm:42", "Ya")

    extra = make_inbound(ProfileName=None, MessagingServiceSid="MG" + "1" * 32)
    assert "ProfileName" not in extra and extra["MessagingServiceSid"].startswith("MG")


def test_status_callback_shape():
    form = make_status_callback("SM" + "0" * 32, "undelivered", 63016)
    assert form["MessageStatus"] == form["SmsStatus"] == "undelivered"
    assert form["ErrorCode"] == "63016" and form["ChannelPrefix"] == "whatsapp"
    assert form["AccountSid"] == DEFAULT_ACCOUNT_SID and form["ApiVersion"] == "2010-04-01"


def test_twilio_error_helper_defaults():
    assert twilio_error(63016).status == 400
    assert twilio_error(status=503).code == 20503


def test_fake_twilio_usable_without_pytest_fixture():
    with FakeTwilio("AC" + "1" * 32, "tok") as fake, BaseUrlHttpClient(fake.url) as http:
        Client("AC" + "1" * 32, "tok", http_client=http).messages.create(to=CITIZEN, from_=SENDER, body="x")
        assert len(fake.sent) == 1


# --------------------------------------------------------------------------- Telegram


def _bot(fake: tg.FakeTelegram, token: str | None = None) -> Bot:
    return Bot(token or fake.token, base_url=fake.url + "/bot", base_file_url=fake.url + "/file/bot")


def test_ptb_send_message_against_fake(fake_telegram):
    async def main():
        async with _bot(fake_telegram) as bot:
            assert bot.username == tg.BOT_USERNAME and bot.id == 123456
            first = await bot.send_message(chat_id=42, text="Nomor antrean Anda: A-017")
            second = await bot.send_message(
                chat_id=42, text="<b>Pilih</b>", parse_mode="HTML",
                reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya")]]))
            other = await bot.send_message(chat_id=43, text="hai")
            return first, second, other

    first, second, other = asyncio.run(main())
    assert isinstance(first, telegram.Message) and first.text == "Nomor antrean Anda: A-017"
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.chat.id == 42 and first.chat.type == "private" and first.from_user.is_bot
    assert second.text == "Pilih" and second.reply_markup.inline_keyboard[0][0].callback_data == "ya"
    assert fake_telegram.texts_to(42) == ["Nomor antrean Anda: A-017", "<b>Pilih</b>"]
    (call,) = fake_telegram.calls("sendMessage", chat_id=43)
    assert call.params == {"chat_id": 43, "text": "hai"}
    assert [c.method for c in fake_telegram.calls()] == ["getMe", "sendMessage", "sendMessage", "sendMessage"]
    sent = fake_telegram.calls("sendmessage", chat_id=42)[1].params
    assert sent["reply_markup"] == {"inline_keyboard": [[{"text": "Ya", "callback_data": "ya"}]]}


def test_ptb_send_photo_bytes_then_download(fake_telegram):
    photo_bytes = b"\xff\xd8\xff\xe0fake-jpeg" + b"0" * 100

    async def main():
        async with _bot(fake_telegram) as bot:
            message = await bot.send_photo(chat_id=42, photo=photo_bytes, caption="Bukti")
            file = await bot.get_file(message.photo[-1].file_id)
            data = await file.download_as_bytearray()
            by_id = await bot.send_photo(chat_id=42, photo=message.photo[-1].file_id)
            return message, file, data, by_id

    message, file, data, by_id = asyncio.run(main())
    assert message.caption == "Bukti" and len(message.photo) == 3
    assert message.photo[-1].file_size == len(photo_bytes)
    assert file.file_path.startswith(fake_telegram.url + "/file/bot") and bytes(data) == photo_bytes
    assert by_id.photo[-1].file_id == message.photo[-1].file_id
    upload = fake_telegram.calls("sendPhoto")[0].params["photo"]
    assert isinstance(upload, tg.Upload) and upload.content == photo_bytes


def test_ptb_download_of_user_file_and_document_upload(fake_telegram):
    file_id = fake_telegram.add_file(b"%PDF-1.7 ktp", "ktp.pdf")
    update = Update.de_json(tg.make_document_update(file_id, "ktp.pdf", file_size=12), bot=None)

    async def main():
        async with _bot(fake_telegram) as bot:
            file = await bot.get_file(update.message.document.file_id)
            data = await file.download_as_bytearray()
            doc = await bot.send_document(chat_id=42, document=b"a,b\n1,2\n", filename="laporan.csv")
            return file, data, doc

    file, data, doc = asyncio.run(main())
    assert bytes(data) == b"%PDF-1.7 ktp" and file.file_size == 12 and file.file_path.endswith(".pdf")
    assert doc.document.file_name == "laporan.csv" and doc.document.file_size == 8
    assert fake_telegram.calls("sendDocument")[0].params["document"].filename == "laporan.csv"


def test_ptb_429_raises_retry_after(fake_telegram):
    fake_telegram.fail_next("sendMessage", 429, retry_after=2)

    async def main():
        async with _bot(fake_telegram) as bot:
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(chat_id=42, text="x")
            await bot.send_message(chat_id=42, text="y")
            return info.value

    exc = asyncio.run(main())
    assert exc.retry_after == dtm.timedelta(seconds=2)
    failed, ok = fake_telegram.calls("sendMessage")
    assert (failed.ok, failed.error_code, ok.ok) == (False, 429, True)
    assert failed.result == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 2",
                             "parameters": {"retry_after": 2}}


def test_ptb_bad_request_forbidden_and_invalid_token(fake_telegram):
    fake_telegram.fail_next("sendMessage", 400)
    fake_telegram.blocked_chats.add(99)

    async def main():
        async with _bot(fake_telegram) as bot:
            with pytest.raises(BadRequest, match="Chat not found"):
                await bot.send_message(chat_id=42, text="x")
            with pytest.raises(Forbidden, match="blocked by the user"):
                await bot.send_message(chat_id=99, text="x")
            with pytest.raises(BadRequest, match="[Tt]ext is empty"):
                await bot.send_message(chat_id=42, text=" ")
        with pytest.raises(InvalidToken):
            async with _bot(fake_telegram, token="999:nope"):
                pass

    asyncio.run(main())


def test_ptb_server_error_maps_to_network_error(fake_telegram):
    async def main():
        async with _bot(fake_telegram) as bot:
            fake_telegram.fail_next(None, 502)  # None = whichever method comes next
            with pytest.raises(telegram.error.NetworkError):
                await bot.send_chat_action(chat_id=42, action="typing")

    asyncio.run(main())


def test_ptb_edit_callback_action_and_webhook_methods(fake_telegram):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Batal", callback_data="batal")]])

    async def main():
        async with _bot(fake_telegram) as bot:
            msg = await bot.send_message(chat_id=42, text="Antrean A-017", reply_markup=keyboard)
            edited = await bot.edit_message_text("Antrean A-017 (dipanggil)", chat_id=42, message_id=msg.message_id)
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text("Antrean A-017 (dipanggil)", chat_id=42, message_id=msg.message_id)
            markup = await bot.edit_message_reply_markup(chat_id=42, message_id=msg.message_id, reply_markup=keyboard)
            assert await bot.answer_callback_query("123", text="OK")
            assert await bot.send_chat_action(chat_id=42, action="typing")
            assert await bot.set_webhook("https://loket.example/tg", secret_token="s3cret_-X",
                                         allowed_updates=["message", "callback_query"], max_connections=10)
            info = await bot.get_webhook_info()
            with pytest.raises(BadRequest, match="(?i)https url"):
                await bot.set_webhook("http://loket.example/tg")
            with pytest.raises(BadRequest, match="(?i)secret token"):
                await bot.set_webhook("https://loket.example/tg", secret_token="bad token!")
            assert await bot.delete_webhook(drop_pending_updates=True)
            cleared = await bot.get_webhook_info()
            return edited, markup, info, cleared

    edited, markup, info, cleared = asyncio.run(main())
    assert edited.text.endswith("(dipanggil)") and edited.edit_date is not None and edited.reply_markup is None
    assert markup.reply_markup.inline_keyboard[0][0].text == "Batal"
    assert info.url == "https://loket.example/tg" and info.allowed_updates == ("message", "callback_query")
    assert info.max_connections == 10 and cleared.url == ""
    assert fake_telegram.webhook == {}
    assert fake_telegram.calls("setWebhook", ok=True)[0].params["secret_token"] == "s3cret_-X"


def test_json_and_unknown_method_and_file_auth(fake_telegram):
    base = f"{fake_telegram.url}/bot{fake_telegram.token}"
    with requests.Session() as s:
        resp = s.post(base + "/sendMessage", json={"chat_id": 5, "text": "json"})
        assert resp.json()["ok"] is True and resp.json()["result"]["text"] == "json"
        assert s.post(base + "/sendGame", json={}).json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        assert s.get(f"{fake_telegram.url}/bot1:bad/getMe").status_code == 401
        file_id = fake_telegram.add_file(b"img", mime="image/png")
        path = fake_telegram.files[file_id].file_path
        assert s.get(f"{fake_telegram.url}/file/bot{fake_telegram.token}/{path}").content == b"img"
        assert s.get(f"{fake_telegram.url}/file/bot1:bad/{path}").status_code == 401
        assert s.post(base + "/getFile", data={"file_id": "nope"}).json()["description"] == "Bad Request: invalid file_id"


def test_rate_observer_and_opt_in_limits(fake_telegram):
    async def main():
        async with _bot(fake_telegram) as bot:
            for i in range(3):
                await bot.send_message(chat_id=42, text=f"m{i}")
            await bot.send_message(chat_id=43, text="x")
            fake_telegram.limit_rate(per_chat=1, overall=30, retry_after=1)
            with pytest.raises(RetryAfter):
                await bot.send_message(chat_id=42, text="too fast")
            await bot.send_message(chat_id=44, text="other chat is fine")

    asyncio.run(main())
    assert fake_telegram.max_rate_per_chat() == 4  # three sent + one refused attempt within a second
    assert fake_telegram.max_rate_overall() == 6
    assert len(fake_telegram.send_times(42)) == 4


def test_telegram_wait_for(fake_telegram):
    def worker():
        time.sleep(0.2)
        with requests.Session() as s:
            s.post(f"{fake_telegram.url}/bot{fake_telegram.token}/sendMessage", data={"chat_id": "7", "text": "hi"})

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        (call,) = fake_telegram.wait_for(method="sendMessage", chat_id=7, timeout=5)
    finally:
        thread.join()
    assert call.params["text"] == "hi"
    with pytest.raises(AssertionError, match="timed out"):
        fake_telegram.wait_for(method="sendPhoto", timeout=0.2)


UPDATE_BUILDERS = {
    "text": lambda: tg.make_text_update("/start ref-123"),
    "group_text": lambda: tg.make_group_text_update("halo semua"),
    "callback": lambda: tg.make_callback_update("antre:A", message_id=7, chat_id=42),
    "photo": lambda: tg.make_photo_update("AgACfileid", caption="bukti"),
    "photo_list": lambda: tg.make_photo_update(["a", "b"]),
    "document": lambda: tg.make_document_update("BQACdoc", "ktp.pdf", "application/pdf", 1234),
    "sticker": lambda: tg.make_sticker_update(),
    "location": lambda: tg.make_location_update(-8.65, 115.22),
    "contact": lambda: tg.make_contact_update("6281234567890"),
    "voice": lambda: tg.make_voice_update(),
    "video": lambda: tg.make_video_update(30 * 1024 * 1024),
    "edited": lambda: tg.make_edited_message_update("ralat", message_id=5),
    "channel_post": lambda: tg.make_channel_post_update("pengumuman"),
}


@pytest.mark.parametrize("kind", sorted(UPDATE_BUILDERS))
def test_update_builders_parse_with_ptb(kind):
    data = UPDATE_BUILDERS[kind]()
    json.dumps(data)  # must be plain JSON, as Telegram posts it
    update = Update.de_json(json.loads(json.dumps(data)), bot=None)
    assert update.update_id == data["update_id"]
    message = update.effective_message
    assert message is not None and update.effective_chat is not None
    checks = {
        "text": lambda: message.text == "/start ref-123" and message.entities[0].type == "bot_command"
        and update.effective_user.id == update.effective_chat.id,
        "group_text": lambda: update.effective_chat.type == "supergroup" and update.effective_user.id > 0,
        "callback": lambda: update.callback_query.data == "antre:A" and message.message_id == 7
        and message.from_user.is_bot,
        "photo": lambda: message.photo[-1].file_id == "AgACfileid" and message.caption == "bukti",
        "photo_list": lambda: [p.file_id for p in message.photo] == ["a", "b"],
        "document": lambda: message.document.file_name == "ktp.pdf" and message.document.file_size == 1234,
        "sticker": lambda: message.sticker.emoji == "\N{THUMBS UP SIGN}",
        "location": lambda: message.location.latitude == -8.65,
        "contact": lambda: message.contact.user_id == update.effective_user.id,
        "voice": lambda: message.voice.mime_type == "audio/ogg",
        "video": lambda: message.video.file_size == 30 * 1024 * 1024,
        "edited": lambda: update.edited_message.edit_date is not None and message.message_id == 5,
        "channel_post": lambda: update.channel_post.sender_chat.type == "channel" and update.effective_user is None,
    }
    assert checks[kind]()


def test_update_ids_increase():
    a, b = tg.make_text_update("a"), tg.make_text_update("b")
    assert b["update_id"] > a["update_id"]
