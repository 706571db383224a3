"""A conversation started by an event (``workers.events.start_flow``) inside and outside WhatsApp's window."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Conversation, ConversationState
from bot.store.chat_state import StateStore
from tests.fakes.twilio_api import twilio_error
from tests.system import CITIZEN
from bot.queues import Queues, chat_key, queue, redis_key

NUMBER = "ADU-2612-0007"
ARGS = {"transaction_ref": NUMBER, "kind": "complaint", "unit": "kesra", "service": None}
TG_CHAT = 700000001


def conversation(loket, channel: str = "whatsapp", silent_hours: float = 0) -> int:
    with session_scope(loket.sessions) as s:
        convo = s.scalars(select(Conversation).where(Conversation.channel == channel)).one()
        convo.last_inbound_at -= timedelta(hours=silent_hours)
        return convo.id


def start(loket, conversation_id: int, key: str = "survey-" + NUMBER):
    """Queue the job as an event does and run the real worker; returns what the job said."""
    job = queue(loket.redis, Queues.SEND, loket.settings.queue_prefix).enqueue(
        "workers.events.start_flow", conversation_id, "survey", ARGS, key, "survey_invite", {"number": NUMBER}, "id")
    loket.work()
    return job.latest_result().return_value


def state_of(loket, chat: str) -> dict:
    return StateStore(loket.redis, loket.settings.state_ttl_seconds).get(chat)


@pytest.fixture
def wrote(loket):
    """The citizen wrote once on WhatsApp (the conversation exists); returns what the bot has sent so far."""
    loket.whatsapp("terima kasih")
    loket.work()
    return len(loket.fake_twilio.messages_to(CITIZEN))


def test_inside_the_window_the_flow_starts_free_form(loket, wrote):
    assert start(loket, conversation(loket, silent_hours=23.5)) == "free"
    intro, question = loket.fake_twilio.messages_to(CITIZEN)[wrote:]
    assert "Survei Kepuasan Masyarakat" in intro["Body"] and question["Body"].startswith("Pertanyaan 1 dari 9")
    assert not intro.get("ContentSid") and not question.get("ContentSid")
    state = state_of(loket, chat_key("whatsapp", CITIZEN.removeprefix("whatsapp:")))
    assert state["screen"] == "survey" and state["survey"]["ref"] == NUMBER


def test_outside_the_window_the_template_goes_and_the_answer_starts_the_flow(loket, wrote):
    assert start(loket, conversation(loket, silent_hours=24)) == "template"
    [invite] = loket.fake_twilio.messages_to(CITIZEN)[wrote:]
    assert invite["ContentSid"] == "HX00000000000000000000000000000011"
    assert json.loads(invite["ContentVariables"]) == {"1": NUMBER} and not invite.get("Body")
    assert state_of(loket, chat_key("whatsapp", CITIZEN.removeprefix("whatsapp:")))["screen"] == "invite"
    loket.whatsapp("1")
    loket.work()
    assert loket.last_whatsapp().startswith("Pertanyaan 1 dari 9")


def test_the_invitation_waits_days_for_its_answer_even_if_redis_forgot(loket, wrote):
    chat = chat_key("whatsapp", CITIZEN.removeprefix("whatsapp:"))
    start(loket, conversation(loket, silent_hours=30))
    assert loket.redis.ttl(redis_key("state", chat)) > 6 * 24 * 3600  # not the 24-hour quiet period
    loket.redis.delete(redis_key("state", chat))  # a Redis restart without persistence
    with session_scope(loket.sessions) as s:  # and three days pass
        row = s.get(ConversationState, hashlib.sha256(chat.encode()).hexdigest())
        row.updated_at -= timedelta(days=3)
    loket.whatsapp("mau")
    loket.work()
    assert loket.last_whatsapp().startswith("Pertanyaan 1 dari 9")


def test_twilio_refusing_free_form_sends_the_template_instead(loket, wrote):
    loket.fake_twilio.fail_when(lambda form: twilio_error(63016) if form.get("Body") else None)
    assert start(loket, conversation(loket, silent_hours=1)) == "template"
    sent = loket.fake_twilio.messages_to(CITIZEN)[wrote:]
    assert [m.get("ContentSid") for m in sent] == ["HX00000000000000000000000000000011"]
    assert state_of(loket, chat_key("whatsapp", CITIZEN.removeprefix("whatsapp:")))["screen"] == "invite"


def test_telegram_has_no_window(loket):
    loket.telegram("terima kasih", chat_id=TG_CHAT)
    loket.work()
    assert start(loket, conversation(loket, "telegram", silent_hours=24 * 7)) == "free"
    assert "Pertanyaan 1 dari 9" in loket.telegram_texts(TG_CHAT)[-1]


def test_the_same_event_twice_sends_once(loket, wrote):
    convo = conversation(loket)
    assert start(loket, convo) == "free"
    assert start(loket, convo) == "busy"  # already in the survey: not started over
    assert len(loket.fake_twilio.messages_to(CITIZEN)) == wrote + 2


def test_a_citizen_mid_form_is_not_interrupted(loket, wrote):
    loket.whatsapp("pengaduan")
    loket.work()
    before = len(loket.fake_twilio.messages_to(CITIZEN))
    assert start(loket, conversation(loket)) == "busy"
    assert len(loket.fake_twilio.messages_to(CITIZEN)) == before
    assert state_of(loket, chat_key("whatsapp", CITIZEN.removeprefix("whatsapp:")))["screen"] == "complaint"


def test_a_send_that_fails_is_finished_by_the_retry_without_repeats(loket, wrote, monkeypatch):
    from bot.exceptions import SendFailed
    from workers.events import start_flow
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0.01,))
    down = loket.fake_twilio.fail_when(
        lambda form: twilio_error(20503) if (form.get("Body") or "").startswith("Pertanyaan 1") else None)
    convo = conversation(loket)
    with pytest.raises(SendFailed):
        start_flow(convo, "survey", ARGS, "survey-" + NUMBER, "survey_invite", {"number": NUMBER})
    loket.fake_twilio.remove_rule(down)
    assert start_flow(convo, "survey", ARGS, "survey-" + NUMBER, "survey_invite", {"number": NUMBER}) == "free"
    bodies = [m["Body"] for m in loket.fake_twilio.messages_to(CITIZEN)[wrote:]]
    assert len(bodies) == 2 and "Survei Kepuasan" in bodies[0] and bodies[1].startswith("Pertanyaan 1 dari 9")
