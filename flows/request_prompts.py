"""The request form's questions and its summary, worded from content (the states are in ``flows/request.py``)."""
from __future__ import annotations

import re

from flows import answers
from flows.common import lang, menu, t
from flows.days import day_text, office_hours_text
from flows.types import Context, Reply


def request_spec(state: dict, ctx: Context):
    """The request spec of the draft's service, or None when the service left the content."""
    svc = ctx.pack.service((state.get("request") or {}).get("service") or "")
    return svc.request if svc is not None else None


def field_of(state: dict, ctx: Context):
    """The field the draft is on, or None on consent, summary and edit."""
    spec = request_spec(state, ctx)
    step = state["request"]["step"]
    return next((f for f in spec.fields if f.id == step), None) if spec else None


def consent_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, t(ctx, state, "request_consent"),
                 [("1", t(ctx, state, "consent_yes")), ("2", t(ctx, state, "consent_no"))])]


def summary_prompt(state: dict, ctx: Context) -> list[Reply]:
    return [menu(state, summary_text(state, ctx), [("1", t(ctx, state, "confirm")), ("2", t(ctx, state, "edit"))])]


def edit_prompt(state: dict, ctx: Context) -> list[Reply]:
    opts = [(str(i), field_label(f, lang(state))) for i, f in enumerate(request_spec(state, ctx).fields, 1)]
    return [menu(state, t(ctx, state, "ask_edit_field"), opts)]


def field_prompt(state: dict, ctx: Context) -> list[Reply]:
    field = field_of(state, ctx)
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
