"""Online requests named in the standards: a consultation booking (digital guest book)
and a facilitation request (upload the letter of request).

What a request collects is content (``request.fields`` of the service), so an
agency can add a field without code. Steps: ``consent``, one step per field,
``summary`` and, after *Ubah*, ``edit`` (pick the field to change; the answer
is asked again and the citizen comes straight back to the summary with every
other answer kept). ``kembali`` goes one step back and keeps the answers;
``menu`` parks the draft; only ``batal`` (in the engine) discards it.
"""
from __future__ import annotations

import re

from flows import answers, questions
from flows.common import SCREENS, draft_key, goto, lang, menu, screen, switch_language, t
from flows.text import is_exactly, yes_no
from flows.days import check_day, day_text, office_hours_text, parse_day
from flows.types import Context, Effect, Message, Reply, Result

#: Where ``kembali`` on the consent question leads: the screen the request was started from.
ORIGINS = ("main", "service", "request_choose")


def _services(ctx: Context):
    return [s for s in ctx.pack.services if s.request is not None]


def _in_progress(state: dict) -> bool:
    """Whether a request draft holds something worth keeping (consent given, an answer or a document)."""
    r = state.get("request") or {}
    return bool(r.get("step")) and (r.get("step") != "consent" or bool(r.get("values") or r.get("evidence")))


def choose_request(state: dict, ctx: Context) -> Result:
    """From the main menu: the services that take online requests."""
    if _in_progress(state):
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
    if _in_progress(state) or (current.get("step") and current.get("service") == service_id):
        return goto(state, ctx, "request", Reply(t(ctx, state, "draft_resumed")))
    origin = state.get("screen") if state.get("screen") in ORIGINS else "main"
    state["request"] = {"service": service_id, "step": "consent", "values": {}, "evidence": {},
                        "key": draft_key(ctx), "origin": origin}
    return goto(state, ctx, "request")


def _spec(state: dict, ctx: Context):
    svc = ctx.pack.service((state.get("request") or {}).get("service") or "")
    return svc.request if svc is not None else None


def _field(state: dict, ctx: Context):
    spec = _spec(state, ctx)
    step = state["request"]["step"]
    return next((f for f in spec.fields if f.id == step), None) if spec else None


def wants_document(state: dict, ctx: Context) -> bool:
    """Whether the request form is on a document step, so the worker should fetch attachments."""
    if state.get("screen") != "request" or not state.get("request"):
        return False
    field = _field(state, ctx)
    return field is not None and field.kind == "document"


def _lost(state: dict, ctx: Context) -> list[Reply]:
    """The draft's service left the content pack (state outlived a content change): drop it, show the menu."""
    state.pop("request", None)
    state["screen"] = "main"
    show_main, _ = SCREENS["main"]
    return [Reply(t(ctx, state, "request_none")), *show_main(state, ctx)]


def prompt(state: dict, ctx: Context) -> list[Reply]:
    spec = _spec(state, ctx)
    if spec is None:
        return _lost(state, ctx)
    r = state["request"]
    step = r["step"]
    if step == "consent":
        return [menu(state, t(ctx, state, "request_consent"),
                     [("1", t(ctx, state, "consent_yes")), ("2", t(ctx, state, "consent_no"))])]
    if step == "summary":
        return [menu(state, summary_text(state, ctx), [("1", t(ctx, state, "confirm")), ("2", t(ctx, state, "edit"))])]
    if step == "edit":
        opts = [(str(i), field_label(f, lang(state))) for i, f in enumerate(spec.fields, 1)]
        return [menu(state, t(ctx, state, "ask_edit_field"), opts)]
    field = _field(state, ctx)
    text = field.prompt.get(lang(state))
    if field.kind == "date":
        text += "\n" + t(ctx, state, "office_hours_line", hours=office_hours_text(ctx, lang(state)))
    return [menu(state, text, [])]  # a new token even without options: earlier buttons are old now


def field_label(field, language: str) -> str:
    """A short name for ``field`` from its prompt: the *bold* words, else its first sentence."""
    text = field.prompt.get(language)
    bold = re.search(r"\*([^*]+)\*", text)
    label = bold.group(1) if bold else re.split(r"(?<=[?:.])\s", text, maxsplit=1)[0].rstrip(":?. ")
    return label[:1].upper() + label[1:]


