"""Complaint channels: how a citizen can complain, and where.

Each text (one list item, or a run-together line) is scanned for cue words
("Telepon", "WA", "e-mail", "Kotak Saran", "Tatap muka", "SP4N-LAPOR", "FB",
...) and for values (phone numbers, e-mail addresses, web addresses). A value
belongs to the closest cue before it that can take it; a value with no cue
speaks for itself (an address with "@" is e-mail, lapor.go.id is LAPOR!).

Some cues only qualify another: "Tertulis disampaikan melalui Kotak Saran" is
the box, not a letter; "website SP4N-LAPOR" is LAPOR!, not a web site. So a
letter cue right before a box cue, and a web cue next to a LAPOR! cue, are
dropped.

A kind listed without a value ("Melalui Email,Telp,WA, FB,Web.") takes the
value the same document gives elsewhere (see :func:`fill_values`).
"""
from __future__ import annotations

import re

KINDS = ("in_person", "box", "letter", "phone", "whatsapp", "fax", "email", "web", "lapor", "social")

_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\bweb-?\s?mail\b|\be-?\s?mail\b|\bsurel\b|\bsurat\s+elektronik\b", re.I)),
    ("lapor", re.compile(r"\bsp4n\b(?:\s*-\s*lapor!?)?|\blapor!|\bLAPOR\b|\blapor\.go\.id\b", re.I)),
    ("whatsapp", re.compile(r"\bwhats\s?app\b|\bWA\b|\bW\.A\.?|\bwa\.me\b", 0)),
    ("whatsapp", re.compile(r"\bwhats\s?app\b", re.I)),
    ("fax", re.compile(r"\bfax\b|\bfaks(?:imile)?\b|\bfaximile\b|\bfacsimile\b|\bfaksimili\b", re.I)),
    ("phone", re.compile(r"\btelepon\b|\btelpon\b|\btelp\b\.?|\btlp\b\.?|\btel\b\.?|\bphone\b|\bcall\s*cent(?:er|re)\b"
                         r"|\bhotline\b|\bsms\b|\bhandphone\b|\bponsel\b|\bno\.?\s*hp\b|\bnomor\s+hp\b", re.I)),
    ("box", re.compile(r"\bkotak\s+(?:saran|pengaduan|aduan|masukan|pos)\b|\bkotak\b", re.I)),
    ("letter", re.compile(r"\btertulis\b|\bsurat\b(?!\s+elektronik)|\bpos\b|\bpersuratan\b", re.I)),
    ("in_person", re.compile(r"\btatap\s*muka\b|\bsecara\s+langsung\b|\bdatang\s+langsung\b|\blangsung\s+ke\b"
                             r"|\bsecara\s+lisan\b|\bdatang\s+ke\b|\bloket\b|\bbertemu\b"
                             r"|\bpetugas\s+(?:penerima\s+)?pengaduan\b|(?:\b|(?<=di))ruang\s+pengaduan\b|\bpos\s+(?:pelayanan|pengaduan)\b", re.I)),
    ("social", re.compile(r"\bfacebook\b|\bFB\b|\binstagram\b|\bIG\b|\btwitter\b|\btiktok\b|\byoutube\b"
                          r"|\bmedia\s+sosial\b|\bmedsos\b", re.I)),
    ("web", re.compile(r"\bwebsite\b|\bweb\b|\bsitus\b|\blaman\b|\bportal\b|\baplikasi\b", re.I)),
]

# Quantifiers are bounded so that a pathological text (50 000 letters, "a.a.a.…")
# costs linear time, not quadratic.
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,6}")
_TLD = r"\.(?:go\.id|co\.id|or\.id|ac\.id|desa\.id|com|org|net|id)\b"
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"',;]{1,300}"
    r"|\b[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,5}" + _TLD + r"(?:/[^\s<>()\"',;]{0,300})?",
    re.I,
)
_URL_HINT_RE = re.compile(r"https?://|www\.|" + _TLD, re.I)
PHONE_RE = re.compile(
    r"(?:\+62|\(0\d{2,4}\)|0\d{2,4})(?:[ \t.\-]?\d{2,12}){1,4}(?:\s*(?:ext|ext\.|pes|psw)\.?\s*\d{1,5})?"
)
#: "Sms Center 1708", "Call Center 112", "hotline 1500": a short code is a number only after such words.
SHORT_CODE_RE = re.compile(r"\b(?:sms(?:\s*(?:center|centre|gateway))?|call\s*cent(?:er|re)|hotline)\s*[:.]?\s*(\d{3,5})\b",
                           re.I)
HANDLE_RE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{2,30}")

_VALUE_KINDS = {
    "phone": ("phone",), "whatsapp": ("phone",), "fax": ("phone",), "email": ("email",),
    "web": ("url",), "lapor": ("url",), "social": ("url", "handle"),
}


def _values(text: str) -> list[tuple[int, str, str]]:
    """(position, type, value) of e-mail addresses, URLs, handles and phone numbers."""
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in (EMAIL_RE.finditer(text) if "@" in text else ()):
        found.append((m.start(), m.end(), "email", m.group(0).rstrip(".")))
        taken.append((m.start(), m.end()))
    for m in (URL_RE.finditer(text) if _URL_HINT_RE.search(text) else ()):
        if free(m.start(), m.end()):
            value = m.group(0).rstrip(".,;:!)]")
            found.append((m.start(), m.end(), "url", value))
            taken.append((m.start(), m.end()))
    for m in HANDLE_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end(), "handle", m.group(0)))
            taken.append((m.start(), m.end()))
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) >= 6 and free(m.start(), m.end()):
            found.append((m.start(), m.end(), "phone", m.group(0).strip(" .-")))
            taken.append((m.start(), m.end()))
    for m in SHORT_CODE_RE.finditer(text):
        if free(m.start(1), m.end(1)):
            found.append((m.start(1), m.end(1), "phone", m.group(1)))
            taken.append((m.start(1), m.end(1)))
    return sorted((a, t, v) for a, _, t, v in found)


