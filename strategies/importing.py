"""Import of strategies and their projects from the spreadsheets offices already keep (CSV or XLSX).

All or nothing: every row of both tables is checked first and every problem is collected as an ImportIssue —
file or sheet, row as a spreadsheet shows it (the header is row 1), column, reason in the active language.
If there is any, ImportFailed carries them all and nothing is written. Otherwise one transaction creates or
updates the strategies, matched on (owner, ref, fiscal year), so importing the same file twice changes nothing.

The columns (header names are case-insensitive; unknown columns are ignored; empty rows are skipped):

strategies  ref*, owner*, fiscal_year*, title_th*, title_en, summary_th, work_area*, asean_pillar*,
            dimensions, asean_effect*, national_effect*
projects    strategy_ref*, title_th*, lead_agency*, partners, budget_thb*, funding_source*, start_fy*,
            end_fy*, provinces — and, only to tell apart strategies that share a ref, owner and fiscal_year

Projects come from a second file or, in a workbook, from a sheet named ``projects``. When they are given,
each imported strategy's projects become the file's: a project is matched on its Thai title (and keeps its
status, progress and KPI), new ones are created, the strategy's other projects are removed.

Choice columns (work_area, asean_pillar, funding_source, partners, dimensions) take the code, the English
label or the Thai label the pages show (งานบริหารการพัฒนา, ประชาคมเศรษฐกิจอาเซียน or just เศรษฐกิจ), in any
case and spacing.

Who may import what is the rule of every other write (``strategies.access.can_own``, the README's roles
table): a secretariat changes only the cluster's own strategies; a planner only their province's; an
administrator any; advisors none. A row whose owner the user may not change is reported with its row number,
and then, as with any problem, nothing is written.
"""

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import PurePath

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.errors import WorkflowError
from provinces.models import Cluster, Province
from provinces.text import without_nul
from provinces.thai import THAI_DIGITS
from provinces.workbooks import Unreadable, cell_text, read_workbook
from readiness.choices import DIMENSIONS, Dimension

from . import embeddings, signals
from .access import can_import, can_own
from .choices import EffectSource, FundingSource, PartnerSector, Pillar, StrategyStatus, WorkArea
from .models import MAX_BUDGET, CriterionScore, Project, Strategy

MAX_ROWS = 10_000  # per table: a plan is a few hundred rows; more is a wrong file
EXTENSIONS = (".csv", ".xlsx")
FY_MIN, FY_MAX = 2550, 2700

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

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_LIST_SEPARATORS = re.compile(r"[;,\s]+")


# --- results -----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where (file or sheet, spreadsheet row, column) and why. Row 0 means the whole file."""

    source: str
    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        if self.row and self.column:
            return _("%(source)s, row %(row)s, column %(column)s: %(message)s") % self._parts()
        if self.row:
            return _("%(source)s, row %(row)s: %(message)s") % self._parts()
        if self.column:
            return _("%(source)s, column %(column)s: %(message)s") % self._parts()
        return f"{self.source}: {self.message}"

    def _parts(self) -> dict:
        return {"source": self.source, "row": self.row, "column": self.column, "message": self.message}


class ImportFailed(WorkflowError):
    """The import found problems and wrote nothing. ``issues`` lists every one of them."""

    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        super().__init__(_("Nothing was imported: %(count)s problems were found.") % {"count": len(issues)})


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    with_projects: bool = False
    projects_created: int = 0
    projects_updated: int = 0
    projects_removed: int = 0
    projects_unchanged: int = 0

    def lines(self) -> list[str]:
        lines = [
            _("Strategies: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        ]
        if self.with_projects:
            lines.append(
                _(
                    "Projects: %(created)s created, %(updated)s updated, %(removed)s removed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": self.projects_created,
                    "updated": self.projects_updated,
                    "removed": self.projects_removed,
                    "unchanged": self.projects_unchanged,
                }
            )
        return lines

    def __str__(self) -> str:
        return " ".join(self.lines())


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
            if any(_text(value) for value in record):
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
            if any(_text(value) for value, _formula in cells.values())
        ]
        for title, rows in sheets.items()
    }


