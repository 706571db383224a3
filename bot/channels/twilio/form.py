"""What WhatsApp and SMS through Twilio share: the inbound form's sender and id, and numbered options.

Both arrive on ``/webhooks/twilio`` with the same fields; WhatsApp's addresses carry ``whatsapp:``, SMS's
are plain E.164 numbers. Both take typed answers, so a reply's options become a numbered list.
"""
from __future__ import annotations

import re
from typing import Mapping

from bot.channels import clean
from bot.channels.phone import to_e164
from bot.types import Reply

BODY_LIMIT = 1600  # Twilio's limit for one message body (it concatenates SMS segments up to it)


def sender(form: Mapping[str, str], prefix: str = "") -> str:
    """The sender's E.164 number from ``From``; ``clean.Unusable`` when there is none usable."""
    try:
        chat = to_e164(clean.text(form.get("From", ""), 64).removeprefix(prefix))
    except ValueError:
        raise clean.Unusable("no usable sender") from None
    if not chat[1:].isascii():
        raise clean.Unusable("no usable sender")
    return chat


def message_id(form: Mapping[str, str]) -> str:
    """The ``MessageSid`` (``clean.Unusable`` without a usable one): the key of "handled once"."""
    return clean.platform_id(form.get("MessageSid") or None)


def with_numbered_options(reply: Reply) -> str:
    """The reply's text with its typeable options listed "1. …" (officer buttons are Telegram-only)."""
    typeable = [o for o in reply.options if not o.key.startswith("o:")]
    if not typeable:
        return reply.text
    return f"{reply.text}\n\n" + "\n".join(f"{o.key}. {o.label}" for o in typeable)


_E164 = re.compile(r"\+[1-9]\d{6,14}")


def number_problems(provider: str, address: str | None) -> list[tuple[str, str]]:
    """(field, reason) when a channel instance's ``address`` is not a Twilio number in E.164 (WhatsApp's
    written ``whatsapp:+62…``, SMS's plain)."""
    if not address:
        return [("address", f"a {provider} instance needs its address (the Twilio 'To' number)")]
    if provider == "whatsapp" and not address.startswith("whatsapp:"):
        return [("address", "a whatsapp address starts with 'whatsapp:', e.g. whatsapp:+6281100000001")]
    if provider != "whatsapp" and address.startswith("whatsapp:"):
        return [("address", f"an {provider} address is a plain number, e.g. +6281100000001")]
    if not _E164.fullmatch(address.removeprefix("whatsapp:")):
        return [("address", f"{address!r} is not an E.164 number such as +6281100000001")]
    return []
