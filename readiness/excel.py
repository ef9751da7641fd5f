"""The Excel round-trip of an assessment, and the roll-up tables as XLSX.

A planner downloads a pre-filled workbook for their province and round (one row per indicator), fills the
level and justification offline and uploads it. The upload is all or nothing, like strategies.importing:
the whole file is checked first and every problem is collected as an UploadIssue (sheet, spreadsheet row,
column, reason); if there is any, UploadFailed carries them all and nothing is written. Otherwise every row
the user changed goes through services.answer_save in one transaction — with the answer version of the file,
so that someone else's newer save is a conflict that rolls everything back.

The template's grey key columns (assessment, province, fiscal year, indicator code, answer version and a hash
of the values as downloaded) are signed per row with the project's secret key, and a hidden sheet carries the
workbook's identity and a checksum over all rows: edited keys, added or removed rows and another
province's or round's file are detected. The sheet protection only guards against accidental edits.

Every text cell written by this module is neutralised against formula injection (see ``safe_text``).
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from provinces.models import Cluster, Province
from provinces.thai import THAI_DIGITS
from provinces.workbooks import FORMULA_PREFIXES, Cells, Unreadable, cell_text, read_workbook, safe_text

from . import scoring, services
from .access import can_edit_assessment
from .choices import AssessmentStatus, Dimension, EvidenceKind, RoundStatus
from .models import LEVELS, Answer, Assessment, Evidence, Round
from .selectors import KEYS, NationalRow, Rollup

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 2_000  # per sheet: a framework has about 30 indicators
JUSTIFICATION_MAX = 5000
# A guard against accidental edits, not a secret: anyone can remove sheet protection.
SHEET_PASSWORD = getattr(settings, "READINESS_XLSX_SHEET_PASSWORD", "readiness")
FONT = "Sarabun"
FORMAT = "readiness-assessment/1"
SIGNING_SALT = "readiness.excel.assessment"

SHEET_HELP = "คำแนะนำ"
SHEET_FORM = "แบบประเมิน"
SHEET_META = "_meta"
SHEETS = (SHEET_HELP, SHEET_FORM, SHEET_META)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    hidden: bool = False
    editable: bool = False
    label: str = ""  # how an error report names a hidden key column (its header is for the machine)


COLUMNS = [
    Column("assessment", "assessment_id", 10, hidden=True, label="คอลัมน์ซ่อน: เลขที่แบบประเมิน"),
    Column("province", "province_code", 10, hidden=True, label="คอลัมน์ซ่อน: รหัสจังหวัด"),
    Column("fiscal_year", "fiscal_year", 10, hidden=True, label="คอลัมน์ซ่อน: ปีงบประมาณ"),
    Column("indicator", "indicator_code", 10, hidden=True, label="คอลัมน์ซ่อน: รหัสตัวชี้วัด"),
    Column("version", "answer_version", 10, hidden=True, label="คอลัมน์ซ่อน: ครั้งที่บันทึกคำตอบ"),
    Column("original", "original", 10, hidden=True, label="คอลัมน์ซ่อน: ค่าเดิมของแถว"),
    Column("signature", "signature", 10, hidden=True, label="คอลัมน์ซ่อน: รหัสตรวจสอบแถว"),
    Column("dimension", "มิติ", 12),
    Column("code", "รหัส", 9),
    Column("name", "ตัวชี้วัด", 40),
    *[Column(f"rubric_{level}", f"ระดับ {level}", 30) for level in LEVELS],
    Column("level", "ระดับที่ประเมิน (1–5)", 14, editable=True),
    Column("justification", "คำอธิบายประกอบ", 60, editable=True),
    Column("evidence", "หลักฐาน (ลิงก์และไฟล์ — เพิ่มบนเว็บไซต์)", 40),
]
POSITION = {c.key: i + 1 for i, c in enumerate(COLUMNS)}  # 1-based, as openpyxl counts
KEY_COLUMNS = ("assessment", "province", "fiscal_year", "indicator", "version", "original", "signature")

GREY = PatternFill("solid", fgColor="E7E6E6")
HEADER = PatternFill("solid", fgColor="1F4E79")
EDITABLE = PatternFill("solid", fgColor="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# --- cells ---------------------------------------------------------------------------------------


def unsafe_text(text: str) -> str:
    """The inverse of safe_text for values read back from our own template."""
    if len(text) > 1 and text.startswith("'") and text[1:].startswith((*FORMULA_PREFIXES, "'")):
        return text[1:]
    return text


def _set_text(cell, value: object) -> None:
    cell.value = safe_text(value)
    cell.data_type = "s"  # a string, whatever it looks like


def _font(**kwargs) -> Font:
    return Font(name=FONT, **kwargs)


def _header_row(ws, headers: list[str], widths: list[float] | None = None) -> None:
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        _set_text(cell, header)
        cell.font = _font(bold=True, color="FFFFFF")
        cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        if widths:
            ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    ws.freeze_panes = "B2"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- signing ---------------------------------------------------------------------------------------


def _normalise_justification(text: str) -> str:
    """The text as a workbook holds it: one kind of line break, none of the control characters XLSX cannot
    store (so that a row left as downloaded reads back as unchanged even if the stored text had one), trimmed."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _original(level: int | None, justification: str) -> str:
    """A short hash of an answer's values as downloaded: tells the rows the user changed from the rest."""
    raw = f"{'' if level is None else level}\x1f{_normalise_justification(justification)}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _sign(parts: list[object]) -> str:
    return salted_hmac(SIGNING_SALT, "|".join(str(p) for p in parts), algorithm="sha256").hexdigest()[:32]


