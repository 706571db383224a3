"""The providers, registered in one place: each one's module with its parse and render.

A channel instance (bot.tenancy) names its provider; the webhooks parse with the provider's module and
the senders (workers/senders.py ``TWILIO_SENDERS``, ``make_senders``) render with it. The messaging
window of each provider is workers/window.py's ``WINDOWS``, the one place the rule is written. Adding a
provider is its module, a line here, its sender, and its line there if it has a window.
"""
from __future__ import annotations

from types import ModuleType

from bot.channels import sms, telegram, whatsapp

PROVIDERS: dict[str, ModuleType] = {"whatsapp": whatsapp, "sms": sms, "telegram": telegram}
#: The providers whose inbound arrives on ``/webhooks/twilio`` (routed by ``To``).
TWILIO = ("whatsapp", "sms")