def _count(rows: list) -> None:
    if len(rows) > MAX_ROWS + 1:  # the header and MAX_ROWS data rows
        raise Unreadable(_("Too many rows: at most %(max)s can be imported at once.") % {"max": MAX_ROWS})


def _named(sheets: dict[str, list[RawRow]], name: str) -> str | None:
    return next((title for title in sheets if title.strip().lower() == name), None)


# --- tables ------------------------------------------------------------------------------------


class _Formula:
    """Stands in for a formula cell's value, already reported."""


FORMULA = _Formula()


@dataclass
class _Table:
    source: str
    columns: set[str]
    rows: list[tuple[int, dict[str, object]]]


def _table(
    source: str, raw: list[RawRow], known: tuple[str, ...], required: tuple[str, ...], issues: list
) -> _Table | None:
    """Header (the first non-empty row), then the rows with a value in a known column. None if unusable."""
    content = [(number, cells) for number, cells in raw if any(_text(v) for v, _f in cells.values())]
    if not content:
        issues.append(ImportIssue(source, 0, "", _("No header row: the file or sheet is empty.")))
        return None
    header_row, header = content[0]
    positions: dict[str, int] = {}
    for index, (value, _formula) in sorted(header.items()):
        name = _text(value).lstrip("\ufeff").strip().lower()
        if name not in known:
            continue  # unknown columns are ignored
        if name in positions:
            issues.append(ImportIssue(source, header_row, name, _("This column appears more than once.")))
            continue
        positions[name] = index
    missing = [name for name in required if name not in positions]
    for name in missing:
        issues.append(ImportIssue(source, header_row, name, _("This required column is missing.")))
    if missing:
        return None
    rows = []
    for number, cells in content[1:]:
        values: dict[str, object] = {}
        for name, index in positions.items():
            value, formula = cells.get(index, (None, False))
            if formula:
                issues.append(
                    ImportIssue(
                        source,
                        number,
                        name,
                        _("Formulas are not accepted: enter the value itself (copy, then paste as values)."),
                        _shown(value),
                    )
                )
                value = FORMULA
            values[name] = value
        if all(v is not FORMULA and not _text(v) for v in values.values()):
            continue  # a row with text only in ignored columns counts as empty
        rows.append((number, values))
    return _Table(source, set(positions), rows)


# --- cell values -------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell as text: trimmed, NUL characters removed, whole numbers without a trailing .0."""
    return "" if value is FORMULA else cell_text(value)


def _shown(value: object) -> str:
    text = _text(value)
    return text if len(text) <= 60 else text[:59] + "…"


