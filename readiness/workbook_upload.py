"""The upload of a filled-in assessment template (readiness.workbook): checked as a whole, then applied.

The upload is all or nothing, like the strategies import: the whole file is checked first and every problem
is collected as a FileProblem (sheet, spreadsheet row, column, reason); if there is any, UploadFailed carries
them all and nothing is written. Otherwise every row the user changed goes through services.answer_save in
one transaction — with the answer version of the file, so that someone else's newer save is a conflict that
rolls everything back.

The grey key columns are checked against their per-row signatures and the hidden sheet's identity and
checksum (see readiness.workbook): edited keys, added or removed rows and another province's or round's file
are reported.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from provinces.models import Province
from provinces.thai import THAI_DIGITS
from provinces.uploads import FileProblem, in_file_order
from provinces.workbooks import Cells, Unreadable, cell_text, read_workbook

from . import services
from .access import can_edit_assessment
from .choices import AssessmentStatus, RoundStatus
from .models import LEVELS, Answer, Assessment
from .workbook import (
    COLUMNS,
    FORMAT,
    JUSTIFICATION_MAX,
    KEY_COLUMNS,
    POSITION,
    SHEET_FORM,
    SHEET_META,
    SHEETS,
    checksum,
    normalise_justification,
    original_hash,
    row_signature,
    unsafe_text,
)

MAX_ROWS = 2_000  # per sheet: a framework has about 30 indicators

Sheet = list[tuple[int, Cells]]


class UploadFailed(services.WorkflowError):
    """The upload found problems and changed nothing. ``issues`` lists every one of them."""

    def __init__(self, issues: list[FileProblem]):
        self.issues = issues
        super().__init__(
            ngettext(
                "Nothing was changed: %(count)s problem was found in the file.",
                "Nothing was changed: %(count)s problems were found in the file.",
                len(issues),
            )
            % {"count": len(issues)}
        )


@dataclass
class UploadResult:
    updated: list[str] = field(default_factory=list)  # indicator codes
    unchanged: int = 0

    def __str__(self) -> str:
        if not self.updated:
            return _("No changes: the file holds the same answers as the website. Nothing was saved.")
        return ngettext("%(count)s answer updated.", "%(count)s answers updated.", len(self.updated)) % {
            "count": len(self.updated)
        }


def upload_refusal(assessment: Assessment) -> str | None:
    """Why this assessment cannot take an upload now (workflow state), or None."""
    if assessment.round.status != RoundStatus.OPEN:
        return _("This round is not open: answers can no longer be changed, so no file can be uploaded.")
    if assessment.status == AssessmentStatus.SUBMITTED:
        return _("The assessment is submitted and waits for review: it cannot be changed by an upload now.")
    return None


def _column_label(position: int) -> str:
    column = COLUMNS[position - 1] if 0 < position <= len(COLUMNS) else None
    letter = get_column_letter(position)
    return f"{letter} ({column.label or column.header})" if column else letter


def _shown(value: object) -> str:
    text = cell_text(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --- the file ------------------------------------------------------------------------------------


def _check_container(content: bytes, filename: str) -> None:
    """The file's type by its name. Its size, zip structure and macros are checked by read_workbook
    (provinces.uploads.check_workbook), before openpyxl reads anything."""
    lower = (filename or "").lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise Unreadable(_("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx."))
    if not lower.endswith(".xlsx"):
        raise Unreadable(_("Only .xlsx files (Excel workbooks) can be uploaded."))


def _read_sheets(content: bytes) -> dict[str, Sheet]:
    return read_workbook(
        content, max_rows=MAX_ROWS, too_many=_("The workbook has far more rows than an assessment.")
    )


def _check_sheet_names(names: list[str], issues: list[FileProblem]) -> None:
    for name in SHEETS:
        if name not in names:
            issues.append(
                FileProblem(
                    name, 0, "", _("The sheet “%(name)s” of the template is missing.") % {"name": name}
                )
            )
    for name in names:
        if name not in SHEETS:
            issues.append(
                FileProblem(
                    name,
                    0,
                    "",
                    _("The sheet “%(name)s” is not part of the template: remove it.") % {"name": name},
                )
            )


def _check_formulas(sheets: dict[str, Sheet], issues: list[FileProblem]) -> set[str]:
    """Reports every formula cell; returns the sheets that hold one."""
    found: set[str] = set()
    for name, rows in sheets.items():
        for number, cells in rows:
            for position, (raw, formula) in sorted(cells.items()):
                if formula:
                    found.add(name)
                    issues.append(
                        FileProblem(
                            name,
                            number,
                            _column_label(position) if name == SHEET_FORM else get_column_letter(position),
                            _(
                                "Formulas are not accepted: enter the value itself (copy, then paste as values)."
                            ),
                            _shown(raw),
                        )
                    )
    return found


def parse_level(value: object) -> int | None:
    """A level 1–5 or None (blank). "5 ", "๕" and 5.0 are read as 5. Raises ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).translate(THAI_DIGITS).strip().replace("\u00a0", "")
        if not text:
            return None
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise ValueError(value)
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
            raise ValueError(value) from None
    if number != number.to_integral_value() or int(number) not in LEVELS:
        raise ValueError(value)
    return int(number)


