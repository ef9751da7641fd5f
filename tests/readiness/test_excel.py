"""The Excel round-trip of an assessment (download → fill offline → upload, all or nothing) and the roll-up
exports as XLSX."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from provinces.models import Province
from provinces.uploads import FileProblem
from readiness import selectors, services, workbook, workbook_upload
from readiness.choices import AssessmentStatus, RoundStatus
from readiness.models import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are compared in English (the msgids); the Thai UI shows their translations."""
    settings.LANGUAGE_CODE = "en"


LEVEL = workbook.POSITION["level"]
JUSTIFICATION = workbook.POSITION["justification"]
INJECTION = "=cmd|' /C calc'!A0"
LEVEL_LETTER, JUSTIFICATION_LETTER = get_column_letter(LEVEL), get_column_letter(JUSTIFICATION)
SIGNATURE_LETTER = get_column_letter(workbook.POSITION["signature"])


# --- helpers -------------------------------------------------------------------------------------


def download(client, assessment) -> bytes:
    response = client.get(reverse("assessment_xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == workbook.XLSX_CONTENT_TYPE
    return response.content


def edit(content: bytes, change) -> bytes:
    """Open the workbook as Excel would, let ``change(wb, ws)`` edit it, save it again."""
    wb = load_workbook(io.BytesIO(content))
    change(wb, wb[workbook.SHEET_FORM])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, assessment, content: bytes, name: str = "filled.xlsx"):
    return client.post(
        reverse("assessment_xlsx_upload", args=[assessment.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=workbook.XLSX_CONTENT_TYPE)},
    )


def state(assessment) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("indicator__position")
        .values_list("indicator__code", "level", "justification", "version")
    )


def history_count(assessment) -> int:
    return Answer.history.filter(assessment_id=assessment.pk).count()


def issues_of(response) -> list[FileProblem]:
    assert response.status_code == 400, response.status_code
    return response.context["issues"]


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def planner_client(client_for, planner):
    return client_for(planner)


# --- the template --------------------------------------------------------------------------------


def test_it_builds_a_protected_template_with_one_row_per_indicator(planner_client, cm_assessment):
    wb = load_workbook(io.BytesIO(download(planner_client, cm_assessment)))
    assert wb.sheetnames == list(workbook.SHEETS)
    assert wb[workbook.SHEET_META].sheet_state == "veryHidden"
    ws = wb[workbook.SHEET_FORM]
    indicators = list(cm_assessment.round.indicators.order_by("position"))
    assert ws.max_row == len(indicators) + 1
    assert ws.protection.sheet
    assert ws.cell(2, workbook.POSITION["code"]).value == indicators[0].code
    assert ws.cell(2, workbook.POSITION["rubric_5"]).value == indicators[0].rubric_5_th
    assert ws.cell(2, LEVEL).protection.locked is False
    assert ws.cell(2, JUSTIFICATION).protection.locked is False
    assert ws.cell(2, workbook.POSITION["code"]).protection.locked is True
    assert ws.column_dimensions["A"].hidden
    assert ws.cell(2, LEVEL).font.name == "Sarabun"
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].formula1 == '"1,2,3,4,5"'
    assert validations[0].allow_blank


def test_it_round_trips_without_changes(planner_client, cm_assessment, planner):
    answer = cm_assessment.answers.order_by("indicator__position").first()
    services.answer_save(answer=answer, level=3, justification="เดิม", expected_version=0, by=planner)
    before, history = state(cm_assessment), history_count(cm_assessment)
    response = upload(planner_client, cm_assessment, download(planner_client, cm_assessment))
    assert response.status_code == 302
    assert "No changes" in texts(response)[0]
    assert state(cm_assessment) == before
    assert history_count(cm_assessment) == history


def test_it_round_trips_a_file_opened_and_saved_again(planner_client, cm_assessment):
    before = state(cm_assessment)
    response = upload(
        planner_client, cm_assessment, edit(download(planner_client, cm_assessment), lambda wb, ws: None)
    )
    assert response.status_code == 302
    assert state(cm_assessment) == before


