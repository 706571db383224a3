"""Decide what a question asks: which fact of which service, or what to ask back.

Three signals, each from the pack or the language, never from per-service keyword lists:
- the fact kind, from the standard's component names and how people ask for them (``lexicon.yaml`` cues);
- the service, from the words of the services' own names;
- the fact's content, by BM25 over the standard's text ("ada mushola?" finds the facilities that list one).
A question naming a kind of service the pack does not have is "not served here", never another service's facts.
"""
from __future__ import annotations

from collections import defaultdict
import re
from dataclasses import dataclass, replace

from bot.answering.index import AGENCY_KINDS, CHANNEL_KINDS, GENERIC, KINDS, Index
from bot.answering.words import raw_words, split_joined, stem, surface, without_greetings

#: How close two candidates may score before the citizen is asked to choose.
TIE = 0.05
#: At most this many choices are offered in one clarifying question.
MAX_CHOICES = 6
#: Words about complaining: they say what the citizen wants to do, not which fact they ask about.
COMPLAINT = {"adu", "komplain", "complain", "complaint", "complaints", "keluh", "lapor"}
#: A message this many words long or more may tell a story before its question (``question_of``).
LONG_MESSAGE = 16
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+|\n+")
#: Words that make a sentence a question even without a question mark.
ASKING = {"apa", "apakah", "bagaimana", "gimana", "gmn", "berapa", "brp", "kapan", "dimana", "kemana", "siapa",
          "mana", "bisakah", "bolehkah", "how", "what", "where", "when", "who", "can", "do", "does", "is", "are"}
#: Words that ask how something is done.
HOW = {"cara", "how", "bagaimana", "gimana", "gmn"}
#: "bawa KTP", "perlu KK": the word after one of these is a document to bring, not a service asked about.
OBJECT_VERBS = {"bawa", "perlu", "pakai", "pake", "fotokopi", "fc", "lampir", "sertakan", "butuh", "siap"}
#: Words in most of a pack's facts say nothing about which fact is meant.
MIN_IDF = 0.3


@dataclass(frozen=True)
class Understanding:
    """What a message asks. ``intent``: fact | service | clarify | not_served | none."""

    intent: str
    kind: str | None = None
    services: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # for a clarification between facts
    lang: str | None = None
    confident: bool = False
    subject: tuple[str, ...] = ()  # the words that named a service this pack does not have
    greeted: bool = False  # the message opened with a greeting ("selamat pagi, ...")


def language(index: Index, text: str) -> str | None:
    """"en" or "id" when the words say so clearly, else None."""
    words = raw_words(text)
    en = sum(w in index.english for w in words)
    ind = sum(w in index.indonesian for w in words)
    if en > ind and en >= 1:
        return "en"
    if ind > en:
        return "id"
    return None


def _in_order(cue: tuple[str, ...], seq: list[str]) -> bool:
    it = iter(seq)
    return all(any(w == c for w in it) for c in cue)


def understand(index: Index, text: str, current: str | None = None) -> Understanding:
    """Read ``text`` (``current``: the service the chat is on, if any) and say what it asks.

    A long message that tells a story first is read by its question: the story's words ("ke kantor",
    "kemarin") would otherwise outweigh what is asked. The service may be named in the story only.
    """
    whole = _understand(index, text, current)
    focus = question_of(text)
    if focus is None:
        return whole
    asked = _understand(index, focus, current)
    if not asked.confident or asked.intent not in ("fact", "clarify"):
        return whole
    if asked.kind and not asked.kinds:
        named = _named(index, _tokens(index, text)) or None
        asked = resolve(index, asked.kind, named, current, lang=asked.lang, confident=True)
    return replace(asked, lang=whole.lang, greeted=whole.greeted)


def question_of(text: str) -> str | None:
    """The question of a long message of several sentences (the last one asking), or None."""
    if len(raw_words(text)) < LONG_MESSAGE:
        return None
    sentences = [s for s in _SENTENCE.split(text[:2000]) if raw_words(s)]
    if len(sentences) < 2:
        return None
    asking = [s for s in sentences if "?" in s or ASKING & set(raw_words(s))]
    return asking[-1] if asking else None


def _tokens(index: Index, text: str) -> set[str]:
    plain, _ = without_greetings(_unjoined(index, surface(text)))
    return {_known(index, w) for w in plain}


