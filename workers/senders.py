"""This worker's senders: one per channel instance, each its provider's ``Sender`` (bot/channels/providers.py).

The provider SDKs are used as they are (``twilio.rest.Client``, ``telegram.Bot``); their base URLs
come from settings so tests can point them at local fakes. Credentials are read here, from the
settings named by each instance, and never at import time.
"""
from __future__ import annotations

from typing import Iterable

from redis import Redis

from bot.channels import simulator, telegram, whatsapp
from bot.channels.base import Outgoing, Sender
from bot.channels.providers import PROVIDERS, TWILIO
from bot.settings import Settings
from bot.tenancy import ChannelInstance

__all__ = ["Outgoing", "Sender", "make_senders"]


def make_senders(settings: Settings, redis: Redis, instances: Iterable[ChannelInstance] = ()) -> dict[str, Sender]:
    """Senders by name: the settings' own as ``whatsapp`` and ``telegram`` (the default instances' ids),
    and one per other channel instance under its id, sending from its number or as its bot."""
    senders: dict[str, Sender] = {"simulator": simulator.Sender(settings, redis)}
    if settings.twilio_account_sid and settings.twilio_auth_token:
        senders["whatsapp"] = whatsapp.Sender(settings, redis)
    if settings.telegram_bot_token:
        senders["telegram"] = telegram.Sender(settings, redis)
    for inst in instances:
        if inst.default:
            continue
        if inst.provider in TWILIO:
            sid, token = settings.setting(inst.account_sid_env or ""), settings.setting(inst.auth_token_env or "")
            if sid and token:
                senders[inst.id] = PROVIDERS[inst.provider].Sender(settings, redis, from_address=inst.address,
                                                                    account_sid=sid, auth_token=token)
        elif inst.provider == "telegram" and settings.setting(inst.token_env or ""):
            senders[inst.id] = telegram.Sender(settings, redis, token=settings.setting(inst.token_env or ""))
    return senders