@dataclass
class _FileRow:
    number: int
    code: str
    version: int
    original: str
    level: int | None
    justification: str

    @property
    def changed_by_user(self) -> bool:
        return original_hash(self.level, self.justification) != self.original


# --- the file's identity -------------------------------------------------------------------------


def _meta(rows: Sheet) -> dict[str, str]:
    meta = {}
    for _number, cells in rows:
        key = cell_text(cells.get(1, (None, False))[0])
        if key:
            meta[key] = cell_text(cells.get(2, (None, False))[0])
    return meta


def _province_name(code: str) -> str:
    """The province a file says it is for, by name; a code that names no province is shown as it is."""
    province = Province.objects.filter(code=code).first() if code else None
    return province.name if province else (code or "?")


def _check_identity(assessment: Assessment, meta: dict[str, str], issues: list[FileProblem]) -> bool:
    if meta.get("format") != FORMAT:
        issues.append(
            FileProblem(
                "",
                0,
                "",
                _(
                    "This is not an assessment template of this system. Download the template and fill that in."
                ),
            )
        )
        return False
    province, year = meta.get("province_code", ""), meta.get("fiscal_year", "")
    if province != assessment.province.code or year != str(assessment.round.fiscal_year):
        issues.append(
            FileProblem(
                "",
                0,
                "",
                _(
                    "This file is the template of %(province)s, FY %(year)s; this assessment is of "
                    "%(target)s, FY %(target_year)s. Download this assessment's own template."
                )
                % {
                    "province": _province_name(province),
                    "year": year or "?",
                    "target": assessment.province.name,
                    "target_year": assessment.round.fiscal_year,
                },
            )
        )
        return False
    if meta.get("assessment_id") != str(assessment.pk):
        issues.append(
            FileProblem(
                "",
                0,
                "",
                _("This file belongs to another assessment. Download this assessment's own template."),
            )
        )
        return False
    return True


# --- the form's rows -----------------------------------------------------------------------------


class _FormRow:
    """One row of the form being checked. A formula cell is reported by _read already: here it reads as
    empty, a problem in its column is not reported again, and its row is not applied."""

    def __init__(self, number: int, cells: Cells, issues: list[FileProblem]):
        self.number, self.cells, self.issues = number, cells, issues
        self.formula_at = {position for position, (_v, formula) in cells.items() if formula}
        self.ok = not self.formula_at

    def value(self, key: str):
        raw, formula = self.cells.get(POSITION[key], (None, False))
        return None if formula else raw

    def error(self, key: str, message: str) -> None:
        self.ok = False
        if POSITION[key] in self.formula_at:
            return
        self.issues.append(
            FileProblem(
                SHEET_FORM, self.number, _column_label(POSITION[key]), message, _shown(self.value(key))
            )
        )


@dataclass
class _FormCheck:
    """What the rows are checked against, and what the rows seen so far leave for the next."""

    meta: dict[str, str]
    codes: set[str]  # the round's indicators
    seen: dict[str, int] = field(default_factory=dict)  # indicator code → first row
    signatures: list[str] = field(default_factory=list)


def _check_header(sheet: Sheet, issues: list[FileProblem]) -> bool:
    """Whether the form starts with the template's header row (a formula in it is reported by _read)."""
    if not sheet or sheet[0][0] != 1:
        issues.append(FileProblem(SHEET_FORM, 1, "", _("The header row is missing.")))
        return False
    header = sheet[0][1]
    header_ok = True
    for column in COLUMNS:
        position = POSITION[column.key]
        heading, formula = header.get(position, (None, False))
        if formula:
            header_ok = False
        elif cell_text(heading) != column.header:
            header_ok = False
            issues.append(
                FileProblem(
                    SHEET_FORM,
                    1,
                    _column_label(position),
                    _("The columns of the template were changed: this heading should read “%(header)s”.")
                    % {"header": column.header},
                    _shown(heading),
                )
            )
    return header_ok


