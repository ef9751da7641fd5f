"""Reading the files of a strategies import (strategies.importing): the CSV or XLSX container, which sheet is
which table, and each table's header and rows.

A CSV must be UTF-8 (Excel's “CSV UTF-8”); a workbook is opened by provinces.workbooks.read_workbook, after the
upload checks (size, zip structure, macros). A workbook's strategies come from its sheet ``strategies`` (or its
first other sheet), its projects from a sheet ``projects``. Header names are case-insensitive; unknown columns
are ignored; empty rows are skipped; a formula cell is reported and stands as FORMULA. Every problem is
collected as a FileProblem; a file that cannot be read at all gives one, for the whole file.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from provinces.text import without_nul
from provinces.uploads import FileProblem
from provinces.workbooks import Unreadable, cell_text, read_workbook

MAX_ROWS = 10_000  # per table: a plan is a few hundred rows; more is a wrong file
EXTENSIONS = (".csv", ".xlsx")

STRATEGY_COLUMNS = ("ref", "owner", "fiscal_year", "title_th", "title_en", "summary_th", "work_area",
                    "asean_pillar", "dimensions", "asean_effect", "national_effect")  # fmt: skip
STRATEGY_REQUIRED = ("ref", "owner", "fiscal_year", "title_th", "work_area", "asean_pillar", "asean_effect",
                     "national_effect")  # fmt: skip
# owner and fiscal_year are optional on projects: only to tell apart strategies of the import that share a ref.
PROJECT_COLUMNS = ("strategy_ref", "title_th", "lead_agency", "partners", "budget_thb", "funding_source",
                   "start_fy", "end_fy", "provinces", "owner", "fiscal_year")  # fmt: skip
PROJECT_REQUIRED = ("strategy_ref", "title_th", "lead_agency", "budget_thb", "funding_source", "start_fy",
                    "end_fy")  # fmt: skip
PROJECTS_SHEET = "projects"
STRATEGIES_SHEET = "strategies"


@dataclass(frozen=True)
class ImportFile:
    """One uploaded or given file: its name (the extension says how to read it) and its bytes."""

    name: str
    content: bytes

    @property
    def label(self) -> str:
        return PurePath(self.name).name or self.name

    @property
    def extension(self) -> str:
        return PurePath(self.name).suffix.lower()


# --- cell values -------------------------------------------------------------------------------


class _Formula:
    """Stands in for a formula cell's value, already reported."""


FORMULA = _Formula()


def text_of(value: object) -> str:
    """A cell as text: trimmed, NUL characters removed, whole numbers without a trailing .0."""
    return "" if value is FORMULA else cell_text(value)


def shown(value: object) -> str:
    """A cell's value as a problem report shows it: as text, at most 60 characters."""
    text = text_of(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --- reading files -----------------------------------------------------------------------------

# A raw row: its spreadsheet row number and its cells as (value, is_formula) by column position (0-based).
RawRow = tuple[int, dict[int, tuple[object, bool]]]


def _csv_rows(file: ImportFile) -> list[RawRow]:
    try:
        text = file.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        ) from None
    text = without_nul(text)
    rows: list[RawRow] = []
    try:
        # One record is one spreadsheet row, even when a quoted cell spans several lines.
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(text_of(value) for value in record):
                rows.append((number, {i: (value, False) for i, value in enumerate(record)}))
                _count(rows)
    except csv.Error:
        raise Unreadable(_("The file could not be read as CSV.")) from None
    return rows


def _xlsx_sheets(file: ImportFile) -> dict[str, list[RawRow]]:
    # read_workbook checks size, zip structure (no bomb) and macros before openpyxl reads anything.
    too_many = _("Too many rows: at most %(max)s can be imported at once.") % {"max": MAX_ROWS}
    sheets = read_workbook(file.content, max_rows=MAX_ROWS + 1, too_many=too_many)  # + the header row
    # Rows are read as in the CSV: 0-based columns, and a row of blank text is no row.
    return {
        title: [
            (number, {column - 1: cell for column, cell in cells.items()})
            for number, cells in rows
            if any(text_of(value) for value, _formula in cells.values())
        ]
        for title, rows in sheets.items()
    }


def _count(rows: list) -> None:
    if len(rows) > MAX_ROWS + 1:  # the header and MAX_ROWS data rows
        raise Unreadable(_("Too many rows: at most %(max)s can be imported at once.") % {"max": MAX_ROWS})


def _named(sheets: dict[str, list[RawRow]], name: str) -> str | None:
    return next((title for title in sheets if title.strip().lower() == name), None)


# --- which table is where ----------------------------------------------------------------------

# A table found in a file, by its role ("strategies" or "projects"): (source, raw rows) — the source names the
# file, and the sheet in a workbook — or None when the file could not give it (the problem is reported).
Found = dict[str, tuple[str, list[RawRow]] | None]


