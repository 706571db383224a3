"""Validly signed payloads of every shape, broken ones too: never a 5xx, each recorded once, no job crashes.

Runs on PostgreSQL and under the suite's log scan (tests/privacy_plugin.py):
the payloads carry phone numbers and a citizen's name that must not reach a
log line, error paths included.
"""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from bot.store.models import InboundEvent
from tests.fuzz.payloads import PHONES, telegram_update, twilio_inbound, twilio_status

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])


def _rows(loket, channel: str, platform_id) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(InboundEvent).where(
            InboundEvent.channel == channel, InboundEvent.platform_id == str(platform_id)))


def _unprocessed(loket) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.processed_at.is_(None)))


def _genuine_sid(sid) -> bool:
    return isinstance(sid, str) and len(sid) == 34 and sid[:2] in ("SM", "MM") and sid[2:].isalnum()


@FUZZ
@given(form=twilio_inbound())
def test_twilio_inbound_answers_below_500_records_once_and_the_job_copes(loket, form):
    first = loket.post_twilio("/webhooks/twilio", form)
    again = loket.post_twilio("/webhooks/twilio", form)  # Twilio's redelivery of the same message
    assert first.status_code < 500 and again.status_code < 500, (first.status_code, again.status_code)
    sid = form.get("MessageSid")
    if sid is not None and "\x00" not in sid:  # PostgreSQL cannot even be asked about a NUL
        recorded = _rows(loket, "whatsapp", sid)
        assert recorded <= 1
        if _genuine_sid(sid) and form.get("From") in PHONES:
            assert recorded == 1  # a usable message is never lost to an odd field
    loket.work()  # fails the test if any job failed
    assert _unprocessed(loket) == 0


@settings(FUZZ, max_examples=120)
@given(form=twilio_status())
def test_twilio_status_callback_answers_below_500(loket, form):
    response = loket.post_twilio("/webhooks/twilio/status", form)
    assert response.status_code < 500


@FUZZ
@given(update=telegram_update())
def test_telegram_update_answers_below_500_records_once_and_the_job_copes(loket, update):
    body = json.dumps(update)
    headers = {"X-Telegram-Bot-Api-Secret-Token": loket.settings.telegram_webhook_secret}
    first = loket.client.post("/webhooks/telegram", data=body, headers=headers, content_type="application/json")
    again = loket.client.post("/webhooks/telegram", data=body, headers=headers, content_type="application/json")
    assert first.status_code < 500 and again.status_code < 500, (first.status_code, again.status_code)
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if isinstance(update_id, int) and not isinstance(update_id, bool) and 0 <= update_id < 2**63:
        assert _rows(loket, "telegram", update_id) <= 1
    loket.work()
    assert _unprocessed(loket) == 0


def test_a_payload_over_the_body_limit_is_refused_at_once(loket):
    form = {"MessageSid": "SM" + "0" * 32, "From": PHONES[0], "Body": "x" * (2 * 1024 * 1024)}
    assert loket.post_twilio("/webhooks/twilio", form).status_code == 413
