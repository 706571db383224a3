"""The complaint (pengaduan) form: consent, what, where, when, about what, proof, identity, confirm.

Steps live in ``STEPS`` in order; each has a prompt and a handler that stores
one answer in the draft. The draft lives in the conversation state, so a
citizen who leaves (``menu``) and comes back within the state's lifetime
continues where they stopped; ``batal`` discards it.
"""
from __future__ import annotations

from flows import answers, questions
from flows.common import goto, lang, menu, screen, t
from flows.text import is_exactly, yes_no
from flows.types import Context, Effect, Message, Reply, Result

STEPS = ("consent", "description", "place", "time", "category", "evidence", "identity", "name", "summary")
EDITABLE = ("description", "place", "time", "category", "identity")
IDENTITIES = ("named", "confidential", "anonymous")
#: Steps whose answer is free text: a message such as "english" there is an answer, not a command.
FREE_TEXT = ("description", "place", "time", "name")


def _cmd(ctx: Context, name: str) -> list[str]:
    return ctx.pack.intents.get("commands", {}).get(name, [])


def switch_language(state: dict, ctx: Context, text: str) -> Reply | None:
    """Change the language when ``text`` asks for it (forms call this where it cannot be an answer)."""
    for language, name in (("en", "english"), ("id", "indonesian")):
        if is_exactly(text, _cmd(ctx, name)):
            state["lang"] = language
            return Reply(t(ctx, state, "language_set"))
    return None


def draft(state: dict) -> dict:
    return state.setdefault("complaint", {})


def start_complaint(state: dict, ctx: Context, origin: Message | None = None) -> Result:
    d = state.get("complaint")
    if d and d.get("step"):
        return goto(state, ctx, "complaint", Reply(t(ctx, state, "draft_resumed")))
    d = draft(state)
    d.update(step="consent", evidence=[], service=state.get("service"), key=draft_key(ctx))
    return goto(state, ctx, "complaint")


def draft_key(ctx: Context) -> str:
    """A key that names this draft for good: a re-run of the same message makes the same key."""
    return ctx.now.strftime("%Y%m%dT%H%M%S.%f")


def prompt(state: dict, ctx: Context) -> list[Reply]:
    d = draft(state)
    step = d.get("step", "consent")
    if step == "consent":
        return [menu(state, t(ctx, state, "consent"), [("1", t(ctx, state, "consent_yes")), ("2", t(ctx, state, "consent_no"))])]
    if step == "category":
        cats = ctx.pack.agency.complaint_categories
        return [menu(state, t(ctx, state, "ask_category"), [(str(i), c.name.get(lang(state))) for i, c in enumerate(cats, 1)])]
    if step == "identity":
        return [menu(state, t(ctx, state, "ask_identity"), [(str(i), t(ctx, state, f"identity_{k}")) for i, k in enumerate(IDENTITIES, 1)])]
    if step == "summary":
        return [menu(state, summary_text(state, ctx), [("1", t(ctx, state, "confirm")), ("2", t(ctx, state, "edit"))])]
    if step == "edit":
        return [menu(state, t(ctx, state, "ask_edit_field"), [(str(i), t(ctx, state, f"field_{k}")) for i, k in enumerate(EDITABLE, 1)])]
    # No options, but a new menu token all the same: the buttons of earlier questions are old now.
    return [menu(state, t(ctx, state, {"description": "ask_description", "place": "ask_place", "time": "ask_time",
                                       "evidence": "ask_evidence", "name": "ask_name"}[step]), [])]


def summary_text(state: dict, ctx: Context) -> str:
    d = draft(state)
    cat = ctx.pack.agency.category(d.get("category") or "")
    lines = [t(ctx, state, "summary_title")]
    for key, value in (("description", d.get("description")), ("place", d.get("place")), ("time", d.get("time")),
                       ("category", cat.name.get(lang(state)) if cat else "-"),
                       ("evidence", str(len(d.get("evidence") or []))),
                       ("identity", identity_label(state, ctx))):
        lines.append(t(ctx, state, f"summary_line_{key}", value=value or "-"))
    return "\n".join(lines)


def identity_label(state: dict, ctx: Context) -> str:
    d = draft(state)
    ident = d.get("identity")
    if not ident:
        return "-"
    label = t(ctx, state, f"identity_{ident}")
    return f"{label}: {d['name']}" if d.get("name") and ident != "anonymous" else label


def next_step(d: dict, after: str) -> str:
    """The step after ``after``; while editing, straight back to the summary."""
    if d.pop("editing", False) and not (after == "identity" and d.get("identity") != "anonymous"):
        return "summary"
    if after == "identity":
        return "summary" if d.get("identity") == "anonymous" else "name"
    return STEPS[STEPS.index(after) + 1]


def advance(state: dict, ctx: Context, *before: Reply) -> Result:
    return Result(state=state, replies=[*before, *prompt(state, ctx)])


