from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from provinces.models import Cluster, Province
from strategies import services
from strategies.models import Project, Strategy, StrategyReview
from strategies.services import ProjectData, WorkflowError
from tests.strategies.conftest import data

pytestmark = pytest.mark.django_db


def test_it_derives_the_effects_and_the_quadrant_from_the_checklist(make_strategy, planner):
    s = make_strategy("TH-50", planner, a=(4, 4, 2), n=(1, 1, 0))
    assert s.asean_effect == pytest.approx(10 / 12 * 100)
    assert s.national_effect == pytest.approx(2 / 12 * 100)
    assert s.quadrant == "ข" and s.effect_source == "checklist"


def test_it_enforces_exactly_one_owner_in_the_database(reference):
    for owner in (
        {},
        {"province": Province.objects.get(code="TH-50"), "cluster": Cluster.objects.get(code="N-UP1")},
    ):
        with (
            pytest.raises(IntegrityError, match="strategy_owned_by_province_xor_cluster"),
            transaction.atomic(),
        ):
            Strategy.objects.create(
                fiscal_year=2570, title_th="x", work_area="development", pillar="economic", **owner
            )


def test_it_refuses_effects_outside_0_100_in_the_database(reference):
    with pytest.raises(IntegrityError, match="strategy_effects_0_to_100"), transaction.atomic():
        Strategy.objects.create(
            province=Province.objects.get(code="TH-50"), fiscal_year=2570, title_th="x", work_area="development",
            pillar="economic", asean_effect=101,
        )  # fmt: skip


@pytest.mark.parametrize("who", ["planner_lampang", "secretariat", "advisor"])
def test_it_lets_only_the_owner_draft_a_provinces_strategy(cast, make_strategy, who):
    with pytest.raises(WorkflowError):
        make_strategy("TH-50", cast[who])
    assert not Strategy.objects.exists()


def test_it_lets_the_secretariat_draft_the_clusters_strategy_but_not_a_planner(
    make_strategy, secretariat, planner
):
    assert make_strategy("N-UP1", secretariat).cluster.code == "N-UP1"
    with pytest.raises(WorkflowError):
        make_strategy("N-UP1", planner)


def test_it_walks_propose_return_revise_propose_endorse_with_the_decisions_kept(
    make_strategy, secretariat, advisor
):
    s = make_strategy("N-UP1", secretariat)
    services.strategy_propose(strategy=s, by=secretariat)
    services.strategy_return(strategy=s, by=advisor, text="ระบุแหล่งงบประมาณ")
    services.strategy_update(strategy=s, data=data(title_th="ฉบับแก้ไข"), scores={}, by=secretariat)
    services.strategy_propose(strategy=s, by=secretariat)
    services.strategy_endorse(strategy=s, by=advisor)
    s.refresh_from_db()
    assert s.status == "endorsed" and s.title_th == "ฉบับแก้ไข"
    kinds = list(s.reviews.values_list("kind", flat=True))
    assert kinds == ["proposed", "returned", "proposed", "endorsed"]
    assert s.reviews.get(kind="returned").text == "ระบุแหล่งงบประมาณ"


@pytest.mark.parametrize("who", ["planner", "secretariat", "secretariat_other", "admin"])
def test_it_lets_only_advisors_endorse_or_return(cast, make_strategy, secretariat, who):
    s = make_strategy("N-UP1", secretariat)
    services.strategy_propose(strategy=s, by=secretariat)
    with pytest.raises(WorkflowError):
        services.strategy_endorse(strategy=s, by=cast[who])
    with pytest.raises(WorkflowError):
        services.strategy_return(strategy=s, by=cast[who], text="x")
    assert Strategy.objects.get(pk=s.pk).status == "proposed"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "endorse"),
        ("draft", "return"),
        ("endorsed", "propose"),
        ("endorsed", "edit"),
        ("proposed", "edit"),
    ],
)
def test_it_refuses_review_transitions_from_the_wrong_state(
    make_strategy, secretariat, advisor, status, action
):
    s = make_strategy("N-UP1", secretariat)
    Strategy.objects.filter(pk=s.pk).update(status=status)
    s.refresh_from_db()
    with pytest.raises(WorkflowError):
        if action == "endorse":
            services.strategy_endorse(strategy=s, by=advisor)
        elif action == "return":
            services.strategy_return(strategy=s, by=advisor, text="x")
        elif action == "propose":
            services.strategy_propose(strategy=s, by=secretariat)
        else:
            services.strategy_update(strategy=s, data=data(title_th="y"), scores={}, by=secretariat)
    assert Strategy.objects.get(pk=s.pk).status == status


def test_it_requires_a_comment_to_return(make_strategy, secretariat, advisor):
    s = make_strategy("N-UP1", secretariat)
    services.strategy_propose(strategy=s, by=secretariat)
    with pytest.raises(WorkflowError):
        services.strategy_return(strategy=s, by=advisor, text="  ")
    assert Strategy.objects.get(pk=s.pk).status == "proposed"


