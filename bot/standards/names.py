"""The service's name (the document title) and the agency that provides it.

Name casing: a title written in capitals ("STANDAR PELAYANAN PENGADUAN
MASYARAKAT") is title-cased word by word ("Standar Pelayanan Pengaduan
Masyarakat"); short connectors stay lower case ("dan", "di", "ke", ...) and
known acronyms (KTP, DPMPTSP, SP4N, ...) or words with digits stay as written.
A title with any lower-case letter is kept as written.

Agency: the first mention, outside the legal basis, of an institution
followed by its region ("DPMPTSP Kabupaten Bangli", "Dinas Kesehatan Kota
Denpasar"); failing that, an institution ("Dinas PMPTSP") named at least
twice the same way. Several different units each named once (Kalbar's
"Bagian Bina Mental Spritual, Bagian Pelayanan Dasar …") name no single
agency: null. The title and text before the first section are searched first.
"""
from __future__ import annotations

import re
from collections import Counter

_LOWER_WORDS = {"dan", "atau", "di", "ke", "dari", "untuk", "yang", "pada", "dengan", "serta", "oleh", "bagi"}
ACRONYMS = {"KTP", "KK", "SIM", "SKCK", "NIB", "NPWP", "IMB", "PBG", "OSS", "RT", "RW", "UPT", "UPTD", "RSUD",
            "DPMPTSP", "PMPTSP", "PTSP", "SP4N", "LAPOR", "OPD", "SKPD", "BPJS", "TNI", "POLRI", "ASN", "PNS",
            "KIA", "UMKM", "IUMK", "SIUP", "TDP", "SKTM", "BPBD", "BKPSDM", "DPRD", "APIP", "SOP", "IT", "II",
            "III", "IV", "SPM", "PDAM", "BPKAD", "BAPPEDA", "DISDUKCAPIL", "KESRA", "SETDA", "TPT"}

_INSTITUTION = (r"(?:Dinas|Badan|Kantor|Sekretariat|Biro|Bagian|Kecamatan|Kelurahan|UPTD?|RSUD|Rumah\s+Sakit"
                r"|Puskesmas|Inspektorat|Satuan|Lembaga|Balai|Unit|Pemerintah|[A-Z]{3,}[A-Z0-9]*)")
_REGIONAL_RE = re.compile(
    r"\b(" + _INSTITUTION + r"(?:\s+(?:[A-Z][\w&.-]*|dan|&)){0,10}?)\s+(Kabupaten|Kota|Provinsi|Kab\.)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
_UNIT_RE = re.compile(r"\b((?:Dinas|Badan|Kantor|Biro|Bagian|UPTD?|Kecamatan|Kelurahan|Puskesmas|RSUD|Inspektorat)"
                      r"(?:\s+[A-Z][\w&.-]*){1,5})")
_NOT_AGENCY = {"SP4N", "LAPOR", "KTP", "APIP", "SOP", "WIFI", "TAMU", "WHATSAPP", "EMAIL"}


def title_case(title: str) -> str:
    """Title-case a shouting title; leave a title with lower case alone."""
    title = re.sub(r"\s+", " ", title).strip(" :.-")
    if not title or any(ch.islower() for ch in title):
        return title
    words = []
    for i, word in enumerate(title.split(" ")):
        core = re.sub(r"[^A-Za-z0-9]", "", word)
        if core in ACRONYMS or any(ch.isdigit() for ch in word):
            words.append(word)
        elif i > 0 and word.lower() in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join("/".join(_cap(p) for p in part.split("/")) for part in word.split("-")))
    return " ".join(words)


def _cap(word: str) -> str:
    """"(PEMERIKSAAN" -> "(Pemeriksaan": the first letter, not the first character."""
    m = re.search(r"[A-Za-z]", word)
    if not m:
        return word.lower()
    i = m.start()
    return word[:i] + word[i].upper() + word[i + 1:].lower()