def summary_text(state: dict, ctx: Context) -> str:
    r = state["request"]
    svc = ctx.pack.service(r["service"])
    language = lang(state)
    lines = [t(ctx, state, "request_summary_title", service=answers.service_name(svc, language))]
    for f in svc.request.fields:
        if f.kind == "document":
            value = "✓" if r["evidence"].get(f.id) else None
        elif f.kind == "date" and r["values"].get(f.id):
            value = day_text(r["values"][f.id], language)
        else:
            value = r["values"].get(f.id)
        lines.append(f"{field_label(f, language)}: {value or '-'}")
    return "\n".join(lines)


def _advance(state: dict, ctx: Context, *before: Reply) -> Result:
    return Result(state=state, replies=[*before, *prompt(state, ctx)])


def _order(state: dict, ctx: Context) -> list[str]:
    return ["consent", *(f.id for f in _spec(state, ctx).fields), "summary"]


def _next(state: dict, ctx: Context) -> None:
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
        if not _in_progress(state):
            state.pop("request")  # nothing answered yet: nothing to keep
        if origin == "service" and not ctx.pack.service(state.get("service") or ""):
            origin = "main"
        return goto(state, ctx, origin)
    if r.pop("editing", False):
        r["step"] = "edit"
    elif step == "edit":
        r["step"] = "summary"
    else:
        ids = _order(state, ctx)
        r["step"] = ids[ids.index(step) - 1]
    return _advance(state, ctx)


@screen("request", prompt)
def handle(state: dict, msg: Message, ctx: Context) -> Result | None:
    if _spec(state, ctx) is None:
        return Result(state=state, replies=_lost(state, ctx))
    r = state["request"]
    text = (msg.text or "").strip()
    cmds = ctx.pack.intents.get("commands", {})
    step = r["step"]
    if is_exactly(text, cmds.get("back", [])):
        return previous(state, ctx)
    field = _field(state, ctx)
    if field is None or field.kind != "text":
        switched = switch_language(state, ctx, text)  # never an answer where a choice, file or date is due
        if switched:
            return _advance(state, ctx, switched)
    answer = yes_no(text, cmds.get("yes", []), cmds.get("no", []))
    if step == "consent":
        if text == "1" or answer is True:
            r["consent"] = True
            _next(state, ctx)
        elif text == "2" or answer is False:
            state.pop("request", None)
            return goto(state, ctx, "main", Reply(t(ctx, state, "cancelled")))
        else:
            # Never a trap: a question is answered, anything else gets the words that work here.
            return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or [Reply(t(ctx, state, "consent_hint"))]))
        return _advance(state, ctx)
    if step == "summary":
        if text == "1" or answer is True:
            return submit(state, ctx)
        if text == "2":
            r["step"] = "edit"
            return _advance(state, ctx)
        return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))
    if step == "edit":
        fields = _spec(state, ctx).fields
        if text.isdigit() and 1 <= int(text) <= len(fields):
            r["step"] = fields[int(text) - 1].id
            r["editing"] = True
            return _advance(state, ctx)
        return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))
    if field.kind == "document":
        if not msg.media and text:
            asked = questions.mid_form(state, ctx, text)
            if asked:
                return _advance(state, ctx, *asked)
        return _document(state, msg, ctx, field, text)
    if field.kind == "date":
        day = parse_day(text)
        if day is None:
            return _advance(state, ctx, *(questions.mid_form(state, ctx, text) or []))
        problem = check_day(day, ctx)
        if problem:
            key, name = problem
            reason = t(ctx, state, key, name=name)
            return _advance(state, ctx, Reply(t(ctx, state, "bad_day", reason=reason)))
        r["values"][field.id] = day.isoformat()
    else:
        if msg.kind != "text" or len(text) < 2:
            return _advance(state, ctx)
        asked = questions.mid_form(state, ctx, text, free_text=True)
        if asked:
            return _advance(state, ctx, *asked)
        r["values"][field.id] = text[:300]
    _next(state, ctx)
    return _advance(state, ctx)


def _document(state: dict, msg: Message, ctx: Context, field, text: str) -> Result:
    """Take the first accepted file; say why a refused one was refused; the draft stays as it was."""
    r = state["request"]
    accepted = [m for m in msg.media if not m.refused and m.evidence_id is not None]
    if accepted:
        r["evidence"][field.id] = accepted[0].evidence_id
        _next(state, ctx)
        return _advance(state, ctx)
    refused = [m for m in msg.media if m.refused]
    if refused:
        reason = t(ctx, state, f"evidence_refused_{refused[0].refused}", **refused[0].detail)
        return _advance(state, ctx, Reply(t(ctx, state, "request_document_refused",
                                                   reason=reason)))
    cmds = ctx.pack.intents.get("commands", {})
    if field.optional and is_exactly(text, cmds.get("skip", [])):
        r["evidence"].pop(field.id, None)
        _next(state, ctx)
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