def test_it_applies_a_changed_level_and_justification_with_history(planner_client, cm_assessment, planner):
    history = history_count(cm_assessment)

    def change(wb, ws):
        ws.cell(2, LEVEL).value = 4
        ws.cell(3, JUSTIFICATION).value = "มีแผนงานรองรับ\nและงบประมาณ"

    response = upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_detail", args=["TH-50", 2570])
    assert texts(response) == ["2 answers updated."]
    rows = state(cm_assessment)
    assert rows[0][1:] == (4, "", 1)
    assert rows[1][1:] == (None, "มีแผนงานรองรับ\nและงบประมาณ", 1)
    assert history_count(cm_assessment) == history + 2
    first = cm_assessment.answers.order_by("indicator__position").first()
    assert first.updated_by == planner
    assert first.history.first().history_user == planner


@pytest.mark.parametrize("value", ["๕", "5 ", 5.0, " ๕ ", "5.0"])
def test_it_normalises_thai_digits_and_spaces(planner_client, cm_assessment, value):
    def change(wb, ws):
        ws.cell(2, LEVEL).value = value

    response = upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    assert response.status_code == 302
    assert state(cm_assessment)[0][1] == 5


@pytest.mark.parametrize("value", [3.5, 6, 0, "สาม", "-1", True])
def test_it_reads_only_levels_one_to_five(value):
    with pytest.raises(ValueError):
        workbook_upload.parse_level(value)


def test_it_reads_blank_levels_as_unanswered():
    assert workbook_upload.parse_level(None) is None
    assert workbook_upload.parse_level("  ") is None


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row_and_column(planner_client, cm_assessment):
    before, history = state(cm_assessment), history_count(cm_assessment)

    def change(wb, ws):
        ws.cell(2, LEVEL).value = 4  # a good change: must not be applied either
        ws.cell(4, LEVEL).value = 7
        ws.cell(5, JUSTIFICATION).value = "ก" * 5001

    response = upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    issues = issues_of(response)
    assert [(i.sheet, i.row) for i in issues] == [(workbook.SHEET_FORM, 4), (workbook.SHEET_FORM, 5)]
    assert issues[0].column.startswith(LEVEL_LETTER + " ")  # the level column
    assert "1 to 5" in issues[0].message and issues[0].value == "7"
    assert issues[1].column.startswith(JUSTIFICATION_LETTER + " ")
    assert state(cm_assessment) == before
    assert history_count(cm_assessment) == history
    assert b"upload-errors" in response.content


def test_a_submitted_assessment_refuses_an_upload(planner_client, cm_assessment, planner):
    content = edit(
        download(planner_client, cm_assessment), lambda wb, ws: setattr(ws.cell(2, LEVEL), "value", 4)
    )
    services.answer_save(
        answer=cm_assessment.answers.order_by("indicator__position").last(),
        level=2,
        justification="",
        expected_version=0,
        by=planner,
    )
    services.assessment_submit(assessment=cm_assessment, by=planner)
    before = state(cm_assessment)
    issues = issues_of(upload(planner_client, cm_assessment, content))
    assert len(issues) == 1 and "submitted" in issues[0].message
    assert state(cm_assessment) == before
    page = planner_client.get(reverse("assessment_xlsx_upload", args=[cm_assessment.pk]))
    assert page.status_code == 200 and page.context["refusal"]
    assert b'type="file"' not in page.content


def test_a_closed_round_refuses_an_upload(planner_client, cm_assessment):
    content = download(planner_client, cm_assessment)
    cm_assessment.round.status = RoundStatus.CLOSED
    cm_assessment.round.save()
    issues = issues_of(upload(planner_client, cm_assessment, content))
    assert "not open" in issues[0].message


def test_another_provinces_template_is_refused(
    client_for, planner_client, cm_assessment, round_2570, admin_user
):
    lampang = services.assessment_start(
        province=Province.objects.get(code="TH-52"), round=round_2570, by=admin_user
    )
    content = download(client_for(admin_user), lampang)
    before = state(cm_assessment)
    issues = issues_of(upload(planner_client, cm_assessment, content))
    # By name, as the planner knows them (not by code).
    assert len(issues) == 1 and "Lampang" in issues[0].message and "Chiang Mai" in issues[0].message
    assert state(cm_assessment) == before


