"""The Survei Kepuasan Masyarakat in the chat: nine elements, the respondent profile, one suggestion.

One table of named states (``STATES``: question, answer, next, back; drawn in
``survey.mmd``), in ``ORDER``; the cancel fallback (*berhenti*, *batal*, *menu*) stops the survey
from any step and keeps what was given. Every answer emits a
``save_survey_response`` effect carrying the whole response so far, so a
citizen who simply walks away mid-way also leaves their answers behind; the
worker upserts it by transaction reference (one response per served
transaction) and never records who answered.

Answers: the option's number (a Telegram button sends the same key), the
paper questionnaire's letter (a–d), the element's own words ("sangat
sesuai"), or general words ("puas", "biasa saja"; ``survey_words_N``), with
small typos forgiven. Profile questions take a number, the option's words or
*lewati*; age also takes years ("34").

The engine (``flows/engine.py``) hands every text turn to this flow first
while ``state["screen"] == "survey"`` (so "batal" stops the survey and
"0"/"tidak ada" stay answers); only a message the current step does not
``accept`` may be a question, answered before the question is asked again.
The survey is opened by ``flows/events.py`` (after a ticket is served, or
when the citizen asks for it).
"""
from __future__ import annotations

from typing import Callable

from bot.skm.questionnaire import ELEMENTS, PROFILE, SCORES
from bot.skm.redact import redact
from flows import menu as _menu  # noqa: F401  (registers the main screen the survey returns to)
from flows import survey_answers as answers
from flows.common import NEXT, State, follow, goto, lang, menu, screen, t
from flows.text import is_exactly
from flows.types import Context, Effect, Message, Reply, Result

SCREEN = "survey"
ORDER = (*ELEMENTS, *PROFILE, "suggestion")


def survey(state: dict) -> dict:
    return state.setdefault("survey", {})


def start_survey(state: dict, ctx: Context, transaction_ref: str, kind: str = "complaint",
                 unit: str | None = None, service: str | None = None) -> Result:
    """Open the survey for one served transaction (a ticket or request number) and ask the first question."""
    state["survey"] = {"ref": transaction_ref, "kind": kind, "unit": unit, "service": service,
                       "step": ORDER[0], "scores": {}, "profile": {}, "suggestion": None}
    state["screen"] = SCREEN
    return Result(state=state, replies=[Reply(t(ctx, state, "survey_intro")), *show(state, ctx)])


def show(state: dict, ctx: Context) -> list[Reply]:
    """The current step's question."""
    return STATES[current_step(state)].prompt(state, ctx)


def handle(state: dict, msg: Message, ctx: Context) -> Result:
    """One answer: store it, move on, or stop (the cancel fallback) and keep what was given."""
    text = (msg.text or "").strip()
    if _wants_stop(ctx, text):
        return stop_survey(state, ctx)
    step = current_step(state)
    # One question back (the answer given there is kept); an answer wins: "baik" is close to "balik".
    if is_exactly(text, _commands(ctx, "back")) and not _is_answer(ctx, step, text):
        survey(state)["step"] = STATES[step].back
        return Result(state=state, replies=show(state, ctx))
    outcome = STATES[step].answer(state, msg, ctx, text)
    if isinstance(outcome, Result):
        return outcome
    target = follow(STATES[step].next, survey(state)) if outcome == NEXT else outcome
    return _advance(state, ctx, target) if target else _finish(state, ctx)


def accepts(state: dict, ctx: Context, text: str) -> bool:
    """Whether ``text`` is something the current step takes: an answer, a skip, back, or stop."""
    text = (text or "").strip()
    if _wants_stop(ctx, text) or is_exactly(text, _commands(ctx, "back")):
        return True
    return _is_answer(ctx, survey(state).get("step", ORDER[0]), text)


def _is_answer(ctx: Context, step: str, text: str) -> bool:
    if step in ELEMENTS:
        return answers.element_score(ctx, step, text) is not None
    if step in PROFILE:
        return (_is_skip(ctx, text) or answers.number(text) == len(PROFILE[step]) + 1
                or answers.profile_code(ctx, step, text) is not None)
    return step == "suggestion"  # free text


def current_step(state: dict) -> str:
    return survey(state).get("step", ORDER[0])


def stop_survey(state: dict, ctx: Context) -> Result:
    """Stop halfway: save what was given (nothing when nothing was), thank, back to the main menu."""
    s = state.pop("survey", {}) or {}
    effects = [_save(s, completed=False, lang_=lang(state))] if _answered_anything(s) else []
    result = goto(state, ctx, "main", Reply(t(ctx, state, "survey_stopped")))
    result.effects.extend(effects)
    return result


# --- prompts -------------------------------------------------------------------------------------------


