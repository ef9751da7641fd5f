"""Import of strategies and projects from CSV / XLSX: all or nothing, every problem reported, idempotent."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from strategies import services
from strategies.choices import EffectSource, StrategyStatus
from strategies.import_files import PROJECT_COLUMNS, STRATEGY_COLUMNS, ImportFile
from strategies.import_rows import parse_number
from strategies.importing import ImportFailed, strategies_import
from strategies.models import CriterionScore, Project, Strategy
from tests.provinces.test_write_refusals import changed_tables, db_fingerprint

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
S_HEADER = list(STRATEGY_COLUMNS)
P_HEADER = list(PROJECT_COLUMNS[:9])


def csv_file(name: str, rows: list[list], *, bom: bool = True) -> ImportFile:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ImportFile(name, (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))


def data_file(name: str) -> ImportFile:
    return ImportFile(name, (DATA / name).read_bytes())


def strategy_row(ref="CM-01", owner="TH-50", fy="2570", **over) -> list:
    values = {
        "ref": ref,
        "owner": owner,
        "fiscal_year": fy,
        "title_th": "ยุทธศาสตร์ทดสอบ",
        "title_en": "",
        "summary_th": "",
        "work_area": "development",
        "asean_pillar": "economic",
        "dimensions": "place",
        "asean_effect": "70",
        "national_effect": "60",
    }
    values.update(over)
    return [values[c] for c in S_HEADER]


def project_row(ref="CM-01", **over) -> list:
    values = {
        "strategy_ref": ref,
        "title_th": "โครงการทดสอบ",
        "lead_agency": "สำนักงานจังหวัด",
        "partners": "",
        "budget_thb": "1000",
        "funding_source": "provincial",
        "start_fy": "2570",
        "end_fy": "2570",
        "provinces": "",
    }
    values.update(over)
    return [values[c] for c in P_HEADER]


def good_import(by, **kwargs):
    return strategies_import(
        strategies=data_file("strategies_good.csv"), projects=data_file("projects_good.csv"), by=by, **kwargs
    )


def failure(**kwargs) -> list:
    with pytest.raises(ImportFailed) as exc:
        strategies_import(**kwargs)
    return exc.value.issues


def where(issues) -> set[tuple[int, str]]:
    return {(i.row, i.column) for i in issues}


# --- the service ---------------------------------------------------------------------------------


def test_it_imports_a_good_csv_with_strategies_and_projects(admin_user):
    summary = good_import(admin_user)

    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    assert summary.projects_created == 3
    province = Strategy.objects.get(external_ref="CM-01")
    assert province.province.code == "TH-50" and province.cluster is None
    assert province.fiscal_year == 2570
    assert province.title_th == "พัฒนาด่านการค้าชายแดน <b>เชียงใหม่</b>"  # stored as text, escaped on output
    assert province.title_en == "Border trade checkpoints"
    assert (province.work_area, province.pillar) == ("development", "economic")
    assert (province.builds_place, province.builds_product, province.builds_people) == (True, True, False)
    assert (province.asean_effect, province.national_effect) == (75.0, 82.5)
    assert province.effect_source == EffectSource.ENTERED
    assert province.status == StrategyStatus.DRAFT
    assert province.computed_quadrant == "ก"
    assert province.created_by == admin_user
    assert province.history.first().history_user == admin_user
    assert not CriterionScore.objects.exists()

    cluster = Strategy.objects.get(external_ref="NUP1-01")
    assert cluster.cluster.code == "N-UP1" and cluster.province is None
    assert cluster.computed_quadrant == "ข"
    assert cluster.builds_people and not cluster.builds_place

    customs, centre = province.projects.order_by("pk")
    assert [p.code for p in customs.provinces.all()] == ["TH-50"]  # empty → the owner province
    assert customs.partners == ["government", "private"]
    assert customs.budget == Decimal("1500000")
    assert (customs.start_fy, customs.end_fy, customs.funding_source) == (2570, 2571, "provincial")
    assert centre.budget == Decimal("2500000")  # Thai digits with thousands separators
    assert sorted(p.code for p in centre.provinces.all()) == ["TH-50", "TH-51"]
    route = cluster.projects.get()
    assert sorted(p.code for p in route.provinces.all()) == ["TH-50", "TH-52", "TH-58"]
    assert route.budget == Decimal("4000000.50")
    assert route.partners == ["academia", "local_government"]


def test_it_imports_nothing_when_one_row_is_bad(admin_user):
    issues = failure(strategies=data_file("strategies_one_bad_row.csv"), by=admin_user)

    assert [(i.source, i.row, i.column) for i in issues] == [
        ("strategies_one_bad_row.csv", 3, "asean_effect")
    ]
    assert issues[0].value == "150"
    assert not Strategy.objects.exists()


def test_it_reports_every_problem_of_both_files(admin_user):
    strategies = csv_file(
        "s.csv",
        [
            S_HEADER,
            strategy_row(owner="TH-99"),  # 2
            strategy_row(ref="B", fy="2026", asean_effect="abc"),  # 3
            strategy_row(ref="", title_th="", work_area="roads"),  # 4
            strategy_row(
                ref="D", asean_pillar="military", dimensions="place;money", national_effect="-1"
            ),  # 5
            strategy_row(ref="E"),  # 6
            strategy_row(ref="E"),  # 7: same owner, ref and year as row 6
        ],
    )
    projects = csv_file(
        "p.csv",
        [
            P_HEADER,
            project_row(ref="E", budget_thb="-5", start_fy="2571", end_fy="2570"),  # 2
            project_row(ref="NOPE", funding_source="lottery", partners="government;aliens"),  # 3
            project_row(ref="E", budget_thb="2,000,000,000,000", provinces="TH-50;TH-00", title_th=""),  # 4
            project_row(ref="E", lead_agency="", budget_thb="1,5"),  # 5
        ],
    )

    issues = failure(strategies=strategies, projects=projects, by=admin_user)

    assert {(i.source, i.row, i.column) for i in issues} == {
        ("s.csv", 2, "owner"),
        ("s.csv", 3, "fiscal_year"),
        ("s.csv", 3, "asean_effect"),
        ("s.csv", 4, "ref"),
        ("s.csv", 4, "title_th"),
        ("s.csv", 4, "work_area"),
        ("s.csv", 5, "asean_pillar"),
        ("s.csv", 5, "dimensions"),
        ("s.csv", 5, "national_effect"),
        ("s.csv", 7, "ref"),
        ("p.csv", 2, "budget_thb"),
        ("p.csv", 2, "end_fy"),
        ("p.csv", 3, "strategy_ref"),
        ("p.csv", 3, "funding_source"),
        ("p.csv", 3, "partners"),
        ("p.csv", 4, "budget_thb"),
        ("p.csv", 4, "provinces"),
        ("p.csv", 4, "title_th"),
        ("p.csv", 5, "lead_agency"),
        ("p.csv", 5, "budget_thb"),
    }
    messages = {(i.source, i.row, i.column): i.message for i in issues}
    assert "ระหว่าง 0 ถึง 100" in messages[("s.csv", 5, "national_effect")]
    assert "1 ล้านล้านบาท" in messages[("p.csv", 4, "budget_thb")]
    assert "ติดลบ" in messages[("p.csv", 2, "budget_thb")]
    assert "แถว 6" in messages[("s.csv", 7, "ref")]
    assert "law_enforcement" in messages[("s.csv", 4, "work_area")]  # the allowed values are named
    assert [i.source for i in issues] == sorted((i.source for i in issues), key=["s.csv", "p.csv"].index)
    assert not Strategy.objects.exists() and not Project.objects.exists()


def test_it_reports_a_missing_required_column_once_and_ignores_unknown_columns(admin_user):
    header = [c for c in S_HEADER if c != "national_effect"] + ["notes"]
    rows = [header] + [strategy_row(ref=str(i))[:-1] + ["x"] for i in range(5)]

    issues = failure(strategies=csv_file("s.csv", rows), by=admin_user)

    assert [(i.row, i.column) for i in issues] == [(1, "national_effect")]
    assert "ไม่พบคอลัมน์" in issues[0].message


def test_it_skips_empty_rows_and_counts_rows_as_a_spreadsheet_does(admin_user):
    rows = [
        S_HEADER,
        strategy_row(ref="A"),
        [""] * len(S_HEADER),
        [],
        strategy_row(ref="B", asean_effect="x"),
    ]

    issues = failure(strategies=csv_file("s.csv", rows, bom=False), by=admin_user)

    assert where(issues) == {(5, "asean_effect")}


def test_it_reimports_the_same_file_without_changing_anything(admin_user):
    good_import(admin_user)
    strategy_history = {s.pk: s.history.count() for s in Strategy.objects.all()}
    project_pks = set(Project.objects.values_list("pk", flat=True))
    project_history = Project.history.count()

    summary = good_import(admin_user)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert (summary.projects_created, summary.projects_updated, summary.projects_removed) == (0, 0, 0)
    assert summary.projects_unchanged == 3
    assert Strategy.objects.count() == 2
    assert {s.pk: s.history.count() for s in Strategy.objects.all()} == strategy_history
    assert set(Project.objects.values_list("pk", flat=True)) == project_pks
    assert Project.history.count() == project_history


def test_it_updates_what_changed_and_replaces_the_projects(admin_user):
    good_import(admin_user)
    strategies = csv_file(
        "s.csv",
        [
            S_HEADER,
            strategy_row("CM-01", title_th="ชื่อใหม่", asean_effect="30", national_effect="20", dimensions=""),
            strategy_row("NUP1-01", owner="N-UP1", title_th="ส่งเสริมการท่องเที่ยวเชื่อมโยงล้านนา"),
        ],
    )
    projects = csv_file(
        "p.csv",
        [
            P_HEADER,
            project_row("CM-01", title_th="ปรับปรุงอาคารด่านศุลกากร", budget_thb="900000", lead_agency="ด่านศุลกากร"),
            project_row("CM-01", title_th="โครงการใหม่"),
            project_row("NUP1-01", title_th="เส้นทางท่องเที่ยวเชื่อมโยง", funding_source="cluster",
                        provinces="TH-51;TH-58"),
        ],
    )  # fmt: skip
    customs = Project.objects.get(title_th="ปรับปรุงอาคารด่านศุลกากร")
    services.project_progress(project=customs, progress=40, note="เริ่มงาน", by=admin_user)

    summary = strategies_import(strategies=strategies, projects=projects, by=admin_user)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 0)
    assert (summary.projects_created, summary.projects_updated, summary.projects_removed) == (1, 2, 1)
    cm = Strategy.objects.get(external_ref="CM-01")
    assert cm.title_th == "ชื่อใหม่" and cm.computed_quadrant == "ง"
    assert not (cm.builds_place or cm.builds_product or cm.builds_people)
    assert cm.history.first().history_user == admin_user
    assert sorted(cm.projects.values_list("title_th", flat=True)) == ["ปรับปรุงอาคารด่านศุลกากร", "โครงการใหม่"]
    customs.refresh_from_db()  # matched on its title: updated in place, its progress kept
    assert (customs.budget, customs.lead_agency, customs.progress) == (Decimal("900000"), "ด่านศุลกากร", 40)
    route = Project.objects.get(title_th="เส้นทางท่องเที่ยวเชื่อมโยง")
    assert sorted(p.code for p in route.provinces.all()) == ["TH-51", "TH-58"]
    # Without a projects file the projects are left alone.
    again = strategies_import(strategies=strategies, by=admin_user)
    assert (again.unchanged, again.with_projects) == (2, False)
    assert Project.objects.count() == 3


def test_it_turns_checklist_effects_into_entered_ones(secretariat, make_strategy):
    strategy = make_strategy("N-UP1", secretariat, a=(4, 4, 4), n=(4, 4, 4))
    strategy.external_ref = "NUP1-01"
    strategy.save()
    assert CriterionScore.objects.filter(strategy=strategy).exists()

    rows = [S_HEADER, strategy_row("NUP1-01", owner="N-UP1", asean_effect="10", national_effect="90")]
    summary = strategies_import(strategies=csv_file("s.csv", rows), by=secretariat)

    strategy.refresh_from_db()
    assert summary.updated == 1
    assert (strategy.asean_effect, strategy.national_effect, strategy.effect_source) == (10, 90, "entered")
    assert strategy.computed_quadrant == "ค"
    assert not CriterionScore.objects.filter(strategy=strategy).exists()


def test_it_refuses_to_change_a_strategy_under_review(secretariat, make_strategy):
    strategy = make_strategy("N-UP1", secretariat)
    strategy.external_ref = "NUP1-01"
    strategy.save()
    services.strategy_propose(strategy=strategy, by=secretariat)
    rows = [S_HEADER, strategy_row("NUP1-01", owner="N-UP1", title_th="แก้ไขระหว่างพิจารณา")]

    issues = failure(strategies=csv_file("s.csv", rows), by=secretariat)

    assert where(issues) == {(2, "ref")}
    assert "ฉบับร่างหรือส่งกลับ" in issues[0].message
    strategy.refresh_from_db()
    assert strategy.title_th != "แก้ไขระหว่างพิจารณา"


def test_it_reads_thai_digits_and_thousands_separators():
    assert parse_number("1,500,000") == Decimal("1500000")
    assert parse_number("๑,๕๐๐,๐๐๐.๕๐") == Decimal("1500000.50")
    assert parse_number(" 2 500 ") == Decimal("2500")
    assert parse_number("๒๕๗๐") == Decimal("2570")
    assert parse_number(1500000.0) == Decimal("1500000.0")
    for bad in ("1,5", "1,50,000", "abc", "1e6", "", "NaN", True, None, "12-3"):
        assert parse_number(bad) is None, bad


def test_it_reads_thai_digits_in_years_and_budgets(admin_user):
    strategies = csv_file("s.csv", [S_HEADER, strategy_row(fy="๒๕๗๐", asean_effect="๘๐")])
    projects = csv_file(
        "p.csv", [P_HEADER, project_row(budget_thb="๑,๒๓๔,๕๖๗", start_fy="๒๕๗๐", end_fy="2571")]
    )

    strategies_import(strategies=strategies, projects=projects, by=admin_user)

    project = Project.objects.get()
    assert project.budget == Decimal("1234567")
    assert (project.strategy.fiscal_year, project.strategy.asean_effect, project.start_fy) == (2570, 80, 2570)


def test_it_refuses_a_cluster_project_with_one_province_or_outside_the_cluster(secretariat):
    strategies = csv_file("s.csv", [S_HEADER, strategy_row("C", owner="N-UP1")])
    projects = csv_file(
        "p.csv",
        [
            P_HEADER,
            project_row("C", provinces="TH-50"),
            project_row("C", provinces=""),
            project_row("C", provinces="TH-50;TH-41"),
            project_row("C", provinces="TH-50;TH-51"),
        ],
    )

    issues = failure(strategies=strategies, projects=projects, by=secretariat)

    assert where(issues) == {(2, "provinces"), (3, "provinces"), (4, "provinces")}
    assert "อย่างน้อยสองจังหวัด" in issues[0].message
    assert "จังหวัดสมาชิก" in issues[2].message
    assert not Strategy.objects.exists()


# --- whose strategies: the rule of every write path (strategies.access.can_own) ---------------------------


def test_it_refuses_a_secretariat_retitling_a_member_provinces_strategy(
    secretariat, planner, make_strategy, client_for
):
    """The secretariat sees Chiang Mai's draft but may not change it (its edit page answers 403): its import
    may neither retitle it, nor drop its checklist scores, nor replace its projects, nor add strategies for
    a member province. Each such row is named; nothing at all is written."""
    strategy = make_strategy("TH-50", planner, a=(4, 4, 4), n=(4, 4, 4))
    Strategy.objects.filter(pk=strategy.pk).update(external_ref="CM-01")
    services.project_save(
        strategy=strategy,
        data=services.ProjectData(
            title_th="โครงการเดิม", lead_agency="จังหวัด", budget=Decimal(1), funding_source="provincial",
            start_fy=2570, end_fy=2570,
        ),
        by=planner,
    )  # fmt: skip
    assert client_for(secretariat).get(reverse("strategy_edit", args=[strategy.pk])).status_code == 403
    strategies = csv_file(
        "s.csv",
        [
            S_HEADER,
            strategy_row("NUP1-01", owner="N-UP1"),  # 2: the cluster's own: allowed
            strategy_row("CM-01", owner="TH-50", title_th="ชื่อที่ฝ่ายเลขาฯ ตั้งใหม่"),  # 3
            strategy_row("LP-01", owner="TH-52"),  # 4: a new strategy for another member province
        ],
    )
    projects = csv_file("p.csv", [P_HEADER, project_row("CM-01", title_th="โครงการแทนที่")])
    before = db_fingerprint()

    with translation.override("th"):
        issues = failure(strategies=strategies, projects=projects, by=secretariat)

    assert where(issues) == {(3, "owner"), (4, "owner")}
    assert all("ฝ่ายเลขานุการกลุ่มจังหวัดแก้ไขได้เฉพาะ" in i.message for i in issues)
    assert "TH-50" in issues[0].message and "TH-52" in issues[1].message
    assert changed_tables(before, db_fingerprint()) == []

    # The province's own planner may import the same row.
    rows = [S_HEADER, strategy_row("CM-01", owner="TH-50", title_th="ชื่อใหม่ของจังหวัด")]
    summary = strategies_import(strategies=csv_file("s.csv", rows), projects=projects, by=planner)
    strategy.refresh_from_db()
    assert (summary.updated, strategy.title_th) == (1, "ชื่อใหม่ของจังหวัด")
    assert list(strategy.projects.values_list("title_th", flat=True)) == ["โครงการแทนที่"]


def test_it_refuses_rows_of_another_cluster(secretariat, secretariat_other):
    rows = [
        S_HEADER,
        strategy_row("A", owner="N-UP1"),  # the secretariat's own cluster: allowed
        strategy_row("B", owner="TH-41"),  # Udon Thani, NE-UP1
        strategy_row("C", owner="NE-UP1"),
    ]

    issues = failure(strategies=csv_file("s.csv", rows), by=secretariat)

    assert where(issues) == {(3, "owner"), (4, "owner")}
    assert not Strategy.objects.exists()
    strategies_import(strategies=csv_file("s.csv", [S_HEADER, rows[3]]), by=secretariat_other)
    assert Strategy.objects.get().cluster.code == "NE-UP1"


def test_it_refuses_a_planners_rows_for_another_province_or_the_cluster(planner):
    rows = [
        S_HEADER,
        strategy_row("A", owner="TH-50"),  # the planner's own province
        strategy_row("B", owner="TH-52"),  # Lampang, a neighbour in the same cluster
        strategy_row("C", owner="N-UP1"),  # the planner's cluster
    ]
    before = db_fingerprint()

    issues = failure(strategies=csv_file("s.csv", rows), by=planner)

    assert where(issues) == {(3, "owner"), (4, "owner")}
    assert changed_tables(before, db_fingerprint()) == []


def test_it_lets_a_planner_import_for_their_own_province(planner):
    strategies = csv_file("s.csv", [S_HEADER, strategy_row("CM-01"), strategy_row("CM-02", fy="2571")])
    projects = csv_file("p.csv", [P_HEADER, project_row("CM-01", provinces="TH-50")])

    summary = strategies_import(strategies=strategies, projects=projects, by=planner)

    assert (summary.created, summary.projects_created) == (2, 1)
    assert {s.province.code for s in Strategy.objects.all()} == {"TH-50"}
    assert Strategy.objects.get(external_ref="CM-01").created_by == planner


def test_it_lets_no_advisor_import(advisor):
    with pytest.raises(services.WorkflowError):
        strategies_import(strategies=data_file("strategies_good.csv"), by=advisor)
    assert not Strategy.objects.exists()


# --- choice columns ------------------------------------------------------------------------------


def test_it_accepts_the_thai_and_english_labels_the_pages_show(admin_user):
    strategies = csv_file(
        "s.csv",
        [
            S_HEADER,
            strategy_row("A", work_area="งานบริหารการพัฒนา", asean_pillar="เศรษฐกิจ",
                         dimensions="พื้นที่; ผลิตภัณฑ์และบริการ"),
            strategy_row("B", work_area=" งานให้บริการ สาธารณะ ", asean_pillar="ประชาคมสังคมและวัฒนธรรมอาเซียน",
                         dimensions="คน"),
            strategy_row("C", work_area="Law  Enforcement", asean_pillar="Political-Security Community",
                         dimensions="Place Product"),
            strategy_row("D", work_area="PUBLIC_SERVICE", asean_pillar="political security", dimensions="People"),
        ],
    )  # fmt: skip
    projects = csv_file(
        "p.csv",
        [
            P_HEADER,
            project_row("A", funding_source="งบประมาณจังหวัด",
                        partners="หน่วยงานภาครัฐ; องค์กรปกครองส่วนท้องถิ่น (อปท.)"),
            project_row("B", funding_source="การร่วมลงทุนระหว่างรัฐและเอกชน (PPP)", partners="Civil society,academia"),
            project_row("C", funding_source="Central budget", partners="private government"),
        ],
    )  # fmt: skip

    strategies_import(strategies=strategies, projects=projects, by=admin_user)

    got = {
        s.external_ref: (s.work_area, s.pillar, s.builds_place, s.builds_product, s.builds_people)
        for s in Strategy.objects.all()
    }
    assert got == {
        "A": ("development", "economic", True, True, False),
        "B": ("public_service", "socio_cultural", False, False, True),
        "C": ("law_enforcement", "political_security", True, True, False),
        "D": ("public_service", "political_security", False, False, True),
    }
    projects = {p.strategy.external_ref: (p.funding_source, p.partners) for p in Project.objects.all()}
    assert projects == {
        "A": ("provincial", ["government", "local_government"]),
        "B": ("ppp", ["academia", "civil_society"]),
        "C": ("central", ["government", "private"]),
    }


def test_it_names_the_allowed_values_with_their_labels_for_an_unknown_one(admin_user):
    strategies = csv_file(
        "s.csv", [S_HEADER, strategy_row(work_area="งานถนน", asean_pillar="ทหาร", dimensions="พื้นที่;เงิน")]
    )

    with translation.override("th"):
        issues = failure(strategies=strategies, by=admin_user)

    messages = {i.column: i.message for i in issues}
    assert set(messages) == {"work_area", "asean_pillar", "dimensions"}
    assert "development (งานบริหารการพัฒนา)" in messages["work_area"]
    assert "economic (ประชาคมเศรษฐกิจอาเซียน)" in messages["asean_pillar"]
    assert "เงิน" in messages["dimensions"] and "place (พื้นที่)" in messages["dimensions"]
    assert not Strategy.objects.exists()


def test_it_strips_nul_characters_and_keeps_html_as_text(admin_user):
    rows = [S_HEADER, strategy_row(title_th="ชื่อ\x00<script>alert(1)</script>", ref="A\x00B")]

    strategies_import(strategies=csv_file("s.csv", rows), by=admin_user)

    strategy = Strategy.objects.get()
    assert strategy.title_th == "ชื่อ<script>alert(1)</script>"
    assert strategy.external_ref == "AB"


def test_it_tells_apart_strategies_that_share_a_ref(admin_user):
    strategies = csv_file("s.csv", [S_HEADER, strategy_row("S1", fy="2569"), strategy_row("S1", fy="2570")])
    ambiguous = csv_file("p.csv", [P_HEADER, project_row("S1")])
    issues = failure(strategies=strategies, projects=ambiguous, by=admin_user)
    assert where(issues) == {(2, "strategy_ref")} and "fiscal_year" in issues[0].message

    header = [*P_HEADER, "fiscal_year"]
    projects = csv_file("p.csv", [header, [*project_row("S1"), "2570"]])
    strategies_import(strategies=strategies, projects=projects, by=admin_user)
    assert Project.objects.get().strategy.fiscal_year == 2570


def test_it_refuses_other_file_types_and_text_that_is_not_utf8(admin_user):
    issues = failure(strategies=ImportFile("plan.xls", b"whatever"), by=admin_user)
    assert "csv" in issues[0].message and issues[0].row == 0

    thai_windows = ",".join(S_HEADER).encode() + "\r\nA,TH-50,2570,ทดสอบ".encode("cp874")
    issues = failure(strategies=ImportFile("plan.csv", thai_windows), by=admin_user)
    assert "UTF-8" in issues[0].message


# --- XLSX ----------------------------------------------------------------------------------------


def workbook(strategies: list[list], projects: list[list] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "แผน 2570"
    for row in strategies:
        sheet.append(row)
    if projects is not None:
        sheet = book.create_sheet("projects")
        for row in projects:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_an_xlsx_with_a_projects_sheet(admin_user):
    content = workbook(
        [
            S_HEADER,
            ["CM-01", "TH-50", 2570, "ยุทธศาสตร์", None, None, "law_enforcement", "political_security",
             "people;place", 55, 49.5],
            ["NUP1-01", "N-UP1", 2570, "กลุ่ม", None, None, "development", "economic", None, 50, 50],
        ],
        [
            P_HEADER,
            ["CM-01", "โครงการ ก", "จังหวัด", "government", 1500000, "central", 2570, 2571, None],
            ["NUP1-01", "โครงการ ข", "กลุ่มจังหวัด", None, "๒,๐๐๐,๐๐๐", "ppp", 2570, 2570, "TH-52; TH-58"],
        ],
    )  # fmt: skip

    summary = strategies_import(strategies=ImportFile("plan.xlsx", content), by=admin_user)

    assert (summary.created, summary.projects_created) == (2, 2)
    cm = Strategy.objects.get(external_ref="CM-01")
    assert (cm.fiscal_year, cm.asean_effect, cm.national_effect, cm.computed_quadrant) == (
        2570,
        55,
        49.5,
        "ข",
    )
    assert (cm.builds_people, cm.builds_place, cm.builds_product) == (True, True, False)
    assert cm.title_en == ""
    assert cm.projects.get().budget == Decimal("1500000")
    route = Project.objects.get(title_th="โครงการ ข")
    assert route.budget == Decimal("2000000")
    assert sorted(p.code for p in route.provinces.all()) == ["TH-52", "TH-58"]
    assert Strategy.objects.get(external_ref="NUP1-01").computed_quadrant == "ก"
    again = strategies_import(strategies=ImportFile("plan.xlsx", content), by=admin_user)
    assert (again.unchanged, again.projects_unchanged) == (2, 2)


def test_it_refuses_formulas_in_an_xlsx(admin_user):
    content = workbook(
        [S_HEADER, strategy_row("A"), strategy_row("B", asean_effect="=40+40")],
        [P_HEADER, project_row("A", budget_thb="=SUM(1,2)")],
    )

    issues = failure(strategies=ImportFile("plan.xlsx", content), by=admin_user)

    assert {(i.source, i.row, i.column) for i in issues} == {
        ("plan.xlsx [แผน 2570]", 3, "asean_effect"),
        ("plan.xlsx [projects]", 2, "budget_thb"),
    }
    assert all("ไม่รับสูตร" in i.message for i in issues)
    assert not Strategy.objects.exists()


def test_it_refuses_an_xlsx_that_is_not_a_workbook(admin_user):
    issues = failure(strategies=ImportFile("plan.xlsx", b"ref,owner\r\n"), by=admin_user)
    assert [(i.source, i.row) for i in issues] == [("plan.xlsx", 0)]
    assert "zip" in issues[0].message


# --- the command -------------------------------------------------------------------------------


def test_it_imports_from_the_command_line(reference):
    out = io.StringIO()

    call_command("import_strategies", str(DATA / "strategies_good.csv"), projects=str(DATA / "projects_good.csv"),
                 stdout=out)  # fmt: skip

    assert Strategy.objects.count() == 2 and Project.objects.count() == 3
    assert Strategy.objects.get(external_ref="CM-01").created_by is None
    assert "2" in out.getvalue()


def test_it_prints_the_thai_error_list_and_fails_on_the_command_line(admin_user, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(
        csv_file("x", [S_HEADER, strategy_row(asean_effect="150"), strategy_row("B", owner="XX")]).content
    )
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_strategies", str(path), "--as", "admin", stderr=err)

    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "plan.csv" in lines[0] and "asean_effect" in lines[0] and "plan.csv" in lines[1]
    with translation.override("th"):
        from django.utils.translation import gettext

        expected = gettext("Effects are between 0 and 100.")
    assert expected in lines[0]
    assert not Strategy.objects.exists()


def test_it_limits_the_command_to_the_scope_of_the_user_named_with_as(secretariat_other, planner):
    with pytest.raises(CommandError):
        call_command("import_strategies", str(DATA / "strategies_good.csv"), "--as", secretariat_other.username,
                     stderr=io.StringIO())  # fmt: skip
    with pytest.raises(CommandError):
        call_command("import_strategies", str(DATA / "strategies_good.csv"), "--as", planner.username)
    assert not Strategy.objects.exists()


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def url():
    return reverse("strategy_import")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_it_hides_the_page_from_advisors(advisor, client_for, url):
    client = client_for(advisor)
    assert client.get(url).status_code == 404
    assert client.get(url + "?template=strategies").status_code == 404
    response = client.post(
        url, {"strategies_file": upload("s.csv", data_file("strategies_good.csv").content)}
    )
    assert response.status_code == 404
    assert not Strategy.objects.exists()


def test_it_shows_the_page_with_the_columns_and_sample_files(secretariat, admin_user, client_for, url):
    response = client_for(secretariat).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "national_effect" in body and "?template=strategies" in body and "?template=projects" in body
    assert client_for(admin_user).get(url).status_code == 200

    template = client_for(secretariat).get(url + "?template=strategies")
    assert template.status_code == 200 and template["Content-Type"].startswith("text/csv")
    assert template.content.startswith("\ufeff".encode())
    header = template.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == S_HEADER
    projects = client_for(secretariat).get(url + "?template=projects").content.decode("utf-8-sig")
    assert projects.splitlines()[0].split(",") == P_HEADER
    assert client_for(secretariat).get(url + "?template=other").status_code == 404


@pytest.mark.parametrize(
    ("role", "owners"),
    [
        ("planner", {"TH-50"}),
        ("planner_lampang", {"TH-52"}),
        ("secretariat", {"N-UP1"}),
        ("admin", {"TH-50", "N-UP1"}),
    ],
)
def test_it_imports_the_sample_templates_as_they_are(role, owners, cast, client_for, url):
    """Each user's samples hold rows of the units they may change, so that they import as they are."""
    client = client_for(cast[role])
    strategies = client.get(url + "?template=strategies").content
    projects = client.get(url + "?template=projects").content
    response = client.post(
        url, {"strategies_file": upload("s.csv", strategies), "projects_file": upload("p.csv", projects)}
    )
    assert response.status_code == 302
    assert {s.owner.code for s in Strategy.objects.all()} == owners
    assert Project.objects.count() == len(owners)


