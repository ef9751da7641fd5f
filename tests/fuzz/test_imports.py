"""Bad files on both imports: the assessment workbook upload and the strategy import (CSV or XLSX).

Wrong file types (an .exe named .xlsx, a CSV named .xlsx, truncated or empty zips, macros), the real template
with hostile cells, formulas, extra or missing sheets and rows, and CSV/XLSX tables of hostile values. A failed
import lists its problems in Thai and changes nothing; an accepted one stores only clean values.

Cases per run (max_examples): assessment upload 80 + strategy import 80 = 160.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from readiness import workbook
from readiness.models import LEVELS, Answer
from strategies.models import MAX_BUDGET, Project, Strategy

from .harness import THAI, fuzz_settings
from .inputs import (
    CSV_BYTES,
    PE_HEADER,
    WRONG_CONTENT,
    file_content,
    hostile_text,
    mutated,
    number_text,
    text_or_number,
    upload_name,
)

pytestmark = pytest.mark.django_db

LEVEL, JUSTIFICATION = workbook.POSITION["level"], workbook.POSITION["justification"]

# Values a spreadsheet cell may hold: text, numbers of every kind, dates, booleans, formulas.
CELL_VALUES = st.one_of(
    hostile_text(big=False),
    number_text(),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([True, False, dt.date(2570, 1, 1), dt.datetime(2027, 1, 1, 12), Decimal("5.00")]),
    st.sampled_from(
        ["=1+1", "=SUM(A1:A3)", '=HYPERLINK("http://example.invalid","x")', "=cmd|' /C calc'!A0"]
    ),
)


def _issues_in_thai(issues) -> None:
    assert issues
    for issue in issues:
        assert THAI.search(issue.message), f"not in Thai: {issue.message!r}"


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set(cell, value) -> None:
    # openpyxl refuses some characters in cells; a user's spreadsheet program would refuse them too.
    try:
        cell.value = value
    except (ValueError, TypeError, IllegalCharacterError):
        cell.value = workbook.safe_text(value)


@st.composite
def edited_template(draw, template: bytes, rows: int) -> bytes:
    """The real template with a few hostile edits, as Excel would save them."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb[workbook.SHEET_FORM]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        edit = draw(
            st.sampled_from(
                ["level", "level", "justification", "justification", "key", "row", "sheet", "formula"]
            )
        )
        row = draw(st.integers(min_value=2, max_value=rows + 1))
        if edit == "level":
            _set(
                ws.cell(row=row, column=LEVEL),
                draw(st.one_of(st.sampled_from(["1", 3, 5.0, "๔", None]), CELL_VALUES)),
            )
        elif edit == "justification":
            _set(ws.cell(row=row, column=JUSTIFICATION), draw(st.one_of(hostile_text(), CELL_VALUES)))
        elif edit == "key":
            column = draw(st.integers(min_value=1, max_value=len(workbook.COLUMNS) + 2))
            _set(
                ws.cell(row=draw(st.integers(min_value=1, max_value=rows + 2)), column=column),
                draw(CELL_VALUES),
            )
        elif edit == "row":
            if draw(st.booleans()):
                ws.delete_rows(row)
            else:
                ws.insert_rows(row)
        elif edit == "sheet":
            choice = draw(st.sampled_from(["add", "remove", "rename"]))
            name = draw(st.sampled_from(list(workbook.SHEETS)))
            if choice == "add":
                wb.create_sheet(draw(st.sampled_from(["Sheet1", "projects", "แผ่นงาน", "_meta2"])))
            elif name in wb.sheetnames and len(wb.sheetnames) > 1:
                if choice == "remove":
                    del wb[name]
                else:
                    wb[name].title = draw(st.sampled_from(["x", "Sheet", "meta"]))
        else:
            ws.cell(row=row, column=draw(st.sampled_from([LEVEL, JUSTIFICATION]))).value = "=1+1"
    if all(sheet.sheet_state != "visible" for sheet in wb.worksheets):
        wb.worksheets[0].sheet_state = "visible"  # a workbook needs one visible sheet to be saved at all
    return _save(wb)


def _template(world) -> bytes:
    """The planner's template as downloaded (the same for every example: each one is rolled back)."""
    if not hasattr(world, "template"):
        world.template = workbook.assessment_workbook(world.cm)
    return world.template


@given(data=st.data())
@fuzz_settings(80)
def test_it_refuses_bad_assessment_workbooks_and_changes_nothing(world, data):
    template = _template(world)
    kind = data.draw(
        st.sampled_from(["edited", "edited", "edited", "truncated", "foreign", "renamed"]), label="kind"
    )
    name = "readiness-TH-50-2570.xlsx"
    if kind == "edited":
        content = data.draw(edited_template(template, len(world.answers)), label="workbook")
    elif kind == "truncated":
        content = template[: data.draw(st.integers(min_value=0, max_value=len(template) - 1), label="cut")]
    elif kind == "foreign":
        wb = Workbook()
        for values in data.draw(st.lists(st.lists(CELL_VALUES, max_size=6), max_size=6), label="cells"):
            for column, value in enumerate(values, start=1):
                _set(wb.active.cell(row=wb.active.max_row + (column == 1), column=column), value)
        content = _save(wb)
    else:
        content = data.draw(
            st.sampled_from([*WRONG_CONTENT, CSV_BYTES, PE_HEADER, template]), label="content"
        )
        name = data.draw(upload_name(), label="name")

    def check(outcome):
        if outcome.rejected:
            _issues_in_thai(outcome.response.context["issues"])
            return
        for answer in Answer.objects.filter(assessment=world.cm):
            assert answer.level is None or answer.level in LEVELS
            assert (
                "\x00" not in answer.justification and len(answer.justification) <= workbook.JUSTIFICATION_MAX
            )

    upload = SimpleUploadedFile(name, content, content_type=workbook.XLSX_CONTENT_TYPE)
    world.run(
        "planner",
        "POST",
        reverse("assessment_xlsx_upload", args=[world.cm.pk]),
        {"file": upload},
        check=check,
    )


