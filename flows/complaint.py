"""The complaint (pengaduan) form: consent, what, where, when, about what, proof, identity, confirm.

One table of named states (``STATES``: question, answer handler, next, back;
drawn in ``complaint.mmd``). ``handle`` does what every state shares (``kembali``,
a language switch, a question asked mid-form) and then dispatches to the
current state's handler. The draft lives in the conversation state, so a
citizen who leaves (``menu``) and comes back within the state's lifetime
continues where they stopped; ``batal`` (the engine's cancel fallback) discards it.
"""
from __future__ import annotations

from flows import answers, questions
from flows.common import NEXT, State, choice, draft_key, follow, goto, lang, screen, switch_language, t
from flows.complaint_prompts import (EDITABLE, IDENTITIES, ask, category_prompt, consent_prompt, draft,
                                     edit_prompt, identity_prompt, summary_prompt)
from flows.text import is_exactly, yes_no
from flows.types import Context, Effect, Message, Reply, Result


def _cmd(ctx: Context, name: str) -> list[str]:
    return ctx.pack.intents.get("commands", {}).get(name, [])


def start_complaint(state: dict, ctx: Context, origin: Message | None = None) -> Result:
    d = state.get("complaint")
    if d and d.get("step"):
        return goto(state, ctx, "complaint", Reply(t(ctx, state, "draft_resumed")))
    d = draft(state)
    d.update(step="consent", evidence=[], service=state.get("service"), key=draft_key(ctx))
    return goto(state, ctx, "complaint")


def prompt(state: dict, ctx: Context) -> list[Reply]:
    """The current state's question."""
    return STATES[draft(state).get("step", "consent")].prompt(state, ctx)


# --- answers: each stores one answer and returns where to go (NEXT, a state), or answers the turn itself ---