def _element_prompt(state: dict, ctx: Context, step: str) -> list[Reply]:
    n = ELEMENTS.index(step) + 1
    head = f"{t(ctx, state, 'survey_progress', n=n, total=len(ELEMENTS))}\n{t(ctx, state, f'survey_{step}_question')}"
    return [menu(state, head, [(str(score), t(ctx, state, f"survey_{step}_{score}")) for score in SCORES])]


def _profile_prompt(state: dict, ctx: Context, step: str) -> list[Reply]:
    codes = PROFILE[step]
    options = [(str(i), t(ctx, state, f"survey_{step}_{code}")) for i, code in enumerate(codes, 1)]
    options.append((str(len(codes) + 1), t(ctx, state, "survey_skip_option")))
    question = t(ctx, state, f"survey_{step}_question")
    if step == next(iter(PROFILE)):
        question = f"{t(ctx, state, 'survey_profile_intro')}\n\n{question}"
    return [menu(state, question, options)]


def _suggestion_prompt(state: dict, ctx: Context, step: str) -> list[Reply]:
    return [menu(state, t(ctx, state, "survey_suggestion_question"), [])]  # a new token: older buttons are stale


# --- answers -------------------------------------------------------------------------------------------


def _element_answer(state: dict, ctx: Context, step: str, text: str) -> Result | str:
    score = answers.element_score(ctx, step, text)
    if score is None:
        return _again(state, ctx, text)
    survey(state)["scores"][step] = score
    return NEXT


def _profile_answer(state: dict, ctx: Context, step: str, text: str) -> Result | str:
    codes = PROFILE[step]
    if _is_skip(ctx, text) or answers.number(text) == len(codes) + 1:
        survey(state)["profile"].pop(step, None)
        return NEXT
    code = answers.profile_code(ctx, step, text)
    if code is None:
        return _again(state, ctx, text)
    survey(state)["profile"][step] = code
    return NEXT


def _suggestion_answer(state: dict, ctx: Context, step: str, text: str) -> Result | str:
    if not _is_skip(ctx, text) and len(text) >= 2:
        survey(state)["suggestion"] = redact(text)[:1000]
    return NEXT  # the last state: the survey is completed


def _state(step: str, prompt: Callable, answer: Callable) -> State:
    """The state ``step`` in ``ORDER``: next is the following question (none after the last), back the one before."""
    i = ORDER.index(step)
    return State(prompt=lambda state, ctx: prompt(state, ctx, step),
                 answer=lambda state, msg, ctx, text: answer(state, ctx, step, text),
                 next=ORDER[i + 1] if i + 1 < len(ORDER) else None, back=ORDER[max(0, i - 1)])


#: The survey: state -> question, answer, next, back (the cancel fallback is ``stop_survey``).
STATES: dict[str, State] = {
    **{element: _state(element, _element_prompt, _element_answer) for element in ELEMENTS},
    **{field: _state(field, _profile_prompt, _profile_answer) for field in PROFILE},
    "suggestion": _state("suggestion", _suggestion_prompt, _suggestion_answer),
}


# --- helpers -------------------------------------------------------------------------------------------


def _advance(state: dict, ctx: Context, step: str) -> Result:
    s = survey(state)
    s["step"] = step
    return Result(state=state, replies=show(state, ctx), effects=[_save(s, completed=False, lang_=lang(state))])


def _finish(state: dict, ctx: Context) -> Result:
    s = state.pop("survey")
    result = goto(state, ctx, "main", Reply(t(ctx, state, "survey_thanks")))
    result.effects.append(_save(s, completed=True, lang_=lang(state)))
    return result


def _again(state: dict, ctx: Context, text: str) -> Result:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return Result(state=state, replies=[Reply(t(ctx, state, "survey_not_understood", text=shown)), *show(state, ctx)])


def _save(s: dict, completed: bool, lang_: str) -> Effect:
    return Effect("save_survey_response", {
        "ref": s.get("ref"), "kind": s.get("kind"), "unit": s.get("unit"), "service": s.get("service"),
        "scores": dict(s.get("scores") or {}), "profile": dict(s.get("profile") or {}),
        "suggestion": s.get("suggestion"), "completed": completed, "lang": lang_,
    })


def _answered_anything(s: dict) -> bool:
    return bool(s.get("scores") or s.get("profile") or s.get("suggestion"))


def _commands(ctx: Context, name: str) -> list[str]:
    return ctx.pack.intents.get("commands", {}).get(name, [])


def _wants_stop(ctx: Context, text: str) -> bool:
    stop = [w for code in answers.LANGS for w in answers.word_list(ctx, "survey_stop_words", code)]
    return is_exactly(text, stop + _commands(ctx, "cancel") + _commands(ctx, "menu"))


def _is_skip(ctx: Context, text: str) -> bool:
    skip = _commands(ctx, "skip") + [answers.wording(ctx, "survey_skip_option", code) for code in answers.LANGS]
    return is_exactly(text, skip) or text.strip() == "-"


screen(SCREEN, show)(handle)
