"""Reading survey answers: a number, a letter a–d, the element's own words or general ones, typos forgiven.

Both languages' words count whatever the chat's language: a citizen who
switched to English may still answer "sangat puas".
"""
from __future__ import annotations

import re

from bot.skm.questionnaire import PROFILE, SCORES, age_band
from flows.text import normalise, phrase_in, words
from flows.types import Context

LANGS = ("id", "en")
LETTERS = {"a": 1, "b": 2, "c": 3, "d": 4}
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3})\b")


def element_score(ctx: Context, element: str, text: str) -> int | None:
    """The 1–4 score ``text`` gives ``element``: a number, a letter a–d, the element's words or general ones."""
    n = number(text)
    if n is not None:
        return n if n in SCORES else None
    norm = normalise(text)
    if norm in LETTERS:
        return LETTERS[norm]
    table: dict[str, list[str]] = {}
    for score in SCORES:
        phrases = [wording(ctx, f"survey_{element}_{score}", code) for code in LANGS]
        phrases += [w for code in LANGS for w in word_list(ctx, f"survey_words_{score}", code)]
        table[str(score)] = phrases
    found = _best(words(text), table)
    return int(found) if found else None


def profile_code(ctx: Context, field: str, text: str) -> str | None:
    """The profile code ``text`` picks for ``field``: its option number, its words, or (age) years."""
    codes = PROFILE[field]
    n = number(text)
    if n is not None:
        if 1 <= n <= len(codes):
            return codes[n - 1]
        return age_band(n) if field == "age" else None
    table = {code: [wording(ctx, f"survey_{field}_{code}", lang_) for lang_ in LANGS] for code in codes}
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


def number(text: str) -> int | None:
    """The number a message starts with ("4", "4. sangat", "34 tahun"), or None."""
    m = _LEADING_NUMBER.match(text or "")
    return int(m.group(1)) if m else None


def wording(ctx: Context, key: str, lang_: str) -> str:
    """The wording of ``key`` in ``lang_``."""
    return ctx.pack.text(key, lang_)


def word_list(ctx: Context, key: str, lang_: str) -> list[str]:
    """A wording key holding words separated by "|", as a list."""
    return [w.strip() for w in ctx.pack.text(key, lang_).split("|") if w.strip()]
