"""Checking the rows of a strategies import (strategies.importing): every cell of both tables, every problem
collected as a FileProblem with its row and column, and each project attached to its strategy of the import.

Choice columns (work_area, asean_pillar, funding_source, partners, dimensions) take the code, the English
label or the Thai label the pages show (งานบริหารการพัฒนา, ประชาคมเศรษฐกิจอาเซียน or just เศรษฐกิจ), in any
case and spacing. A row whose owner the user may not change (``strategies.access.can_own``) is reported.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from provinces.models import Cluster, Province
from provinces.text import without_nul
from provinces.thai import THAI_DIGITS
from provinces.uploads import FileProblem
from readiness.choices import DIMENSIONS, Dimension

from .access import can_own
from .choices import EffectSource, FundingSource, PartnerSector, Pillar, WorkArea
from .import_files import FORMULA, Table, shown, text_of
from .models import MAX_BUDGET, Strategy

FY_MIN, FY_MAX = 2550, 2700

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_LIST_SEPARATORS = re.compile(r"[;,\s]+")


# --- cell values -------------------------------------------------------------------------------


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
    for code in _LIST_SEPARATORS.split(text_of(value)):
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
    for item in re.split(r"[;,\n]+", text_of(value)):
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


class Row:
    """One data row being checked. Each reader returns the value, or None after recording the problem."""

    def __init__(self, table: Table, number: int, values: dict[str, object], issues: list[FileProblem]):
        self.table, self.number, self.values, self.issues = table, number, values, issues
        self.ok = True

    def has(self, column: str) -> bool:
        return column in self.table.columns

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.issues.append(
            FileProblem(self.table.source, self.number, column, message, shown(self.values.get(column)))
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
        text = text_of(value)
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
        if not text_of(value):
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
        code = _choice_code(text_of(value), choices)
        if code is None:
            self.error(column, _allowed(unknown, _listed(choices)))
        return code


# --- checking ----------------------------------------------------------------------------------

Owner = Province | Cluster
Key = tuple[str, int, str, int]  # ("p" or "c", owner pk, ref, fiscal year)


def _key(owner: Owner, ref: str, fiscal_year: int) -> Key:
    return ("p" if isinstance(owner, Province) else "c", owner.pk, ref, fiscal_year)


@dataclass
class StrategyRow:
    table: Table
    number: int
    ref: str
    owner: Owner | None
    owner_code: str
    fiscal_year: int | None
    ok: bool
    fields: dict = field(default_factory=dict)
    projects: list = field(default_factory=list)  # list[ProjectRow]
    existing: Strategy | None = None

    @property
    def key(self) -> Key | None:
        if self.owner is None or self.fiscal_year is None or not self.ref:
            return None
        return _key(self.owner, self.ref, self.fiscal_year)


@dataclass
class ProjectRow:
    number: int
    fields: dict
    partners: list[str] | None  # None: no partners column, keep what a matched project has
    provinces: list[Province]


def scope_test(by: User | None, unrestricted: bool) -> Callable[[Owner], bool]:
    """Whose strategies the import may write: the rule of every write path, can_own (see strategies.importing)."""
    if unrestricted:
        return lambda owner: True
    return lambda owner: can_own(by, owner)


# --- strategies --------------------------------------------------------------------------------


def _owner(
    row: Row, provinces: dict[str, Province], clusters: dict[str, Cluster], in_scope: Callable[[Owner], bool]
) -> tuple[Owner | None, str]:
    """The row's owner, if it names one the user may write for, and the code as given (upper case)."""
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
            _("Unknown owner %(code)s: use a province code such as TH-50 or a cluster code such as N-UP1.")
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
    return owner, owner_code


def _dimensions(row: Row, fields: dict) -> None:
    """The builds_<dimension> fields, if the table has a dimensions column."""
    if not row.has("dimensions") or row._raw("dimensions") is FORMULA:
        return
    codes, unknown = _choice_list(row.values.get("dimensions"), Dimension)
    if unknown:
        row.error(
            "dimensions",
            _allowed(_("Unknown dimension %(code)s.") % {"code": ", ".join(unknown)}, _listed(Dimension)),
        )
    for dimension in DIMENSIONS:
        fields[f"builds_{dimension}"] = dimension in codes


def _effects(row: Row, fields: dict) -> None:
    for column in ("asean_effect", "national_effect"):
        effect = row.decimal(column)
        if effect is not None and not 0 <= effect <= 100:
            row.error(column, _("Effects are between 0 and 100."))
        fields[column] = float(effect) if effect is not None else None


def _strategy_fields(row: Row) -> dict:
    """The strategy's fields the row gives (a column the table lacks leaves a stored value as it is)."""
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
    _dimensions(row, fields)
    _effects(row, fields)
    return fields


def _check_once(strategy: StrategyRow, row: Row, seen: dict[Key, int]) -> None:
    """Each owner, ref and fiscal year once in the table."""
    key = strategy.key
    if key is None:
        return
    if key in seen:
        strategy.ok = False
        row.error(
            "ref",
            _("The same owner, ref and fiscal year already appear in row %(row)s.") % {"row": seen[key]},
        )
    else:
        seen[key] = row.number


