"""The report as a PDF (ReportLab platypus), with matplotlib charts.

Monthly: summary, the complaint recap by channel, category, class and unit,
consultations and requests, the SKM results. Semester: the usual SKM report
(Pendahuluan, Metodologi, Hasil with the nine elements and the respondent
profile, Kesimpulan dan Saran, the suggestions received) with the recap as an
appendix. DejaVu Sans from matplotlib's own data folder, so the PDF needs no
system font and prints "–", "χ²" and "Σ".
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)
from xml.sax.saxutils import escape

from bot.content import Pack
from bot.reports import charts
from bot.reports import tables as t
from bot.reports.csv_out import cell_text
from bot.reports.figures import Figures
from bot.reports.narrative import conclusions
from bot.skm.ikm import ELEMENTS
from bot.skm.questionnaire import PROFILE

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONT_DIR / "DejaVuSans-Bold.ttf")))


STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=4),
    "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=13, alignment=TA_CENTER),
    "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12.5, spaceAfter=4),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10),
    "number": ParagraphStyle("number", fontName=FONT, fontSize=8, leading=10, alignment=TA_RIGHT),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=7, leading=9, textColor=colors.grey),
}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _cell(value: t.Cell) -> Paragraph:
    numeric = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
    return _p(cell_text(value), "number" if numeric else "cell")


def _table(table: t.Table, widths: list[float] | None = None, titled: bool = True) -> list:
    data = [[_p(c, "cell") for c in table.columns]]
    data += [[_cell(c) for c in row] for row in table.rows]
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#a0aec0")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    if not titled:
        return [grid, Spacer(1, 4)]
    if len(table.rows) < 30:
        return [KeepTogether([_p(table.title, "h2"), grid]), Spacer(1, 4)]
    return [_p(table.title, "h2"), grid, Spacer(1, 4)]


def _image(png: bytes, width: float = 16 * cm) -> Image:
    image = Image(io.BytesIO(png))
    image.drawHeight = width * image.imageHeight / image.imageWidth
    image.drawWidth = width
    return image


def _nrr_chart(pack: Pack, fig: Figures) -> Image:
    labels = [f"U{i} {t.element_name(pack, u)}" for i, u in enumerate(ELEMENTS, 1)]
    return _image(charts.nrr_chart(pack.text("report_chart_nrr"), labels, [fig.skm.nrr.get(u) for u in ELEMENTS]))


def _class_chart(pack: Pack, fig: Figures) -> Image:
    classes = pack.agency.sla_classes
    counts = [fig.complaints.by_class.get(c.id, 0) for c in classes]
    return _image(charts.count_chart(pack.text("report_chart_class"), [c.name.id for c in classes], counts))


def _profile_chart(pack: Pack, fig: Figures) -> Image:
    groups = []
    for name, codes in PROFILE.items():
        counts = fig.skm.profile.get(name, {})
        labels = [pack.text(f"survey_{name}_{c}") for c in codes] + [pack.text("report_not_filled")]
        groups.append((pack.text(f"report_profile_{name}"), labels, [counts.get(c, 0) for c in (*codes, "none")]))
    return _image(charts.profile_chart(pack.text("report_chart_profile"), groups), width=15 * cm)


def _suggestions(pack: Pack, fig: Figures) -> list:
    if not fig.skm.suggestions:
        return [_p(pack.text("report_no_suggestions"))]
    return _table(t.suggestion_table(pack, fig), widths=[1.2 * cm, 15.8 * cm], titled=False)


def _groups(pack: Pack, fig: Figures) -> list:
    if not fig.skm.groups:
        return []
    return _table(t.group_table(pack, fig), widths=[2.5 * cm, 7.5 * cm, 2.3 * cm, 2.3 * cm, 2 * cm])


def _recap(pack: Pack, fig: Figures) -> list:
    story = [*_table(t.summary(pack, fig), widths=[11 * cm, 4 * cm])]
    for table in t.complaint_tables(pack, fig):
        story += _table(table, widths=[10 * cm, 2.5 * cm, 2.5 * cm])
    if fig.complaints.received:
        story.append(_class_chart(pack, fig))
    story += _table(t.request_table(pack, fig), widths=[9 * cm, 3 * cm, 3 * cm])
    return story


ELEMENT_WIDTHS = [1.1 * cm, 7.4 * cm, 2.2 * cm, 1.8 * cm, 2.6 * cm, 1.6 * cm]


def _monthly(pack: Pack, fig: Figures, period_title: str) -> list:
    text = lambda key, **kw: pack.text(key, "id", **kw)  # noqa: E731
    story = [_p(text("report_section_complaints"), "h1"), *_recap(pack, fig),
             _p(text("report_section_skm"), "h1"),
             _p(text("report_results_text", responses=cell_text(fig.skm.responses),
                     completed=cell_text(fig.skm.completed), population=cell_text(fig.skm.population),
                     min=cell_text(fig.skm.min_respondents))),
             *_table(t.element_table(pack, fig), widths=ELEMENT_WIDTHS), _nrr_chart(pack, fig),
             *_groups(pack, fig), _p(text("report_conclusion_title"), "h2")]
    story += [_p(line) for line in conclusions(pack, fig, period_title)]
    story += [_p(text("report_section_suggestions"), "h1"), *_suggestions(pack, fig)]
    return story


def _semester(pack: Pack, fig: Figures, period_title: str) -> list:
    text = lambda key, **kw: pack.text(key, "id", **kw)  # noqa: E731
    s = fig.skm
    return [
        _p("1. " + text("report_intro_title"), "h1"),
        _p(text("report_intro_text", agency=pack.agency.name, period=period_title)),
        _p("2. " + text("report_method_title"), "h1"),
        _p(text("report_method_text")), _p(text("report_method_formula")),
        *_table(t.grade_table(pack), widths=[5 * cm, 2 * cm, 5 * cm]),
        _p("3. " + text("report_results_title"), "h1"),
        _p(text("report_results_text", responses=cell_text(s.responses), completed=cell_text(s.completed),
                population=cell_text(s.population), min=cell_text(s.min_respondents))),
        *_table(t.element_table(pack, fig), widths=ELEMENT_WIDTHS), _nrr_chart(pack, fig),
        *_groups(pack, fig),
        *_table(t.profile_table(pack, fig), widths=[3.5 * cm, 7 * cm, 2.5 * cm, 2.5 * cm]),
        _profile_chart(pack, fig),
        _p("4. " + text("report_conclusion_title"), "h1"),
        *[_p(line) for line in conclusions(pack, fig, period_title)],
        _p("5. " + text("report_section_suggestions"), "h1"), *_suggestions(pack, fig),
        PageBreak(), _p(text("report_appendix_complaints"), "h1"), *_recap(pack, fig),
    ]


def render_pdf(pack: Pack, fig: Figures, kind: str, period_title: str, made_on: date) -> bytes:
    """The monthly (``kind="month"``) or semester report as PDF bytes."""
    _fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=1.8 * cm, title=f"{fig.agency} {fig.period}", author="Loket")
    title = pack.text("report_title_month" if kind == "month" else "report_title_semester")
    story = [_p(title, "title"), _p(pack.agency.name, "subtitle"),
             _p(pack.text("report_period", period=period_title), "subtitle"), Spacer(1, 8)]
    story += _monthly(pack, fig, period_title) if kind == "month" else _semester(pack, fig, period_title)
    footer = pack.text("report_footer", date=made_on.strftime("%d-%m-%Y"))

    def on_page(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(2 * cm, 1.1 * cm, footer)
        canvas.drawRightString(A4[0] - 2 * cm, 1.1 * cm, str(doc_.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
