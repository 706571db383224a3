"""A service's facts as chat text, in the citizen's language.

Facts keep the document's wording (they are the agency's standard); only the
headings come from the wording file.
"""
from __future__ import annotations

from bot.content import Pack, Service

TOPICS = ("requirements", "fee", "time", "procedure", "products", "legal", "complaints")


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
        return pack.text("fee_free", lang)
    if fee.amount_idr is not None:
        return pack.text("fee_amount", lang, amount=format_idr(fee.amount_idr)) + f"\n({fee.text})"
    return fee.text


def channel_lines(pack: Pack, service: Service, lang: str) -> list[str]:
    lines = []
    for ch in service.complaint_channels:
        label = pack.text(f"channel_{ch.kind}", lang)
        lines.append(f"{label}: {ch.value}" if ch.value else label)
    return lines


#: Topics that are a list of the standard's items: (title wording, service field, layout).
LISTS = {
    "requirements": ("requirements_title", "requirements", _bullets),
    "procedure": ("procedure_title", "procedure", _numbered),
    "products": ("products_title", "products", _bullets),
    "legal": ("legal_title", "legal_basis", _numbered),
}


def answer(pack: Pack, service: Service, topic: str, lang: str) -> str:
    """The text answering ``topic`` about ``service``."""
    name = service_name(service, lang)
    t = lambda key, **kw: pack.text(key, lang, service=name, **kw)  # noqa: E731
    if topic in LISTS:
        title, field, layout = LISTS[topic]
        return f"{t(title)}\n{layout(getattr(service, field))}"
    if topic == "fee":
        return f"{t('fee_title')}\n{fee_text(pack, service, lang)}"
    if topic == "time":
        return f"{t('time_title')}\n{service.completion_time.text}"
    if topic == "complaints":
        parts = [t("complaints_title"), _bullets(channel_lines(pack, service, lang))]
        if service.complaint_deadlines:
            tiers = [f"{d.class_}: " + (t("deadline_hours", n=d.hours) if d.hours else t("deadline_days", n=d.working_days))
                     for d in service.complaint_deadlines]
            parts += ["", t("complaint_deadlines_title"), _bullets(tiers)]
        parts += ["", t("channel_here")]
        return "\n".join(parts)
    raise ValueError(f"unknown topic {topic!r}")