def check_strategies(
    table: Table,
    provinces: dict[str, Province],
    clusters: dict[str, Cluster],
    in_scope: Callable[[Owner], bool],
    issues: list[FileProblem],
) -> list[StrategyRow]:
    result: list[StrategyRow] = []
    seen: dict[Key, int] = {}
    for number, values in table.rows:
        row = Row(table, number, values, issues)
        ref = row.text(
            "ref",
            max_length=50,
            required=_("Every strategy needs a reference (ref), so that a later import finds it again."),
        )
        owner, owner_code = _owner(row, provinces, clusters, in_scope)
        fiscal_year = row.fiscal_year("fiscal_year", _("The fiscal year is a Buddhist Era year, e.g. 2570."))
        fields = _strategy_fields(row)
        strategy = StrategyRow(table, number, ref or "", owner, owner_code, fiscal_year, row.ok, fields)
        _check_once(strategy, row, seen)
        result.append(strategy)
    return result


# --- projects ----------------------------------------------------------------------------------


def _budget(row: Row) -> Decimal | None:
    """The budget in baht with satang, or None (a problem is reported)."""
    budget = row.decimal("budget_thb")
    if budget is None:
        return None
    if budget < 0:
        row.error("budget_thb", _("The budget cannot be negative."))
    elif budget > MAX_BUDGET:
        row.error("budget_thb", _("The budget is over 1 trillion baht; check the figure."))
    elif budget != budget.quantize(Decimal("0.01")):
        row.error("budget_thb", _("A budget has at most two decimal places (satang)."))
    else:
        return budget.quantize(Decimal("0.01"))
    return None


def _project_fields(row: Row) -> dict:
    fields = {
        "title_th": row.text("title_th", max_length=500, required=_("A project needs a Thai title.")),
        "lead_agency": row.text("lead_agency", max_length=300, required=_("Name the lead agency.")),
        "funding_source": row.choice("funding_source", FundingSource, _("Unknown funding source.")),
    }
    budget = _budget(row)
    if budget is not None:
        fields["budget"] = budget
    years_message = _("Fiscal years are Buddhist Era years, e.g. 2570.")
    start, end = row.fiscal_year("start_fy", years_message), row.fiscal_year("end_fy", years_message)
    if start is not None and end is not None and end < start:
        row.error("end_fy", _("A project cannot end before it starts."))
    fields["start_fy"], fields["end_fy"] = start, end
    return fields


def _partners(row: Row) -> list[str] | None:
    """The partner sectors, sorted; None if the table has no partners column."""
    if not row.has("partners") or row._raw("partners") is FORMULA:
        return None
    partners, unknown = _choice_list(row.values.get("partners"), PartnerSector)
    partners.sort()
    if unknown:
        row.error("partners", _allowed(_("Unknown partner sector."), _listed(PartnerSector)))
    return partners


def _provinces(row: Row, provinces: dict[str, Province]) -> list[Province]:
    """The provinces the row names (none if the table has no provinces column)."""
    chosen: list[Province] = []
    if not row.has("provinces") or row._raw("provinces") is FORMULA:
        return chosen
    for code in _codes(row.values.get("provinces")):
        province = provinces.get(code.upper())
        if province is None:
            row.error("provinces", _("Unknown province code %(code)s.") % {"code": code.upper()})
        else:
            chosen.append(province)
    return chosen


def _strategy_of(row: Row, ref: str, by_ref: dict[str, list[StrategyRow]]) -> StrategyRow | None:
    """Which strategy of this import the project belongs to: by its ref, and its owner and fiscal year if
    the table gives them. None if there is none or more than one (reported)."""
    candidates = by_ref.get(ref, [])
    owner_code = text_of(row.values.get("owner")).upper() if row.has("owner") else ""
    if owner_code:
        candidates = [s for s in candidates if s.owner_code == owner_code]
    year = parse_number(row.values.get("fiscal_year")) if row.has("fiscal_year") else None
    if year is not None:
        candidates = [s for s in candidates if s.fiscal_year == year]
    # A row repeating another's owner, ref and year is reported already: count the pair as one.
    candidates = list({(s.key or s.number): s for s in reversed(candidates)}.values())[::-1]
    if not candidates:
        row.error("strategy_ref", _("No strategy with ref %(ref)s in this import.") % {"ref": ref})
        return None
    if len(candidates) > 1:
        row.error(
            "strategy_ref",
            _(
                "Several strategies in this import have ref %(ref)s: add the columns owner and "
                "fiscal_year to say which one."
            )
            % {"ref": ref},
        )
        return None
    return candidates[0]


def _check_project(row: Row, provinces: dict[str, Province], by_ref: dict[str, list[StrategyRow]]) -> None:
    """Checks one project row and, if it is good, attaches it to its strategy."""
    ref = row.text(
        "strategy_ref", max_length=50, required=_("Say which strategy (its ref) the project belongs to.")
    )
    fields = _project_fields(row)
    partners = _partners(row)
    chosen = _provinces(row, provinces)
    strategy = _strategy_of(row, ref, by_ref) if ref else None
    if strategy is None:
        return
    if strategy.owner is not None and row.ok:
        chosen = _project_provinces(row, strategy.owner, chosen)
    if row.ok:
        strategy.projects.append(ProjectRow(row.number, fields, partners, chosen))


def check_projects(
    table: Table,
    strategies: list[StrategyRow],
    provinces: dict[str, Province],
    issues: list[FileProblem],
) -> bool:
    """Checks every project row and attaches the good ones to their strategy. True if all were good."""
    by_ref: dict[str, list[StrategyRow]] = {}
    for strategy in strategies:
        by_ref.setdefault(strategy.ref, []).append(strategy)
    all_ok = True
    for number, values in table.rows:
        row = Row(table, number, values, issues)
        _check_project(row, provinces, by_ref)
        all_ok = all_ok and row.ok
    return all_ok


def _project_provinces(row: Row, owner: Owner, chosen: list[Province]) -> list[Province]:
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
