"""The providers, registered in one place. Each is one module (or package) that holds all of it:

- ``CHANNEL``: its name, which channel instances (bot.tenancy, ``channels.yaml``) give as ``provider``;
- ``verify(secret, Inbound) -> bool``: is the webhook request really from the platform;
- ``parse(payload) -> Message | None``: the payload, normalised (``clean.Unusable`` when unusable);
- ``render(Reply)``: the provider's bodies or calls, options as buttons or a numbered list;
- ``Sender``: the ``bot.channels.base.Sender`` that sends the parts (built per instance by workers/senders.py);
- ``fetch_media(media, sender, settings, limit, too_big) -> bytes``: an attachment's bytes;
- ``WINDOW``: how long after the person's last message a free-form message may go (None: any time);
- ``instance_problems(entry)``: what a ``channels.yaml`` entry of this provider lacks (field, reason).

Adding a provider is its module, a line here, a fake of its API in tests/fakes, and its tests.
"""
from __future__ import annotations

from datetime import timedelta
from types import ModuleType

from bot.channels import simulator, sms, telegram, whatsapp

PROVIDERS: dict[str, ModuleType] = {m.CHANNEL: m for m in (whatsapp, sms, telegram, simulator)}
#: The providers whose inbound arrives on ``/webhooks/twilio`` (routed by ``To``).
TWILIO = ("whatsapp", "sms")
#: What every provider module must define (tests/bot/test_providers.py checks each).
SURFACE = ("CHANNEL", "verify", "parse", "render", "Sender", "fetch_media", "WINDOW", "instance_problems")
#: The providers a ``channels.yaml`` entry may name (the simulator is the demo's page, not an instance).
INSTANCE_PROVIDERS = tuple(name for name in PROVIDERS if name != "simulator")


def window(provider: str) -> timedelta | None:
    """The provider's messaging window; None when a message may go at any time (or it is unknown)."""
    module = PROVIDERS.get(provider)
    return module.WINDOW if module is not None else None