def test_it_requires_a_reason_to_override_and_logs_it(make_strategy, planner, advisor):
    s = make_strategy("TH-50", planner, a=(1, 1, 1), n=(1, 1, 1))
    assert s.quadrant == "ง"
    with pytest.raises(WorkflowError):
        services.strategy_override(strategy=s, quadrant="ก", reason=" ", by=advisor)
    with pytest.raises(WorkflowError):
        services.strategy_override(strategy=s, quadrant="ก", reason="เหตุผล", by=planner)
    services.strategy_override(strategy=s, quadrant="ก", reason="ด่านนี้เป็นประตูการค้าหลัก", by=advisor)
    s.refresh_from_db()
    assert (s.quadrant, s.computed_quadrant, s.override_by) == ("ก", "ง", advisor)
    assert s.reviews.get(kind="override").text == "ง → ก: ด่านนี้เป็นประตูการค้าหลัก"
    record = s.history.order_by("-history_date").first()
    assert record.override_quadrant == "ก" and record.override_reason == "ด่านนี้เป็นประตูการค้าหลัก"
    services.strategy_override_withdraw(strategy=s, by=advisor)
    s.refresh_from_db()
    assert s.quadrant == "ง" and s.override_reason == ""
    assert s.reviews.filter(kind="override_withdrawn").exists()


def test_it_refuses_an_override_without_reason_in_the_database(make_strategy, planner):
    s = make_strategy("TH-50", planner)
    with pytest.raises(IntegrityError, match="strategy_override_has_reason"), transaction.atomic():
        Strategy.objects.filter(pk=s.pk).update(override_quadrant="ก", override_reason="")


def test_it_carries_a_strategy_forward_with_its_lineage(make_strategy, planner):
    s = make_strategy("TH-50", planner, a=(3, 3, 3), n=(1, 1, 1))
    new = services.strategy_carry_forward(strategy=s, by=planner)
    assert (new.fiscal_year, new.previous, new.status) == (2571, s, "draft")
    assert new.criterion_scores.count() == 6 and new.asean_effect == s.asean_effect
    with pytest.raises(WorkflowError):
        services.strategy_carry_forward(strategy=s, by=planner)


def project(**overrides) -> ProjectData:
    values = {"title_th": "ศูนย์กระจายสินค้า", "lead_agency": "สำนักงานจังหวัด", "budget": Decimal("1000000"),
              "funding_source": "cluster", "start_fy": 2570, "end_fy": 2571}  # fmt: skip
    values.update(overrides)
    return ProjectData(**values)


def ids(*codes):
    return tuple(Province.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_it_requires_a_clusters_project_to_cover_two_member_provinces(make_strategy, secretariat):
    s = make_strategy("N-UP1", secretariat)
    with pytest.raises(WorkflowError, match="อย่างน้อยสองจังหวัด|at least two"):
        services.project_save(strategy=s, data=project(province_ids=ids("TH-50")), by=secretariat)
    with pytest.raises(WorkflowError):
        services.project_save(strategy=s, data=project(province_ids=ids("TH-50", "TH-41")), by=secretariat)
    p = services.project_save(strategy=s, data=project(province_ids=ids("TH-50", "TH-51")), by=secretariat)
    assert set(p.provinces.values_list("code", flat=True)) == {"TH-50", "TH-51"}


def test_it_defaults_a_provinces_project_to_the_province(make_strategy, planner):
    s = make_strategy("TH-50", planner)
    p = services.project_save(strategy=s, data=project(funding_source="provincial"), by=planner)
    assert list(p.provinces.values_list("code", flat=True)) == ["TH-50"]


@pytest.mark.parametrize(
    "bad",
    [
        {"budget": Decimal("-1")},
        {"budget": Decimal("1000000000001")},
        {"start_fy": 2571, "end_fy": 2570},
        {"funding_source": "lottery"},
        {"title_th": "  "},
        {"partners": ("aliens",)},
        {"kpi": "ผู้ผ่านการอบรม", "kpi_target": Decimal("-10")},
        {"kpi": "ผู้ผ่านการอบรม", "kpi_actual": Decimal("-1")},
    ],
)
def test_it_refuses_bad_projects_and_changes_nothing(make_strategy, planner, bad):
    s = make_strategy("TH-50", planner)
    with pytest.raises(WorkflowError) as refused:
        services.project_save(strategy=s, data=project(**{"funding_source": "provincial", **bad}), by=planner)
    # The form shows the refusal at the field it is about.
    assert isinstance(refused.value, services.InvalidField) and refused.value.field in {*bad, "end_fy"}
    assert not Project.objects.exists()


def test_it_refuses_a_project_by_another_provinces_planner(make_strategy, planner, planner_lampang):
    s = make_strategy("TH-50", planner)
    with pytest.raises(WorkflowError):
        services.project_save(strategy=s, data=project(funding_source="provincial"), by=planner_lampang)


def test_it_records_progress_with_a_dated_note(make_strategy, planner):
    s = make_strategy("TH-50", planner)
    p = services.project_save(strategy=s, data=project(funding_source="provincial"), by=planner)
    services.project_progress(project=p, progress=40, note="เริ่มก่อสร้างแล้ว", by=planner)
    p.refresh_from_db()
    assert (p.progress, p.status, p.notes.get().note) == (40, "in_progress", "เริ่มก่อสร้างแล้ว")
    with pytest.raises(WorkflowError):
        services.project_progress(project=p, progress=120, note="x", by=planner)


def test_it_keeps_comments_threaded(make_strategy, secretariat, advisor, planner_lampang):
    s = make_strategy("N-UP1", secretariat)
    first = services.strategy_comment(strategy=s, by=advisor, text="ควรเชื่อมกับจังหวัดลำปาง")
    reply = services.strategy_comment(strategy=s, by=secretariat, text="รับทราบ", reply_to=first)
    assert reply.reply_to == first and list(first.replies.all()) == [reply]
    with pytest.raises(WorkflowError):
        services.strategy_comment(strategy=s, by=planner_lampang, text="x")
    assert StrategyReview.objects.count() == 2