def _understand(index: Index, text: str, current: str | None = None) -> Understanding:
    lang = language(index, text)
    plain, greeted = without_greetings(_unjoined(index, surface(text)))
    seq = [_known(index, w) for w in plain]
    tokens = set(seq)
    typed = {stem(w) for w in plain}  # before typo correction: "loketnya" must not become "loker"
    if not tokens:
        return Understanding("none", lang=lang, greeted=greeted)
    named = _named(index, tokens)
    name_words = set().union(*(index.names[s] for s in named)) if named else set()
    cue_score, used = _cues_in(index, seq, name_words)
    residual = {t for t in tokens - index.fillers - used - index.agency_words - name_words - GENERIC
                if not t.isdigit() and len(t) > 1}
    foreign = _foreign(index, seq, residual & typed)
    if foreign and not named and not (COMPLAINT - {"lapor"}) & tokens:
        # A complaint about a permit this agency does not issue is still a complaint ("lapor" may be a report).
        return Understanding("not_served", lang=lang, subject=foreign, confident=True)
    scope = named or ([current] if current in index.names else None)
    content, content_service = _content(index, residual - COMPLAINT, scope)
    total = {k: cue_score.get(k, 0.0) + content.get(k, 0.0) for k in {*cue_score, *content}}
    total = {k: v for k, v in total.items() if v >= 1.0}
    if not total:
        if len(named) == 1:
            return Understanding("service", services=tuple(named), lang=lang, confident=True)
        if named:
            return Understanding("clarify", services=tuple(named[:MAX_CHOICES]), lang=lang, confident=True)
        return Understanding("none", lang=lang, greeted=greeted)
    ranked = sorted(total, key=lambda k: (-total[k], KINDS.index(k)))  # ties: the lexicon's order, every run
    best = ranked[0]
    confident = cue_score.get(best, 0.0) >= 1.5 or content.get(best, 0.0) >= 1.5
    close = [k for k in ranked[1:3] if total[k] >= total[best] - TIE]
    if best in CHANNEL_KINDS:
        # "alamat websitenya", "the email address": the address asked for is the channel's own.
        close = [k for k in close if k != "address"]
    if close and best not in AGENCY_KINDS:
        return Understanding("clarify", services=tuple(scope or ()), kinds=(best, *close), lang=lang,
                             confident=confident)
    if best in AGENCY_KINDS:
        return Understanding("fact", kind=best, lang=lang, confident=confident)
    return resolve(index, best, named or None, current, content_service.get(best), lang=lang, confident=confident)


def service_match(index: Index, text: str) -> float:
    """How strongly ``text`` names one of this pack's services (0: none): the rarity of the name words used.

    A front desk compares it across its agencies' packs to find whose service a question is about; the
    complaint words are left out, since every agency takes complaints.
    """
    plain, _ = without_greetings(surface(text))
    tokens = {_known(index, w) for w in plain} - COMPLAINT - GENERIC
    return max((sum(index.name_idf[t] for t in tokens & names) for names in index.names.values()), default=0.0)


def resolve(index: Index, kind: str, named: list[str] | None = None, current: str | None = None,
            by_content: list[str] | None = None, lang: str | None = None, confident: bool = True) -> Understanding:
    """Which service answers ``kind``: one, all of them when they state the same fact, or ask which."""
    services = _services_for(index, kind, named or [], current, by_content)
    if len(services) > 1 and not _agree(index, services, kind):
        return Understanding("clarify", kind=kind, services=tuple(services[:MAX_CHOICES]), lang=lang,
                             confident=confident)
    return Understanding("fact", kind=kind, services=tuple(services[:1]), lang=lang, confident=confident)


def _cues_in(index: Index, seq: list[str], name_words: set[str]) -> tuple[dict[str, float], set[str]]:
    """Per fact kind, the weight of its cues in the question; and the words the cues used."""
    # "keluhan kemana", "komplain lewat apa": a complaint word reads as "adu" for the cues ("adu kemana").
    # Not "lapor": it is also the name of a channel (LAPOR!) with cues of its own.
    typed = set(seq)
    alike = ["adu" if t in COMPLAINT - {"lapor"} else t for t in seq]
    tokens = typed | set(alike)
    score: dict[str, float] = defaultdict(float)
    used: set[str] = set()
    # "how long will my complaint take": that "how" asks for a duration, not for the manner of complaining.
    how_long = any(a == "how" and b in ("long", "soon", "many") for a, b in zip(seq, seq[1:]))
    for kind, cues in index.cues.items():
        for cue, weight in cues:
            # A cue made only of the named service's own words ("ruang" in "Ruang Loket") asks for nothing.
            same = tuple("adu" if c in COMPLAINT - {"lapor"} else c for c in cue)
            if ((tokens.issuperset(cue) and (len(cue) == 1 or _in_order(cue, seq)))
                    or (tokens.issuperset(same) and (len(same) == 1 or _in_order(same, alike)))) \
                    and not name_words.issuperset(cue) and not (how_long and "how" in cue and kind != "time"):
                score[kind] += weight
                used.update(cue)
    how = HOW & tokens
    if how and COMPLAINT & name_words and score.get("complaints") and not score.get("time"):
        # The service asked about is complaint handling itself: "cara ngadu" asks for its procedure.
        moved = sum(w for cue, w in index.cues["complaints"] if how & set(cue)
                    and _in_order(tuple("adu" if c in COMPLAINT - {"lapor"} else c for c in cue), alike))
        if moved:
            score["complaints"] -= moved
            score["procedure"] += moved
            if score["complaints"] <= 0:
                del score["complaints"]
    if COMPLAINT & tokens and score.get("time") and not COMPLAINT & name_words:
        # "berapa lama pengaduan ditanggapi": the time of a complaint, not of the service.
        score["deadlines"] += score.pop("time")
    if "adu" in used:
        used |= typed & (COMPLAINT - {"lapor"})
    return score, used


