"""Answering one topic of one service, and greeting: what the menu, the questions and the clarify screen share.

Kept below them all, so that none of them reaches up into another to answer.
"""
from __future__ import annotations

from flows import answers
from flows.common import goto, headed, lang, menu, t, with_hint
from flows.request_choose import start_request
from flows.types import Context, Reply, Result


def greeting(state: dict, ctx: Context) -> str:
    return t(ctx, state, "greeting", agency=ctx.pack.agency.short_name)


def greet(state: dict, ctx: Context) -> Result:
    """The greeting on top of the main menu: one message on a first contact, not two."""
    shown = goto(state, ctx, "main")
    return Result(state=shown.state, replies=headed(greeting(state, ctx), shown.replies), effects=shown.effects)


def topics_for(service) -> list[str]:
    keys = list(answers.TOPICS)
    if service.request is not None:
        keys.append("request")
    return keys


def topic_reply(state: dict, ctx: Context, service, topic: str) -> Result:
    """Answer ``topic`` about ``service`` and stay on that service (its topics are one word away)."""
    state["service"] = service.id
    state["screen"] = "service"
    state["topic"] = topic  # "kalau pembinaan?" next asks the same about another service
    if topic == "request":
        return start_request(state, ctx, service.id)
    text = answers.answer(ctx.pack, service, topic, lang(state))
    # One line with the next step: a numbered list of every topic would push the answer off a phone's screen.
    hint = menu(state, t(ctx, state, "after_answer"), [])
    if topic == "procedure" and service.flow and ctx.shows_images:
        caption = t(ctx, state, "flowchart_caption", service=answers.service_name(service, lang(state)))
        return Result(state=state, replies=[Reply(text), Reply(caption, image={"kind": "flowchart",
                                                                               "service": service.id}), hint])
    return Result(state=state, replies=[with_hint(text, hint)])
