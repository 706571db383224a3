"""Online requests named in the standards: a consultation booking (digital guest book)
and a facilitation request (upload the letter of request).

What a request collects is content (``request.fields`` of the service), so an
agency can add a field without code. One table of named states
(``STATES``, drawn in ``request.mmd``): ``consent``, one state per kind of field
(``text``, ``date``, ``document``; the draft's step is the field's id),
``summary`` and, after *Ubah*, ``edit`` (pick the field to change; the answer
is asked again and the citizen comes straight back to the summary with every
other answer kept). ``kembali`` goes one step back and keeps the answers;
``menu`` parks the draft; only ``batal`` (in the engine) discards it.
"""
from __future__ import annotations

from flows import questions
from flows.common import NEXT, SCREENS, State, goto, lang, screen, switch_language, t
from flows.days import check_day, parse_day
from flows.request_choose import ORIGINS, in_progress
from flows.request_prompts import (consent_prompt, edit_prompt, field_of, field_prompt, request_spec, summary_prompt,
                                   summary_text)
from flows.text import is_exactly, yes_no
from flows.types import Context, Effect, Message, Reply, Result


def wants_document(state: dict, ctx: Context) -> bool:
    """Whether the request form is on a document step, so the worker should fetch attachments."""
    if state.get("screen") != "request" or not state.get("request"):
        return False
    field = field_of(state, ctx)
    return field is not None and field.kind == "document"


def _lost(state: dict, ctx: Context) -> list[Reply]:
    """The draft's service left the content pack (state outlived a content change): drop it, show the menu."""
    state.pop("request", None)
    state["screen"] = "main"
    show_main, _ = SCREENS["main"]
    return [Reply(t(ctx, state, "request_none")), *show_main(state, ctx)]


def _state_name(state: dict, ctx: Context) -> str:
    """The table's state for the draft's step: consent, summary, edit, or the current field's kind."""
    step = state["request"]["step"]
    return step if step in FIXED else field_of(state, ctx).kind


def prompt(state: dict, ctx: Context) -> list[Reply]:
    """The current state's question (the draft is dropped when its service left the content)."""
    if request_spec(state, ctx) is None:
        return _lost(state, ctx)
    return STATES[_state_name(state, ctx)].prompt(state, ctx)


def _advance(state: dict, ctx: Context, *before: Reply) -> Result:
    return Result(state=state, replies=[*before, *prompt(state, ctx)])


def _order(state: dict, ctx: Context) -> list[str]:
    return ["consent", *(f.id for f in request_spec(state, ctx).fields), "summary"]


def _next(state: dict, ctx: Context) -> None:
    """The field after this one in the service's order; while editing, straight back to the summary."""
    r = state["request"]
    if r.pop("editing", False):
        r["step"] = "summary"
    else:
        ids = _order(state, ctx)
        r["step"] = ids[ids.index(r["step"]) + 1]


def previous(state: dict, ctx: Context) -> Result:
    """``kembali``: one step back, answers kept; from the consent question, back where the request began."""
    r = state["request"]
    step = r["step"]
    if step == "consent":
        origin = r.get("origin") if r.get("origin") in ORIGINS else "main"
        if not in_progress(state):
            state.pop("request")  # nothing answered yet: nothing to keep
        if origin == "service" and not ctx.pack.service(state.get("service") or ""):
            origin = "main"
        return goto(state, ctx, origin)
    if r.pop("editing", False):
        r["step"] = "edit"
    else:
        ids = _order(state, ctx)
        r["step"] = STATES[_state_name(state, ctx)].back or ids[ids.index(step) - 1]
    return _advance(state, ctx)


# --- answers: each stores one answer and returns where to go (NEXT, a state), or answers the turn itself ---


def _yes_no(ctx: Context, text: str) -> bool | None:
    cmds = ctx.pack.intents.get("commands", {})
    return yes_no(text, cmds.get("yes", []), cmds.get("no", []))


def _consent(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    answer = _yes_no(ctx, text)
    if text == "1" or answer is True:
        state["request"]["consent"] = True
        return NEXT
    if text == "2" or answer is False:
        state.pop("request", None)
        return goto(state, ctx, "main", Reply(t(ctx, state, "cancelled")))
    # Never a trap: a question is answered, anything else gets the words that work here.
    return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or [Reply(t(ctx, state, "consent_hint"))]))


