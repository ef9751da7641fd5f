"""The readiness roll-ups as XLSX: a cluster's provinces with their spread, and the national table (each
cluster's spread, then every province with the country's). The figures are those of the pages
(readiness.selectors, rounded by scoring.rounded); the cells are written by readiness.workbook's helpers.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from provinces.models import Cluster
from provinces.workbooks import safe_text

from . import scoring
from .choices import Dimension
from .models import Round
from .selectors import KEYS, NationalRow, Rollup
from .workbook import font, header_row, save, set_text

# What a row's cells hold: text, figures, counts, or nothing (an empty cell).
Cell = str | float | None


def _number(value: float | None, digits: int = 1) -> float | None:
    # Rounded as the pages round (round() would turn 56.25 into 56.2).
    return None if value is None else float(scoring.rounded(value, digits))


def _write_row(
    ws, row: int, values: list[Cell], formats: dict[int, str] | None = None, bold: bool = False
) -> None:
    for index, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=index)
        if isinstance(value, str) or (value is not None and not isinstance(value, int | float)):
            set_text(cell, value)
        else:
            cell.value = value
            if formats and index in formats and value is not None:
                cell.number_format = formats[index]
        cell.font = font(bold=bold)


def _dimension_headers() -> list[str]:
    return [str(d.label) for d in Dimension] + [_("Overall")]


def _status(row) -> str:
    # The status that goes with the figures (selectors.official_figure), as on the pages.
    if row.status_choice is None:
        return _("not started")
    text = str(row.status_choice.label)
    return text if row.official else f"{text} ({_('unapproved')})"


def _province_table(ws, rollup: Rollup, *, start: int = 1, cluster_column: bool = False) -> int:
    """Province rows then the spread rows (mean, min, max, lagging). Returns the next free row."""
    headers = [_("Province code"), _("Province")]
    if cluster_column:
        headers.append(_("Provincial cluster"))
    headers += [
        _("Status"),
        *_dimension_headers(),
        _("Overall, last round"),
        _("vs last round"),
        _("Completeness"),
    ]
    first_score = len(headers) - 7  # 0-based index of Place
    widths = [12, 24] + ([28] if cluster_column else []) + [24] + [11] * 4 + [14, 12, 13]
    header_row(ws, headers, widths)
    score_format = {first_score + i + 1: "0.0" for i in range(6)}
    score_format[len(headers)] = "0%"
    number = start + 1
    for row in rollup.rows:
        values: list[Cell] = [row.province.code, row.province.name]
        if cluster_column:
            values.append(row.province.cluster.name if row.province.cluster else _("Bangkok"))
        values += [
            _status(row),
            *[_number(row.values.get(k)) for k in KEYS],
            _number(row.previous.get("overall")),
            _number(row.change("overall")),
            _number(row.values.get("completeness"), 4),
        ]
        _write_row(ws, number, values, score_format)
        number += 1
    labels = {"mean": _("Mean"), "min": _("Minimum"), "max": _("Maximum"), "lagging": _("Lagging province")}
    for key, label in labels.items():
        values = ["", label, *([""] if cluster_column else []), ""]
        for k in KEYS:
            spread = rollup.spreads[k]
            if key == "lagging":
                values.append(spread.lagging.name if spread.lagging else "–")
            else:
                values.append(_number(getattr(spread, key)))
        values += [
            _number(rollup.previous_spreads["overall"].mean) if key == "mean" else None,
            _number(rollup.change("overall")) if key == "mean" else None,
            _number(rollup.completeness, 4) if key == "mean" else None,
        ]
        _write_row(ws, number, values, score_format, bold=True)
        number += 1
    ws.freeze_panes = "C2"
    return number


def _note(ws, row: int, text: str) -> None:
    cell = ws.cell(row=row + 1, column=1)
    set_text(cell, text)
    cell.font = font(italic=True)


def _figures_note(round: Round, include_unapproved: bool) -> str:
    if include_unapproved:
        return _(
            "FY %(year)s. Including unapproved figures: rows marked “unapproved” are drafts or assessments "
            "under review; they are not official."
        ) % {"year": round.fiscal_year}
    return _("FY %(year)s. Official figures (approved assessments only).") % {"year": round.fiscal_year}


def cluster_rollup_workbook(
    *, cluster: Cluster, round: Round, rollup: Rollup, include_unapproved: bool
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = safe_text(cluster.code)[:31]
    end = _province_table(ws, rollup)
    _note(ws, end, f"{cluster.name} · {_figures_note(round, include_unapproved)}")
    return save(wb)


def national_rollup_workbook(
    *, round: Round, clusters: list[NationalRow], nation: Rollup, include_unapproved: bool
) -> bytes:
    """Sheet 1: each cluster's spread (as the national page); sheet 2: every province with the country's spread."""
    wb = Workbook()
    ws = wb.active
    ws.title = "clusters"
    headers = [_("Cluster code"), _("Provincial cluster")]
    for label in _dimension_headers():
        headers += [
            f"{label} · {_('mean')}",
            f"{label} · {_('Minimum')}",
            f"{label} · {_('Maximum')}",
            f"{label} · {_('Lagging province')}",
        ]
    headers += [_("vs last round"), _("Approved"), _("Provinces")]
    header_row(ws, headers, [12, 30] + [12, 10, 10, 18] * 4 + [12, 10, 10])
    formats = {i: "0.0" for i in range(3, len(headers) + 1)}

    def spread_values(rollup: Rollup) -> list[Cell]:
        values: list[Cell] = []
        for k in KEYS:
            s = rollup.spreads[k]
            values += [
                _number(s.mean),
                _number(s.min),
                _number(s.max),
                (s.lagging.name if s.lagging and s.count > 1 else "") if s.count else "",
            ]
        return values

    number = 2
    for item in clusters:
        name = item.cluster.name if item.cluster else _("Bangkok")
        code = item.cluster.code if item.cluster else ""
        values = [code, name, *spread_values(item.rollup)]
        values += [_number(item.rollup.change("overall")), item.rollup.approved_count, len(item.rollup.rows)]
        _write_row(ws, number, values, formats)
        number += 1
    values = ["TH", _("Whole country"), *spread_values(nation)]
    values += [_number(nation.change("overall")), nation.approved_count, len(nation.rows)]
    _write_row(ws, number, values, formats, bold=True)
    _note(ws, number + 1, _figures_note(round, include_unapproved))
    ws.freeze_panes = "C2"

    provinces = wb.create_sheet("provinces")
    end = _province_table(provinces, nation, cluster_column=True)
    _note(provinces, end, _figures_note(round, include_unapproved))
    return save(wb)
