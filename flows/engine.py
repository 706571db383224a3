"""The entry point of every conversation turn.

``step`` applies the commands that work anywhere (menu, kembali, batal,
bantuan, language, status, my tickets, isi survei), turns stale buttons and
unsupported messages into polite answers, and hands everything else to the
current screen's handler. While the citizen is in the survey its handler
comes first (its own stop words, and "0" or "tidak ada" are answers there);
a question asked mid-survey is answered and the survey resumes, as in forms.
Pure: no I/O, no clock (``ctx.now``), no randomness.
"""
from __future__ import annotations

import copy
import dataclasses

from flows import clarify, complaint, events, menu, privacy, questions, request, survey, topics  # noqa: F401  (registers the screens)
from flows.common import SCREENS, goto, headed, lang, show_current, t
from flows.status import bare_ticket_number, status_request
from flows.text import is_exactly, phrase_in, picked, words
from flows.types import Context, Effect, Message, Reply, Result

FORMS = ("complaint", "request")


def wants_media(state: dict, ctx: Context | None = None) -> bool:
    """Whether the conversation is waiting for a file, so the worker should fetch attachments."""
    if state.get("screen") == "complaint":
        return (state.get("complaint") or {}).get("step") == "evidence"
    if state.get("screen") == "request" and ctx is not None:
        return request.wants_document(state, ctx)
    return state.get("screen") == "request"


def _commands(ctx: Context) -> dict[str, list[str]]:
    return ctx.pack.intents.get("commands", {})


def _resolve_callback(state: dict, msg: Message) -> str | None:
    """The option key of a button press, or None when the button belongs to an older menu."""
    data = msg.callback_data or ""
    token, _, key = data.partition(":")
    if token.startswith("t") and token[1:].isdigit() and int(token[1:]) == int(state.get("token", 0)):
        return key
    return None


def step(state: dict | None, msg: Message, ctx: Context) -> Result:
    """Run one turn: the new state, the replies and the effects for ``msg``."""
    state = copy.deepcopy(state) if state else {"lang": "id", "screen": None}
    if msg.kind == "callback":
        key = _resolve_callback(state, msg)
        if key is None:
            return Result(state=state, replies=[Reply(t(ctx, state, "stale_button")), *show_current(state, ctx)])
        msg = dataclasses.replace(msg, kind="text", text=key, callback_data=None)
    if state.get("screen") == survey.SCREEN and msg.kind == "text":
        return _survey_turn(state, msg, ctx)  # the survey reads its answers' words itself
    if msg.kind == "text" and state.get("offered"):
        key = picked(msg.text, state["offered"])
        if key is not None:
            msg = dataclasses.replace(msg, text=key)
    if state.get("screen") is None:
        # First contact (or the state expired): greet, then try to answer what was asked.
        first = topics.greet(state, ctx)
        if msg.kind == "text" and msg.text.strip() and not is_exactly(msg.text, _commands(ctx).get("menu", [])):
            answered = _turn(first.state, msg, ctx, first_contact=True)
            if answered is not None and (answered.replies or answered.effects):
                return Result(answered.state, headed(topics.greeting(first.state, ctx), answered.replies),
                              answered.effects)
        return first  # nothing understood on first contact: the greeting and the menu say what can be done
    return _turn(state, msg, ctx)


def _turn(state: dict, msg: Message, ctx: Context, first_contact: bool = False) -> Result | None:
    if msg.kind == "mms":  # nothing of it arrived, not even its text: say so, and what can be sent
        return Result(state=state, replies=[Reply(t(ctx, state, "sms_media")), *show_current(state, ctx)])
    if msg.kind in ("sticker", "contact", "voice", "unsupported") or (
        msg.kind in ("media", "video") and not wants_media(state, ctx)
    ) or (msg.kind == "location" and not _wants_location(state)):
        kind = t(ctx, state, "media_kind_" + ("file" if msg.kind == "media" else msg.kind))
        return Result(state=state, replies=[Reply(t(ctx, state, "unsupported_media", kind=kind)), *show_current(state, ctx)])
    text = msg.text or ""
    global_result = _global(state, msg, ctx, text)
    if global_result is not None:
        return global_result
    _, handle = SCREENS.get(state.get("screen") or "main", SCREENS["main"])
    result = handle(state, msg, ctx)
    if result is None:
        return None if first_contact else menu.not_understood(state, ctx, text.strip())
    return result