def test_an_edited_key_column_is_refused(planner_client, cm_assessment):
    def change(wb, ws):
        ws.cell(3, workbook.POSITION["version"]).value = 7  # to dodge the stale check
        ws.cell(3, LEVEL).value = 2

    issues = issues_of(
        upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    )
    assert [(i.row, i.column.split()[0]) for i in issues] == [(3, SIGNATURE_LETTER)]
    assert "edited" in issues[0].message


def test_an_edited_indicator_code_is_reported_as_unknown(planner_client, cm_assessment):
    def change(wb, ws):
        ws.cell(2, workbook.POSITION["indicator"]).value = "ZZ-99"

    issues = issues_of(
        upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    )
    assert issues[0].row == 2 and "ZZ-99" in issues[0].message


def test_a_removed_row_is_detected_by_the_checksum(planner_client, cm_assessment):
    issues = issues_of(
        upload(
            planner_client,
            cm_assessment,
            edit(download(planner_client, cm_assessment), lambda wb, ws: ws.delete_rows(3)),
        )
    )
    assert len(issues) == 1 and "removed" in issues[0].message


def test_a_formula_cell_is_refused(planner_client, cm_assessment):
    def change(wb, ws):
        ws.cell(2, LEVEL).value = "=2+2"

    before = state(cm_assessment)
    issues = issues_of(
        upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    )
    assert [(i.row, i.column.split()[0]) for i in issues] == [(2, LEVEL_LETTER)]
    assert "Formulas" in issues[0].message
    assert state(cm_assessment) == before


def test_a_file_with_a_formula_and_an_edited_key_reports_both(planner_client, cm_assessment):
    """Every problem of the file at once, as the strategies import does: not only the first kind."""

    def change(wb, ws):
        ws.cell(2, LEVEL).value = "=2+2"
        ws.cell(3, workbook.POSITION["version"]).value = 7
        ws.cell(4, workbook.POSITION["province"]).value = "TH-52"
        ws.cell(4, workbook.POSITION["fiscal_year"]).value = "=2570"  # a formula in a key: reported once

    before, history = state(cm_assessment), history_count(cm_assessment)
    issues = issues_of(
        upload(planner_client, cm_assessment, edit(download(planner_client, cm_assessment), change))
    )
    province_letter = get_column_letter(workbook.POSITION["province"])
    year_letter = get_column_letter(workbook.POSITION["fiscal_year"])
    found = {(i.row, i.column.split()[0]): i.message for i in issues}
    assert list(found) == sorted(found, key=lambda where: where[0])  # in the order of the file
    assert set(found) == {(2, LEVEL_LETTER), (3, SIGNATURE_LETTER), (4, province_letter), (4, year_letter)}
    assert len(issues) == 4
    assert "Formulas" in found[2, LEVEL_LETTER] and "Formulas" in found[4, year_letter]
    assert "edited" in found[3, SIGNATURE_LETTER] and "TH-50" in found[4, province_letter]
    assert state(cm_assessment) == before and history_count(cm_assessment) == history