def _foreign(index: Index, seq: list[str], residual: set[str]) -> tuple[str, ...]:
    """Words naming a kind of public service (the lexicon's ``subjects``) that the pack's texts never mention.

    Only those: a word the bot does not know ("pengunjung", "oknum", "until") says nothing about what is
    served, and "that service is not served here" must never rest on it; such a question is answered from
    what is stated, or with "not stated" and the agency's contacts.
    """
    objects = {seq[i + 1] for i, t in enumerate(seq[:-1]) if t in OBJECT_VERBS}
    return tuple(t for t in sorted(residual - objects) if t in index.subjects)


def _named(index: Index, tokens: set[str]) -> list[str]:
    """The services whose names the question uses most (by the rarity of the shared words)."""
    scores, hits = {}, {}
    for sid, names in index.names.items():
        hit = tokens & names
        if hit:
            scores[sid] = sum(index.name_idf[t] for t in hit) + 0.01 * len(hit) / len(names)
            hits[sid] = hit
    if any(not h <= COMPLAINT for h in hits.values()):
        # "pengaduan pembinaan masyarakat": the complaint word is what is asked about (its channels,
        # deadlines), the other service is the one named.
        scores = {sid: v for sid, v in scores.items() if not hits[sid] <= COMPLAINT}
    if not scores:
        return []
    top = max(scores.values())
    return sorted((s for s, v in scores.items() if v >= top - 1e-6), key=index.service_ids.index)


def _content(index: Index, residual: set[str], scope: list[str] | None) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Per kind: how much of the question's remaining words a fact of that kind holds (0..2), and whose facts.

    One matching word counts half as much as several: a lone word found in a long text is weak evidence.
    """
    terms = sorted(t for t in residual if t in index.postings and index.idf[t] >= MIN_IDF)
    if not terms:
        return {}, {}
    mass = sum(index.idf[t] for t in residual if t in index.postings) or 1.0
    by_kind: dict[str, float] = {}
    service_of: dict[str, list[str]] = {}
    for doc, (_score, covered) in sorted(index.bm25(set(terms), scope).items()):
        sid, kind = index.docs[doc]
        hits = sum(1 for t in terms if doc in index.doc_sets[t])
        value = (2.0 if hits >= 2 else 1.0) * covered / mass
        if value > by_kind.get(kind, 0.0) + 1e-9:
            by_kind[kind] = value
            service_of[kind] = [sid]
        elif abs(value - by_kind.get(kind, -1.0)) <= 1e-9:
            service_of[kind].append(sid)
    return by_kind, service_of


def _unjoined(index: Index, words: list[str]) -> list[str]:
    """The words, with any two typed together ("pembinaanmasyarakat", "biayanyabrp") taken apart."""
    def known(w: str) -> bool:
        return len(w) >= 2 and stem(w) in index.known_stems

    out: list[str] = []
    for w in words:
        if stem(w) in index.known_stems or index.speller.correct(w) != w:
            out.append(w)
            continue
        out.extend(split_joined(w, known) or [w])
    return out


def _known(index: Index, word: str) -> str:
    """The stem of ``word``, after correcting it when neither it nor its stem is a word the bot knows."""
    stemmed = stem(word)
    if stemmed in index.known_stems or stemmed in COMPLAINT:  # "keluhan" is not a typo of "keluar"
        return stemmed
    return stem(index.speller.correct(word))


def _services_for(index: Index, kind: str, named: list[str], current: str | None,
                  by_content: list[str] | None) -> list[str]:
    if named:
        return named
    if current in index.names:
        return [current]
    if len(index.service_ids) == 1 or by_content:
        return (by_content or index.service_ids)[:1]  # by content: the question's own words are in its fact
    return list(index.service_ids)


def _agree(index: Index, services: list[str], kind: str) -> bool:
    """Whether every service in ``services`` states the same fact, so one answer serves them all."""
    return len({index.signature.get((s, kind)) for s in services}) == 1