# --- the strategy import ---------------------------------------------------------------------------

GOOD_STRATEGY = {"ref": "F-01", "owner": "TH-50", "fiscal_year": "2570", "title_th": "ยกระดับด่านการค้า",
                 "title_en": "Border trade", "summary_th": "สรุป", "work_area": "development",
                 "asean_pillar": "economic", "dimensions": "place;people", "asean_effect": "75",
                 "national_effect": "40"}  # fmt: skip
GOOD_PROJECT = {"strategy_ref": "F-01", "title_th": "ปรับปรุงด่าน", "lead_agency": "สำนักงานจังหวัด",
                "partners": "government;private", "budget_thb": "1,500,000", "funding_source": "provincial",
                "start_fy": "2570", "end_fy": "2571", "provinces": "TH-50", "owner": "TH-50",
                "fiscal_year": "2570"}  # fmt: skip
OTHER_OWNERS = ["N-UP1", "TH-52", "TH-41", "NE-UP1", "th-50", " TH-50 ", "TH-99", "C-MET"]


@st.composite
def table(draw, good: dict[str, str], cells) -> list[list]:
    """A header (known columns, shuffled, some dropped, some unknown or repeated) and rows of mostly good
    values with hostile ones among them."""
    columns = draw(st.permutations(list(good)))
    columns = [c for c in columns if draw(st.integers(min_value=0, max_value=9))]  # drop about one in ten
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        columns.append(draw(st.sampled_from([columns[0] if columns else "ref", "unknown", "", "REF", "=1"])))
    header = [draw(st.sampled_from([c, c, c.upper(), f" {c} "])) for c in columns]
    rows = [header]
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        values = {column: good.get(column, "") for column in columns}
        if "ref" in values or "strategy_ref" in values:  # distinct rows, so that a good file can pass
            key = "ref" if "ref" in values else "strategy_ref"
            values[key] = draw(st.sampled_from([values[key], f"F-0{number + 2}"]))
        if "title_th" in values:
            values["title_th"] += f" {number}"
        values = draw(mutated(values, {column: cells for column in columns}))
        if "owner" in values and values["owner"] == good.get("owner"):
            values["owner"] = draw(st.sampled_from([values["owner"], values["owner"], *OTHER_OWNERS]))
        rows.append([values[column] for column in columns])
    return rows


def _csv(rows: list[list], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([[str(v) for v in row] for row in rows])
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _set(ws.cell(row=r, column=c), value)
    return _save(wb)


@given(data=st.data())
@fuzz_settings(80)
def test_it_refuses_bad_strategy_imports_and_changes_nothing(world, data):
    kind = data.draw(st.sampled_from(["csv", "csv", "xlsx", "xlsx", "wrong"]), label="kind")
    with_projects = data.draw(st.booleans(), label="projects")
    files = {}
    if kind == "csv":
        encoding = data.draw(
            st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp874", "latin-1"]), label="encoding"
        )
        files["strategies_file"] = SimpleUploadedFile(
            "strategies.csv",
            _csv(data.draw(table(GOOD_STRATEGY, text_or_number()), label="strategies"), encoding),
        )
        if with_projects:
            files["projects_file"] = SimpleUploadedFile(
                "projects.csv",
                _csv(data.draw(table(GOOD_PROJECT, text_or_number()), label="projects"), encoding),
            )
    elif kind == "xlsx":
        sheets = {
            data.draw(st.sampled_from(["strategies", "Sheet1", "STRATEGIES "])): data.draw(
                table(GOOD_STRATEGY, CELL_VALUES), label="strategies"
            )
        }
        if with_projects:
            sheets[data.draw(st.sampled_from(["projects", "Projects", "โครงการ"]))] = data.draw(
                table(GOOD_PROJECT, CELL_VALUES), label="projects"
            )
        files["strategies_file"] = SimpleUploadedFile("strategies.xlsx", _xlsx(sheets))
    else:
        files["strategies_file"] = SimpleUploadedFile(
            data.draw(upload_name(), label="name"), data.draw(file_content([CSV_BYTES]), label="content")
        )

    def check(outcome):
        if outcome.rejected:
            _issues_in_thai(outcome.response.context["issues"])
            return
        for strategy in Strategy.objects.all():
            assert "\x00" not in strategy.title_th + strategy.title_en + strategy.summary_th
            assert 2550 <= strategy.fiscal_year <= 2700
        for project in Project.objects.all():
            assert Decimal(0) <= project.budget <= MAX_BUDGET
            assert 2550 <= project.start_fy <= project.end_fy <= 2700

    # The planner of TH-50, the good rows' owner: an import writes only the importer's own strategies.
    world.run("planner", "POST", reverse("strategy_import"), files, check=check)
