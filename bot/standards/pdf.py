"""Text of a PDF standard, with its table cells kept apart (pdfplumber).

Each page gives its lines of running text and its tables in reading order (top to
bottom); a table row becomes a pipe row ``| 1. | Persyaratan | a. KTP b. KK |`` so that
the table reader of :mod:`.markup` sees the cells, instead of the column soup a plain
text extraction makes of them. Pages are separated by form feeds, which is how
:mod:`.prepare` finds the letterhead and page numbers repeated on every page.

A PDF with pages but no text at all is a scan: it is refused with a message saying so,
never turned into an empty service.
"""
from __future__ import annotations

import os

from .errors import NotAStandard


def _cell(text: str | None) -> str:
    return " ".join((text or "").replace("|", "/").split())


def _page_text(page) -> str:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    free = page.filter(outside) if boxes else page
    parts: list[tuple[float, str]] = [(line["top"], line["text"]) for line in free.extract_text_lines()]
    for table in tables:
        rows = []
        for row in table.extract():
            cells = [_cell(c) for c in row]
            deduped = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1] or not c]
            if any(deduped):
                rows.append("| " + " | ".join(deduped) + " |")
        parts.append((table.bbox[1], "\n" + "\n".join(rows) + "\n"))
    parts.sort(key=lambda p: p[0])
    return "\n".join(text for _, text in parts)


def pdf_text(path: str | os.PathLike[str]) -> str:
    """The document's text, pages separated by form feeds; :class:`NotAStandard` when unreadable."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of error on a damaged file
        causes = [exc, exc.__cause__, exc.__context__, *exc.args]
        if any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes):
            raise NotAStandard("encrypted PDF (password protected): save an unprotected copy first") from None
        raise NotAStandard(f"broken PDF file, cannot be read ({exc.__class__.__name__})") from None
    if not pages:
        raise NotAStandard("PDF without pages")
    if not any(p.strip() for p in pages):
        raise NotAStandard(f"scanned PDF: its {len(pages)} page(s) have no text layer "
                           "(run OCR first, e.g. ocrmypdf, or type the standard in)")
    return "\n\f\n".join(pages)
