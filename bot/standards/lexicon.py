"""The words of the fourteen components: how each is headed in published standards.

Known wordings of PermenPAN-RB 15/2014 and of the older KepmenPAN 63/2003 ("Waktu
Pelayanan", "Biaya Pelayanan", "Prosedur Pelayanan") and local variants, with
connectors removed; :func:`match_heading` compares a text's first words with them. A
word matches when it is equal or, for words of five letters or more, at least 80%
similar (typos). ``OTHER`` collects components that have no field of their own
("Pejabat yang bertanggung jawab", "Jam Pelayanan"): they are recognised so that their
text stays out of the component before them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

OTHER = "_other"

#: canonical key -> the known wordings (connectors removed), longest first.
HEADINGS: dict[str, list[tuple[str, ...]]] = {
    "requirements": [("persyaratan", "pelayanan"), ("persyaratan", "layanan"),
                     ("persyaratan", "administrasi"), ("persyaratan",), ("syarat", "syarat"),
                     ("syarat", "pelayanan")],
    "procedure": [("sistem", "mekanisme", "prosedur", "pelayanan"), ("sistem", "mekanisme", "prosedur", "layanan"),
                  ("prosedur", "mekanisme", "pelayanan"), ("mekanisme", "prosedur", "pelayanan"),
                  ("sistem", "mekanisme", "prosedur"),
                  ("mekanisme", "prosedur"), ("sistem", "prosedur"), ("prosedur", "mekanisme"),
                  ("sistem", "mekanisme"), ("prosedur", "pelayanan"), ("prosedur", "layanan"),
                  ("alur", "pelayanan"), ("mekanisme", "pelayanan"), ("alur", "prosedur"),
                  ("tata", "cara", "pelayanan"), ("prosedur",), ("mekanisme",)],
    "completion_time": [("jangka", "waktu", "penyelesaian", "pelayanan"), ("jangka", "waktu", "penyelesaian"),
                        ("jangka", "waktu", "pelayanan"), ("waktu", "penyelesaian"),
                        ("jangka", "waktu"), ("lama", "penyelesaian"), ("waktu", "pelayanan"),
                        ("lama", "waktu", "penyelesaian"), ("lama", "waktu")],
    "fee": [("biaya", "tarif", "pelayanan"), ("biaya", "tarif"), ("tarif", "biaya"), ("biaya", "pelayanan"),
            ("biaya", "layanan"), ("besarnya", "biaya"), ("besaran", "biaya"), ("rincian", "biaya"),
            ("biaya",), ("tarif",)],
    "products": [("produk", "pelayanan"), ("produk", "layanan"), ("hasil", "pelayanan"), ("produk",)],
    "complaints": [("penanganan", "pengaduan", "saran", "masukan"), ("pengelolaan", "pengaduan", "saran", "masukan"),
                   ("penanganan", "pengaduan"), ("pengelolaan", "pengaduan"), ("pengaduan", "saran", "masukan"),
                   ("layanan", "pengaduan"), ("saluran", "pengaduan"), ("media", "pengaduan")],
    "legal_basis": [("dasar", "hukum"), ("landasan", "hukum"), ("hukum", "mendasari"), ("peraturan", "mendasari"),
                    ("regulasi", "mendasari")],
    "facilities": [("sarana", "prasarana", "fasilitas"), ("sarana", "prasarana"), ("sarana", "fasilitas"),
                   ("fasilitas", "pelayanan"), ("fasilitas",)],
    "competencies": [("kompetensi", "pelaksana"), ("kompetensi", "petugas"), ("kompetensi",)],
    "supervision": [("pengawasan", "internal"), ("pengawasan", "intern")],
    "staff": [("jumlah", "pelaksana"), ("jumlah", "petugas"), ("jumlah", "pegawai")],
    "guarantees": [("jaminan", "pelayanan"), ("jaminan", "layanan"), ("maklumat", "pelayanan")],
    "safety": [("jaminan", "keamanan", "keselamatan", "pelayanan"), ("jaminan", "keamanan", "keselamatan"),
               ("jaminan", "keamanan"), ("jaminan", "keselamatan"), ("keamanan", "keselamatan")],
    "evaluation": [("evaluasi", "kinerja", "pelaksana"), ("evaluasi", "kinerja", "pelayanan"),
                   ("evaluasi", "kinerja")],
    # components with no field of their own (KepmenPAN 63/2003 and local additions): kept out of the
    # sections before them and reported as unplaced
    OTHER: [("pejabat", "bertanggung", "jawab"), ("penanggung", "jawab", "pelayanan"), ("lokasi", "pelayanan"),
            ("tempat", "pelayanan"), ("jam", "pelayanan"), ("jam", "kerja", "pelayanan"), ("waktu", "buka"),
            ("budaya", "pelayanan"), ("perlakuan", "masyarakat", "berkebutuhan", "khusus"),
            ("pelayanan", "khusus"), ("kategori", "pelayanan")],
}

#: How each key is called in warnings (the usual Indonesian heading).
DISPLAY = {
    "requirements": "Persyaratan", "procedure": "Sistem, Mekanisme dan Prosedur",
    "completion_time": "Jangka Waktu Penyelesaian", "fee": "Biaya/Tarif",
    "products": "Produk Pelayanan", "complaints": "Penanganan Pengaduan, Saran dan Masukan",
    "legal_basis": "Dasar Hukum", "facilities": "Sarana, Prasarana dan/atau Fasilitas",
    "competencies": "Kompetensi Pelaksana", "supervision": "Pengawasan Internal",
    "staff": "Jumlah Pelaksana", "guarantees": "Jaminan Pelayanan",
    "safety": "Jaminan Keamanan dan Keselamatan", "evaluation": "Evaluasi Kinerja Pelaksana",
}

_CONNECTORS = {"dan", "atau", "serta", "and", "or", "the", "of", "yang"}
_WORD_RE = re.compile(r"[A-Za-z0-9]+")

@dataclass
class HeadingMatch:
    key: str
    end: int  # offset in the text just after the last matched word
    words: int  # how many words the wording has
    exact: bool


@lru_cache(maxsize=8192)
def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) < 5 or len(b) < 5 or abs(len(a) - len(b)) > 3 or a[0] != b[0] and a[-1] != b[-1]:
        return 0.0
    matcher = SequenceMatcher(None, a, b)
    return matcher.ratio() if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 else 0.0


def match_heading(text: str) -> HeadingMatch | None:
    """The known heading that ``text`` starts with, if any (longest wording wins)."""
    tokens = [(m.group(0).lower(), m.end()) for m in _WORD_RE.finditer(text[:200])]
    tokens = [t for t in tokens if t[0] not in _CONNECTORS]
    if not tokens:
        return None
    best: HeadingMatch | None = None
    best_score = 0.0
    for key, variants in HEADINGS.items():
        for words in variants:
            if len(words) > len(tokens):
                continue
            scores = []
            for i, w in enumerate(words):
                scores.append(_similar(w, tokens[i][0]))
                if scores[-1] < 0.8:
                    break
            if min(scores) < 0.8:
                continue
            if len(words) == 1 and scores[0] < 1.0 and len(tokens) > 1:
                continue  # "FASILITASI PEMBINAAN …" is not a misspelt "Fasilitas"
            score = len(words) + sum(scores) / len(words) / 10
            if score > best_score:
                best_score = score
                best = HeadingMatch(key, tokens[len(words) - 1][1], len(words), min(scores) == 1.0)
    if best is None:
        return None
    after = [t for t, _ in tokens[best.words:best.words + 1]]
    if best.key == "completion_time" and after[:1] == ["pengaduan"]:
        return None  # "Jangka Waktu Penyelesaian Pengaduan" is inside complaint handling
    if best.key == "procedure" and best.words == 1 and after[:1] and after[0] in ("pengaduan", "penanganan", "pelaporan"):
        return None  # "Prosedur pengaduan", "Mekanisme penanganan …" are inside complaint handling
    return best