def test_it_shows_a_planner_the_page_for_their_own_province(planner, client_for, url):
    response = client_for(planner).get(url)
    assert response.status_code == 200
    assert response.context["owner"] == planner.scope.province
    assert "TH-50" in response.content.decode()
    rows = [S_HEADER, strategy_row("CM-01"), strategy_row("LP-01", owner="TH-52")]
    response = client_for(planner).post(
        url, {"strategies_file": upload("s.csv", csv_file("s.csv", rows).content)}
    )
    assert response.status_code == 400
    assert [(i.row, i.column) for i in response.context["issues"]] == [(3, "owner")]
    assert not Strategy.objects.exists()


def test_it_imports_an_upload_and_shows_the_summary(admin_user, client_for, url):
    client = client_for(admin_user)
    response = client.post(
        url,
        {
            "strategies_file": upload("s.csv", data_file("strategies_good.csv").content),
            "projects_file": upload("p.csv", data_file("projects_good.csv").content),
        },
        follow=True,
    )

    assert response.redirect_chain == [(url, 302)]
    assert Strategy.objects.count() == 2 and Project.objects.count() == 3
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "2" in shown[0] and "3" in shown[0]
    assert Strategy.objects.get(external_ref="CM-01").history.first().history_user == admin_user


def test_it_shows_every_problem_with_status_400_and_writes_nothing(admin_user, client_for, url):
    client = client_for(admin_user)
    client.cookies["lang"] = "th"
    response = client.post(
        url, {"strategies_file": upload("bad.csv", data_file("strategies_one_bad_row.csv").content)}
    )

    assert response.status_code == 400
    assert not Strategy.objects.exists()
    issues = response.context["issues"]
    assert [(i.row, i.column) for i in issues] == [(3, "asean_effect")]
    body = response.content.decode()
    assert 'id="import-errors"' in body and "asean_effect" in body
    with translation.override("th"):
        from django.utils.translation import gettext

        assert gettext("Effects are between 0 and 100.") in body


def test_it_refuses_uploads_of_the_wrong_type_or_size(secretariat, client_for, url, settings):
    client = client_for(secretariat)
    response = client.post(url, {"strategies_file": upload("plan.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and ".xlsx" in response.context["issues"][0].message

    response = client.post(url, {"strategies_file": upload("plan.xlsx", b"not a zip")})
    assert response.status_code == 400 and "zip" in response.context["issues"][0].message

    settings.WORKBOOK_MAX_BYTES = 10
    response = client.post(
        url, {"strategies_file": upload("s.csv", data_file("strategies_good.csv").content)}
    )
    assert response.status_code == 400 and "MB" in response.context["issues"][0].message

    assert client.post(url, {}).status_code == 400
    assert not Strategy.objects.exists()


def test_it_escapes_imported_html_on_the_error_page(secretariat, client_for, url):
    rows = [S_HEADER, strategy_row(title_th="<script>alert(1)</script>", asean_effect="<b>x</b>")]
    response = client_for(secretariat).post(
        url, {"strategies_file": upload("s.csv", csv_file("s.csv", rows).content)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body