def _consent(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    answer = _yes_no(ctx, text)
    if choice(text, 2) == 1 or answer is True:
        draft(state)["consent"] = True
        return NEXT
    if choice(text, 2) == 2 or answer is False:
        state.pop("complaint", None)
        svc = ctx.pack.service(state.get("service") or "") or (ctx.pack.services[0] if ctx.pack.services else None)
        channels = "\n".join(f"• {line}" for line in answers.channel_lines(ctx.pack, svc, lang(state))) if svc else ""
        return goto(state, ctx, "main", Reply(f"{t(ctx, state, 'consent_refused')}\n{channels}".strip()))
    return advance(state, ctx, Reply(t(ctx, state, "consent_hint")))  # never a trap: say what works here


def _description(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    if msg.kind != "text" or len(text) < 3:
        return advance(state, ctx, Reply(t(ctx, state, "empty_description")))
    draft(state)["description"] = text
    return NEXT


def _place(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    d = draft(state)
    if msg.location is not None:
        loc = msg.location
        d["place"] = f"{loc.label + ' ' if loc.label else ''}({loc.latitude:.6f}, {loc.longitude:.6f})"
        d["location"] = [loc.latitude, loc.longitude]
    elif text:
        d["place"] = text
        d.pop("location", None)  # a written place replaces a shared pin
    else:
        return advance(state, ctx)
    return NEXT


def _time(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    if not text:
        return advance(state, ctx)
    draft(state)["time"] = text
    return NEXT


def _category(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    cats = ctx.pack.agency.complaint_categories
    n = choice(text, len(cats))
    if n is None:
        return advance(state, ctx)
    draft(state)["category"] = cats[n - 1].id
    return NEXT


def _evidence(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    d = draft(state)
    replies: list[Reply] = []
    if msg.media:
        for m in msg.media:
            if m.refused:
                reason = t(ctx, state, f"evidence_refused_{m.refused}", **m.detail)
                replies.append(Reply(t(ctx, state, "evidence_refused", reason=reason)))
            elif m.evidence_id is not None and m.evidence_id not in d["evidence"]:
                d["evidence"].append(m.evidence_id)
        if any(not m.refused for m in msg.media):
            replies.append(Reply(t(ctx, state, "evidence_received", count=len(d["evidence"]))))
        return Result(state=state, replies=replies)
    if is_exactly(text, _cmd(ctx, "done")) or is_exactly(text, _cmd(ctx, "skip")):
        return NEXT
    if is_exactly(text, _cmd(ctx, "back")):
        return previous(state, ctx)
    asked = questions.mid_form(state, ctx, text)
    if asked:
        return advance(state, ctx, *asked)
    return Result(state=state, replies=[Reply(t(ctx, state, "evidence_waiting_text"))])


def _identity(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    d = draft(state)
    n = choice(text, len(IDENTITIES))
    if n is None:
        return advance(state, ctx)
    d["identity"] = IDENTITIES[n - 1]
    if d["identity"] == "anonymous":
        d.pop("name", None)
    return NEXT


def _name(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    if len(text) < 2:
        return advance(state, ctx)
    draft(state)["name"] = text[:120]
    return NEXT


def _summary(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    n = choice(text, 2)
    if n == 1 or _yes_no(ctx, text) is True:
        return submit(state, msg, ctx)
    return "edit" if n == 2 else advance(state, ctx)


def _edit(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    n = choice(text, len(EDITABLE))
    if n is None:
        return advance(state, ctx)
    draft(state)["editing"] = True
    return EDITABLE[n - 1]


def _after_identity(d: dict) -> str:
    return "summary" if d.get("identity") == "anonymous" else "name"


def _before_summary(d: dict) -> str:
    return "identity" if d.get("identity") == "anonymous" else "name"


#: The form: state -> its question, its answer, where an answer leads, where ``kembali`` leads.
STATES: dict[str, State] = {
    "consent": State(consent_prompt, _consent, next="description", back=None, yes_no=True),
    "description": State(ask("ask_description"), _description, next="place", back="consent", kind="free_text"),
    "place": State(ask("ask_place"), _place, next="time", back="description", kind="free_text"),
    "time": State(ask("ask_time"), _time, next="category", back="place", kind="free_text"),
    "category": State(category_prompt, _category, next="evidence", back="time"),
    "evidence": State(ask("ask_evidence"), _evidence, next="identity", back="category", kind="files"),
    "identity": State(identity_prompt, _identity, next=_after_identity, back="evidence"),
    "name": State(ask("ask_name"), _name, next="summary", back="identity", kind="free_text"),
    "summary": State(summary_prompt, _summary, next=None, back=_before_summary, yes_no=True),
    "edit": State(edit_prompt, _edit, next=None, back="summary"),
}


def next_state(d: dict, after: str) -> str:
    """The state after ``after``; while editing, straight back to the summary (a named identity asks the name)."""
    if d.pop("editing", False) and not (after == "identity" and d.get("identity") != "anonymous"):
        return "summary"
    return follow(STATES[after].next, d)


def advance(state: dict, ctx: Context, *before: Reply) -> Result:
    return Result(state=state, replies=[*before, *prompt(state, ctx)])


def previous(state: dict, ctx: Context) -> Result:
    """``kembali`` inside the form: one step back (the answer given there is kept).

    While changing one answer after *Ubah*, one step back is the list of answers to change.
    """
    d = draft(state)
    back = STATES[d.get("step", "consent")].back
    if back is None:
        return goto(state, ctx, "main")
    d["step"] = "edit" if d.pop("editing", False) else follow(back, d)
    return advance(state, ctx)


def _yes_no(ctx: Context, text: str) -> bool | None:
    return yes_no(text, _cmd(ctx, "yes"), _cmd(ctx, "no"))


def _mid_form(state: dict, msg: Message, ctx: Context, current: State, text: str) -> list[Reply]:
    """A question asked where an answer was due (a file step's handler looks for questions itself)."""
    if msg.kind != "text" or current.kind == "files":
        return []
    if current.kind == "free_text":
        return questions.mid_form(state, ctx, text, free_text=True) or []
    if choice(text, 9) or (current.yes_no and _yes_no(ctx, text) is not None):
        return []
    return questions.mid_form(state, ctx, text) or []


@screen("complaint", prompt)
def handle(state: dict, msg: Message, ctx: Context) -> Result | None:
    """Dispatch one message to the current state: what all states share first, then its own handler."""
    d = draft(state)
    step = d.get("step", "consent")
    current = STATES[step]
    text = (msg.text or "").strip()
    if is_exactly(text, _cmd(ctx, "back")) and current.kind != "files":
        return previous(state, ctx)
    if current.kind != "free_text":
        switched = switch_language(state, ctx, text)  # never an answer where a choice or a file is due
        if switched:
            return advance(state, ctx, switched)
    asked = _mid_form(state, msg, ctx, current, text)
    if asked:
        return advance(state, ctx, *asked)  # answered; the form's question again
    outcome = current.answer(state, msg, ctx, text)
    if isinstance(outcome, Result):
        return outcome
    d["step"] = next_state(d, step) if outcome == NEXT else outcome
    return advance(state, ctx)


def submit(state: dict, msg: Message, ctx: Context) -> Result:
    """Hand the draft to the worker; the ticket number comes back from it."""
    d = state.pop("complaint")
    category = ctx.pack.agency.category(d["category"])
    effect = Effect("create_ticket", {
        "kind": "complaint",
        "key": d["key"],
        "service": d.get("service"),
        "category": d["category"],
        "unit": category.unit,
        "sla_class": category.sla_class,
        "description": d["description"],
        "place": d.get("place"),
        "location": d.get("location"),
        "occurred": d.get("time"),
        "evidence": d.get("evidence") or [],
        "identity": d["identity"],
        "name": d.get("name"),
        "lang": lang(state),
    })
    state["screen"] = "main"
    return Result(state=state, effects=[effect])