def parse_number(value: object) -> Decimal | None:
    """A number from a cell: Thai digits and thousands separators (1,500,000) are read; None if not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", without_nul(value.translate(THAI_DIGITS)))
    if not (_PLAIN_NUMBER.match(text) or _GROUPED_NUMBER.match(text)):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns only let numbers through
        return None


def _codes(value: object) -> list[str]:
    """A list cell: codes separated by ; (commas and spaces are tolerated), in order, without repeats."""
    seen: list[str] = []
    for code in _LIST_SEPARATORS.split(_text(value)):
        if code and code not in seen:
            seen.append(code)
    return seen


def _allowed(message: str, values) -> str:
    return f"{message} " + _("Allowed values: %(values)s.") % {"values": ", ".join(values)}


# What a choice is called in a cell, compared without case, spaces, "_" or "-": "Public service",
# "public_service" and "งานให้บริการสาธารณะ" are one. The pillars also go by their short names.
_NAME_NOISE = re.compile(r"[\s_\-\u2010-\u2014\u200b]+")
_PILLAR_WORDS = re.compile(r"^(ประชาคม|asean)|(อาเซียน|community)$")


def _name_key(text: str) -> str:
    return _NAME_NOISE.sub("", text).casefold()


@cache
def _choice_names(choices) -> dict[str, str]:
    """Every name a cell may give a choice — its code, its English and its Thai label — mapped to the code."""
    names: dict[str, str] = {}
    for value, label in choices.choices:
        keys = {_name_key(value)}
        for language in ("en", "th"):
            with translation.override(language):
                keys.add(_name_key(str(label)))
        if choices is Pillar:
            keys |= {_PILLAR_WORDS.sub("", key) for key in keys}
        for key in keys:
            names.setdefault(key, value)
    return names


def _choice_code(text: str, choices) -> str | None:
    return _choice_names(choices).get(_name_key(text))


def _listed(choices) -> list[str]:
    """The allowed values of an error message: each code with its label in the active language."""
    return [f"{value} ({label})" for value, label in choices.choices]


def _choice_list(value: object, choices) -> tuple[list[str], list[str]]:
    """A list cell of choices, separated by ; (commas and, between codes, spaces are tolerated): the codes in
    order without repeats, and the items that name no choice."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in re.split(r"[;,\n]+", _text(value)):
        item = item.strip()
        if not item:
            continue
        code = _choice_code(item, choices)
        if code is not None:
            found = [code]
        else:  # "place product": codes separated by spaces
            found = [_choice_code(word, choices) for word in item.split()]
            if None in found:
                unknown.append(item)
                continue
        codes += [code for code in found if code not in codes]
    return codes, unknown


class _Row:
    """One data row being checked. Each reader returns the value, or None after recording the problem."""

    def __init__(self, table: _Table, number: int, values: dict[str, object], issues: list[ImportIssue]):
        self.table, self.number, self.values, self.issues = table, number, values, issues
        self.ok = True

    def has(self, column: str) -> bool:
        return column in self.table.columns

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.issues.append(
            ImportIssue(self.table.source, self.number, column, message, _shown(self.values.get(column)))
        )

    def _raw(self, column: str):
        value = self.values.get(column)
        if value is FORMULA:
            self.ok = False  # reported when the table was read
        return value

    def text(self, column: str, *, max_length: int, required: str | None = None) -> str | None:
        value = self._raw(column)
        if value is FORMULA:
            return None
        text = _text(value)
        if not text and required:
            self.error(column, required)
            return None
        if len(text) > max_length:
            self.error(
                column,
                _("At most %(max)s characters; this has %(count)s.")
                % {"max": max_length, "count": len(text)},
            )
            return None
        return text

    def decimal(self, column: str) -> Decimal | None:
        value = self._raw(column)
        if value is FORMULA:
            return None
        if not _text(value):
            self.error(column, _("Enter a number here."))
            return None
        number = parse_number(value)
        if number is None:
            self.error(column, _("This is not a number."))
        return number

    def fiscal_year(self, column: str, message: str) -> int | None:
        number = self.decimal(column)
        if number is None:
            return None
        if number != number.to_integral_value() or not FY_MIN <= number <= FY_MAX:
            self.error(column, message)
            return None
        return int(number)

    def choice(self, column: str, choices, unknown: str) -> str | None:
        value = self._raw(column)
        if value is FORMULA:
            return None
        code = _choice_code(_text(value), choices)
        if code is None:
            self.error(column, _allowed(unknown, _listed(choices)))
        return code


# --- checking ----------------------------------------------------------------------------------

Owner = Province | Cluster
Key = tuple[str, int, str, int]  # ("p" or "c", owner pk, ref, fiscal year)


def _key(owner: Owner, ref: str, fiscal_year: int) -> Key:
    return ("p" if isinstance(owner, Province) else "c", owner.pk, ref, fiscal_year)


@dataclass
class _StrategyRow:
    table: _Table
    number: int
    ref: str
    owner: Owner | None
    owner_code: str
    fiscal_year: int | None
    ok: bool
    fields: dict = field(default_factory=dict)
    projects: list = field(default_factory=list)  # list[_ProjectRow]
    existing: Strategy | None = None

    @property
    def key(self) -> Key | None:
        if self.owner is None or self.fiscal_year is None or not self.ref:
            return None
        return _key(self.owner, self.ref, self.fiscal_year)


