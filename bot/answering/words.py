"""Turn what a citizen typed into comparable word stems.

Steps, in order: bound the text (a 64 KB message must cost what a short one costs), fold case and accents,
split into words, expand informal forms (``brp`` -> ``berapa``, ``wa`` -> ``whatsapp``), drop the particles
``-nya/-kah/-lah/-pun`` and stem with the Indonesian Snowball stemmer (PyStemmer), so ``pengaduan``,
``aduan`` and ``mengadu`` all become ``adu``. Typos are corrected against a vocabulary in ``Speller``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import Stemmer
import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

#: Only this much of a message is read: questions are short, and matching must stay cheap on huge texts.
MAX_CHARS = 400
MAX_WORDS = 40

_WORD = re.compile(r"[a-z0-9]+")
_PARTICLES = ("nya", "kah", "lah", "pun")
#: Question words and a few others the stemmer would cut into other words (berapa -> apa, bagaimana -> bagai).
_KEEP = {"berapa", "bagaimana", "dimana", "kemana", "kapan", "siapa", "apakah", "adakah", "mana", "kenapa",
         "tanya", "lama", "kerja", "datang", "ruang", "langsung", "jam", "nomor", "online", "website", "whatsapp",
         "email", "telepon", "faksimile", "sabtu", "minggu", "buka", "tutup", "libur", "kantor", "tempat",
         "petugas", "orang", "pelaksana", "hasil", "produk", "harga", "biaya", "gratis", "hukum", "dasar", "alur",
         "keselamatan"}  # "keselamatan" (safety) is not "selamat" (of "selamat pagi")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    """The language knowledge in ``lexicon.yaml`` (read once per process)."""
    # BaseLoader: every word stays text (safe_load would turn "no", "on", "y" into booleans).
    return yaml.load(Path(__file__).with_name("lexicon.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@functools.lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("indonesian")


def fold(text: str) -> str:
    """Lower case without accents, at most ``MAX_CHARS`` characters."""
    text = (text or "")[:MAX_CHARS]
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def raw_words(text: str) -> list[str]:
    """The words of ``text`` as typed (folded), bounded to ``MAX_WORDS``."""
    out = []
    for w in _WORD.findall(fold(text)):
        # "langkah2nya", "kira2": a doubled word written with a 2.
        if len(w) > 3 and w[-1] == "2" and not w[:-1].isdigit():
            w = w[:-1]
        elif len(w) > 5 and w.endswith("2nya"):
            w = w[:-4]
        out.append(w)
        if len(out) >= MAX_WORDS:
            break
    return out


def expand(words: list[str]) -> list[str]:
    """Informal forms replaced by the words they stand for."""
    table = lexicon()["abbreviations"]
    out: list[str] = []
    for w in words:
        full = table.get(w)
        if full is None and w.endswith("nya") and len(w) > 5:
            full = table.get(w[:-3])
            if full is not None:
                full = full  # "wanya" -> "whatsapp"
        out.extend(str(full).split() if full is not None else [w])
    return out


def strip_particles(word: str) -> str:
    if word in _KEEP or word.isdigit():
        return word
    for p in _PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 4:
            return word[: -len(p)]
    return word


#: Words the Snowball stemmer cuts wrongly ("keluhan" -> "luhan": it takes "ke-" for a prefix).
_STEMS = {"keluhan": "keluh", "mengeluh": "keluh", "mengeluhkan": "keluh", "keluhkan": "keluh", "dikeluhkan": "keluh"}


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one folded word (``pengaduannya`` -> ``adu``)."""
    word = strip_particles(word)
    if word in _STEMS:
        return _STEMS[word]
    if word in _KEEP or word.isdigit() or len(word) <= 3:
        return word
    return _stemmer().stemWord(word)


def surface(text: str) -> list[str]:
    """Folded, expanded words without particles: the forms typos are corrected on."""
    return [strip_particles(w) for w in expand(raw_words(text))]


def stems(text: str) -> list[str]:
    return [stem(w) for w in surface(text)]


def split_joined(word: str, known) -> list[str] | None:
    """"biayanyabrp" -> ["biaya", "berapa"]: a word typed without its space, when both halves are words
    (``known(surface_word)``) and the whole is not; the split with the longest shorter half wins."""
    if len(word) < 6 or word.isdigit():
        return None
    best: list[str] | None = None
    best_len = 0
    for i in range(2, len(word) - 1):
        left, right = expand([word[:i]]), expand([word[i:]])
        parts = [strip_particles(w) for w in (*left, *right)]
        shorter = min(i, len(word) - i)
        if shorter > best_len and all(known(w) for w in parts):
            best, best_len = parts, shorter
    return best


class Speller:
    """Correct a misspelt word to the closest word of a vocabulary (rapidfuzz edit distance)."""

    def __init__(self, vocabulary: set[str]):
        self.known = set(vocabulary)
        self._by_first: dict[str, list[str]] = {}
        for w in sorted(self.known):  # sorted: the same correction on every run
            if len(w) >= 4:
                self._by_first.setdefault(w[0], []).append(w)

    def correct(self, word: str) -> str:
        if word in self.known or len(word) < 4 or word.isdigit():
            return word
        # One edit for short words, two for long ones; the first letter is rarely wrong.
        limit = 1 if len(word) < 7 else 2
        candidates = self._by_first.get(word[0], [])
        best = process.extractOne(word, candidates, scorer=Levenshtein.distance, score_cutoff=limit)
        return best[0] if best else word


def without_greetings(words: list[str]) -> tuple[list[str], bool]:
    """``words`` without greeting phrases, and whether there was one."""
    phrases = sorted((g.split() for g in lexicon()["greetings"]), key=len, reverse=True)
    out, i, greeted = [], 0, False
    while i < len(words):
        match = next((p for p in phrases if words[i:i + len(p)] == p), None)
        if match:
            i += len(match)
            greeted = True
        else:
            out.append(words[i])
            i += 1
    return out, greeted
