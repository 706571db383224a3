"""One message that always fails is retried, then set aside, so its chat is not blocked for good."""
import pytest

from bot.exceptions import SendFailed
from tests.fakes.twilio_api import twilio_error
from tests.system import CITIZEN
from workers.conversation import MAX_ATTEMPTS, process_chat


def test_a_message_that_always_fails_is_set_aside(loket, monkeypatch):
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0, 0, 0))

    def refuse_flowchart(form):  # the flowchart, the second of the procedure's three messages
        return twilio_error(20503, status=503) if (form.get("Body") or "").startswith("Alur") else None
    loket.fake_twilio.fail_when(refuse_flowchart)
    loket.whatsapp("prosedur konsultasi")
    chat = "whatsapp:" + CITIZEN.removeprefix("whatsapp:")
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(SendFailed):
            process_chat(chat)  # retried: the chat waits, in order
    assert len([b for b in loket.whatsapp_bodies() if b.startswith("Om Swastyastu")]) == 1  # sent once
    process_chat(chat)  # the last attempt sets the message aside instead of raising
    loket.fake_twilio.remove_rule(refuse_flowchart)
    loket.whatsapp("biaya konsultasi")
    loket.work()
    assert "*Biaya Pelayanan Konsultasi:*\nGratis (tidak dipungut biaya)." in loket.whatsapp_answers()
    assert b'loket_inbound_set_aside_total 1' in loket.client.get("/metrics").data