@dataclass
class _ProjectRow:
    number: int
    fields: dict
    partners: list[str] | None  # None: no partners column, keep what a matched project has
    provinces: list[Province]


def _scope_test(by: User | None, unrestricted: bool) -> Callable[[Owner], bool]:
    """Whose strategies the import may write: the rule of every write path, can_own (see the docstring)."""
    if unrestricted:
        return lambda owner: True
    return lambda owner: can_own(by, owner)


def _check_strategies(
    table: _Table,
    provinces: dict[str, Province],
    clusters: dict[str, Cluster],
    in_scope: Callable[[Owner], bool],
    issues: list[ImportIssue],
) -> list[_StrategyRow]:
    result: list[_StrategyRow] = []
    seen: dict[Key, int] = {}
    for number, values in table.rows:
        row = _Row(table, number, values, issues)
        ref = row.text(
            "ref",
            max_length=50,
            required=_("Every strategy needs a reference (ref), so that a later import finds it again."),
        )
        owner_code = (
            row.text(
                "owner",
                max_length=20,
                required=_("Name the owner: a province code such as TH-50 or a cluster code such as N-UP1."),
            )
            or ""
        ).upper()
        owner = provinces.get(owner_code) or clusters.get(owner_code) if owner_code else None
        if owner_code and owner is None:
            row.error(
                "owner",
                _(
                    "Unknown owner %(code)s: use a province code such as TH-50 or a cluster code such as N-UP1."
                )
                % {"code": owner_code},
            )
        elif owner is not None and not in_scope(owner):
            row.error(
                "owner",
                _(
                    "You may not change the strategies of %(code)s: a cluster secretariat changes only the "
                    "cluster's own strategies, a provincial planner only their province's."
                )
                % {"code": owner_code},
            )
            owner = None
        fiscal_year = row.fiscal_year("fiscal_year", _("The fiscal year is a Buddhist Era year, e.g. 2570."))
        fields = {
            "title_th": row.text("title_th", max_length=500, required=_("A strategy needs a Thai title.")),
            "work_area": row.choice("work_area", WorkArea, _("Unknown work area.")),
            "pillar": row.choice("asean_pillar", Pillar, _("Unknown ASEAN pillar.")),
            "effect_source": EffectSource.ENTERED,
        }
        if row.has("title_en"):
            fields["title_en"] = row.text("title_en", max_length=500)
        if row.has("summary_th"):
            fields["summary_th"] = row.text("summary_th", max_length=10000)
        if row.has("dimensions") and row._raw("dimensions") is not FORMULA:
            codes, unknown = _choice_list(row.values.get("dimensions"), Dimension)
            if unknown:
                row.error(
                    "dimensions",
                    _allowed(
                        _("Unknown dimension %(code)s.") % {"code": ", ".join(unknown)}, _listed(Dimension)
                    ),
                )
            for dimension in DIMENSIONS:
                fields[f"builds_{dimension}"] = dimension in codes
        for column in ("asean_effect", "national_effect"):
            effect = row.decimal(column)
            if effect is not None and not 0 <= effect <= 100:
                row.error(column, _("Effects are between 0 and 100."))
            fields[column] = float(effect) if effect is not None else None
        strategy = _StrategyRow(table, number, ref or "", owner, owner_code, fiscal_year, row.ok, fields)
        key = strategy.key
        if key is not None:
            if key in seen:
                strategy.ok = False
                row.error(
                    "ref",
                    _("The same owner, ref and fiscal year already appear in row %(row)s.")
                    % {"row": seen[key]},
                )
            else:
                seen[key] = number
        result.append(strategy)
    return result


