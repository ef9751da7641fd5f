"""The readiness workbooks' common ground and the assessment template a planner downloads.

A planner downloads a pre-filled workbook for their province and round (one row per indicator), fills the
level and justification offline and uploads it (readiness.workbook_upload checks and applies it).

The template's grey key columns (assessment, province, fiscal year, indicator code, answer version and a hash
of the values as downloaded) are signed per row with the project's secret key, and a hidden sheet carries the
workbook's identity and a checksum over all rows: edited keys, added or removed rows and another
province's or round's file are detected. The sheet protection only guards against accidental edits.

The cell and format helpers here are shared by every readiness workbook (readiness.rollup_export too). Every
text cell they write is neutralised against formula injection (see ``safe_text``).
"""

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from provinces.workbooks import FORMULA_PREFIXES, safe_text

from .choices import Dimension, EvidenceKind
from .models import LEVELS, Answer, Assessment, Evidence

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A guard against accidental edits, not a secret: anyone can remove sheet protection.
SHEET_PASSWORD = getattr(settings, "READINESS_XLSX_SHEET_PASSWORD", "readiness")
FONT = "Sarabun"
FORMAT = "readiness-assessment/1"
JUSTIFICATION_MAX = 5000  # characters (the instructions say so)
SIGNING_SALT = (
    "readiness.excel.assessment"  # unchanged since the module's rename: older templates still verify
)

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


def set_text(cell, value: object) -> None:
    cell.value = safe_text(value)
    cell.data_type = "s"  # a string, whatever it looks like


def font(**kwargs) -> Font:
    return Font(name=FONT, **kwargs)


def header_row(ws, headers: list[str], widths: Sequence[float] | None = None) -> None:
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        set_text(cell, header)
        cell.font = font(bold=True, color="FFFFFF")
        cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        if widths:
            ws.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    ws.freeze_panes = "B2"


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- signing ---------------------------------------------------------------------------------------


def normalise_justification(text: str) -> str:
    """The text as a workbook holds it: one kind of line break, none of the control characters XLSX cannot
    store (so that a row left as downloaded reads back as unchanged even if the stored text had one), trimmed."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def original_hash(level: int | None, justification: str) -> str:
    """A short hash of an answer's values as downloaded: tells the rows the user changed from the rest."""
    raw = f"{'' if level is None else level}\x1f{normalise_justification(justification)}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _sign(parts: list[object]) -> str:
    return salted_hmac(SIGNING_SALT, "|".join(str(p) for p in parts), algorithm="sha256").hexdigest()[:32]


def row_signature(assessment_id, province, fiscal_year, code, version, original) -> str:
    return _sign([assessment_id, province, fiscal_year, code, version, original])


def checksum(assessment_id, province, fiscal_year, signatures: list[str]) -> str:
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


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.password = SHEET_PASSWORD


def _help_sheet(wb: Workbook, assessment: Assessment) -> None:
    """The first sheet: which province and round, when downloaded, and how to fill the form."""
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    help_ws.column_dimensions["A"].width = 120
    now = timezone.localtime()
    province, fy = assessment.province.code, assessment.round.fiscal_year
    title = f"แบบประเมินความพร้อม {assessment.province.name_th} ({province}) ปีงบประมาณ พ.ศ. {fy}"
    lines = [
        title,
        f"ดาวน์โหลดเมื่อ {now:%d/%m}/{now.year + 543} {now:%H:%M} น. · สถานะ: {assessment.get_status_display()}",
        "",
        *INSTRUCTIONS,
    ]
    for number, line in enumerate(lines, start=1):
        cell = help_ws.cell(row=number, column=1)
        set_text(cell, line)
        cell.font = font(bold=number in (1, 4), size=14 if number == 1 else 12)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _protect(help_ws)