def _check_keys(row: _FormRow, keys: dict[str, str], check: _FormCheck) -> None:
    """The grey key columns: this assessment's, a known indicator once only, as signed at the download."""
    meta = check.meta
    province, year, pk = meta["province_code"], meta["fiscal_year"], meta["assessment_id"]
    for key, expected in (("assessment", pk), ("province", province), ("fiscal_year", year)):
        if keys[key] != expected:
            row.error(key, _("A grey key column was edited: it should read %(value)s.") % {"value": expected})
    code = keys["indicator"]
    if code not in check.codes:
        row.error(
            "indicator", _("Unknown indicator code %(code)s: it is not in this round.") % {"code": code}
        )
    elif code in check.seen:
        row.error(
            "indicator",
            _("Indicator %(code)s appears twice (also in row %(row)s).")
            % {"code": code, "row": check.seen[code]},
        )
    check.seen.setdefault(code, row.number)
    if row.ok and cell_text(row.value("code")) != code:
        row.error(
            "code",
            _("A grey column was edited: the indicator code should read %(code)s.") % {"code": code},
        )
    if row.ok and not constant_time_compare(
        keys["signature"],
        row_signature(pk, province, year, code, keys["version"], keys["original"]),
    ):
        row.error(
            "signature", _("The grey key columns of this row were edited. Download the template again.")
        )
    check.signatures.append(keys["signature"])


def _check_answer(row: _FormRow) -> tuple[int | None, str]:
    """The level and the justification the row gives (a bad level reads as None, after reporting it)."""
    try:
        level = parse_level(row.value("level"))
    except ValueError:
        row.error("level", _("The level must be a whole number from 1 to 5, or blank."))
        level = None
    raw = row.value("justification")
    justification = normalise_justification(unsafe_text(str(raw))) if raw is not None else ""
    if len(justification) > JUSTIFICATION_MAX:
        row.error(
            "justification",
            _("At most %(max)s characters; this has %(count)s.")
            % {"max": f"{JUSTIFICATION_MAX:,}", "count": f"{len(justification):,}"},
        )
    return level, justification


def _check_row(row: _FormRow, check: _FormCheck) -> _FileRow | None:
    """The row as it is to be applied, or None: an empty row, or one with problems (reported)."""
    if not any(cell_text(v) for v, _f in row.cells.values()):
        return None
    keys = {k: cell_text(row.value(k)) for k in KEY_COLUMNS}
    if not any(keys.values()):
        if not row.formula_at:
            row.error("indicator", _("This row is not from the template: its grey key columns are empty."))
        return None
    _check_keys(row, keys, check)
    level, justification = _check_answer(row)
    if not row.ok:
        return None
    return _FileRow(
        row.number, keys["indicator"], int(keys["version"]), keys["original"], level, justification
    )


def _check_rows(
    assessment: Assessment,
    sheet: Sheet,
    meta: dict[str, str],
    issues: list[FileProblem],
) -> list[_FileRow]:
    """Every row's problems. A formula cell is reported by _read already: here it reads as empty, is not
    reported again, and its row is not applied."""
    check = _FormCheck(meta, set(assessment.round.indicators.values_list("code", flat=True)))
    if not _check_header(sheet, issues):
        return []
    rows = [
        checked
        for number, cells in sheet[1:]
        if (checked := _check_row(_FormRow(number, cells, issues), check)) is not None
    ]
    # The checksum only says that something is wrong: it is reported when nothing more precise was found.
    if not issues and not constant_time_compare(
        meta.get("checksum", ""),
        checksum(meta["assessment_id"], meta["province_code"], meta["fiscal_year"], check.signatures),
    ):
        issues.append(
            FileProblem(
                SHEET_FORM,
                0,
                "",
                _(
                    "Rows were added, removed or moved, or the hidden part of the template was changed. "
                    "Download the template again."
                ),
            )
        )
    return rows


