"""Every provider module holds its whole surface, and the registry is the only list of them."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels import base
from bot.channels.base import Inbound
from bot.channels.providers import PROVIDERS, SURFACE, TWILIO, window
from bot.types import Option, Reply


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_provider_module_has_the_whole_surface(name):
    module = PROVIDERS[name]
    missing = [attr for attr in SURFACE if not hasattr(module, attr)]
    assert missing == []
    assert module.CHANNEL == name
    assert issubclass(module.Sender, base.Sender) and module.Sender.channel == name
    assert module.WINDOW is None or isinstance(module.WINDOW, timedelta)


@pytest.mark.parametrize("name, expected", [("whatsapp", timedelta(hours=24)), ("sms", None), ("telegram", None),
                                            ("simulator", None), ("fax", None)])
def test_only_whatsapp_has_a_window(name, expected):
    assert window(name) == expected


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_provider_renders_a_reply_with_its_options(name):
    rendered = PROVIDERS[name].render(Reply("Pilih layanan:", options=(Option("1", "Informasi"),), menu_token=7))
    assert "Informasi" in repr(rendered)


@pytest.mark.parametrize("name", TWILIO)
def test_twilio_providers_refuse_an_unsigned_or_forged_request(name):
    verify = PROVIDERS[name].verify
    url = "https://loket.example.go.id/webhooks/twilio"
    assert not verify("token", Inbound(url=url, form={"Body": "halo"}))
    assert not verify("token", Inbound(url=url, headers={"X-Twilio-Signature": "forged"}, form={"Body": "halo"}))
    assert not verify("", Inbound(url=url, headers={"X-Twilio-Signature": "x"}))


def test_twilio_signature_is_checked_the_way_twilio_computes_it():
    from twilio.request_validator import RequestValidator
    url, form = "https://loket.example.go.id/webhooks/twilio", {"Body": "halo", "From": "whatsapp:+6281234567890"}
    signature = RequestValidator("token").compute_signature(url, form)
    assert PROVIDERS["whatsapp"].verify("token", Inbound(url=url, headers={"X-Twilio-Signature": signature}, form=form))
    assert not PROVIDERS["whatsapp"].verify("other", Inbound(url=url, headers={"X-Twilio-Signature": signature},
                                                             form=form))


@pytest.mark.parametrize("secret, header, ok", [("s3cret", "s3cret", True), ("s3cret", "S3cret", False),
                                                ("s3cret", "", False), ("", "", False)])
def test_telegram_checks_its_bot_secret(secret, header, ok):
    headers = {"X-Telegram-Bot-Api-Secret-Token": header} if header else {}
    assert PROVIDERS["telegram"].verify(secret, Inbound(url="https://x/webhooks/telegram", headers=headers)) is ok


def test_channels_yaml_accepts_exactly_the_registered_chat_providers():
    """channels.yaml's ``provider`` field names what the registry holds (the simulator is the demo's page)."""
    from bot.tenancy.channels import PROVIDERS as YAML_PROVIDERS
    assert set(YAML_PROVIDERS) == set(PROVIDERS) - {"simulator"}
