"""A front desk: one number or bot for several agencies. Whose service does the citizen mean?

Pure, like the other flows. Before a turn on a front desk, :func:`place` reads the message against every
agency's pack: a question naming a service only one agency has goes to that agency; one that names a
service several agencies have, or a complaint or request before any agency was chosen, is answered with
a short list of agencies to pick from (unless the message names one of them); anything else stays with the conversation's agency. The chosen
agency's pack then runs the turn, so a complaint lands in that agency's unit with its SLA.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.answering import service_match, understand
from bot.content import Pack
from flows.common import choice, lang, menu
from flows.text import is_exactly
from flows.types import Message, Result

FORMS = ("complaint", "request", "survey")
#: Per-pack state that names a service or list of that pack: it does not carry over to another agency.
PACK_STATE = ("service", "topic", "clarify")


@dataclass(frozen=True)
class Placed:
    """The agency that runs this turn, the message it runs (a picked agency re-reads the pending question),
    and the state; or ``ask``: the list of agencies to answer with instead of a turn."""

    agency: str
    msg: Message
    state: dict | None
    ask: Result | None = None


def place(state: dict | None, msg: Message, packs: dict[str, Pack], current: str) -> Placed:
    """Which of ``packs`` (the desk's agencies, in its order) runs the turn; ``current``: the chat's agency."""
    state = dict(state) if state else None
    text = (msg.text or "").strip() if msg.kind in ("text", "callback") else ""
    screen = (state or {}).get("screen")
    if screen == "desk":
        return _picked(state, msg, packs, current, text)
    if not text or screen in FORMS:
        return Placed(current, msg, state)
    chosen = bool((state or {}).get("agency"))
    cmds = packs[current].intents.get("commands", {})
    if not chosen and any(is_exactly(text, cmds.get(k, [])) for k in ("complaint", "request")):
        return _ask(state, msg, packs, current, list(packs), text)
    naming = [a for a, p in packs.items() if service_match(_index(p), text) > 0]
    if len(naming) == 1:
        return _switch(state, msg, naming[0], current)
    if len(naming) > 1:
        return _ask(state, msg, packs, current, naming, text) if current not in naming or not chosen \
            else Placed(current, msg, state)
    if chosen:
        return Placed(current, msg, state)
    asking = [a for a, p in packs.items() if understand(_index(p), text).intent in ("fact", "clarify")]
    if len(asking) > 1:
        return _ask(state, msg, packs, current, asking, text)
    return _switch(state, msg, asking[0], current) if asking else Placed(current, msg, state)


def _index(pack: Pack):
    from bot.answering import index_for
    return index_for(pack)


def _switch(state: dict | None, msg: Message, agency: str, current: str) -> Placed:
    """Run the turn with ``agency``; what named the other pack's services is dropped when it changes."""
    state = dict(state or {"lang": "id", "screen": None})
    if agency != current:
        for key in PACK_STATE:
            state.pop(key, None)
        state["screen"] = "main" if state.get("screen") else None
    state["agency"] = agency
    return Placed(agency, msg, state)


def _named(text: str, packs: dict[str, Pack], options: list[str]) -> list[str]:
    """The options the message names by a word of the agency's short name that no other option has
    ("… di DPMPTSP", "Kesra Buleleng"): the citizen has said which agency, so none is asked for."""
    def words(value: str) -> set[str]:
        return {w for w in re.findall(r"\w+", value.casefold()) if len(w) >= 4}
    names = {a: words(packs[a].agency.short_name) for a in options}
    said = words(text)
    return [a for a in options if said & names[a].difference(*(names[b] for b in options if b != a))]


def _ask(state: dict | None, msg: Message, packs: dict[str, Pack], current: str, options: list[str],
         text: str) -> Placed:
    named = _named(text, packs, options)
    if len(named) == 1:
        return _switch(state, msg, named[0], current)
    state = dict(state or {"lang": "id", "screen": None})
    state["desk"] = {"pending": text, "options": options, "back": state.get("screen")}
    state["screen"] = "desk"
    pack = packs[current]
    reply = menu(state, pack.text("desk_which_agency", lang(state)),
                 [(str(i), packs[a].agency.short_name) for i, a in enumerate(options, 1)])
    return Placed(current, msg, state, ask=Result(state=state, replies=[reply]))


def _picked(state: dict, msg: Message, packs: dict[str, Pack], current: str, text: str) -> Placed:
    """The answer to the list: a number or an agency's name runs the pending question there."""
    desk = state.pop("desk", None) or {}
    options = [a for a in desk.get("options", []) if a in packs]
    state["screen"] = desk.get("back")
    data = msg.callback_data or ""
    typed = data.rsplit(":", 1)[-1] if msg.kind == "callback" else text
    n = choice(typed, len(options))
    agency = options[n - 1] if n else next(
        (a for a in options if typed and typed.casefold() in packs[a].agency.short_name.casefold()), None)
    if agency is None:
        return Placed(current, msg, state)  # something else typed: the turn goes on where the chat was
    pending = replace(msg, kind="text", text=desk.get("pending", ""), callback_data=None)
    return _switch(state, pending, agency, current)