def _check_projects(
    table: _Table,
    strategies: list[_StrategyRow],
    provinces: dict[str, Province],
    issues: list[ImportIssue],
) -> bool:
    """Checks every project row and attaches the good ones to their strategy. True if all were good."""
    by_ref: dict[str, list[_StrategyRow]] = {}
    for strategy in strategies:
        by_ref.setdefault(strategy.ref, []).append(strategy)
    all_ok = True
    for number, values in table.rows:
        row = _Row(table, number, values, issues)
        ref = row.text(
            "strategy_ref", max_length=50, required=_("Say which strategy (its ref) the project belongs to.")
        )
        fields = {
            "title_th": row.text("title_th", max_length=500, required=_("A project needs a Thai title.")),
            "lead_agency": row.text("lead_agency", max_length=300, required=_("Name the lead agency.")),
            "funding_source": row.choice("funding_source", FundingSource, _("Unknown funding source.")),
        }
        budget = row.decimal("budget_thb")
        if budget is not None:
            if budget < 0:
                row.error("budget_thb", _("The budget cannot be negative."))
            elif budget > MAX_BUDGET:
                row.error("budget_thb", _("The budget is over 1 trillion baht; check the figure."))
            elif budget != budget.quantize(Decimal("0.01")):
                row.error("budget_thb", _("A budget has at most two decimal places (satang)."))
            else:
                fields["budget"] = budget.quantize(Decimal("0.01"))
        years_message = _("Fiscal years are Buddhist Era years, e.g. 2570.")
        start, end = row.fiscal_year("start_fy", years_message), row.fiscal_year("end_fy", years_message)
        if start is not None and end is not None and end < start:
            row.error("end_fy", _("A project cannot end before it starts."))
        fields["start_fy"], fields["end_fy"] = start, end
        partners = None
        if row.has("partners") and row._raw("partners") is not FORMULA:
            partners, unknown = _choice_list(row.values.get("partners"), PartnerSector)
            partners.sort()
            if unknown:
                row.error("partners", _allowed(_("Unknown partner sector."), _listed(PartnerSector)))
        chosen: list[Province] = []
        if row.has("provinces") and row._raw("provinces") is not FORMULA:
            for code in _codes(row.values.get("provinces")):
                province = provinces.get(code.upper())
                if province is None:
                    row.error("provinces", _("Unknown province code %(code)s.") % {"code": code.upper()})
                else:
                    chosen.append(province)
        # Which strategy of this import.
        strategy = None
        if ref:
            candidates = by_ref.get(ref, [])
            owner_code = _text(values.get("owner")).upper() if row.has("owner") else ""
            if owner_code:
                candidates = [s for s in candidates if s.owner_code == owner_code]
            year = parse_number(values.get("fiscal_year")) if row.has("fiscal_year") else None
            if year is not None:
                candidates = [s for s in candidates if s.fiscal_year == year]
            # A row repeating another's owner, ref and year is reported already: count the pair as one.
            candidates = list({(s.key or s.number): s for s in reversed(candidates)}.values())[::-1]
            if not candidates:
                row.error("strategy_ref", _("No strategy with ref %(ref)s in this import.") % {"ref": ref})
            elif len(candidates) > 1:
                row.error(
                    "strategy_ref",
                    _(
                        "Several strategies in this import have ref %(ref)s: add the columns owner and "
                        "fiscal_year to say which one."
                    )
                    % {"ref": ref},
                )
            else:
                strategy = candidates[0]
        if strategy is not None and strategy.owner is not None and row.ok:
            chosen = _project_provinces(row, strategy.owner, chosen)
        if strategy is not None and row.ok:
            strategy.projects.append(_ProjectRow(number, fields, partners, chosen))
        all_ok = all_ok and row.ok
    return all_ok