def _row_signature(assessment_id, province, fiscal_year, code, version, original) -> str:
    return _sign([assessment_id, province, fiscal_year, code, version, original])


def _checksum(assessment_id, province, fiscal_year, signatures: list[str]) -> str:
    return _sign([FORMAT, assessment_id, province, fiscal_year, *signatures])


# --- the template ----------------------------------------------------------------------------------

INSTRUCTIONS = [
    "วิธีกรอก",
    "1. กรอกในแผ่นงาน “แบบประเมิน” เท่านั้น: คอลัมน์ “ระดับที่ประเมิน (1–5)” และ “คำอธิบายประกอบ” (ช่องสีขาว)",
    "2. ระดับ 1–5: อ่านเกณฑ์ของตัวชี้วัดแต่ละข้อในคอลัมน์ “ระดับ 1” ถึง “ระดับ 5” แล้วเลือกระดับจากรายการ"
    " (1 = เริ่มต้น … 5 = พร้อมเต็มที่) เว้นว่างได้หากยังไม่ประเมิน — ช่องว่างไม่นับเป็นศูนย์"
    " แต่ทำให้ความครบถ้วนลดลง",
    "3. คำอธิบายประกอบ: ไม่เกิน 5,000 ตัวอักษรต่อตัวชี้วัด",
    "4. ห้ามแก้ไขคอลัมน์สีเทา ห้ามเพิ่ม ลบ หรือย้ายแถวหรือแผ่นงาน และห้ามใส่สูตร (หากคัดลอกมาจากที่อื่น ให้วางแบบ “ค่า” เท่านั้น)",
    "5. หลักฐาน: ลิงก์และไฟล์ในคอลัมน์ “หลักฐาน” แสดงไว้เพื่อทราบ การเพิ่มหรือลบหลักฐานทำบนเว็บไซต์",
    "6. บันทึกเป็น “Excel Workbook (.xlsx)” — ไม่ใช่ .xlsm (มีแมโคร) หรือ .csv",
    "7. อัปโหลดที่หน้าแบบประเมินของจังหวัด ปุ่ม “อัปโหลดไฟล์ Excel” ระบบจะตรวจทั้งไฟล์ก่อน"
    " หากพบปัญหาแม้แถวเดียว จะไม่บันทึกข้อมูลใดเลย และแสดงรายการแถวและคอลัมน์ที่ต้องแก้",
    "8. หากมีผู้อื่นแก้คำตอบข้อเดียวกันบนเว็บไซต์หลังจากที่ท่านดาวน์โหลด ระบบจะไม่บันทึก ให้ดาวน์โหลดไฟล์ใหม่แล้วกรอกอีกครั้ง",
    "9. แบบประเมินที่ส่งแล้วและรอการพิจารณา หรือรอบการประเมินที่ปิดแล้ว จะอัปโหลดไม่ได้",
    "10. ไฟล์นี้ใช้ได้กับจังหวัดและปีงบประมาณที่ระบุข้างต้นเท่านั้น",
]