def previous(state: dict, ctx: Context) -> Result:
    """``kembali`` inside the form: one step back (the answer given there is kept).

    While changing one answer after *Ubah*, one step back is the list of answers to change.
    """
    d = draft(state)
    step = d.get("step", "consent")
    if step in ("consent",):
        return goto(state, ctx, "main")
    if d.pop("editing", False):
        d["step"] = "edit"
        return advance(state, ctx)
    back = {"summary": "identity" if d.get("identity") == "anonymous" else "name", "edit": "summary"}
    d["step"] = back.get(step) or STEPS[STEPS.index(step) - 1]
    return advance(state, ctx)


def _pick(text: str, n: int) -> int | None:
    text = text.strip().rstrip(".")
    return int(text) if text.isdigit() and 1 <= int(text) <= n else None


@screen("complaint", prompt)
def handle(state: dict, msg: Message, ctx: Context) -> Result | None:
    d = draft(state)
    step = d.get("step", "consent")
    text = (msg.text or "").strip()
    if is_exactly(text, _cmd(ctx, "back")) and step != "evidence":
        return previous(state, ctx)
    if step not in FREE_TEXT:
        switched = switch_language(state, ctx, text)  # never an answer where a choice or a file is due
        if switched:
            return advance(state, ctx, switched)
    answer = yes_no(text, _cmd(ctx, "yes"), _cmd(ctx, "no")) if step in ("consent", "summary") else None
    if step not in FREE_TEXT and step != "evidence" and msg.kind == "text" and not _pick(text, 9) and answer is None:
        asked = questions.mid_form(state, ctx, text)
        if asked:
            return advance(state, ctx, *asked)  # answered; the form's question again
    elif step in FREE_TEXT and msg.kind == "text":
        asked = questions.mid_form(state, ctx, text, free_text=True)
        if asked:
            return advance(state, ctx, *asked)
    if step == "consent":
        if _pick(text, 2) == 1 or answer is True:
            d["consent"] = True
            d["step"] = "description"
            return advance(state, ctx)
        if _pick(text, 2) == 2 or answer is False:
            state.pop("complaint", None)
            svc = ctx.pack.service(state.get("service") or "") or (ctx.pack.services[0] if ctx.pack.services else None)
            channels = "\n".join(f"• {line}" for line in answers.channel_lines(ctx.pack, svc, lang(state))) if svc else ""
            return goto(state, ctx, "main", Reply(f"{t(ctx, state, 'consent_refused')}\n{channels}".strip()))
        return advance(state, ctx, Reply(t(ctx, state, "consent_hint")))  # never a trap: say what works here
    if step == "description":
        if msg.kind != "text" or len(text) < 3:
            return advance(state, ctx, Reply(t(ctx, state, "empty_description")))
        d["description"] = text
    elif step == "place":
        if msg.location is not None:
            loc = msg.location
            d["place"] = f"{loc.label + ' ' if loc.label else ''}({loc.latitude:.6f}, {loc.longitude:.6f})"
            d["location"] = [loc.latitude, loc.longitude]
        elif text:
            d["place"] = text
            d.pop("location", None)  # a written place replaces a shared pin
        else:
            return advance(state, ctx)
    elif step == "time":
        if not text:
            return advance(state, ctx)
        d["time"] = text
    elif step == "category":
        cats = ctx.pack.agency.complaint_categories
        n = _pick(text, len(cats))
        if n is None:
            return advance(state, ctx)
        d["category"] = cats[n - 1].id
    elif step == "evidence":
        return handle_evidence(state, msg, ctx)
    elif step == "identity":
        n = _pick(text, len(IDENTITIES))
        if n is None:
            return advance(state, ctx)
        d["identity"] = IDENTITIES[n - 1]
        if d["identity"] == "anonymous":
            d.pop("name", None)
    elif step == "name":
        if len(text) < 2:
            return advance(state, ctx)
        d["name"] = text[:120]
    elif step == "summary":
        n = _pick(text, 2)
        if n == 1 or answer is True:
            return submit(state, msg, ctx)
        if n == 2:
            d["step"] = "edit"
        return advance(state, ctx)
    elif step == "edit":
        n = _pick(text, len(EDITABLE))
        if n is None:
            return advance(state, ctx)
        d["step"] = EDITABLE[n - 1]
        d["editing"] = True
        return advance(state, ctx)
    d["step"] = next_step(d, step)
    return advance(state, ctx)


def handle_evidence(state: dict, msg: Message, ctx: Context) -> Result:
    d = draft(state)
    text = (msg.text or "").strip()
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
        d["step"] = next_step(d, "evidence")
        return advance(state, ctx)
    if is_exactly(text, _cmd(ctx, "back")):
        return previous(state, ctx)
    asked = questions.mid_form(state, ctx, text)
    if asked:
        return advance(state, ctx, *asked)
    return Result(state=state, replies=[Reply(t(ctx, state, "evidence_waiting_text"))])


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