def _project_provinces(row: _Row, owner: Owner, chosen: list[Province]) -> list[Province]:
    """The rules of strategies.services for a project's provinces, with the same messages."""
    if isinstance(owner, Cluster):
        if any(p.cluster_id != owner.pk for p in chosen):
            row.error("provinces", _("A cluster project runs in the cluster's member provinces."))
        elif len(chosen) < 2:
            row.error(
                "provinces",
                _(
                    "A cluster's project must cover at least two member provinces: cluster plans are for work whose "
                    "scope or benefit spans more than one province."
                ),
            )
        return chosen
    return chosen or [owner]


# --- comparing with what is stored -------------------------------------------------------------


def _existing(strategies: list[_StrategyRow]) -> dict[Key, Strategy]:
    keys = [s.key for s in strategies if s.key is not None]
    if not keys:
        return {}
    refs = {k[2] for k in keys}
    years = {k[3] for k in keys}
    query = (
        Strategy.objects.select_for_update(of=("self",))
        .filter(external_ref__in=refs, fiscal_year__in=years)
        .prefetch_related("projects__provinces")
    )
    found = {}
    for strategy in query:
        kind, owner_id = ("p", strategy.province_id) if strategy.province_id else ("c", strategy.cluster_id)
        found[(kind, owner_id, strategy.external_ref, strategy.fiscal_year)] = strategy
    return found


def _strategy_changes(strategy: Strategy, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(strategy, name) != value}


@dataclass
class _ProjectPlan:
    create: list[_ProjectRow] = field(default_factory=list)
    update: list[tuple[Project, _ProjectRow, dict, bool]] = field(default_factory=list)
    unchanged: int = 0
    remove: list[Project] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.create or self.update or self.remove)


def _project_plan(existing: list[Project], rows: list[_ProjectRow]) -> _ProjectPlan:
    """Match the file's projects to the stored ones on their Thai title, in order."""
    plan = _ProjectPlan()
    free = list(existing)
    for row in rows:
        project = next((p for p in free if p.title_th.strip() == row.fields["title_th"]), None)
        if project is None:
            plan.create.append(row)
            continue
        free.remove(project)
        changes = {name: value for name, value in row.fields.items() if getattr(project, name) != value}
        if row.partners is not None and sorted(project.partners or []) != row.partners:
            changes["partners"] = row.partners
        provinces_differ = {p.pk for p in project.provinces.all()} != {p.pk for p in row.provinces}
        if changes or provinces_differ:
            plan.update.append((project, row, changes, provinces_differ))
        else:
            plan.unchanged += 1
    plan.remove = free
    return plan


# --- the import --------------------------------------------------------------------------------


def _load_tables(
    strategies_file: ImportFile, projects_file: ImportFile | None, issues: list[ImportIssue]
) -> tuple[_Table | None, _Table | None, bool]:
    """The strategies table and the projects table (if any). The bool says whether projects were given."""
    tables: dict[str, list[RawRow] | None] = {}
    sources: dict[str, str] = {}
    for role, file in (("strategies", strategies_file), ("projects", projects_file)):
        if file is None:
            continue
        if file.extension not in EXTENSIONS:
            issues.append(ImportIssue(file.label, 0, "", _("Only .csv and .xlsx files can be imported.")))
            tables[role] = None
            continue
        try:
            if file.extension == ".csv":
                tables[role], sources[role] = _csv_rows(file), file.label
                continue
            sheets = _xlsx_sheets(file)
        except Unreadable as exc:
            issues.append(ImportIssue(file.label, 0, "", exc.message))
            tables[role] = None
            continue
        if role == "projects":
            title = _named(sheets, PROJECTS_SHEET) or next(iter(sheets), None)
        else:
            title = _named(sheets, STRATEGIES_SHEET) or next(
                (t for t in sheets if t.strip().lower() != PROJECTS_SHEET), None
            )
            inner = _named(sheets, PROJECTS_SHEET)
            if inner is not None and title != inner:
                if projects_file is not None:
                    issues.append(
                        ImportIssue(
                            file.label,
                            0,
                            "",
                            _("Projects are given twice: in a separate file and in the sheet “projects”."),
                        )
                    )
                else:
                    tables["projects"], sources["projects"] = sheets[inner], f"{file.label} [{inner}]"
        if title is None:
            issues.append(ImportIssue(file.label, 0, "", _("The workbook has no sheet to read.")))
            tables[role] = None
            continue
        tables[role], sources[role] = sheets[title], f"{file.label} [{title}]"
    strategies = projects = None
    if tables.get("strategies") is not None:
        strategies = _table(
            sources["strategies"], tables["strategies"], STRATEGY_COLUMNS, STRATEGY_REQUIRED, issues
        )
    if tables.get("projects") is not None:
        projects = _table(sources["projects"], tables["projects"], PROJECT_COLUMNS, PROJECT_REQUIRED, issues)
    return strategies, projects, "projects" in tables