def _evidence_text(evidence: list[Evidence]) -> str:
    lines = []
    for e in evidence:
        if e.kind == EvidenceKind.LINK:
            lines.append(e.url)
        else:
            lines.append(f"[ไฟล์] {e.filename or e.title}")
    return "\n".join(lines)


def assessment_workbook(assessment: Assessment) -> bytes:
    """The pre-filled workbook of an assessment: instructions, one row per indicator, a hidden identity sheet."""
    answers = list(
        assessment.answers.select_related("indicator")
        .prefetch_related("evidence")
        .order_by("indicator__position", "indicator__code")
    )
    province, fy = assessment.province.code, assessment.round.fiscal_year
    wb = Workbook()

    help_ws = wb.active
    help_ws.title = SHEET_HELP
    help_ws.column_dimensions["A"].width = 120
    now = timezone.localtime()
    title = f"แบบประเมินความพร้อม {assessment.province.name_th} ({province}) ปีงบประมาณ พ.ศ. {fy}"
    lines = [
        title,
        f"ดาวน์โหลดเมื่อ {now:%d/%m}/{now.year + 543} {now:%H:%M} น. · สถานะ: {assessment.get_status_display()}",
        "",
        *INSTRUCTIONS,
    ]
    for number, line in enumerate(lines, start=1):
        cell = help_ws.cell(row=number, column=1)
        _set_text(cell, line)
        cell.font = _font(bold=number in (1, 4), size=14 if number == 1 else 12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_ws.protection.sheet = True
    help_ws.protection.password = SHEET_PASSWORD

    ws = wb.create_sheet(SHEET_FORM)
    _header_row(ws, [c.header for c in COLUMNS], [c.width for c in COLUMNS])
    ws.freeze_panes = ws.cell(row=2, column=POSITION["name"] + 1)
    ws.row_dimensions[1].height = 36
    signatures = []
    for row, answer in enumerate(answers, start=2):
        ind = answer.indicator
        original = _original(answer.level, answer.justification)
        signature = _row_signature(assessment.pk, province, fy, ind.code, answer.version, original)
        signatures.append(signature)
        values = {
            "assessment": assessment.pk,
            "province": province,
            "fiscal_year": fy,
            "indicator": ind.code,
            "version": answer.version,
            "original": original,
            "signature": signature,
            "dimension": Dimension(ind.dimension).label,
            "code": ind.code,
            "name": ind.name_th,
            **{f"rubric_{level}": getattr(ind, f"rubric_{level}_th") for level in LEVELS},
            "level": answer.level,
            "justification": _normalise_justification(answer.justification),
            "evidence": _evidence_text(list(answer.evidence.all())),
        }
        for column in COLUMNS:
            cell = ws.cell(row=row, column=POSITION[column.key])
            value = values[column.key]
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            elif value is not None:
                _set_text(cell, value)
            cell.font = _font()
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.editable:
                cell.protection = Protection(locked=False)
                cell.fill = EDITABLE
            else:
                cell.fill = GREY
        ws.cell(row=row, column=POSITION["level"]).alignment = Alignment(horizontal="center", vertical="top")
    for column in COLUMNS:
        if column.hidden:
            ws.column_dimensions[get_column_letter(POSITION[column.key])].hidden = True
    if answers:
        last = len(answers) + 1
        validation = DataValidation(
            type="list",
            formula1='"1,2,3,4,5"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="ระดับไม่ถูกต้อง",
            error="เลือกระดับ 1–5 หรือเว้นว่าง",
            promptTitle="ระดับ",
            prompt="เลือก 1–5 หรือเว้นว่างหากยังไม่ประเมิน",
            showInputMessage=True,
        )
        ws.add_data_validation(validation)
        letter = get_column_letter(POSITION["level"])
        validation.add(f"{letter}2:{letter}{last}")
    ws.protection.sheet = True
    ws.protection.password = SHEET_PASSWORD
    ws.protection.formatColumns = False  # widths may be changed: reading long rubrics needs it
    ws.protection.formatRows = False

    meta = wb.create_sheet(SHEET_META)
    for number, (key, value) in enumerate(
        [
            ("format", FORMAT),
            ("assessment_id", assessment.pk),
            ("province_code", province),
            ("fiscal_year", fy),
            ("rows", len(answers)),
            ("checksum", _checksum(assessment.pk, province, fy, signatures)),
        ],
        start=1,
    ):
        _set_text(meta.cell(row=number, column=1), key)
        _set_text(meta.cell(row=number, column=2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    meta.protection.password = SHEET_PASSWORD

    wb.security = WorkbookProtection(workbookPassword=SHEET_PASSWORD, lockStructure=True)
    wb.active = 1
    return _save(wb)


def assessment_filename(assessment: Assessment) -> str:
    return f"readiness-{assessment.province.code}-{assessment.round.fiscal_year}.xlsx"


# --- reading an upload -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadIssue:
    """One problem: where (sheet, spreadsheet row, column) and why. Row 0 means the whole file."""

    sheet: str
    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = [
            p
            for p in (self.sheet, _("row %(row)s") % {"row": self.row} if self.row else "", self.column)
            if p
        ]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class UploadFailed(services.WorkflowError):
    """The upload found problems and changed nothing. ``issues`` lists every one of them."""

    def __init__(self, issues: list[UploadIssue]):
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


def _check_container(content: bytes, filename: str) -> None:
    """The file's type by its name. Its size, zip structure and macros are checked by read_workbook
    (provinces.uploads.check_workbook), before openpyxl reads anything."""
    lower = (filename or "").lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise Unreadable(_("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx."))
    if not lower.endswith(".xlsx"):
        raise Unreadable(_("Only .xlsx files (Excel workbooks) can be uploaded."))


def _read_sheets(content: bytes) -> dict[str, list[tuple[int, Cells]]]:
    return read_workbook(
        content, max_rows=MAX_ROWS, too_many=_("The workbook has far more rows than an assessment.")
    )


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
        return _original(self.level, self.justification) != self.original


def _meta(rows: list[tuple[int, Cells]]) -> dict[str, str]:
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


def _check_identity(assessment: Assessment, meta: dict[str, str], issues: list[UploadIssue]) -> bool:
    if meta.get("format") != FORMAT:
        issues.append(
            UploadIssue(
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
            UploadIssue(
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
            UploadIssue(
                "",
                0,
                "",
                _("This file belongs to another assessment. Download this assessment's own template."),
            )
        )
        return False
    return True


def _check_rows(
    assessment: Assessment,
    sheet: list[tuple[int, Cells]],
    meta: dict[str, str],
    issues: list[UploadIssue],
) -> list[_FileRow]:
    """Every row's problems. A formula cell is reported by _read already: here it reads as empty, is not
    reported again, and its row is not applied."""
    codes = set(assessment.round.indicators.values_list("code", flat=True))
    if not sheet or sheet[0][0] != 1:
        issues.append(UploadIssue(SHEET_FORM, 1, "", _("The header row is missing.")))
        return []
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
                UploadIssue(
                    SHEET_FORM,
                    1,
                    _column_label(position),
                    _("The columns of the template were changed: this heading should read “%(header)s”.")
                    % {"header": column.header},
                    _shown(header.get(position, (None, False))[0]),
                )
            )
    if not header_ok:
        return []
    rows: list[_FileRow] = []
    seen: dict[str, int] = {}
    province, year, pk = meta["province_code"], meta["fiscal_year"], meta["assessment_id"]
    signatures = []
    for number, cells in sheet[1:]:
        formula_at = {position for position, (_v, formula) in cells.items() if formula}

        def value(key: str, cells=cells):
            raw, formula = cells.get(POSITION[key], (None, False))
            return None if formula else raw

        def error(key: str, message: str, number=number, cells=cells, formula_at=formula_at) -> None:
            if POSITION[key] in formula_at:
                return
            issues.append(
                UploadIssue(
                    SHEET_FORM, number, _column_label(POSITION[key]), message, _shown(value(key, cells))
                )
            )

        if not any(cell_text(v) for v, _f in cells.values()):
            continue
        keys = {k: cell_text(value(k)) for k in KEY_COLUMNS}
        if not any(keys.values()):
            if not formula_at:
                error("indicator", _("This row is not from the template: its grey key columns are empty."))
            continue
        ok = not formula_at
        for key, expected in (("assessment", pk), ("province", province), ("fiscal_year", year)):
            if keys[key] != expected:
                error(key, _("A grey key column was edited: it should read %(value)s.") % {"value": expected})
                ok = False
        code = keys["indicator"]
        if code not in codes:
            error(
                "indicator", _("Unknown indicator code %(code)s: it is not in this round.") % {"code": code}
            )
            ok = False
        elif code in seen:
            error(
                "indicator",
                _("Indicator %(code)s appears twice (also in row %(row)s).")
                % {"code": code, "row": seen[code]},
            )
            ok = False
        seen.setdefault(code, number)
        if ok and cell_text(value("code")) != code:
            error(
                "code",
                _("A grey column was edited: the indicator code should read %(code)s.") % {"code": code},
            )
            ok = False
        if ok and not constant_time_compare(
            keys["signature"],
            _row_signature(pk, province, year, code, keys["version"], keys["original"]),
        ):
            error(
                "signature", _("The grey key columns of this row were edited. Download the template again.")
            )
            ok = False
        signatures.append(keys["signature"])
        try:
            level = parse_level(value("level"))
        except ValueError:
            error("level", _("The level must be a whole number from 1 to 5, or blank."))
            ok = False
            level = None
        raw = value("justification")
        justification = _normalise_justification(unsafe_text(str(raw))) if raw is not None else ""
        if len(justification) > JUSTIFICATION_MAX:
            error(
                "justification",
                _("At most %(max)s characters; this has %(count)s.")
                % {"max": f"{JUSTIFICATION_MAX:,}", "count": f"{len(justification):,}"},
            )
            ok = False
        if ok:
            rows.append(_FileRow(number, code, int(keys["version"]), keys["original"], level, justification))
    # The checksum only says that something is wrong: it is reported when nothing more precise was found.
    if not issues and not constant_time_compare(
        meta.get("checksum", ""), _checksum(pk, province, year, signatures)
    ):
        issues.append(
            UploadIssue(
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
    issues: list[UploadIssue] = []
    try:
        _check_container(content, filename)
        sheets = _read_sheets(content)
    except Unreadable as exc:
        raise UploadFailed([UploadIssue("", 0, "", exc.message)]) from None
    names = list(sheets)
    for name in SHEETS:
        if name not in names:
            issues.append(
                UploadIssue(
                    name, 0, "", _("The sheet “%(name)s” of the template is missing.") % {"name": name}
                )
            )
    for name in names:
        if name not in SHEETS:
            issues.append(
                UploadIssue(
                    name,
                    0,
                    "",
                    _("The sheet “%(name)s” is not part of the template: remove it.") % {"name": name},
                )
            )
    formulas: dict[str, bool] = {}
    for name, rows in sheets.items():
        for number, cells in rows:
            for position, (raw, formula) in sorted(cells.items()):
                if formula:
                    formulas[name] = True
                    issues.append(
                        UploadIssue(
                            name,
                            number,
                            _column_label(position) if name == SHEET_FORM else get_column_letter(position),
                            _(
                                "Formulas are not accepted: enter the value itself (copy, then paste as values)."
                            ),
                            _shown(raw),
                        )
                    )
    # The rows can be checked only against the file's identity, read from a hidden sheet without formulas.
    if SHEET_META in sheets and SHEET_FORM in sheets and not formulas.get(SHEET_META):
        meta = _meta(sheets[SHEET_META])
        if _check_identity(assessment, meta, issues):
            rows = _check_rows(assessment, sheets[SHEET_FORM], meta, issues)
            if not issues:
                return rows
    # In the order of the file: sheet by sheet (as first named), row by row.
    order = {sheet: i for i, sheet in enumerate(dict.fromkeys(issue.sheet for issue in issues))}
    raise UploadFailed(sorted(issues, key=lambda issue: (order[issue.sheet], issue.row)))


def assessment_upload(*, assessment: Assessment, content: bytes, filename: str, by: User) -> UploadResult:
    """Check an uploaded template as a whole, then apply the rows the user changed — all or nothing.

    Raises UploadFailed (nothing changed) with every problem: the workflow state, the file, each bad row and
    column, and answers someone else saved since the download (stale rows).
    """
    if not can_edit_assessment(by, assessment):
        raise services.WorkflowError(_("Only the province's planners can change this assessment."))
    if refusal := upload_refusal(assessment):
        raise UploadFailed([UploadIssue("", 0, "", refusal)])
    rows = _read(assessment, content, filename)
    with transaction.atomic():
        locked = (
            Assessment.objects.select_related("round", "province")
            .select_for_update(of=("self",))
            .get(pk=assessment.pk)
        )
        if refusal := upload_refusal(locked):
            raise UploadFailed([UploadIssue("", 0, "", refusal)])
        answers = {
            a.indicator.code: a
            for a in Answer.objects.select_for_update(of=("self",))
            .select_related("indicator")
            .filter(assessment=locked)
        }
        result, issues, to_apply = UploadResult(), [], []
        for row in rows:
            answer = answers.get(row.code)
            label = _column_label(POSITION["level"])
            if not row.changed_by_user:
                result.unchanged += 1
            elif answer is None:
                issues.append(
                    UploadIssue(
                        SHEET_FORM, row.number, label, _("This indicator has no answer in this assessment.")
                    )
                )
            elif answer.version != row.version and answer.updated_by_id == by.pk:
                # The uploader saved it on the website meanwhile (another tab, another computer).
                issues.append(
                    UploadIssue(
                        SHEET_FORM,
                        row.number,
                        label,
                        _(
                            "You changed this answer on the website (perhaps in another tab) after the file was "
                            "downloaded. Download the template again and re-enter your changes."
                        ),
                    )
                )
            elif answer.version != row.version:
                issues.append(
                    UploadIssue(
                        SHEET_FORM,
                        row.number,
                        label,
                        _(
                            "Someone else changed this answer after the file was downloaded (by %(who)s). "
                            "Download the template again and re-enter your changes."
                        )
                        % {"who": answer.updated_by.get_full_name() or answer.updated_by.username}
                        if answer.updated_by
                        else _(
                            "Someone else changed this answer after the file was downloaded. "
                            "Download the template again and re-enter your changes."
                        ),
                    )
                )
            elif (
                answer.level == row.level
                and _normalise_justification(answer.justification) == row.justification
            ):
                result.unchanged += 1
            else:
                to_apply.append((row, answer))
        if issues:
            raise UploadFailed(issues)
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
                    UploadIssue(
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
                issues.append(UploadIssue(SHEET_FORM, row.number, "", exc.message))
            else:
                result.updated.append(row.code)
        if issues:
            raise UploadFailed(issues)  # leaves the atomic block: every saved row is rolled back
    return result


# --- roll-up exports -------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 1):
    # Rounded as the pages round (round() would turn 56.25 into 56.2).
    return None if value is None else float(scoring.rounded(value, digits))


def _write_row(ws, row: int, values: list, formats: dict[int, str] | None = None, bold: bool = False) -> None:
    for index, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=index)
        if isinstance(value, str) or (value is not None and not isinstance(value, int | float)):
            _set_text(cell, value)
        else:
            cell.value = value
            if formats and index in formats and value is not None:
                cell.number_format = formats[index]
        cell.font = _font(bold=bold)


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
    _header_row(ws, headers, widths)
    score_format = {first_score + i + 1: "0.0" for i in range(6)}
    score_format[len(headers)] = "0%"
    number = start + 1
    for row in rollup.rows:
        values = [row.province.code, row.province.name]
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
        values = ["", label] + ([""] if cluster_column else []) + [""]
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
    _set_text(cell, text)
    cell.font = _font(italic=True)


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
    return _save(wb)


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
    _header_row(ws, headers, [12, 30] + [12, 10, 10, 18] * 4 + [12, 10, 10])
    formats = {i: "0.0" for i in range(3, len(headers) + 1)}

    def spread_values(rollup: Rollup) -> list:
        values = []
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
    return _save(wb)
