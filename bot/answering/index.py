"""The searchable form of one content pack, built once per pack load.

Every fact of every service becomes a small document of word stems (its kind and service beside it), ranked
with BM25 over an inverted index; services are found by the words of their own names. Nothing here is
written per service: a service imported yesterday is searchable by its standard's text alone.
"""
from __future__ import annotations

import math
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.answering.words import Speller, lexicon, stem, surface
from bot.content import Pack, Service

#: Kinds answered from a list or text of the service (the others are channels or agency facts).
TEXT_KINDS = ("requirements", "procedure", "time", "fee", "products", "deadlines", "legal", "facilities",
              "competencies", "supervision", "staff", "guarantees", "safety", "evaluation")
CHANNEL_KINDS = ("whatsapp", "phone", "email", "fax", "web", "lapor", "box", "in_person", "letter", "social")
SERVICE_KINDS = (*TEXT_KINDS, "complaints", *CHANNEL_KINDS)
AGENCY_KINDS = ("office_hours", "address")
KINDS = (*SERVICE_KINDS, *AGENCY_KINDS)
#: Words in nearly every service's name that say nothing about which service it is.
GENERIC = {"layan", "pelayanan", "layanan", "standar", "terbit", "penerbitan", "urus", "buat", "bagi", "wni",
           "kabupaten", "kota", "baru", "dan", "atau", "untuk", "di", "ke", "service", "services", "the", "of", "sp",
           "masyarakat", "public", "umum"}
K1, B = 1.2, 0.75


def fact_texts(service: Service, kind: str) -> list[str]:
    """The standard's text for ``kind`` of ``service`` (what is searched, and compared between services)."""
    s = service
    if kind in ("requirements", "procedure", "products", "facilities", "competencies", "supervision",
                "guarantees", "safety", "evaluation"):
        return list(getattr(s, kind))
    if kind == "legal":
        return list(s.legal_basis)
    if kind == "time":
        return [s.completion_time.text] if s.completion_time.text else []
    if kind == "fee":
        return [s.fee.text] if s.fee.text else []
    if kind == "staff":
        return [s.staff] if s.staff else []
    if kind == "deadlines":
        return [f"{d.class_} {d.hours or ''} {d.working_days or ''}" for d in s.complaint_deadlines]
    if kind == "complaints":
        return [f"{c.kind} {c.value or ''}" for c in s.complaint_channels]
    if kind in CHANNEL_KINDS:
        return [c.value or c.kind for c in s.complaint_channels if c.kind == kind]
    return []


def _plain(text: str) -> str:
    """Text compared between services: case and punctuation do not make two facts different."""
    return "".join(c if c.isalnum() else " " for c in (text or "").lower())


def _cues() -> dict[str, list[tuple[tuple[str, ...], float]]]:
    """Per kind: each cue's stems in the order written, and its weight."""
    table: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for kind, cues in lexicon()["kinds"].items():
        for cue in cues:
            phrase, _, weight = str(cue).partition(":")
            words = tuple(dict.fromkeys(stem(w) for w in surface(phrase)))
            if words:
                table.setdefault(kind, []).append((words, float(weight or 1)))
    return table


@dataclass
class Index:
    """What ``rank.understand`` reads: service names, fact documents, cues and the vocabulary."""

    service_ids: list[str]
    names: dict[str, set[str]]  # service id -> distinctive stems of its name and keywords
    name_idf: dict[str, float]
    docs: list[tuple[str, str]]  # (service id, kind)
    doc_len: list[int]
    avg_len: float
    postings: dict[str, list[tuple[int, int]]]  # stem -> [(doc, term frequency)]
    idf: dict[str, float]
    signature: dict[tuple[str, str], tuple]  # (service, kind) -> the fact's text, to see when services agree
    cues: dict[str, list[tuple[tuple[str, ...], float]]]
    fillers: set[str]
    subjects: set[str]
    agency_words: set[str]
    pack_stems: set[str]
    known_stems: set[str]
    speller: Speller
    english: set[str]
    indonesian: set[str]
    doc_of: dict[tuple[str, str], int] = field(default_factory=dict)
    doc_sets: dict[str, set[int]] = field(default_factory=dict)  # stem -> the documents holding it

    def bm25(self, terms: set[str], services: list[str] | None = None) -> dict[int, tuple[float, float]]:
        """Per document holding one of ``terms`` (only ``services``' documents when given): its BM25 score
        and the summed IDF of the terms it holds (how much of the question it covers)."""
        allowed = set(services) if services is not None else None
        scores: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for term in terms:
            idf = self.idf[term]
            for doc, tf in self.postings.get(term, ()):
                if allowed is not None and self.docs[doc][0] not in allowed:
                    continue
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.doc_len[doc] / self.avg_len))
                entry = scores[doc]
                entry[0] += idf * norm
                entry[1] += idf
        return {d: (v[0], v[1]) for d, v in scores.items()}


