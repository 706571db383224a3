"""Questions typed in free text, answered from the pack's standard (via ``bot.answering``).

``answer`` turns what the answering layer understood into the chat: the fact, a short list to choose from
when two services or facts are close, "not served here" with what is, or nothing (the caller decides).
``in_form`` answers a question asked in the middle of a form without leaving it.
"""
from __future__ import annotations

from bot.answering import AGENCY_KINDS, CHANNEL_KINDS, Understanding, understand
from flows import answers
from flows.common import goto, lang, t, with_hint
from flows.days import office_hours_text
from flows.text import words
from flows.topics import greet, topic_reply
from flows.types import Context, Reply, Result

FORMS = ("complaint", "request")


def read(state: dict, ctx: Context, text: str) -> Understanding:
    """What ``text`` asks, with the service the chat is on as the default."""
    current = state.get("service") if state.get("screen") in ("service", "clarify") else None
    return understand(ctx.index, text, current=current)


def follow_language(state: dict, u: Understanding) -> None:
    """An English question gets an English answer (and an Indonesian one Indonesian), outside forms."""
    if u.lang and state.get("screen") not in FORMS:
        state["lang"] = u.lang


def service_list(ctx: Context, state: dict) -> str:
    return "\n".join(f"• {answers.service_name(s, lang(state))}" for s in ctx.pack.services)


def fact_text(state: dict, ctx: Context, kind: str, service_id: str | None) -> str:
    """The answer text for ``kind`` (of ``service_id``, unless it is the agency's)."""
    if kind == "office_hours":
        return answers.office_hours_answer(ctx.pack, office_hours_text(ctx, lang(state)), lang(state))
    if kind == "address":
        return answers.address_answer(ctx.pack, lang(state))
    return answers.answer(ctx.pack, ctx.pack.service(service_id), kind, lang(state))


def not_served_text(state: dict, ctx: Context, u: Understanding) -> str:
    return t(ctx, state, "not_served", subject=", ".join(u.subject), agency=ctx.pack.agency.short_name,
             services=service_list(ctx, state))


def nothing_text(state: dict, ctx: Context) -> str:
    """What the bot can answer, and how to reach a person."""
    contacts = answers.contact_lines(ctx.pack, lang(state))
    text = t(ctx, state, "nothing_matched", services=service_list(ctx, state))
    if contacts:
        text += "\n" + t(ctx, state, "contact_intro") + "\n" + "\n".join(f"• {c}" for c in contacts)
    return text


def kind_label(state: dict, ctx: Context, kind: str) -> str:
    """A fact kind's name for a list to choose from ("Persyaratan", "WhatsApp")."""
    return t(ctx, state, f"channel_{kind}" if kind in CHANNEL_KINDS else f"topic_{kind}")


def choices_of(u: Understanding) -> list[tuple[str | None, str | None]]:
    """(service, kind) pairs a clarification offers."""
    if u.kinds:
        return [(u.services[0] if u.services else None, k) for k in u.kinds]
    return [(s, u.kind) for s in u.services]


#: Words opening a follow-up question about another service: "kalau pembinaan?", "how about ...".
FOLLOW_UP = {"kalau", "kalo", "klo", "kl", "bagaimana", "gimana", "gmn", "untuk", "utk", "yang", "yg", "terus",
             "trus", "lalu", "lha", "how", "what", "and"}


def follow_up(text: str) -> bool:
    """Whether ``text`` is a short follow-up ("kalau pembinaan?") rather than a new request."""
    tw = words(text)
    return 1 < len(tw) <= 4 and tw[0] in FOLLOW_UP


def answer(state: dict, ctx: Context, u: Understanding, text: str = "") -> Result | None:
    """The chat's answer to ``u`` (read from ``text``), or None when nothing was understood."""
    follow_language(state, u)
    if u.intent == "fact" and u.kind in AGENCY_KINDS:
        return Result(state=state, replies=[with_hint(fact_text(state, ctx, u.kind, None),
                                                      Reply(t(ctx, state, "after_answer")))])
    if u.intent == "fact":
        return topic_reply(state, ctx, ctx.pack.service(u.services[0]), u.kind)
    if u.intent == "service":
        if follow_up(text) and state.get("topic") and state.get("topic") != "request":
            return topic_reply(state, ctx, ctx.pack.service(u.services[0]), state["topic"])
        state["service"] = u.services[0]
        return goto(state, ctx, "service")
    if u.intent == "clarify":
        state["clarify"] = [list(c) for c in choices_of(u)]
        return goto(state, ctx, "clarify")
    if u.intent == "not_served":
        return Result(state=state, replies=[Reply(not_served_text(state, ctx, u))])
    if u.greeted:
        return greet(state, ctx)  # "selamat pagi kak, mau nanya dong": greeted back, with what can be asked
    return None


def in_form(state: dict, ctx: Context, text: str) -> list[Reply] | None:
    """Answer a question asked inside a form, leaving the form where it was (None: not a question)."""
    u = understand(ctx.index, text, current=(state.get(state.get("screen") or "") or {}).get("service"))
    if not u.confident:
        return None
    if u.intent == "fact":
        service = u.services[0] if u.services else None
        return [Reply(fact_text(state, ctx, u.kind, service))]
    if u.intent == "not_served":
        return [Reply(not_served_text(state, ctx, u))]
    if u.intent == "clarify":
        # No list to pick from here (the form's own question is pending): the answers for each choice, short.
        texts = [fact_text(state, ctx, kind or "requirements", service) for service, kind in choices_of(u)[:3]
                 if service or kind in AGENCY_KINDS]
        return [Reply(x) for x in texts] or None
    return None


def mid_form(state: dict, ctx: Context, text: str, free_text: bool = False) -> list[Reply] | None:
    """The answer to a question typed in a form, then a line saying the form goes on (None: not a question).

    Where the form waits for free text (what happened, where), only a short message shaped like a question
    ("...?") is taken as one: anything else is the citizen's answer.
    """
    if free_text and not (text.rstrip().endswith("?") and len(text.split()) <= 10):
        return None
    replies = in_form(state, ctx, text)
    if not replies:
        return None
    return [*replies, Reply(t(ctx, state, "form_resume"))]