def _sheet_tables(
    role: str, file: ImportFile, sheets: dict[str, list[RawRow]], *, separate_projects: bool, issues: list
) -> Found:
    """The tables of a workbook given for ``role``. The strategies workbook may carry the projects in a sheet
    ``projects`` — unless they come in a separate file too."""
    found: Found = {}
    if role == "projects":
        title = _named(sheets, PROJECTS_SHEET) or next(iter(sheets), None)
    else:
        title = _named(sheets, STRATEGIES_SHEET) or next(
            (t for t in sheets if t.strip().lower() != PROJECTS_SHEET), None
        )
        inner = _named(sheets, PROJECTS_SHEET)
        if inner is not None and title != inner:
            if separate_projects:
                issues.append(
                    FileProblem(
                        file.label,
                        0,
                        "",
                        _("Projects are given twice: in a separate file and in the sheet “projects”."),
                    )
                )
            else:
                found["projects"] = (f"{file.label} [{inner}]", sheets[inner])
    if title is None:
        issues.append(FileProblem(file.label, 0, "", _("The workbook has no sheet to read.")))
        found[role] = None
    else:
        found[role] = (f"{file.label} [{title}]", sheets[title])
    return found


def _file_tables(role: str, file: ImportFile, *, separate_projects: bool, issues: list) -> Found:
    """The tables one file gives for ``role``: a CSV's one table, or a workbook's sheets."""
    if file.extension not in EXTENSIONS:
        issues.append(FileProblem(file.label, 0, "", _("Only .csv and .xlsx files can be imported.")))
        return {role: None}
    try:
        if file.extension == ".csv":
            return {role: (file.label, _csv_rows(file))}
        sheets = _xlsx_sheets(file)
    except Unreadable as exc:
        issues.append(FileProblem(file.label, 0, "", exc.message))
        return {role: None}
    return _sheet_tables(role, file, sheets, separate_projects=separate_projects, issues=issues)


# --- tables ------------------------------------------------------------------------------------


@dataclass
class Table:
    source: str
    columns: set[str]
    rows: list[tuple[int, dict[str, object]]]


def _header(
    source: str, row: RawRow, known: tuple[str, ...], required: tuple[str, ...], issues: list
) -> dict[str, int] | None:
    """Each known column's position by the header row; None (reported) if a required column is missing."""
    header_row, header = row
    positions: dict[str, int] = {}
    for index, (value, _formula) in sorted(header.items()):
        name = text_of(value).lstrip("\ufeff").strip().lower()
        if name not in known:
            continue  # unknown columns are ignored
        if name in positions:
            issues.append(FileProblem(source, header_row, name, _("This column appears more than once.")))
            continue
        positions[name] = index
    missing = [name for name in required if name not in positions]
    for name in missing:
        issues.append(FileProblem(source, header_row, name, _("This required column is missing.")))
    return None if missing else positions


def _values(source: str, row: RawRow, positions: dict[str, int], issues: list) -> dict[str, object]:
    """A data row's values by column name; a formula is reported and stands as FORMULA."""
    number, cells = row
    values: dict[str, object] = {}
    for name, index in positions.items():
        value, formula = cells.get(index, (None, False))
        if formula:
            issues.append(
                FileProblem(
                    source,
                    number,
                    name,
                    _("Formulas are not accepted: enter the value itself (copy, then paste as values)."),
                    shown(value),
                )
            )
            value = FORMULA
        values[name] = value
    return values


def _table(
    source: str, raw: list[RawRow], known: tuple[str, ...], required: tuple[str, ...], issues: list
) -> Table | None:
    """Header (the first non-empty row), then the rows with a value in a known column. None if unusable."""
    content = [(number, cells) for number, cells in raw if any(text_of(v) for v, _f in cells.values())]
    if not content:
        issues.append(FileProblem(source, 0, "", _("No header row: the file or sheet is empty.")))
        return None
    positions = _header(source, content[0], known, required, issues)
    if positions is None:
        return None
    rows = []
    for row in content[1:]:
        values = _values(source, row, positions, issues)
        if all(v is not FORMULA and not text_of(v) for v in values.values()):
            continue  # a row with text only in ignored columns counts as empty
        rows.append((row[0], values))
    return Table(source, set(positions), rows)


def load_tables(
    strategies_file: ImportFile, projects_file: ImportFile | None, issues: list[FileProblem]
) -> tuple[Table | None, Table | None, bool]:
    """The strategies table and the projects table (if any). The bool says whether projects were given."""
    found: Found = {}
    for role, file in (("strategies", strategies_file), ("projects", projects_file)):
        if file is not None:
            found |= _file_tables(role, file, separate_projects=projects_file is not None, issues=issues)
    strategies = projects = None
    if (given := found.get("strategies")) is not None:
        strategies = _table(*given, STRATEGY_COLUMNS, STRATEGY_REQUIRED, issues)
    if (given := found.get("projects")) is not None:
        projects = _table(*given, PROJECT_COLUMNS, PROJECT_REQUIRED, issues)
    return strategies, projects, "projects" in found