def _cues(text: str, values: list[tuple[int, str, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping cue words (longest first at a position), outside values."""
    spans = [(m.start(), m.end(), kind) for kind, rx in _CUES for m in rx.finditer(text)]
    value_spans = []
    for pos, _, value in values:
        value_spans.append((pos, pos + len(value)))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str]] = []
    for a, b, kind in spans:
        if any(not (b <= x or a >= y) for x, y, _ in out):
            continue
        if any(x <= a and b <= y for x, y in value_spans):
            continue  # "lapor" inside www.lapor.go.id is a value, not a cue
        out.append((a, b, kind))
    out.sort()
    return _drop_qualifiers(text, out)


def _words_between(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def _drop_qualifiers(text: str, cues: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    drop: set[int] = set()
    for i, (a, b, kind) in enumerate(cues):
        for j, (c, d, other) in enumerate(cues):
            if i == j:
                continue
            near = _words_between(text, min(b, d), max(a, c)) <= 5
            if kind == "letter" and other == "box" and c > a and near:
                drop.add(i)
            if kind == "web" and other == "lapor" and near:
                drop.add(i)
            if kind == "in_person" and other == "in_person" and j < i and near:
                drop.add(i)
    return [c for i, c in enumerate(cues) if i not in drop]


_GLUED_RE = re.compile(r"(?<=\d)(?=[A-Za-z]{2})")
_SOCIAL_NAME_RE = re.compile(r"^\s*:\s*([A-Za-z][\w .&-]{2,60}?)\s*(?:[;,]|$)")
_PHONE_KINDS = ("phone", "whatsapp")
_JOINED_RE = re.compile(r"[\s/,&]*(?:dan|atau)?[\s/,&]*")


def channels_in(text: str) -> list[dict]:
    """Every channel named in one text, in order, values attached."""
    text = _GLUED_RE.sub(" ", text)  # "WA 082131678887Email : …"
    values = _values(text)
    cues = _cues(text, values)
    channels: list[dict] = []
    used: set[int] = set()
    for i, (a, _, kind) in enumerate(cues):
        end = cues[i + 1][0] if i + 1 < len(cues) else len(text)
        wanted = _VALUE_KINDS.get(kind, ())
        mine = [(k, v) for k, (pos, typ, v) in enumerate(values) if a <= pos < end and typ in wanted and k not in used]
        if kind == "social":
            mine = [(k, v) for k, v in mine if not values[k][2].startswith("http") or
                    re.search(r"facebook|instagram|twitter|tiktok|youtube|x\.com", v, re.I)]
        if mine:
            for k, v in mine:
                used.add(k)
                # "website pengaduan, lapor.go.id": LAPOR!'s address is LAPOR!, whatever names it
                channels.append({"kind": "lapor" if kind == "web" and "lapor.go.id" in v.lower() else kind,
                                 "value": v})
            before = channels[-len(mine) - 1] if len(channels) > len(mine) else None
            if kind in _PHONE_KINDS and before is not None and before["kind"] in _PHONE_KINDS \
                    and before["value"] is None and _JOINED_RE.fullmatch(text[cues[i - 1][1]:a]):
                before["value"] = mine[0][1]  # "SMS/WA 0821…": one number for both
        elif kind == "social" and _SOCIAL_NAME_RE.match(text[cues[i][1]:end]):
            # "Facebook : Dispendukcapil Lamongan": the account's name is its address
            channels.append({"kind": kind, "value": _SOCIAL_NAME_RE.match(text[cues[i][1]:end]).group(1)})
        else:
            channels.append({"kind": kind, "value": None})
    for k, (pos, typ, value) in enumerate(values):
        if k in used or typ != "phone" or not cues:
            continue
        # "SMS/WA dan SPAN Lapor (0813…)": the number serves the value-less phone cues before it
        waiting = [c for c in channels if c["kind"] in _PHONE_KINDS and c["value"] is None]
        if waiting:
            for c in waiting:
                c["value"] = value
        else:
            channels.append({"kind": "phone", "value": value})
        used.add(k)
    for k, (_, typ, value) in enumerate(values):
        if k in used:
            continue
        if typ == "email":
            channels.append({"kind": "email", "value": value})
        elif typ == "url":
            channels.append({"kind": "lapor" if "lapor.go.id" in value.lower() else "web", "value": value})
        elif typ == "phone" and not cues:
            channels.append({"kind": "phone", "value": value})
    return channels


def fill_values(channels: list[dict], directory: list[dict]) -> list[dict]:
    """Give value-less channels the value the document states elsewhere, then dedupe.

    The value comes from the same list first, then from ``directory``: channels
    found in other sections (e.g. a procedure note "Telp. : 036691267"). The
    channel keeps the place of its first mention; exact duplicates go, and so
    does a value-less entry of a kind that has a value.
    """
    filled = []
    for ch in channels:
        if ch["value"] is None and ch["kind"] in _VALUE_KINDS:
            match = next((d for d in [*channels, *directory] if d["kind"] == ch["kind"] and d["value"]), None)
            if match:
                ch = {"kind": ch["kind"], "value": match["value"]}
        filled.append(ch)
    with_value = {c["kind"] for c in filled if c["value"]}
    out: list[dict] = []
    for ch in filled:
        if ch["value"] is None and ch["kind"] in with_value:
            continue
        if ch not in out:
            out.append(ch)
    return out
