"""Run the evaluation questions through the real engine and judge each answer.

Each question is typed into a fresh chat on the main menu of its pack (the state right after a greeting);
the replies are judged against what the question expects (``holdout.yaml``'s header says how). A fact
answer about a service other than the one asked for, or any service's facts where the pack does not have
the service asked about, is a *wrong-service* error, counted apart from the other misses.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.calendar.agency import calendar_for
from bot.content import Pack, load_pack
from bot.settings import PROJECT_ROOT
from flows import Context, Message, step

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
SPECIAL = ("clarify", "not_served", "nothing", "complaint_form", "request_form", "ticket_status", "status",
           "thanks", "greeting")


@dataclass
class Outcome:
    pack: str
    question: str
    expect: str
    kind: str  # the fact kind, or the special expectation
    ok: bool
    wrong_service: bool
    seconds: float
    got: str


def load_questions(name: str) -> list[tuple[str, str, str]]:
    return [tuple(q) for q in yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["questions"]]


def load_facts() -> dict[str, dict[str, str]]:
    return yaml.safe_load((HERE / "facts.yaml").read_text(encoding="utf-8"))


def contexts(packs: set[str]) -> dict[str, Context]:
    out = {}
    for name in sorted(packs):
        pack = load_pack(PROJECT_ROOT / "content" / name)
        out[name] = Context(pack=pack, now=NOW, calendar=calendar_for(pack))
    return out


def _fact(facts: dict, pack: str, expect: str) -> str | None:
    table = facts.get(pack, {})
    _, kind = expect.split("/")
    return table.get(expect) or table.get(f"*/{kind}")


def judge(ctx: Context, facts: dict, pack: str, question: str, expect: str) -> Outcome:
    state = {"lang": "id", "screen": "main", "token": 1}
    msg = Message(channel="whatsapp", chat_id="+6281234567890", sender_id="+6281234567890", text=question,
                  received_at=NOW)
    started = time.perf_counter()
    result = step(state, msg, ctx)
    seconds = time.perf_counter() - started
    text = "\n".join(r.text for r in result.replies)
    options = [o for r in result.replies for o in r.options]
    screen = result.state.get("screen")
    answered = result.state.get("service") if screen == "service" and not options else None
    effects = [e.type for e in result.effects]
    pk: Pack = ctx.pack
    wrong = False
    if "/" in expect:
        want_service, kind = expect.split("/")
        needle = _fact(facts, pack, expect)
        ok = needle is not None and needle.lower() in text.lower() and screen != "clarify"
        if want_service not in ("*", "agency") and answered and answered != want_service:
            wrong, ok = True, False
    else:
        kind = expect
        if expect == "clarify":
            ok = screen == "clarify" and len(options) >= 2
        elif expect == "not_served":
            ok = any(p in text for p in (pk.text("not_served", "id").split("(")[0], pk.text("not_served", "en").split("(")[0]))
            wrong = answered is not None
        elif expect == "nothing":
            ok = pk.text("nothing_matched", "id", services="")[:40] in text or pk.text("nothing_matched", "en", services="")[:30] in text
            wrong = answered is not None
        elif expect == "complaint_form":
            ok = screen == "complaint"
        elif expect == "request_form":
            ok = screen in ("request", "request_choose")
        elif expect == "ticket_status":
            ok = effects == ["check_status"]
        elif expect == "status":
            ok = "list_tickets" in effects
        elif expect == "thanks":
            ok = text in (pk.text("thanks_reply", "id"), pk.text("thanks_reply", "en"))
        elif expect == "greeting":
            ok = text.startswith(pk.text("greeting", "id", agency=pk.agency.short_name)[:12]) or \
                text.startswith(pk.text("greeting", "en", agency=pk.agency.short_name)[:12])
        else:
            raise ValueError(f"unknown expectation {expect!r}")
    return Outcome(pack, question, expect, kind, ok, wrong, seconds, text[:160].replace("\n", " | "))


def evaluate(name: str) -> list[Outcome]:
    questions = load_questions(name)
    ctxs = contexts({p for p, _, _ in questions})
    facts = load_facts()
    return [judge(ctxs[p], facts, p, q, e) for p, q, e in questions]


def accuracy(outcomes: list[Outcome]) -> float:
    return sum(o.ok for o in outcomes) / len(outcomes) if outcomes else 0.0
