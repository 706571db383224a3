"""The report as tables of labelled cells, shared by the CSV, XLSX and PDF writers so all three say the same.

Cells are ``str`` (labels), ``int`` (counts) or ``Decimal`` (measures with
their decimals); writers format numbers their own way (text in Indonesian
format for CSV and PDF, numbers with a number format in XLSX).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from bot.content import Pack
from bot.reports.figures import REQUEST_KINDS, Figures
from bot.skm.ikm import ELEMENTS, GRADES, round_half_up
from bot.skm.questionnaire import PROFILE

Cell = str | int | Decimal | None


@dataclass
class Table:
    key: str  # sheet / section id
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _t(pack: Pack, key: str, **values) -> str:
    return pack.text(key, "id", **values)


def _share(part: int, whole: int) -> Decimal | None:
    return round_half_up(Fraction(100 * part, whole), 2) if whole else None


def _counted(pack: Pack, key: str, title: str, counts: dict[str, int], label) -> Table:
    total = sum(counts.values())
    table = Table(key, title, [_t(pack, "report_col_item"), _t(pack, "report_col_count"),
                               _t(pack, "report_col_share")])
    table.rows = [[label(k), n, _share(n, total)] for k, n in counts.items()]
    table.rows.append([_t(pack, "report_total"), total, _share(total, total)])
    return table


def element_name(pack: Pack, element: str) -> str:
    return _t(pack, f"survey_{element}_name")


def summary(pack: Pack, fig: Figures) -> Table:
    c, r, s = fig.complaints, fig.requests, fig.skm
    rows: list[list[Cell]] = [
        [_t(pack, "report_received"), c.received],
        [_t(pack, "report_closed_in_time"), c.closed_in_time],
        [_t(pack, "report_closed_late"), c.closed_late],
        [_t(pack, "report_in_time_share"), c.in_time_share],
        [_t(pack, "report_open_at_end"), c.open_at_end],
        [_t(pack, "report_overdue_at_end"), c.overdue_at_end],
        [_t(pack, "report_median_first_response"), c.median_hours_to_first_response],
        [_t(pack, "report_median_close"), c.median_hours_to_close],
        [_t(pack, "report_requests_received"), r.received],
        [_t(pack, "report_requests_served"), r.served],
        [_t(pack, "report_skm_responses"), s.responses],
        [_t(pack, "report_skm_population"), s.population],
        [_t(pack, "report_skm_min"), s.min_respondents],
        [_t(pack, "report_skm_ikm"), s.ikm],
        [_t(pack, "report_skm_grade"), f"{s.grade} ({s.grade_words})" if s.grade else _t(pack, "report_skm_none")],
    ]
    return Table("ringkasan", _t(pack, "report_section_summary"),
                 [_t(pack, "report_col_item"), _t(pack, "report_col_count")], rows)


def complaint_tables(pack: Pack, fig: Figures) -> list[Table]:
    agency, c = pack.agency, fig.complaints

    def category(cid: str) -> str:
        cat = agency.category(cid)
        return cat.name.id if cat else cid

    def sla(cid: str) -> str:
        spec = agency.sla_class(cid)
        return spec.name.id if spec else cid

    def unit(uid: str) -> str:
        u = agency.unit(uid)
        return u.name if u else uid

    def channel(kind: str) -> str:
        try:
            return _t(pack, f"report_channel_{kind}")
        except KeyError:
            return kind

    return [
        _counted(pack, "saluran", _t(pack, "report_section_channel"), c.by_channel, channel),
        _counted(pack, "kategori", _t(pack, "report_section_category"), c.by_category, category),
        _counted(pack, "kelas", _t(pack, "report_section_class"), c.by_class, sla),
        _counted(pack, "unit", _t(pack, "report_section_unit"), c.by_unit, unit),
    ]


def request_table(pack: Pack, fig: Figures) -> Table:
    table = Table("permohonan", _t(pack, "report_section_requests"),
                  [_t(pack, "report_col_item"), _t(pack, "report_col_received"), _t(pack, "report_col_served")])
    for kind in REQUEST_KINDS:
        counts = fig.requests.by_kind.get(kind, {})
        table.rows.append([_t(pack, f"report_kind_{kind}"), counts.get("received", 0), counts.get("served", 0)])
    table.rows.append([_t(pack, "report_total"), fig.requests.received, fig.requests.served])
    return table


def element_table(pack: Pack, fig: Figures) -> Table:
    s = fig.skm
    table = Table("unsur", _t(pack, "report_section_elements"),
                  [_t(pack, "report_col_no"), _t(pack, "report_col_element"), _t(pack, "report_col_answered"),
                   _t(pack, "report_col_nrr"), _t(pack, "report_col_nrr_weighted"), _t(pack, "report_col_grade")])
    for i, u in enumerate(ELEMENTS, 1):
        nrr, exact = s.nrr.get(u), s.nrr_exact.get(u)
        weighted = round_half_up(exact / 9, 3) if exact is not None else None  # from the exact NRR, not the printed one
        table.rows.append([f"U{i}", element_name(pack, u), s.answered.get(u, 0), nrr, weighted, s.element_grades.get(u)])
    table.rows.append(["", _t(pack, "report_skm_ikm"), s.responses, None, s.ikm, s.grade])
    return table


def group_table(pack: Pack, fig: Figures) -> Table:
    """The IKM of each unit and each service that has responses."""
    table = Table("ikm_unit_layanan", _t(pack, "report_section_groups"),
                  [_t(pack, "report_col_item"), "", _t(pack, "report_col_answered"), _t(pack, "report_col_ikm"),
                   _t(pack, "report_col_grade")])
    for (group, value), (n, ikm, grade) in fig.skm.groups.items():
        if group == "unit":
            unit = pack.agency.unit(value)
            name = unit.name if unit else value
        else:
            service = pack.service(value)
            name = service.name if service else value
        table.rows.append([_t(pack, f"report_group_{group}"), name, n, ikm, grade])
    return table


def profile_table(pack: Pack, fig: Figures) -> Table:
    table = Table("profil", _t(pack, "report_section_profile"),
                  [_t(pack, "report_col_item"), "", _t(pack, "report_col_count"), _t(pack, "report_col_share")])
    for name, codes in PROFILE.items():
        counts = fig.skm.profile.get(name, {})
        total = sum(counts.values())
        for code in (*codes, "none"):
            label = _t(pack, "report_not_filled") if code == "none" else _t(pack, f"survey_{name}_{code}")
            table.rows.append([_t(pack, f"report_profile_{name}"), label, counts.get(code, 0),
                               _share(counts.get(code, 0), total)])
    return table


def suggestion_table(pack: Pack, fig: Figures) -> Table:
    table = Table("saran", _t(pack, "report_section_suggestions"),
                  [_t(pack, "report_col_no"), _t(pack, "report_col_suggestion")])
    table.rows = [[i, text] for i, text in enumerate(fig.skm.suggestions, 1)]
    return table


def grade_table(pack: Pack) -> Table:
    """The annex's conversion table, printed in the method section."""
    table = Table("mutu", _t(pack, "report_grade_table_title"),
                  [_t(pack, "report_col_interval"), _t(pack, "report_col_grade"), _t(pack, "report_col_performance")])
    upper = Decimal("100.00")
    for lowest, letter, words in GRADES:
        table.rows.append([f"{lowest:.2f} – {upper:.2f}".replace(".", ","), letter, words])
        upper = lowest - Decimal("0.01")
    return table


def all_tables(pack: Pack, fig: Figures) -> list[Table]:
    """Every table of the report, in order."""
    return [summary(pack, fig), *complaint_tables(pack, fig), request_table(pack, fig), element_table(pack, fig),
            group_table(pack, fig), profile_table(pack, fig), suggestion_table(pack, fig)]