@transaction.atomic
def strategies_import(
    *, strategies: ImportFile, projects: ImportFile | None = None, by: User | None, unrestricted: bool = False
) -> ImportSummary:
    """Import a strategies table and, optionally, a projects table — all of it or nothing.

    ``by`` is recorded as the creator and in the history. Each row's owner must pass ``can_own(by, owner)``: a
    secretariat imports the cluster's own strategies, a planner their province's, an administrator anyone's;
    ``unrestricted`` (the command without --as) has no scope limit.
    Raises ImportFailed listing every problem; nothing is written then.
    """
    if not unrestricted and not can_import(by):
        raise WorkflowError(
            _("Only planners, cluster secretariats and administrators can import strategies.")
        )
    issues: list[ImportIssue] = []
    strategy_table, project_table, with_projects = _load_tables(strategies, projects, issues)
    provinces = {p.code: p for p in Province.objects.all()}
    clusters = {c.code: c for c in Cluster.objects.all()}
    rows: list[_StrategyRow] = []
    if strategy_table is not None:
        rows = _check_strategies(strategy_table, provinces, clusters, _scope_test(by, unrestricted), issues)
        if project_table is not None:
            _check_projects(project_table, rows, provinces, issues)
    if issues:
        raise ImportFailed(_sorted(issues))

    existing = _existing(rows)
    plans: dict[int, _ProjectPlan] = {}
    for row in rows:
        row.existing = existing.get(row.key)
        if row.existing is None:
            continue
        changes = _strategy_changes(row.existing, row.fields)
        if changes and row.existing.status not in (StrategyStatus.DRAFT, StrategyStatus.RETURNED):
            issues.append(
                ImportIssue(
                    row.table.source,
                    row.number,
                    "ref",
                    _("Only a draft or returned strategy can be edited; this one is %(status)s.")
                    % {"status": row.existing.get_status_display()},
                    row.ref,
                )
            )
        if with_projects:
            plan = plans[row.number] = _project_plan(list(row.existing.projects.all()), row.projects)
            if plan.changes and row.existing.status in (StrategyStatus.DONE, StrategyStatus.DROPPED):
                where = row.projects[0].number if row.projects else 0
                source = project_table.source if row.projects else row.table.source
                issues.append(
                    ImportIssue(
                        source,
                        where or row.number,
                        "strategy_ref" if row.projects else "ref",
                        _("The strategy is closed: its projects can no longer change."),
                        row.ref,
                    )
                )
    if issues:
        raise ImportFailed(_sorted(issues))

    summary = ImportSummary(with_projects=with_projects)
    created: list[Strategy] = []
    changed: list[Strategy] = []
    for row in rows:
        strategy = row.existing
        if strategy is None:
            strategy = Strategy(
                external_ref=row.ref,
                fiscal_year=row.fiscal_year,
                created_by=by,
                province=row.owner if isinstance(row.owner, Province) else None,
                cluster=row.owner if isinstance(row.owner, Cluster) else None,
                **row.fields,
            )
            strategy._history_user = by
            strategy.save()
            summary.created += 1
            created.append(strategy)
        else:
            changes = _strategy_changes(strategy, row.fields)
            if changes or (with_projects and plans[row.number].changes):
                changed.append(strategy)
            if changes:
                for name, value in changes.items():
                    setattr(strategy, name, value)
                strategy._history_user = by
                strategy.save()
                # Imported effects are entered directly: a checklist no longer explains them.
                CriterionScore.objects.filter(strategy=strategy).delete()
                summary.updated += 1
            else:
                summary.unchanged += 1
        if with_projects:
            plan = plans.get(row.number) or _project_plan([], row.projects)
            _apply_projects(strategy, plan, by, summary)
    embeddings.schedule(s.pk for s in (*created, *changed))
    if created or changed:
        signals.strategies_imported.send_robust(sender=Strategy, created=created, changed=changed, by=by)
    return summary


