"""Matching what citizens type: case, punctuation and small typos forgiven."""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from bot.answering.words import expand

_PUNCT = re.compile(r"[^\w\s/?]+", re.UNICODE)
#: Commands and phrases are short: only this much of a message is compared, so a 64 KB message costs what
#: a short one does (the whole text is still what a form stores).
MAX_CHARS = 300
#: A message longer than this is never exactly a command.
MAX_COMMAND = 80


@functools.lru_cache(maxsize=8192)  # the content's phrases are normalised again for every message
def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces (of the first ``MAX_CHARS`` characters)."""
    text = unicodedata.normalize("NFKD", (text or "")[:MAX_CHARS]).encode("ascii", "ignore").decode()
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return [w for w in normalise(text).replace("?", " ").split() if w]


@functools.lru_cache(maxsize=65536)  # a word against each of the content's words, message after message
def close(word: str, candidate: str) -> bool:
    """True when ``word`` is ``candidate`` or a small typo of it (only for words of 5+ letters)."""
    if word == candidate:
        return True
    if len(candidate) < 5 or len(word) < 4 or abs(len(word) - len(candidate)) > 3:
        return False
    return difflib.SequenceMatcher(None, word, candidate).ratio() >= 0.8


def phrase_in(text_words: list[str], phrase: str) -> bool:
    """Whether every word of ``phrase`` appears, in order, among ``text_words`` (typos forgiven)."""
    target = words(phrase)
    if not target:
        return False
    n = len(target)
    for i in range(len(text_words) - n + 1):
        if all(close(text_words[i + j], target[j]) for j in range(n)):
            return True
    return False


def is_exactly(text: str, phrases: list[str]) -> bool:
    """Whether the whole message is one of ``phrases`` (typos forgiven)."""
    if len((text or "").strip()) > MAX_COMMAND:
        return False
    norm = normalise(text)
    tw = norm.split()
    for p in phrases:
        phrase = normalise(p)
        pw = phrase.split()
        if norm == phrase and norm:
            return True
        if pw and len(pw) == len(tw) and all(close(a, b) for a, b in zip(tw, pw)):
            return True
    return False


def best_match(text_words: list[str], table: dict[str, list[str]]) -> str | None:
    """The key of ``table`` whose phrases match ``text_words`` with the longest phrase (most specific)."""
    best, best_len = None, 0
    for key, phrases in table.items():
        for phrase in phrases:
            length = len(normalise(phrase))
            if length > best_len and phrase_in(text_words, phrase):
                best, best_len = key, length
    return best


def yes_no(text: str, yes: list[str], no: list[str]) -> bool | None:
    """True for "ya", "setuju", "oke, boleh"; False for "tidak", "gak mau", "tidak setuju"; None otherwise.

    Only short answers count, and a one-word answer must open the message: "ya" closing "gimana ya" is a
    particle, not a yes. A "no" wins over a "yes" ("tidak setuju" holds "setuju").
    """
    tw = words(text)
    if not tw or len(tw) > 5:
        return None

    def said(phrases: list[str]) -> bool:
        if is_exactly(text, phrases):
            return True
        return any(phrase_in(tw, p) if len(words(p)) > 1 else (words(p) == tw[:1]) for p in phrases)
    if said(no):
        return False
    if said(yes):
        return True
    return None


def picked(text: str, options: list[list[str]]) -> str | None:
    """The key of the option whose label ``text`` names ("rahasia", "Anonim", "kirim", "perizinan"), or None.

    On WhatsApp and SMS options are a numbered list, and people type the words as often as the number.
    Only a short text counts, and only when it names exactly one option: the whole label, the label
    without its explanation in brackets, the label's first word, or words that appear in that label only.
    """
    tw = expand(words(text))  # "pungli" -> "pungutan liar"
    if not tw or len(tw) > 4 or (len(tw) == 1 and tw[0].isdigit()):
        return None
    labels = [(key, words(re.sub(r"\([^)]*\)", " ", label)), words(label)) for key, label in options]

    def one(found: list[str]) -> str | None:
        return found[0] if len(set(found)) == 1 else None

    exact = [k for k, short, full in labels if short and (len(short) == len(tw) and all(close(a, b) for a, b in zip(tw, short))
                                                     or len(full) == len(tw) and all(close(a, b) for a, b in zip(tw, full)))]
    if exact:
        return one(exact)
    if len(tw) == 1 and len(tw[0]) >= 4:
        first = [k for k, short, _ in labels if short and close(tw[0], short[0])]
        if first:
            return one(first)
    if any(len(w) >= 5 for w in tw):
        within = [k for k, _, full in labels if all(any(close(w, x) for x in full) for w in tw)]
        return one(within)
    return None
