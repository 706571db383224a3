"""The complaint form's questions and its summary, worded from content (the states are in ``flows/complaint.py``)."""
from __future__ import annotations

from flows.common import lang, menu, t
from flows.types import Context, Reply

EDITABLE = ("description", "place", "time", "category", "identity")
IDENTITIES = ("named", "confidential", "anonymous")


def draft(state: dict) -> dict:
    return state.setdefault("complaint", {})


def ask(key: str):
    """A question without options; still a new menu token: the buttons of earlier questions are old now."""
    return lambda state, ctx: [menu(state, t(ctx, state, key), [])]


def consent_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "consent"), [("1", t(ctx, state, "consent_yes")), ("2", t(ctx, state, "consent_no"))])]


def category_prompt(state: dict, ctx: Context) -> list[Reply]:
    cats = ctx.pack.agency.complaint_categories
    return [menu(state, t(ctx, state, "ask_category"), [(str(i), c.name.get(lang(state))) for i, c in enumerate(cats, 1)])]


def identity_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "ask_identity"), [(str(i), t(ctx, state, f"identity_{k}")) for i, k in enumerate(IDENTITIES, 1)])]


def summary_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, summary_text(state, ctx), [("1", t(ctx, state, "confirm")), ("2", t(ctx, state, "edit"))])]


def edit_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "ask_edit_field"), [(str(i), t(ctx, state, f"field_{k}")) for i, k in enumerate(EDITABLE, 1)])]


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