def _apply_projects(strategy: Strategy, plan: _ProjectPlan, by: User | None, summary: ImportSummary) -> None:
    for project in plan.remove:
        project._history_user = by
        project.delete()
    for project, row, changes, provinces_differ in plan.update:
        if changes:
            for name, value in changes.items():
                setattr(project, name, value)
            project._history_user = by
            project.save()
        if provinces_differ:
            project.provinces.set(row.provinces)
    for row in plan.create:
        project = Project(strategy=strategy, partners=row.partners or [], **row.fields)
        project._history_user = by
        project.save()
        project.provinces.set(row.provinces)
    summary.projects_created += len(plan.create)
    summary.projects_updated += len(plan.update)
    summary.projects_removed += len(plan.remove)
    summary.projects_unchanged += plan.unchanged


def _sorted(issues: list[ImportIssue]) -> list[ImportIssue]:
    order = {source: i for i, source in enumerate(dict.fromkeys(issue.source for issue in issues))}
    return sorted(issues, key=lambda issue: (order[issue.source], issue.row))


# --- templates for the offices -----------------------------------------------------------------


def sample_owners(user: User | None) -> tuple[Province | None, Cluster | None]:
    """Whose rows the sample files hold: the user's own unit — what they may import — or, for an
    administrator, a cluster and its first member province."""
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER:
        return scope.province, None
    if role == Role.SECRETARIAT:
        return None, scope.cluster
    cluster = Cluster.objects.filter(code="N-UP1").first() or Cluster.objects.order_by("code").first()
    return (cluster.provinces.order_by("code").first() if cluster else None), cluster


def template_csv(kind: str, *, province: Province | None, cluster: Cluster | None) -> bytes:
    """A sample CSV (UTF-8 with a BOM, so that Excel shows Thai) of the strategies or the projects table, with a
    row for the province and one for the cluster, if given."""
    members = [p.code for p in cluster.provinces.order_by("code")[:2]] if cluster else []
    if kind == "strategies":
        header = list(STRATEGY_COLUMNS)
        rows = [
            ["P-01", province.code, "2570", "พัฒนาด่านการค้าชายแดนและจุดผ่อนปรน", "Border trade checkpoint development",
             "ยกระดับด่านให้รองรับการค้าในประชาคมอาเซียน", "development", "economic", "place;product", "75", "80"],
        ] if province else []  # fmt: skip
        if cluster:
            rows.append(["C-01", cluster.code, "2570", "ส่งเสริมการท่องเที่ยวเชื่อมโยงกลุ่มจังหวัด", "", "",
                         "public_service", "socio_cultural", "people", "60", "40"])  # fmt: skip
    elif kind == "projects":
        header = list(PROJECT_COLUMNS[:9])
        rows = [
            ["P-01", "ปรับปรุงอาคารด่านศุลกากร", "สำนักงานจังหวัด", "government;private", "12,500,000", "provincial",
             "2570", "2571", ""],
        ] if province else []  # fmt: skip
        if cluster:
            rows.append(["C-01", "เส้นทางท่องเที่ยวเชื่อมโยง", "สำนักงานกลุ่มจังหวัด", "local_government", "4,000,000",
                         "cluster", "2570", "2570", ";".join(members)])  # fmt: skip
    else:
        raise ValueError(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
