"""The clarify screen: a short list of what a question may have meant, and what the citizen picks from it."""
from __future__ import annotations

from bot.answering import AGENCY_KINDS, resolve, understand
from flows import answers
from flows.common import goto, lang, menu, screen, t
from flows.menu import free_text
from flows.questions import answer, fact_text, kind_label
from flows.topics import topic_reply
from flows.types import Context, Message, Reply, Result


def show_clarify(state: dict, ctx: Context) -> list[Reply]:
    options = []
    for i, (service_id, kind) in enumerate(state.get("clarify") or [], 1):
        svc = ctx.pack.service(service_id) if service_id else None
        if kind and (svc is None or len({k for _, k in state["clarify"]}) > 1):
            label = kind_label(state, ctx, kind)
            label = f"{label} ({answers.service_name(svc, lang(state))})" if svc and len(ctx.pack.services) > 1 else label
        else:
            label = answers.service_name(svc, lang(state)) if svc else "-"
        options.append((str(i), label))
    kinds = {k for _, k in state.get("clarify") or []}
    if len(kinds) > 1:
        text = t(ctx, state, "clarify_kind")
    elif len(ctx.pack.services) > len(options):
        # Too many services to list: a few, and the way to name the one meant.
        text = t(ctx, state, "clarify_many", example=options[0][1] if options else "")
    else:
        text = t(ctx, state, "clarify_service")
    return [menu(state, text, options)]


@screen("clarify", show_clarify)
def handle_clarify(state: dict, msg: Message, ctx: Context) -> Result | None:
    pending = state.get("clarify") or []
    text = (msg.text or "").strip().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= len(pending):
        service_id, kind = pending[int(text) - 1]
        state.pop("clarify", None)
        if kind in AGENCY_KINDS:
            return Result(state=state, replies=[Reply(fact_text(state, ctx, kind, None))])
        svc = ctx.pack.service(service_id) if service_id else None
        if svc is None and kind:
            # The fact is chosen; which service states it is the next (or no) question.
            return answer(state, ctx, resolve(ctx.index, kind))
        if svc is None:
            return goto(state, ctx, "services")
        if kind is None:
            state["service"] = svc.id
            return goto(state, ctx, "service")
        return topic_reply(state, ctx, svc, kind)
    # A service's name typed instead of its number answers the pending question for that service.
    kinds = {k for _, k in pending}
    if len(kinds) == 1 and None not in kinds:
        kind = next(iter(kinds))
        u = understand(ctx.index, text)
        if u.intent in ("service", "clarify") and u.services and not u.kinds and u.kind in (None, kind):
            state.pop("clarify", None)
            if len(u.services) == 1:
                return topic_reply(state, ctx, ctx.pack.service(u.services[0]), kind)
            state["clarify"] = [[s, kind] for s in u.services]  # still two like-named: the pending fact stays
            return goto(state, ctx, "clarify")
    return free_text(state, msg, ctx)