def _read(assessment: Assessment, content: bytes, filename: str) -> list[_FileRow]:
    """Every check that needs only the file and the round. Raises UploadFailed with all problems found:
    the sheets, every formula and every bad row at once (a formula cell is reported as a formula only)."""
    issues: list[FileProblem] = []
    try:
        _check_container(content, filename)
        sheets = _read_sheets(content)
    except Unreadable as exc:
        raise UploadFailed([FileProblem("", 0, "", exc.message)]) from None
    _check_sheet_names(list(sheets), issues)
    with_formulas = _check_formulas(sheets, issues)
    # The rows can be checked only against the file's identity, read from a hidden sheet without formulas.
    if SHEET_META in sheets and SHEET_FORM in sheets and SHEET_META not in with_formulas:
        meta = _meta(sheets[SHEET_META])
        if _check_identity(assessment, meta, issues):
            rows = _check_rows(assessment, sheets[SHEET_FORM], meta, issues)
            if not issues:
                return rows
    raise UploadFailed(in_file_order(issues))  # sheet by sheet, row by row


# --- applying ------------------------------------------------------------------------------------


def _conflict(row: _FileRow, answer: Answer, by: User) -> str | None:
    """Why a row the user changed cannot be applied to the stored answer, or None."""
    if answer.version == row.version:
        return None
    if answer.updated_by_id == by.pk:
        # The uploader saved it on the website meanwhile (another tab, another computer).
        return _(
            "You changed this answer on the website (perhaps in another tab) after the file was "
            "downloaded. Download the template again and re-enter your changes."
        )
    if answer.updated_by:
        return _(
            "Someone else changed this answer after the file was downloaded (by %(who)s). "
            "Download the template again and re-enter your changes."
        ) % {"who": answer.updated_by.get_full_name() or answer.updated_by.username}
    return _(
        "Someone else changed this answer after the file was downloaded. "
        "Download the template again and re-enter your changes."
    )


def _changes(
    rows: list[_FileRow], answers: dict[str, Answer], by: User, result: UploadResult
) -> list[tuple[_FileRow, Answer]]:
    """The rows to save with their answers; counts the unchanged ones. Raises UploadFailed on any conflict."""
    issues: list[FileProblem] = []
    to_apply = []
    label = _column_label(POSITION["level"])
    for row in rows:
        answer = answers.get(row.code)
        if not row.changed_by_user:
            result.unchanged += 1
        elif answer is None:
            issues.append(
                FileProblem(
                    SHEET_FORM, row.number, label, _("This indicator has no answer in this assessment.")
                )
            )
        elif message := _conflict(row, answer, by):
            issues.append(FileProblem(SHEET_FORM, row.number, label, message))
        elif answer.level == row.level and normalise_justification(answer.justification) == row.justification:
            result.unchanged += 1
        else:
            to_apply.append((row, answer))
    if issues:
        raise UploadFailed(issues)
    return to_apply


def _save(to_apply: list[tuple[_FileRow, Answer]], by: User, result: UploadResult) -> None:
    """Saves every row through services.answer_save. Raises UploadFailed if any is refused."""
    issues: list[FileProblem] = []
    for row, answer in to_apply:
        try:
            services.answer_save(
                answer=answer,
                level=row.level,
                justification=row.justification,
                expected_version=row.version,
                by=by,
            )
        except services.StaleAnswer:
            issues.append(
                FileProblem(
                    SHEET_FORM,
                    row.number,
                    _column_label(POSITION["level"]),
                    _(
                        "Someone else changed this answer after the file was downloaded. "
                        "Download the template again and re-enter your changes."
                    ),
                )
            )
        except services.WorkflowError as exc:
            issues.append(FileProblem(SHEET_FORM, row.number, "", exc.message))
        else:
            result.updated.append(row.code)
    if issues:
        raise UploadFailed(issues)


def assessment_upload(*, assessment: Assessment, content: bytes, filename: str, by: User) -> UploadResult:
    """Check an uploaded template as a whole, then apply the rows the user changed — all or nothing.

    Raises UploadFailed (nothing changed) with every problem: the workflow state, the file, each bad row and
    column, and answers someone else saved since the download (stale rows).
    """
    if not can_edit_assessment(by, assessment):
        raise services.WorkflowError(_("Only the province's planners can change this assessment."))
    if refusal := upload_refusal(assessment):
        raise UploadFailed([FileProblem("", 0, "", refusal)])
    rows = _read(assessment, content, filename)
    with transaction.atomic():
        locked = (
            Assessment.objects.select_related("round", "province")
            .select_for_update(of=("self",))
            .get(pk=assessment.pk)
        )
        if refusal := upload_refusal(locked):
            raise UploadFailed([FileProblem("", 0, "", refusal)])
        answers = {
            a.indicator.code: a
            for a in Answer.objects.select_for_update(of=("self",))
            .select_related("indicator")
            .filter(assessment=locked)
        }
        result = UploadResult()
        _save(_changes(rows, answers, by, result), by, result)  # an UploadFailed rolls every saved row back
    return result
