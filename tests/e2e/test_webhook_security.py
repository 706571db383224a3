"""Forged or missing signatures change nothing; duplicates are answered once."""
from rq import Queue

from tests.system import CITIZEN
from tests.fakes.telegram_api import make_text_update
from bot.queues import Queues


def _queued(loket) -> int:
    return Queue(Queues.INBOUND, connection=loket.redis).count


def test_missing_twilio_signature_is_403_and_nothing_queued(loket):
    resp = loket.whatsapp("halo", signed=False)
    assert resp.status_code == 403
    assert _queued(loket) == 0


def test_forged_twilio_signature_is_403(loket):
    params = loket.fake_twilio.inbound("halo")
    resp = loket.post_twilio("/webhooks/twilio", params, signed=False, signature="bm90IGEgc2lnbmF0dXJl")
    assert resp.status_code == 403
    assert _queued(loket) == 0


def test_tampered_parameters_fail_the_signature(loket):
    from tests.fakes.twilio_api import make_inbound, signed_inbound
    params = make_inbound(body="halo", from_=CITIZEN, account_sid=loket.settings.twilio_account_sid)
    _, sig = signed_inbound(loket.settings.public_base_url + "/webhooks/twilio", params, loket.settings.twilio_auth_token)
    params["Body"] = "batal"
    resp = loket.post_twilio("/webhooks/twilio", params, signed=False, signature=sig)
    assert resp.status_code == 403


def test_signature_uses_public_url_not_request_host(loket):
    """Behind a proxy the request host differs; the check uses PUBLIC_BASE_URL."""
    resp = loket.whatsapp("halo")
    assert resp.status_code == 200
    assert resp.mimetype == "text/xml" and b"<Response></Response>" in resp.data


def test_wrong_or_missing_telegram_secret_is_403(loket):
    assert loket.telegram_update(make_text_update("halo"), secret="wrong").status_code == 403
    assert loket.telegram_update(make_text_update("halo"), secret="").status_code == 403
    assert _queued(loket) == 0


def test_duplicate_twilio_delivery_is_answered_once(loket):
    params = loket.fake_twilio.inbound("halo", from_=CITIZEN)
    assert loket.post_twilio("/webhooks/twilio", params).status_code == 200
    assert loket.post_twilio("/webhooks/twilio", params).status_code == 200
    loket.work()
    assert len(loket.whatsapp_bodies()) == 1  # the greeting on the menu, once


def test_duplicate_telegram_update_is_answered_once(loket):
    update = make_text_update("halo", chat_id=4242)
    loket.telegram_update(update)
    loket.telegram_update(update)
    loket.work()
    assert len(loket.telegram_texts(4242)) == 1


def test_status_callback_updates_delivery_state(loket):
    from tests.fakes.twilio_api import make_status_callback
    from bot.store.messages import get_message_by_key
    loket.whatsapp("halo")
    loket.work()
    sid = loket.fake_twilio.messages_to(CITIZEN)[0]["sid"]
    resp = loket.post_twilio("/webhooks/twilio/status", make_status_callback(sid, "delivered",
                             account_sid=loket.settings.twilio_account_sid))
    assert resp.status_code in (200, 204)
    with loket.sessions() as s:
        from sqlalchemy import select
        from bot.store.models import Message
        states = {m.platform_id: m.delivery_state for m in s.scalars(select(Message).where(Message.direction == "out"))}
    assert states[sid] == "delivered"


def test_forged_status_callback_is_403(loket):
    from tests.fakes.twilio_api import make_status_callback
    resp = loket.post_twilio("/webhooks/twilio/status", make_status_callback("SM" + "0" * 32, "delivered"), signed=False)
    assert resp.status_code == 403


def test_redis_down_answers_503_and_the_retry_is_queued(loket, monkeypatch):
    """Recorded but not queued: the platform is told to deliver again, and the redelivery gets through."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    import bot.queues as queues_module
    import webhooks.intake as intake
    params = loket.fake_twilio.inbound("halo", from_=CITIZEN)

    def down(*args, **kwargs):
        raise RedisConnectionError("redis is down")
    monkeypatch.setattr(intake, "enqueue_inbound", down)
    assert loket.post_twilio("/webhooks/twilio", params).status_code == 503
    monkeypatch.setattr(intake, "enqueue_inbound", queues_module.enqueue_inbound)
    assert loket.post_twilio("/webhooks/twilio", params).status_code == 200  # Twilio's retry
    loket.work()
    assert len(loket.whatsapp_bodies()) == 1  # the greeting on the menu, once
    assert loket.post_twilio("/webhooks/twilio", params).status_code == 200  # a late third copy
    loket.work()
    assert len(loket.whatsapp_bodies()) == 1
