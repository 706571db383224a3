"""Choosing and opening an online request: the services that take one, and a draft started or resumed.

The form itself is ``flows/request.py``.
"""
from __future__ import annotations

from flows.common import draft_key, goto, lang, menu, screen, t
from flows.types import Context, Message, Reply, Result


#: Where ``kembali`` on the consent question leads: the screen the request was started from.
ORIGINS = ("main", "service", "request_choose")


def _services(ctx: Context):
    return [s for s in ctx.pack.services if s.request is not None]


def in_progress(state: dict) -> bool:
    """Whether a request draft holds something worth keeping (consent given, an answer or a document)."""
    r = state.get("request") or {}
    return bool(r.get("step")) and (r.get("step") != "consent" or bool(r.get("values") or r.get("evidence")))


def choose_request(state: dict, ctx: Context) -> Result:
    """From the main menu: the services that take online requests."""
    if in_progress(state):
        return goto(state, ctx, "request", Reply(t(ctx, state, "draft_resumed")))
    services = _services(ctx)
    if len(services) == 1:
        return start_request(state, ctx, services[0].id)
    if not services:
        return goto(state, ctx, "main", Reply(t(ctx, state, "request_none")))
    return goto(state, ctx, "request_choose")


def show_choose(state: dict, ctx: Context) -> list[Reply]:
    opts = [(str(i), s.request.label.get(lang(state))) for i, s in enumerate(_services(ctx), 1)]
    return [menu(state, t(ctx, state, "request_choose"), opts)]


@screen("request_choose", show_choose)
def handle_choose(state: dict, msg: Message, ctx: Context) -> Result | None:
    services = _services(ctx)
    text = msg.text.strip()
    if text.isdigit() and 1 <= int(text) <= len(services):
        return start_request(state, ctx, services[int(text) - 1].id)
    return None


def start_request(state: dict, ctx: Context, service_id: str) -> Result:
    """Open (or resume) the request form of ``service_id``.

    A draft with answers is never replaced: it is resumed, whatever service it
    is for, and ``batal`` is the way to start another one.
    """
    svc = ctx.pack.service(service_id)
    if svc is None or svc.request is None:
        return goto(state, ctx, "main", Reply(t(ctx, state, "request_none")))
    current = state.get("request") or {}
    if in_progress(state) or (current.get("step") and current.get("service") == service_id):
        return goto(state, ctx, "request", Reply(t(ctx, state, "draft_resumed")))
    origin = state.get("screen") if state.get("screen") in ORIGINS else "main"
    state["request"] = {"service": service_id, "step": "consent", "values": {}, "evidence": {},
                        "key": draft_key(ctx), "origin": origin}
    return goto(state, ctx, "request")