_LABEL_RE = re.compile(r"^(?:(?:[A-Z]|[IVX]{1,4}|\d{1,2})[.)]\s*)?(?:jenis|nama)\s+(?:pelayanan|perizinan|layanan)\s*:?\s*",
                       re.I)
_PADA_RE = re.compile(r"\s+pada\s+((?:[A-Z]{3,}|UPT|UPTD|Dinas|Badan|Kantor|Puskesmas|Kecamatan|Kelurahan)\b.*"
                      r"\b(?:Kabupaten|Kota|Provinsi)\s+\w+.*)$", re.I)


def service_name(title: str) -> tuple[str | None, str | None]:
    """The service's name from a title line, and the agency when the title names it ("… pada Labkesda …")."""
    text = _LABEL_RE.sub("", title.strip()) or title
    text = re.sub(r"^(?:\d{1,2}|[A-Z]|[IVX]{1,4})[.)]\s+(?=\S)", "", text)  # "1. STANDAR PELAYANAN …"
    name = title_case(text)
    m = _PADA_RE.search(name)
    if m and m.start() > 10:
        return name[:m.start()].strip(), title_case(m.group(1).upper()) if m.group(1).isupper() else m.group(1)
    return name or None, None


_REGION_LINE_RE = re.compile(r"^\s*pemerintah\s+((?:kabupaten|kota|provinsi)\s+[a-z][a-z .-]{1,40})\s*$", re.I)
_UNIT_LINE_RE = re.compile(r"^\s*((?:dinas|badan|kecamatan|kelurahan|uptd?|puskesmas|kantor|sekretariat|rsud|balai"
                           r"|inspektorat)\b[a-z ,.&-]{2,90})$", re.I)


def letterhead_agency(lines: list[str]) -> str | None:
    """The agency of a letterhead: "PEMERINTAH KABUPATEN SLEMAN" over "DINAS KEPENDUDUKAN …"."""
    for i, line in enumerate(lines[:8]):
        region = _REGION_LINE_RE.match(line)
        if not region:
            continue
        for nxt in lines[i + 1:i + 3]:
            unit = _UNIT_LINE_RE.match(nxt)
            if unit:
                return f"{title_case(unit.group(1).strip().upper())} {title_case(region.group(1).strip().upper())}"
    return None


def find_agency(texts: list[str]) -> str | None:
    """The agency named by the document (see module doc), or None."""
    for text in texts:
        for m in _REGIONAL_RE.finditer(text):
            inst = m.group(1).strip()
            first = inst.split()[0]
            if first.upper() in _NOT_AGENCY:
                continue
            if first.isupper() and first not in ACRONYMS and not re.fullmatch(r"[A-Z]{3,}", first):
                continue
            return f"{inst} {m.group(2)} {m.group(3)}"
    counts: Counter[str] = Counter()
    for text in texts:
        for m in _UNIT_RE.finditer(text):
            counts[m.group(1).strip(" .,")] += 1
    if counts:
        name, n = counts.most_common(1)[0]
        if n >= 2 and len(counts) == 1 or (n >= 2 and n > 2 * sum(c for k, c in counts.items() if k != name)):
            return name
    return None


def find_title_agency(title: str | None) -> str | None:
    """An agency written in a (possibly all-caps) title: "... DINAS X KABUPATEN Y"."""
    if not title:
        return None
    m = re.search(r"\b((?:DINAS|BADAN|KANTOR|SEKRETARIAT|BIRO|BAGIAN|KECAMATAN|KELURAHAN|UPTD?|RSUD|PUSKESMAS"
                  r"|INSPEKTORAT)\b.*?\b(?:KABUPATEN|KOTA|PROVINSI)\s+[A-Z]+(?:\s+[A-Z]+)?)\s*$", title.upper())
    if not m:
        return None
    start = title.upper().index(m.group(1))
    return title_case(title[start:start + len(m.group(1))].upper())
