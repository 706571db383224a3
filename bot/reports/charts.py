"""Charts for the PDF report as PNG bytes: NRR per element, complaints per SLA class, the respondent profile.

matplotlib's object API on the Agg canvas (no pyplot state, safe in a
worker), DejaVu Sans (bundled with matplotlib), labels from the wording file
and numbers in Indonesian format.
"""
from __future__ import annotations

import io
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.reports.numbers import fmt_dec, fmt_int

BLUE, GREY, RED = "#2b6cb0", "#a0aec0", "#c53030"
#: NRR thresholds of the grades (the annex's nilai interval): C from 2,60, B from 3,0644, A from 3,5324.
NRR_EDGES = ((2.60, "C"), (3.0644, "B"), (3.5324, "A"))


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    return buffer.getvalue()


def nrr_chart(title: str, labels: list[str], values: list[Decimal | None]) -> bytes:
    """Horizontal bars of each element's NRR on the 1–4 scale, with the grade thresholds drawn."""
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.add_subplot()
    shown = [float(v) if v is not None else 0.0 for v in values]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, shown, color=[BLUE if v is not None else GREY for v in values], height=0.6)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlim(1, 4.25)
    for edge, letter in NRR_EDGES:
        ax.axvline(edge, color=GREY, linestyle="--", linewidth=0.8)
        ax.text(edge + 0.02, len(labels) - 0.45, letter, color="#4a5568", fontsize=8)
    for pos, value in zip(positions, values):
        ax.text((float(value) if value is not None else 1) + 0.03, pos, fmt_dec(value), va="center", fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.1f}".replace(".", ",")))
    ax.set_title(title, fontsize=10, pad=14)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def count_chart(title: str, labels: list[str], counts: list[int]) -> bytes:
    """Vertical bars of counts (e.g. complaints per SLA class), each labelled with its number."""
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.add_subplot()
    ax.bar(range(len(labels)), counts, color=BLUE, width=0.6)
    ax.set_xticks(range(len(labels)), [_wrap(label) for label in labels], fontsize=7)
    for x, n in enumerate(counts):
        ax.text(x, n, fmt_int(n), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, max(counts + [1]) * 1.2)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def profile_chart(title: str, groups: list[tuple[str, list[str], list[int]]]) -> bytes:
    """One small bar chart per profile question (gender, age, education, occupation), 2 × 2."""
    fig = Figure(figsize=(7.5, 5.6))
    fig.suptitle(title, fontsize=10)
    for i, (name, labels, counts) in enumerate(groups, 1):
        ax = fig.add_subplot(2, 2, i)
        ax.barh(range(len(labels))[::-1], counts, color=BLUE, height=0.6)
        ax.set_yticks(list(range(len(labels)))[::-1], labels, fontsize=7)
        for pos, n in zip(list(range(len(labels)))[::-1], counts):
            ax.text(n, pos, " " + fmt_int(n), va="center", fontsize=7)
        ax.set_xlim(0, max(counts + [1]) * 1.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(name, fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