def _answer_values(assessment: Assessment, answer: Answer) -> dict[str, object]:
    """One form row by column key, its grey keys signed."""
    ind = answer.indicator
    province, fy = assessment.province.code, assessment.round.fiscal_year
    original = original_hash(answer.level, answer.justification)
    return {
        "assessment": assessment.pk,
        "province": province,
        "fiscal_year": fy,
        "indicator": ind.code,
        "version": answer.version,
        "original": original,
        "signature": row_signature(assessment.pk, province, fy, ind.code, answer.version, original),
        "dimension": Dimension(ind.dimension).label,
        "code": ind.code,
        "name": ind.name_th,
        **{f"rubric_{level}": getattr(ind, f"rubric_{level}_th") for level in LEVELS},
        "level": answer.level,
        "justification": normalise_justification(answer.justification),
        "evidence": _evidence_text(list(answer.evidence.all())),
    }


def _form_cell(cell, column: Column, value: object) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    elif value is not None:
        set_text(cell, value)
    cell.font = font()
    cell.border = BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if column.editable:
        cell.protection = Protection(locked=False)
        cell.fill = EDITABLE
    else:
        cell.fill = GREY


def _level_choices(ws, rows: int) -> None:
    """The drop-down of levels 1–5 on the level column of the form's ``rows`` rows."""
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
    validation.add(f"{letter}2:{letter}{rows + 1}")


def _form_sheet(wb: Workbook, assessment: Assessment, answers: list[Answer]) -> list[str]:
    """The form: one row per indicator, only level and justification editable. Returns the rows' signatures."""
    ws = wb.create_sheet(SHEET_FORM)
    header_row(ws, [c.header for c in COLUMNS], [c.width for c in COLUMNS])
    ws.freeze_panes = ws.cell(row=2, column=POSITION["name"] + 1)
    ws.row_dimensions[1].height = 36
    signatures = []
    for row, answer in enumerate(answers, start=2):
        values = _answer_values(assessment, answer)
        signatures.append(str(values["signature"]))  # a row_signature: already text
        for column in COLUMNS:
            _form_cell(ws.cell(row=row, column=POSITION[column.key]), column, values[column.key])
        ws.cell(row=row, column=POSITION["level"]).alignment = Alignment(horizontal="center", vertical="top")
    for column in COLUMNS:
        if column.hidden:
            ws.column_dimensions[get_column_letter(POSITION[column.key])].hidden = True
    if answers:
        _level_choices(ws, len(answers))
    _protect(ws)
    ws.protection.formatColumns = False  # widths may be changed: reading long rubrics needs it
    ws.protection.formatRows = False
    return signatures


def _meta_sheet(wb: Workbook, assessment: Assessment, signatures: list[str]) -> None:
    """The hidden identity sheet: format, assessment, province, round, row count and the rows' checksum."""
    province, fy = assessment.province.code, assessment.round.fiscal_year
    meta = wb.create_sheet(SHEET_META)
    for number, (key, value) in enumerate(
        [
            ("format", FORMAT),
            ("assessment_id", assessment.pk),
            ("province_code", province),
            ("fiscal_year", fy),
            ("rows", len(signatures)),
            ("checksum", checksum(assessment.pk, province, fy, signatures)),
        ],
        start=1,
    ):
        set_text(meta.cell(row=number, column=1), key)
        set_text(meta.cell(row=number, column=2), value)
    meta.sheet_state = "veryHidden"
    _protect(meta)


def assessment_workbook(assessment: Assessment) -> bytes:
    """The pre-filled workbook of an assessment: instructions, one row per indicator, a hidden identity sheet."""
    answers = list(
        assessment.answers.select_related("indicator")
        .prefetch_related("evidence")
        .order_by("indicator__position", "indicator__code")
    )
    wb = Workbook()
    _help_sheet(wb, assessment)
    signatures = _form_sheet(wb, assessment, answers)
    _meta_sheet(wb, assessment, signatures)
    wb.security = WorkbookProtection(workbookPassword=SHEET_PASSWORD, lockStructure=True)
    wb.active = 1
    return save(wb)


def assessment_filename(assessment: Assessment) -> str:
    return f"readiness-{assessment.province.code}-{assessment.round.fiscal_year}.xlsx"
