"""Reading a standard from disk: decoding, and refusing what is not a text standard.

PDF and DOCX files are read by :mod:`.pdf` and :mod:`.word`. Other bytes are
decoded as UTF-8 (with or without BOM), UTF-16 when a BOM says so, else cp1252,
else latin-1 (which never fails). A file is refused with :class:`NotAStandard`
when it is missing or unreadable, empty, binary (NUL bytes, a known binary
signature, or more than 5% control characters), a scanned, encrypted or broken
PDF or DOCX, or when no known section heading is found in it.
"""
from __future__ import annotations

import os
import unicodedata

from .errors import NotAStandard
from .parse import parse_document, parse_services
from .pdf import pdf_text
from .word import docx_text

_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "an old Word (.doc) file or a password-protected Office file "
                            "(save it as DOCX or PDF without a password)",
    b"\x89PNG": "an image (a scan: type the standard in or run OCR first)",
    b"\xff\xd8\xff": "an image (a scan: type the standard in or run OCR first)", b"GIF8": "an image",
}


def decode(data: bytes) -> str:
    """Decode bytes, trying UTF-8, UTF-16 (BOM), cp1252, latin-1 in that order."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:20000]
    bad = sum(1 for ch in sample
              if (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\t\n\r\f\v")
              or ch == "\ufffd")
    return bad > max(2, len(sample) * 0.05)


def read_standard_text(path: str | os.PathLike[str]) -> str:
    """The text of a file, or :class:`NotAStandard` saying why it cannot be one."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise NotAStandard("no such file") from None
    except IsADirectoryError:
        raise NotAStandard("is a directory, not a file") from None
    except OSError as exc:
        raise NotAStandard(f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise NotAStandard("empty file")
    if b"%PDF-" in data[:1024]:
        return pdf_text(path)
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" not in data and b"[Content_Types].xml" not in data:
            raise NotAStandard("binary file: a ZIP file that is not a DOCX document")
        return docx_text(path)
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise NotAStandard(f"binary file: {what}")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotAStandard("binary file (contains NUL bytes)")
    text = decode(data)
    if _looks_binary(text):
        raise NotAStandard("binary file (mostly non-text bytes)")
    if not text.strip():
        raise NotAStandard("empty file")
    return text


def parse_file(path: str | os.PathLike[str]) -> dict:
    """Read and parse a standard (its first service); only ever raises :class:`NotAStandard`."""
    text = read_standard_text(path)
    try:
        parsed, found = parse_document(text)
    except Exception as exc:  # noqa: BLE001 - never raise anything but NotAStandard
        raise NotAStandard(f"could not be parsed ({exc.__class__.__name__}: {exc})") from None
    if found == 0:
        raise NotAStandard("no known section heading found (Persyaratan, Prosedur, Biaya/Tarif, ...)")
    return parsed


def parse_file_services(path: str | os.PathLike[str]) -> tuple[str, list[dict]]:
    """The text read from the file and every service in it; only ever raises :class:`NotAStandard`."""
    text = read_standard_text(path)
    try:
        services = parse_services(text)
    except Exception as exc:  # noqa: BLE001 - never raise anything but NotAStandard
        raise NotAStandard(f"could not be parsed ({exc.__class__.__name__}: {exc})") from None
    services = [parsed for parsed, found in services if found]
    if not services:
        raise NotAStandard("no known section heading found (Persyaratan, Prosedur, Biaya/Tarif, ...)")
    return text, services
