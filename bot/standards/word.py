"""Text of a DOCX standard (python-docx), tables included, in document order.

Paragraphs and tables are read as they come in the body. A heading style becomes a
Markdown heading, a whole-bold paragraph a bold line, a Word list paragraph (which
keeps its numbering outside the text) a "•" item; a table row becomes a pipe row, with
the cells that python-docx repeats for merged cells kept once.
"""
from __future__ import annotations

import os

from .errors import NotAStandard


def _paragraph(p) -> str:
    text = p.text.strip()
    if not text:
        return ""
    style = (p.style.name if p.style is not None else "") or ""
    if style.lower().startswith(("heading", "title")):
        return "## " + text
    if p._p.pPr is not None and p._p.pPr.numPr is not None:
        return "• " + text
    runs = [r for r in p.runs if r.text.strip()]
    if runs and all(r.bold for r in runs):
        return f"**{text}**"
    return text


def _table(table) -> str:
    rows = []
    for row in table.rows:
        cells = [" ".join(c.text.replace("|", "/").split()) for c in row.cells]
        deduped = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1] or not c]
        if any(deduped):
            rows.append("| " + " | ".join(deduped) + " |")
    return "\n" + "\n".join(rows) + "\n"


def docx_text(path: str | os.PathLike[str]) -> str:
    """The document's text; :class:`NotAStandard` when the file is not a readable DOCX."""
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(os.fspath(path))
        parts = []
        for child in doc.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append(_paragraph(Paragraph(child, doc)))
            elif tag == "tbl":
                parts.append(_table(Table(child, doc)))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError):
        raise NotAStandard("broken DOCX file, cannot be read (not a valid Word document)") from None
    except Exception as exc:  # noqa: BLE001 - a damaged document.xml fails inside lxml/python-docx in many ways
        raise NotAStandard(f"broken DOCX file, cannot be read ({exc.__class__.__name__})") from None
    text = "\n\n".join(p for p in parts if p)
    if not text.strip():
        raise NotAStandard("DOCX file without text")
    return text
