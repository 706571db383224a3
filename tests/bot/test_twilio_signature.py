"""Loket's Twilio signature check decides exactly as the SDK's RequestValidator for form webhooks."""
from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.base import Inbound
from bot.channels.twilio.signature import verify
from tests.fakes.twilio_api import make_inbound

TOKEN = "0123456789abcdef0123456789abcdef"
FORM = make_inbound(body="halo, berapa biayanya?", from_="whatsapp:+6281234567890", to="whatsapp:+6281100000001",
                    account_sid="AC" + "1" * 32)


@pytest.mark.parametrize("signed_url, called_url", [
    ("https://loket.example.id/webhooks/twilio", "https://loket.example.id/webhooks/twilio"),
    ("https://loket.example.id:443/webhooks/twilio", "https://loket.example.id/webhooks/twilio"),
    ("https://loket.example.id/webhooks/twilio", "https://loket.example.id:443/webhooks/twilio"),
    ("http://127.0.0.1:5000/webhooks/twilio?x=1", "http://127.0.0.1:5000/webhooks/twilio?x=1"),
])
@pytest.mark.parametrize("token", [TOKEN, "another-accounts-token-000000000"])
def test_same_answer_as_the_sdk(signed_url, called_url, token):
    signature = RequestValidator(TOKEN).compute_signature(signed_url, FORM)
    inbound = Inbound(url=called_url, headers={"X-Twilio-Signature": signature}, form=FORM)
    sdk = RequestValidator(token).validate(called_url, FORM, signature)
    assert verify(token, inbound) is sdk
    assert sdk is (token == TOKEN)  # the port never decides; the token does


def test_a_changed_parameter_or_no_signature_fails():
    url = "https://loket.example.id/webhooks/twilio"
    signature = RequestValidator(TOKEN).compute_signature(url, FORM)
    assert verify(TOKEN, Inbound(url=url, headers={"X-Twilio-Signature": signature}, form=FORM))
    forged = {**FORM, "Body": "transfer ke rekening saya"}
    assert not verify(TOKEN, Inbound(url=url, headers={"X-Twilio-Signature": signature}, form=forged))
    assert not verify(TOKEN, Inbound(url=url, headers={}, form=FORM))
    assert not verify("", Inbound(url=url, headers={"X-Twilio-Signature": signature}, form=FORM))


def test_a_forged_signature_in_any_characters_is_refused_not_an_error():
    url = "https://loket.example.id/webhooks/twilio"
    for forged in ("ñ" * 28, "x", " " + RequestValidator(TOKEN).compute_signature(url, FORM)):
        inbound = Inbound(url=url, headers={"X-Twilio-Signature": forged}, form=FORM)
        assert verify(TOKEN, inbound) is RequestValidator(TOKEN).validate(url, FORM, forged) is False
