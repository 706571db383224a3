"""Conversations Loket opens itself after an event (a served ticket: the survey). Pure.

The job in ``workers/events.py`` loads the chat's state and calls one of these:

- ``open_flow``: inside WhatsApp's 24-hour window (and always on Telegram), run the flow's entry at once;
- ``invite``: outside the window only an approved template may go, so the state remembers the pending
  flow and the ``invite`` screen starts it when the citizen answers "ya" (or "1");
- ``busy``: the citizen is in the middle of a form; the job comes back later instead of interrupting.
"""
from __future__ import annotations

import copy
from typing import Callable

from flows import survey
from flows.common import SCREENS, goto, menu, screen, t
from flows.text import yes_no
from flows.types import Context, Message, Reply, Result

#: flow name -> entry(state, ctx, **args) -> Result
ENTRIES: dict[str, Callable[..., Result]] = {"survey": survey.start_survey}
#: Screens a citizen is in the middle of: an event waits for them to finish.
BUSY = ("complaint", "request", survey.SCREEN, "erase_confirm")
INVITE = "invite"
#: An answer to a template may come days later: the state holding the invitation is kept this long.
INVITE_KEEP_SECONDS = 7 * 24 * 3600


def busy(state: dict | None) -> bool:
    return (state or {}).get("screen") in BUSY


def _fresh(state: dict | None, lang_: str) -> dict:
    return copy.deepcopy(state) if state else {"lang": lang_, "screen": "main"}


def open_flow(state: dict | None, ctx: Context, flow: str, args: dict, lang_: str = "id") -> Result:
    """Start ``flow`` in the conversation now; its first replies are the result's."""
    state = _fresh(state, lang_)
    state.pop(INVITE, None)
    state.pop("keep_seconds", None)
    return ENTRIES[flow](state, ctx, **args)


def invite(state: dict | None, ctx: Context, flow: str, args: dict, lang_: str = "id") -> Result:
    """Remember the invitation the template carries; no reply (the template is the message)."""
    state = _fresh(state, lang_)
    state[INVITE] = {"flow": flow, "args": args}
    state["screen"] = INVITE
    state["keep_seconds"] = INVITE_KEEP_SECONDS
    return Result(state=state)


def invitation_text(ctx: Context, state: dict, flow: str, number: str) -> str:
    """What the template says, as kept in the outbox (the approved template's own wording)."""
    return t(ctx, state, f"{flow}_invite", number=number)


def show_invite(state: dict, ctx: Context) -> list[Reply]:
    pending = state.get(INVITE) or {}
    number = (pending.get("args") or {}).get("transaction_ref", "")
    return [menu(state, t(ctx, state, f"{pending.get('flow', 'survey')}_invite", number=number),
                 [("1", t(ctx, state, "invite_yes")), ("2", t(ctx, state, "invite_no"))])]


@screen(INVITE, show_invite)
def handle_invite(state: dict, msg: Message, ctx: Context) -> Result | None:
    """"ya"/"mau"/"1" starts the pending flow; "tidak"/"2" declines; anything else is an ordinary message."""
    pending = state.pop(INVITE, None) or {}
    state.pop("keep_seconds", None)
    text = (msg.text or "").strip().rstrip(".")
    cmds = ctx.pack.intents.get("commands", {})
    answer = True if text == "1" else False if text == "2" else yes_no(text, cmds.get("yes", []), cmds.get("no", []))
    if answer is True and pending.get("flow") in ENTRIES:
        return ENTRIES[pending["flow"]](state, ctx, **(pending.get("args") or {}))
    if answer is False:
        return goto(state, ctx, "main", Reply(t(ctx, state, "invite_declined")))
    state["screen"] = "main"  # not an answer to the invitation: the chat goes on as usual
    _, handle = SCREENS["main"]
    return handle(state, msg, ctx)


def offer_text(ctx: Context, state: dict) -> str:
    """Asked for the survey with nothing served to rate."""
    return t(ctx, state, "survey_nothing_to_rate")