def test_extra_and_missing_sheets_are_refused(planner_client, cm_assessment):
    content = download(planner_client, cm_assessment)
    issues = issues_of(
        upload(planner_client, cm_assessment, edit(content, lambda wb, ws: wb.create_sheet("อื่น ๆ")))
    )
    assert [i.sheet for i in issues] == ["อื่น ๆ"]
    issues = issues_of(
        upload(
            planner_client, cm_assessment, edit(content, lambda wb, ws: wb.remove(wb[workbook.SHEET_HELP]))
        )
    )
    assert [i.sheet for i in issues] == [workbook.SHEET_HELP]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("filled.xlsx", b"not a workbook at all", "zip"),
        ("filled.csv", b"a,b\n1,2\n", ".xlsx"),
        ("filled.xlsm", b"PK\x03\x04", "macros"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(planner_client, cm_assessment, name, content, says):
    issues = issues_of(upload(planner_client, cm_assessment, content, name=name))
    assert len(issues) == 1 and says in issues[0].message


def test_a_workbook_with_a_macro_project_is_refused(planner_client, cm_assessment):
    out = io.BytesIO()
    content = download(planner_client, cm_assessment)
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    issues = issues_of(upload(planner_client, cm_assessment, out.getvalue()))
    assert "macros" in issues[0].message


def test_a_huge_file_is_refused(planner_client, cm_assessment, settings):
    settings.WORKBOOK_MAX_BYTES = 1000
    issues = issues_of(upload(planner_client, cm_assessment, download(planner_client, cm_assessment)))
    assert "larger than" in issues[0].message


def test_a_stale_row_applies_nothing(planner_client, cm_assessment, admin_user):
    content = download(planner_client, cm_assessment)
    first = cm_assessment.answers.order_by("indicator__position").first()
    services.answer_save(answer=first, level=1, justification="บนเว็บ", expected_version=0, by=admin_user)
    before, history = state(cm_assessment), history_count(cm_assessment)

    def change(wb, ws):
        ws.cell(2, LEVEL).value = 5  # someone saved this one since the download
        ws.cell(3, LEVEL).value = 4  # a fine change, rolled back with the rest

    issues = issues_of(upload(planner_client, cm_assessment, edit(content, change)))
    assert [i.row for i in issues] == [2]
    assert "Someone else" in issues[0].message
    assert state(cm_assessment) == before
    assert history_count(cm_assessment) == history


def test_an_untouched_row_saved_by_someone_else_meanwhile_is_no_conflict(
    planner_client, cm_assessment, admin_user
):
    content = download(planner_client, cm_assessment)
    first = cm_assessment.answers.order_by("indicator__position").first()
    services.answer_save(answer=first, level=1, justification="บนเว็บ", expected_version=0, by=admin_user)
    response = upload(
        planner_client, cm_assessment, edit(content, lambda wb, ws: setattr(ws.cell(3, LEVEL), "value", 4))
    )
    assert response.status_code == 302
    rows = state(cm_assessment)
    assert rows[0][1:3] == (1, "บนเว็บ")  # kept: the file did not change it
    assert rows[1][1] == 4


def test_a_justification_starting_like_a_formula_is_neutralised_and_round_trips(
    planner_client, cm_assessment, planner
):
    first = cm_assessment.answers.order_by("indicator__position").first()
    services.answer_save(
        answer=first, level=2, justification="=cmd|' /C calc'!A0", expected_version=0, by=planner
    )
    content = download(planner_client, cm_assessment)
    cell = load_workbook(io.BytesIO(content))[workbook.SHEET_FORM].cell(2, JUSTIFICATION)
    assert cell.data_type == "s" and cell.value == "'=cmd|' /C calc'!A0"
    before = state(cm_assessment)
    response = upload(planner_client, cm_assessment, content)
    assert response.status_code == 302 and state(cm_assessment) == before


def test_only_the_provinces_planner_or_an_admin_may_upload(client_for, cast, cm_assessment):
    content = download(client_for(cast["admin"]), cm_assessment)
    assert upload(client_for(cast["planner_lampang"]), cm_assessment, content).status_code == 404
    assert upload(client_for(cast["secretariat_other"]), cm_assessment, content).status_code == 404
    assert upload(client_for(cast["secretariat"]), cm_assessment, content).status_code == 403
    assert upload(client_for(cast["advisor"]), cm_assessment, content).status_code == 403
    assert upload(client_for(cast["admin"]), cm_assessment, content).status_code == 302


def test_the_assessment_page_links_the_round_trip(planner_client, client_for, secretariat, cm_assessment):
    url = reverse("assessment_detail", args=["TH-50", 2570])
    page = planner_client.get(url).content.decode()
    assert reverse("assessment_xlsx", args=[cm_assessment.pk]) in page
    assert reverse("assessment_xlsx_upload", args=[cm_assessment.pk]) in page
    page = client_for(secretariat).get(url).content.decode()
    assert reverse("assessment_xlsx", args=[cm_assessment.pk]) in page
    assert reverse("assessment_xlsx_upload", args=[cm_assessment.pk]) not in page


# --- roll-up exports -----------------------------------------------------------------------------


def _rows(content: bytes, sheet: int = 0) -> list[list]:
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


@pytest.fixture
def approved_cluster(round_2570, filler, advisor):
    """N-UP1 in FY 2570: Chiang Mai approved (level 4 throughout), Lampang a draft (level 2)."""
    Province.objects.filter(code="TH-50").update(name_th=INJECTION, name_en=INJECTION)
    cm = filler("TH-50", round_2570, level_for=lambda i, ind: 4, status=AssessmentStatus.APPROVED, by=advisor)
    lp = filler("TH-52", round_2570, level_for=lambda i, ind: 2)
    return cm, lp


def test_the_cluster_export_has_the_pages_numbers_and_neutralises_formulas(
    client_for, planner, approved_cluster, round_2570
):
    response = client_for(planner).get(reverse("cluster_rollup_xlsx", args=["N-UP1"]), {"fy": 2570})
    assert response.status_code == 200
    assert response["Content-Type"] == workbook.XLSX_CONTENT_TYPE
    rows = _rows(response.content)
    by_code = {r[0]: r for r in rows[1:] if r[0]}
    cm = by_code["TH-50"]
    assert cm[1] == "'=cmd|' /C calc'!A0"  # neutralised
    cell = load_workbook(io.BytesIO(response.content)).worksheets[0][
        "B" + str(list(by_code).index("TH-50") + 2)
    ]
    assert cell.data_type == "s"
    rollup = selectors.cluster_rollup(
        cluster=planner.scope.province.cluster, round=round_2570, include_unapproved=False
    )
    row = next(r for r in rollup.rows if r.province.code == "TH-50")
    assert cm[3:7] == [round(row.values[k], 1) for k in ("place", "product", "people", "overall")]
    assert cm[3] == 75.0 and cm[9] == 1  # level 4 of 5 → 75; complete
    assert by_code["TH-52"][3] is None  # a draft: not official
    mean = next(r for r in rows if r[1] == "Mean")
    assert mean[3] == 75.0
    lagging = next(r for r in rows if r[1] == "Lagging province")
    assert lagging[3] == "–"  # the only approved province lags behind nobody
    # Cells that are formulas would run when opened: there are none.
    wb = load_workbook(io.BytesIO(response.content))
    assert all(c.data_type != "f" for ws in wb.worksheets for r in ws.iter_rows() for c in r)


def test_the_cluster_export_includes_unapproved_figures_only_for_whom_the_page_does(
    client_for, planner, secretariat, approved_cluster
):
    url = reverse("cluster_rollup_xlsx", args=["N-UP1"])
    planner_rows = {
        r[0]: r for r in _rows(client_for(planner).get(url, {"fy": 2570, "all": "1"}).content) if r[0]
    }
    assert planner_rows["TH-52"][3] is None
    secretariat_rows = {
        r[0]: r for r in _rows(client_for(secretariat).get(url, {"fy": 2570, "all": "1"}).content) if r[0]
    }
    assert secretariat_rows["TH-52"][3] == 25.0  # level 2 of 5
    assert "unapproved" in secretariat_rows["TH-52"][2]


def test_the_national_export_has_the_pages_numbers(client_for, advisor, approved_cluster, round_2570):
    response = client_for(advisor).get(reverse("national_rollup_xlsx"), {"fy": 2570})
    assert response.status_code == 200
    clusters = _rows(response.content, 0)
    nup1 = next(r for r in clusters if r[0] == "N-UP1")
    assert nup1[2] == 75.0  # Place mean: only Chiang Mai is approved
    assert nup1[5] is None  # the lagging province is named only when there are more than one
    country = next(r for r in clusters if r[0] == "TH")
    assert country[2] == 75.0
    provinces = {r[0]: r for r in _rows(response.content, 1) if r[0]}
    assert provinces["TH-50"][1] == "'=cmd|' /C calc'!A0"
    assert provinces["TH-50"][4] == 75.0
    assert len([c for c in provinces if c.startswith("TH-")]) == 77


def test_the_rollup_pages_link_their_exports(client_for, planner, advisor, round_2570):
    page = client_for(planner).get(reverse("cluster_rollup", args=["N-UP1"])).content.decode()
    assert reverse("cluster_rollup_xlsx", args=["N-UP1"]) in page
    page = client_for(advisor).get(reverse("national_rollup")).content.decode()
    assert reverse("national_rollup_xlsx") in page