def build_index(pack: Pack) -> Index:
    """Index ``pack`` (a few milliseconds per service; done once per load, see ``index_for``)."""
    lex = lexicon()
    names: dict[str, set[str]] = {}
    docs: list[tuple[str, str]] = []
    doc_terms: list[Counter] = []
    signature: dict[tuple[str, str], tuple] = {}
    vocabulary: set[str] = set()
    for s in pack.services:
        words = [*surface(s.name), *surface(s.name_en or ""), *(w for k in s.keywords for w in surface(k))]
        vocabulary.update(words)
        names[s.id] = {stem(w) for w in words} - GENERIC - {stem(w) for w in lex["fillers"]}
        for kind in SERVICE_KINDS:
            texts = fact_texts(s, kind)
            signature[(s.id, kind)] = tuple(" ".join(_plain(t).split()) for t in texts)
            if kind in CHANNEL_KINDS or not texts:
                continue
            if kind == "procedure" and s.flow:
                texts = [*texts, *s.flow.nodes.values()]
            sw = [w for t in texts for w in surface(t)]
            vocabulary.update(sw)
            docs.append((s.id, kind))
            doc_terms.append(Counter(stem(w) for w in sw))
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, terms in enumerate(doc_terms):
        for term, tf in terms.items():
            postings[term].append((i, tf))
    n = max(len(docs), 1)
    idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
    name_df = Counter(t for ts in names.values() for t in ts)
    m = max(len(names), 1)
    name_idf = {t: math.log(1 + (m - df + 0.5) / (df + 0.5)) + 0.1 for t, df in name_df.items()}
    agency = pack.agency
    agency_words = {stem(w) for w in surface(f"{agency.name} {agency.short_name} {agency.id.replace('-', ' ')}")}
    agency_words |= {stem(w) for s in pack.services for w in surface(s.agency or "")}
    cues = _cues()
    lexicon_words = {*lex["fillers"], *lex["subjects"], *lex["english"], *lex["indonesian"],
                     *(w for v in lex["abbreviations"].values() for w in str(v).split()),
                     *(w for cs in lex["kinds"].values() for c in cs for w in surface(str(c).partition(":")[0]))}
    vocabulary |= {w for w in lexicon_words}
    vocabulary |= {w for w in surface(f"{agency.name} {agency.short_name}")}
    pack_stems = set(postings) | {t for ts in names.values() for t in ts}
    lengths = [sum(c.values()) for c in doc_terms]
    index = Index(
        service_ids=[s.id for s in pack.services], names=names, name_idf=name_idf, docs=docs,
        doc_len=lengths, avg_len=(sum(lengths) / len(lengths)) if lengths else 1.0, postings=dict(postings), idf=idf,
        signature=signature, cues=cues, fillers={stem(w) for w in lex["fillers"]} | set(lex["fillers"]),
        subjects={stem(w) for w in lex["subjects"]}, agency_words=agency_words, pack_stems=pack_stems,
        known_stems=pack_stems | {stem(w) for w in lexicon_words}, speller=Speller(vocabulary),
        english=set(lex["english"]), indonesian=set(lex["indonesian"]))
    index.doc_of = {d: i for i, d in enumerate(docs)}
    index.doc_sets = {t: {d for d, _ in p} for t, p in postings.items()}
    return index


_cache: dict[int, tuple[weakref.ref, Index]] = {}


def index_for(pack: Pack) -> Index:
    """The index of ``pack``, built on first use and kept as long as the loaded pack lives."""
    entry = _cache.get(id(pack))
    if entry is not None and entry[0]() is pack:
        return entry[1]
    index = build_index(pack)
    key = id(pack)
    _cache[key] = (weakref.ref(pack, lambda _ref, key=key: _cache.pop(key, None)), index)
    return index
