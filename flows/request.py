"""Online requests named in the standards: a consultation booking (digital guest book)
and a facilitation request (upload the letter of request).

What a request collects is content (``request.fields`` of the service), so an
agency can add a field without code.
"""
from __future__ import annotations

import re
from datetime import date

from flows import answers
from flows.common import goto, lang, menu, screen, t
from flows.complaint import draft_key
from flows.text import is_exactly
from flows.types import Context, Effect, Message, Reply, Result

DATE = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$|^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _services(ctx: Context):
    return [s for s in ctx.pack.services if s.request is not None]


def choose_request(state: dict, ctx: Context) -> Result:
    """From the main menu: the services that take online requests."""
    if state.get("request", {}).get("step"):
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
    svc = ctx.pack.service(service_id)
    if svc is None or svc.request is None:
        return goto(state, ctx, "main", Reply(t(ctx, state, "request_none")))
    current = state.get("request") or {}
    if current.get("step") and current.get("service") == service_id:
        return goto(state, ctx, "request", Reply(t(ctx, state, "draft_resumed")))
    state["request"] = {"service": service_id, "step": "consent", "values": {}, "evidence": {}, "key": draft_key(ctx)}
    return goto(state, ctx, "request")


def _spec(state: dict, ctx: Context):
    return ctx.pack.service(state["request"]["service"]).request


def _field(state: dict, ctx: Context):
    step = state["request"]["step"]
    return next((f for f in _spec(state, ctx).fields if f.id == step), None)


def wants_document(state: dict, ctx: Context) -> bool:
    if state.get("screen") != "request" or not state.get("request"):
        return False
    field = _field(state, ctx)
    return field is not None and field.kind == "document"


def prompt(state: dict, ctx: Context) -> list[Reply]:
    r = state["request"]
    step = r["step"]
    if step == "consent":
        return [menu(state, t(ctx, state, "consent"), [("1", t(ctx, state, "consent_yes")), ("2", t(ctx, state, "consent_no"))])]
    if step == "summary":
        return [menu(state, summary_text(state, ctx), [("1", t(ctx, state, "confirm")), ("2", t(ctx, state, "edit"))])]
    field = _field(state, ctx)
    text = field.prompt.get(lang(state))
    if field.kind == "date":
        text += "\n" + t(ctx, state, "office_hours_line", hours=office_hours_text(ctx, lang(state)))
    return [Reply(text)]


def office_hours_text(ctx: Context, language: str) -> str:
    """``Sen–Kam 07:30–15:30, Jum 07:30–13:00`` from the agency's office hours."""
    names = DAY_NAMES[language]
    groups: list[tuple[list[str], tuple]] = []
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        hours = ctx.pack.agency.office_hours.get(day)
        if hours is None:
            continue
        if groups and groups[-1][1] == hours:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    parts = []
    for days, (start, end) in groups:
        label = names[days[0]] if len(days) == 1 else f"{names[days[0]]}–{names[days[-1]]}"
        parts.append(f"{label} {start:%H:%M}–{end:%H:%M}")
    return ", ".join(parts)


DAY_NAMES = {
    "id": {"mon": "Sen", "tue": "Sel", "wed": "Rab", "thu": "Kam", "fri": "Jum", "sat": "Sab", "sun": "Min"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"},
}


def summary_text(state: dict, ctx: Context) -> str:
    r = state["request"]
    svc = ctx.pack.service(r["service"])
    lines = [t(ctx, state, "request_summary_title", service=answers.service_name(svc, lang(state)))]
    for f in svc.request.fields:
        value = r["values"].get(f.id) if f.kind != "document" else ("✓" if r["evidence"].get(f.id) else "-")
        lines.append(f"{f.prompt.get(lang(state)).rstrip(':').strip('*')}: {value or '-'}")
    return "\n".join(lines)


def parse_day(text: str) -> date | None:
    m = DATE.match(text or "")
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None


def _advance(state: dict, ctx: Context, *before: Reply) -> Result:
    return Result(state=state, replies=[*before, *prompt(state, ctx)])


def _next(state: dict, ctx: Context) -> None:
    r = state["request"]
    ids = ["consent", *(f.id for f in _spec(state, ctx).fields), "summary"]
    if r.pop("editing", False):
        r["step"] = "summary"
    else:
        r["step"] = ids[ids.index(r["step"]) + 1]


@screen("request", prompt)
def handle(state: dict, msg: Message, ctx: Context) -> Result | None:
    r = state["request"]
    text = (msg.text or "").strip()
    cmds = ctx.pack.intents.get("commands", {})
    step = r["step"]
    if step == "consent":
        if text == "1" or is_exactly(text, cmds.get("yes", [])):
            r["consent"] = True
            _next(state, ctx)
        elif text == "2" or is_exactly(text, cmds.get("no", [])):
            state.pop("request", None)
            return goto(state, ctx, "main", Reply(t(ctx, state, "cancelled")))
        return _advance(state, ctx)
    if step == "summary":
        if text == "1":
            return submit(state, ctx)
        if text == "2":
            r["step"] = _spec(state, ctx).fields[0].id
            return _advance(state, ctx)
        return _advance(state, ctx)
    field = _field(state, ctx)
    if field.kind == "document":
        for m in msg.media:
            if m.refused:
                reason = t(ctx, state, f"evidence_refused_{m.refused}", **m.detail)
                return Result(state=state, replies=[Reply(t(ctx, state, "evidence_refused", reason=reason))])
            if m.evidence_id is not None:
                r["evidence"][field.id] = m.evidence_id
                _next(state, ctx)
                return _advance(state, ctx)
        if field.optional and is_exactly(text, cmds.get("skip", [])):
            _next(state, ctx)
        return _advance(state, ctx)
    if field.kind == "date":
        day = parse_day(text)
        if day is None:
            return _advance(state, ctx)
        problem = check_day(day, ctx)
        if problem:
            key, name = problem
            reason = t(ctx, state, key, name=name)
            return _advance(state, ctx, Reply(t(ctx, state, "bad_day", reason=reason)))
        r["values"][field.id] = day.isoformat()
    else:
        if len(text) < 2:
            return _advance(state, ctx)
        r["values"][field.id] = text[:300]
    _next(state, ctx)
    return _advance(state, ctx)


def check_day(day: date, ctx: Context) -> tuple[str, str] | None:
    """Why ``day`` cannot be booked, as (wording key, holiday name), or None."""
    today = ctx.now.astimezone(ctx.calendar.tz).date() if ctx.calendar is not None else ctx.now.date()
    if day <= today:
        return ("day_past", "")
    if (day - today).days > 90:
        return ("day_too_far", "")
    if ctx.calendar is not None and not ctx.calendar.is_working_day(day):
        name = ctx.calendar.holiday_name(day)
        return ("day_holiday", name) if name else ("day_closed", "")
    return None


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