def _summary(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    if text == "1" or _yes_no(ctx, text) is True:
        return submit(state, ctx)
    if text == "2":
        return "edit"
    return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))


def _edit(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    fields = request_spec(state, ctx).fields
    if text.isdigit() and 1 <= int(text) <= len(fields):
        state["request"]["editing"] = True
        return fields[int(text) - 1].id
    return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))


def _text(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    if msg.kind != "text" or len(text) < 2:
        return _advance(state, ctx)
    asked = questions.mid_form(state, ctx, text, free_text=True)
    if asked:
        return _advance(state, ctx, *asked)
    state["request"]["values"][field_of(state, ctx).id] = text[:300]
    return NEXT


def _date(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    day = parse_day(text)
    if day is None:
        return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))
    problem = check_day(day, ctx)
    if problem:
        key, name = problem
        reason = t(ctx, state, key, name=name)
        return _advance(state, ctx, Reply(t(ctx, state, "bad_day", reason=reason)))
    state["request"]["values"][field_of(state, ctx).id] = day.isoformat()
    return NEXT


def _document(state: dict, msg: Message, ctx: Context, text: str) -> Result | str:
    """Take the first accepted file; say why a refused one was refused; the draft stays as it was."""
    if not msg.media and text:
        asked = questions.mid_form(state, ctx, text)
        if asked:
            return _advance(state, ctx, *asked)
    r, field = state["request"], field_of(state, ctx)
    accepted = [m for m in msg.media if not m.refused and m.evidence_id is not None]
    if accepted:
        r["evidence"][field.id] = accepted[0].evidence_id
        return NEXT
    refused = [m for m in msg.media if m.refused]
    if refused:
        reason = t(ctx, state, f"evidence_refused_{refused[0].refused}", **refused[0].detail)
        return _advance(state, ctx, Reply(t(ctx, state, "request_document_refused", reason=reason)))
    if field.optional and is_exactly(text, ctx.pack.intents.get("commands", {}).get("skip", [])):
        r["evidence"].pop(field.id, None)
        return NEXT
    return _advance(state, ctx)


FIXED = ("consent", "summary", "edit")
#: The form: state -> question, answer, back. An answer's NEXT is the following field in the service's
#: ``request.fields`` (content), the summary after the last; ``back`` None is the previous field.
STATES: dict[str, State] = {
    "consent": State(consent_prompt, _consent, yes_no=True),
    "text": State(field_prompt, _text, kind="free_text"),
    "date": State(field_prompt, _date),
    "document": State(field_prompt, _document, kind="files"),
    "summary": State(summary_prompt, _summary, yes_no=True),
    "edit": State(edit_prompt, _edit, back="summary"),
}


@screen("request", prompt)
def handle(state: dict, msg: Message, ctx: Context) -> Result | None:
    """Dispatch one message to the current state: what all states share first, then its own handler."""
    if request_spec(state, ctx) is None:
        return Result(state=state, replies=_lost(state, ctx))
    text = (msg.text or "").strip()
    if is_exactly(text, ctx.pack.intents.get("commands", {}).get("back", [])):
        return previous(state, ctx)
    current = STATES[_state_name(state, ctx)]
    if current.kind != "free_text":
        switched = switch_language(state, ctx, text)  # never an answer where a choice, file or date is due
        if switched:
            return _advance(state, ctx, switched)
    outcome = current.answer(state, msg, ctx, text)
    if isinstance(outcome, Result):
        return outcome
    if outcome == NEXT:
        _next(state, ctx)
    else:
        state["request"]["step"] = outcome
    return _advance(state, ctx)


def submit(state: dict, ctx: Context) -> Result:
    r = state.pop("request")
    svc = ctx.pack.service(r["service"])
    spec = svc.request
    effect = Effect("create_ticket", {
        "kind": "consultation" if spec.kind == "booking" else "request",
        "key": r["key"],
        "service": svc.id,
        "category": None,
        "unit": svc.unit,
        "sla_class": spec.sla_class,
        "working_days": spec.working_days,
        "hours": spec.hours,
        "description": summary_text({"request": r, "lang": lang(state)}, ctx),
        "values": r["values"],
        "evidence": list(r["evidence"].values()),
        "identity": "named",
        "name": r["values"].get("name"),
        "lang": lang(state),
    })
    state["screen"] = "main"
    return Result(state=state, effects=[effect])