def _survey_turn(state: dict, msg: Message, ctx: Context) -> Result:
    """The survey's answer first; a message it does not take may be a question or a status look-up."""
    text = msg.text or ""
    at_suggestion = survey.current_step(state) == "suggestion"
    # A question mark says question before answer: "berapa biaya?" is not "biasa" typed with a typo.
    if at_suggestion or "?" in text or not survey.accepts(state, ctx, text):
        asked = questions.mid_form(state, ctx, text, free_text=at_suggestion)
        if asked:
            return Result(state=state, replies=[*asked, *survey.show(state, ctx)])
        number = status_request(text)
        if number and not at_suggestion:  # the answer comes; the question stays pending above it
            return Result(state=state, effects=[Effect("check_status", {"number": number, "lang": lang(state)})])
    return survey.handle(state, msg, ctx)


def _wants_location(state: dict) -> bool:
    return state.get("screen") == "complaint" and (state.get("complaint") or {}).get("step") == "place"


def _small_talk(state: dict, ctx: Context, text: str) -> Result | None:
    """Thanks, "belum ada kabar" about a ticket, and the request for the full topic list."""
    cmds = _commands(ctx)
    tw = words(text)
    thanks = cmds.get("thanks", [])
    if is_exactly(text, thanks) or (len(tw) <= 6 and "?" not in text and any(phrase_in(tw, p) for p in thanks)):
        return Result(state=state, replies=[Reply(t(ctx, state, "thanks_reply"))])
    if len(tw) <= 12 and any(phrase_in(tw, p) for p in cmds.get("no_news", [])):
        return Result(state=state, replies=[Reply(t(ctx, state, "no_news"))],
                      effects=[Effect("list_tickets", {"lang": lang(state)})])
    if is_exactly(text, cmds.get("topics", [])):
        return goto(state, ctx, "service" if state.get("service") else "services")
    return None


def _global(state: dict, msg: Message, ctx: Context, text: str) -> Result | None:
    cmds = _commands(ctx)
    number = status_request(text) or (
        bare_ticket_number(text) if state.get("screen") not in (*FORMS, "status") else None)
    if number:
        return Result(state=state, effects=[Effect("check_status", {"number": number, "lang": lang(state)})])
    if state.get("screen") not in FORMS:
        small_talk = _small_talk(state, ctx, text)
        if small_talk is not None:
            return small_talk
    elif len(words(text)) <= 3 and any(phrase_in(words(text), p) for p in cmds.get("thanks", [])):
        # "makasih (kak)" is never the answer to a form's question: thank back and ask the question again.
        return Result(state=state, replies=[Reply(t(ctx, state, "thanks_reply")), *show_current(state, ctx)])
    if is_exactly(text, cmds.get("cancel", [])):
        # Inside a form, only that form's draft goes; from a menu, every parked draft does.
        open_forms = [state["screen"]] if state.get("screen") in FORMS else list(FORMS)
        dropped = [f for f in open_forms if state.pop(f, None)]
        key = "cancelled" if dropped else "nothing_to_cancel"
        return goto(state, ctx, "main", Reply(t(ctx, state, key)))
    if is_exactly(text, cmds.get("menu", [])):
        if msg.kind == "text" and text.strip().lower() not in ("menu", "/menu", "mulai", "start", "/start"):
            return topics.greet(state, ctx)
        return goto(state, ctx, "main")
    if is_exactly(text, cmds.get("help", [])):
        return Result(state=state, replies=[Reply(t(ctx, state, "help")), *show_current(state, ctx)])
    for language, name in (("en", "english"), ("id", "indonesian")):
        if is_exactly(text, cmds.get(name, [])) and state.get("screen") not in FORMS:
            state["lang"] = language
            return Result(state=state, replies=[Reply(t(ctx, state, "language_set")), *show_current(state, ctx)])
    if is_exactly(text, cmds.get("erase_data", [])):
        return goto(state, ctx, "erase_confirm")
    if is_exactly(text, cmds.get("my_data", [])):
        return Result(state=state, effects=[Effect("export_data", {"lang": lang(state)})])
    if is_exactly(text, cmds.get("my_tickets", [])):
        return Result(state=state, effects=[Effect("list_tickets", {"lang": lang(state)})])
    if state.get("screen") not in FORMS and is_exactly(text, cmds.get("survey", [])):
        return menu.main_action(state, ctx, "survey")  # "mau isi survey" in a sentence: menu.free_text
    if state.get("screen") not in FORMS and is_exactly(text, cmds.get("back", [])):
        parent = {"service": "services", "services": "main", "status": "main", "request_choose": "main"}
        return goto(state, ctx, parent.get(state.get("screen"), "main"))
    return None
