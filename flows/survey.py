"""The Survei Kepuasan Masyarakat in the chat: nine elements, the respondent profile, one suggestion.

One table of steps (``STEPS``: step name -> (prompt, handler)), walked in
``ORDER``; the cancel fallback (*berhenti*, *batal*, *menu*) stops the survey
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

Not wired into ``flows/engine.py`` yet: the engine (or the worker) calls
``start_survey`` and, while ``state["screen"] == "survey"``, hands the turn
to ``handle`` *before* its global commands (so "batal" stops the survey and
"0"/"tidak ada" stay answers).
"""
from __future__ import annotations

import re
from typing import Callable

from bot.skm.questionnaire import ELEMENTS, PROFILE, SCORES, age_band
from bot.skm.redact import redact
from flows import menu as _menu  # noqa: F401  (registers the main screen the survey returns to)
from flows.common import goto, lang, menu, screen, t
from flows.text import is_exactly, normalise, phrase_in, words
from flows.types import Context, Effect, Message, Reply, Result

SCREEN = "survey"
ORDER = (*ELEMENTS, *PROFILE, "suggestion")
LANGS = ("id", "en")
LETTERS = {"a": 1, "b": 2, "c": 3, "d": 4}
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")


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
    step = survey(state).get("step", ORDER[0])
    prompt, _ = STEPS[step]
    return prompt(state, ctx, step)


def handle(state: dict, msg: Message, ctx: Context) -> Result:
    """One answer: store it, move on, or stop (the cancel fallback) and keep what was given."""
    text = (msg.text or "").strip()
    if _wants_stop(ctx, state, text):
        return stop_survey(state, ctx)
    step = survey(state).get("step", ORDER[0])
    if is_exactly(text, _commands(ctx, "back")):
        if step == ORDER[0]:
            return Result(state=state, replies=show(state, ctx))
        survey(state)["step"] = ORDER[ORDER.index(step) - 1]
        return Result(state=state, replies=show(state, ctx))
    _, handler = STEPS[step]
    return handler(state, ctx, step, text)


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


def _element_answer(state: dict, ctx: Context, step: str, text: str) -> Result:
    score = element_score(ctx, step, text)
    if score is None:
        return _again(state, ctx, text)
    survey(state)["scores"][step] = score
    return _advance(state, ctx, step)


def _profile_answer(state: dict, ctx: Context, step: str, text: str) -> Result:
    codes = PROFILE[step]
    if _is_skip(ctx, text) or _number(text) == len(codes) + 1:
        survey(state)["profile"].pop(step, None)
        return _advance(state, ctx, step)
    code = profile_code(ctx, step, text)
    if code is None:
        return _again(state, ctx, text)
    survey(state)["profile"][step] = code
    return _advance(state, ctx, step)


def _suggestion_answer(state: dict, ctx: Context, step: str, text: str) -> Result:
    if not _is_skip(ctx, text) and len(text) >= 2:
        survey(state)["suggestion"] = redact(text)[:1000]
    return _finish(state, ctx)


STEPS: dict[str, tuple[Callable, Callable]] = {
    **{element: (_element_prompt, _element_answer) for element in ELEMENTS},
    **{field: (_profile_prompt, _profile_answer) for field in PROFILE},
    "suggestion": (_suggestion_prompt, _suggestion_answer),
}


# --- matching ------------------------------------------------------------------------------------------


def element_score(ctx: Context, element: str, text: str) -> int | None:
    """The 1–4 score ``text`` gives ``element``: a number, a letter a–d, the element's words or general ones."""
    number = _number(text)
    if number is not None:
        return number if number in SCORES else None
    norm = normalise(text)
    if norm in LETTERS:
        return LETTERS[norm]
    table: dict[str, list[str]] = {}
    for score in SCORES:
        phrases = [_wording(ctx, f"survey_{element}_{score}", code) for code in LANGS]
        phrases += [w for code in LANGS for w in _word_list(ctx, f"survey_words_{score}", code)]
        table[str(score)] = phrases
    found = _best(words(text), table)
    return int(found) if found else None


def profile_code(ctx: Context, field: str, text: str) -> str | None:
    """The profile code ``text`` picks for ``field``: its option number, its words, or (age) years."""
    codes = PROFILE[field]
    number = _number(text)
    if number is not None:
        if 1 <= number <= len(codes):
            return codes[number - 1]
        return age_band(number) if field == "age" else None
    table = {code: [_wording(ctx, f"survey_{field}_{code}", lang_) for lang_ in LANGS] for code in codes}
    return _best(words(text), table)


def _best(text_words: list[str], table: dict[str, list[str]]) -> str | None:
    """The key whose phrase covers most of the typed words; as typed beats typo-forgiven, then longer wins.

    So "sangt sesuai" is "sangat sesuai" (two words) rather than "sesuai", and
    "satisfied" stays "satisfied" rather than the typo-near "dissatisfied".
    """
    best, rank = None, (0, 0, 0)
    for key, phrases in table.items():
        for phrase in phrases:
            target = words(phrase)
            n = len(target)
            if not n:
                continue
            exact = any(text_words[i:i + n] == target for i in range(len(text_words) - n + 1))
            if exact or phrase_in(text_words, phrase):
                candidate = (n, int(exact), len(phrase))
                if candidate > rank:
                    best, rank = key, candidate
    return best


# --- helpers -------------------------------------------------------------------------------------------


def _advance(state: dict, ctx: Context, step: str) -> Result:
    s = survey(state)
    s["step"] = ORDER[ORDER.index(step) + 1]
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


def _number(text: str) -> int | None:
    m = _LEADING_NUMBER.match(text or "")
    return int(m.group(1)) if m else None


def _commands(ctx: Context, name: str) -> list[str]:
    return ctx.pack.intents.get("commands", {}).get(name, [])


def _wants_stop(ctx: Context, state: dict, text: str) -> bool:
    stop = [w for code in LANGS for w in _word_list(ctx, "survey_stop_words", code)]
    return is_exactly(text, stop + _commands(ctx, "cancel") + _commands(ctx, "menu"))


def _is_skip(ctx: Context, text: str) -> bool:
    skip = _commands(ctx, "skip") + [_wording(ctx, "survey_skip_option", code) for code in LANGS] + ["-"]
    return is_exactly(text, skip) or text.strip() == "-"


def _wording(ctx: Context, key: str, lang_: str) -> str:
    return ctx.pack.text(key, lang_)


def _word_list(ctx: Context, key: str, lang_: str) -> list[str]:
    return [w.strip() for w in ctx.pack.text(key, lang_).split("|") if w.strip()]


screen(SCREEN, show)(handle)
