"""A service's facts as chat text, in the citizen's language.

Facts keep the document's wording (they are the agency's standard); only the headings come from the wording
file. What the standard does not state is said to be not stated, with the agency's contact from the standard:
the bot never fills a gap from general knowledge.
"""
from __future__ import annotations

from bot.answering import CHANNEL_KINDS
from bot.content import Pack, Service

#: The topics of a service's menu (the full list, shown on request).
TOPICS = ("requirements", "fee", "time", "procedure", "products", "legal", "complaints")
MORE_TOPICS = ("deadlines", "facilities", "competencies", "supervision", "staff", "guarantees", "safety", "evaluation")
#: Channels a citizen can use to reach a person, in the order they are offered as the agency's contact.
CONTACT_KINDS = ("phone", "whatsapp", "email", "web", "lapor")


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def service_name(service: Service, lang: str) -> str:
    return service.name_en if lang == "en" and service.name_en else service.name


def format_idr(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def fee_text(pack: Pack, service: Service, lang: str) -> str:
    fee = service.fee
    if fee.amount_idr == 0:
        free = pack.text("fee_free", lang)
        # The standard's own words stay beside the heading's translation ("Free of charge. (Gratis)").
        return free if fee.text.lower() in free.lower() else f"{free}\n({fee.text})"
    if fee.amount_idr is not None:
        return pack.text("fee_amount", lang, amount=format_idr(fee.amount_idr)) + f"\n({fee.text})"
    return fee.text


def channel_lines(pack: Pack, service: Service, lang: str, kinds: tuple[str, ...] | None = None) -> list[str]:
    lines = []
    for ch in service.complaint_channels:
        if kinds is not None and ch.kind not in kinds:
            continue
        label = pack.text(f"channel_{ch.kind}", lang)
        lines.append(f"{label}: {ch.value}" if ch.value else label)
    return lines


#: At most this many contacts follow a "not stated" (a pack of many services lists many numbers).
MAX_CONTACTS = 4


def contact_lines(pack: Pack, lang: str, service: Service | None = None) -> list[str]:
    """Ways to reach a person, as the standards list them (each once): the service's own first."""
    seen: dict[tuple[str, str], None] = {}
    for services in ([service] if service else [], pack.services):
        for kind in CONTACT_KINDS:
            for svc in services:
                for ch in svc.complaint_channels:
                    if ch.kind == kind and ch.value:
                        seen.setdefault((kind, ch.value), None)
        if seen:
            break
    return [f"{pack.text(f'channel_{k}', lang)}: {v}" for k, v in list(seen)[:MAX_CONTACTS]]


def not_stated(pack: Pack, lang: str, what: str, service: Service | None = None) -> str:
    """``what`` is not in the standard: say so, and how to reach a person."""
    lines = [pack.text("not_stated", lang, what=what)]
    contacts = contact_lines(pack, lang, service)
    if contacts:
        lines += [pack.text("contact_intro", lang), _bullets(contacts)]
    return "\n".join(lines)


#: Topics that are a list of the standard's items: (title wording, service field, layout).
LISTS = {
    "requirements": ("requirements_title", "requirements", _bullets),
    "procedure": ("procedure_title", "procedure", _numbered),
    "products": ("products_title", "products", _bullets),
    "legal": ("legal_title", "legal_basis", _numbered),
    "facilities": ("facilities_title", "facilities", _bullets),
    "competencies": ("competencies_title", "competencies", _bullets),
    "supervision": ("supervision_title", "supervision", _bullets),
    "guarantees": ("guarantees_title", "guarantees", _bullets),
    "safety": ("safety_title", "safety", _bullets),
    "evaluation": ("evaluation_title", "evaluation", _bullets),
}


def _deadline_lines(pack: Pack, service: Service, lang: str) -> list[str]:
    def t(key, **kw):
        return pack.text(key, lang, **kw)
    return [f"{d.class_}: " + (t("deadline_hours", n=d.hours) if d.hours else t("deadline_days", n=d.working_days))
            for d in service.complaint_deadlines]


def answer(pack: Pack, service: Service, topic: str, lang: str) -> str:
    """The text answering ``topic`` about ``service``."""
    name = service_name(service, lang)

    def t(key, **kw):
        return pack.text(key, lang, service=name, **kw)
    if topic in LISTS:
        title, field, layout = LISTS[topic]
        items = getattr(service, field)
        if not items:
            return not_stated(pack, lang, t(f"topic_{topic}") + f" ({name})", service)
        return f"{t(title)}\n{layout(items)}"
    if topic == "fee":
        return f"{t('fee_title')}\n{fee_text(pack, service, lang)}"
    if topic == "time":
        return f"{t('time_title')}\n{service.completion_time.text}"
    if topic == "staff":
        if not service.staff:
            return not_stated(pack, lang, t("topic_staff") + f" ({name})", service)
        return f"{t('staff_title')}\n{service.staff}"
    if topic == "deadlines":
        if service.complaint_deadlines:
            return f"{t('deadlines_title')}\n{_bullets(_deadline_lines(pack, service, lang))}"
        # A complaint service's own completion time is its complaint deadline.
        return f"{t('deadlines_none')}\n{t('time_title')}\n{service.completion_time.text}"
    if topic in CHANNEL_KINDS:
        return channel_answer(pack, service, topic, lang)
    if topic == "complaints":
        parts = [t("complaints_title"), _bullets(channel_lines(pack, service, lang))]
        if service.complaint_deadlines:
            parts += ["", t("complaint_deadlines_title"), _bullets(_deadline_lines(pack, service, lang))]
        parts += ["", t("channel_here")]
        return "\n".join(parts)
    raise ValueError(f"unknown topic {topic!r}")


def channel_answer(pack: Pack, service: Service, kind: str, lang: str) -> str:
    """One complaint channel ("nomor WA", "email"): its value, or that the standard names none."""
    lines = channel_lines(pack, service, lang, (kind,))
    label = pack.text(f"channel_{kind}", lang)
    if not lines and kind == "web":
        lines = channel_lines(pack, service, lang, ("lapor",))  # the standards call SP4N-LAPOR! their website
    if not lines:
        return not_stated(pack, lang, label, service)
    return f"{pack.text('channel_title', lang, channel=label, service=service_name(service, lang))}\n{_bullets(lines)}"


def office_hours_answer(pack: Pack, hours: str, lang: str) -> str:
    text = pack.text("office_hours_answer", lang, agency=pack.agency.short_name, hours=hours)
    if "office_hours" in pack.agency.unconfirmed:
        text += "\n" + pack.text("unconfirmed_note", lang)
    return text


def address_answer(pack: Pack, lang: str) -> str:
    agency = pack.agency
    if not agency.address:
        return not_stated(pack, lang, pack.text("topic_address", lang))
    text = pack.text("address_answer", lang, agency=agency.short_name, address=agency.address)
    if "address" in agency.unconfirmed:
        text += "\n" + pack.text("unconfirmed_note", lang)
    return text
