"""The admin shows Buddhist Era dates in Bangkok time, and the lead province's confidence stays in the admin."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.test_thai_leaks import visible_text

pytestmark = pytest.mark.django_db

GREGORIAN = re.compile(r"(?<!\d)20[2-3]\d(?!\d)")  # 2020–2039; B.E. years of these dates are 2563–2582


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.fixture
def dated(cast, planner, round_2570):
    """An assessment, a strategy and a briefing whose dates are set, around a year end (UTC vs Bangkok)."""
    from briefings.models import Briefing
    from readiness import services
    from readiness.models import Assessment, FrameworkChange
    from strategies import services as strategy_services
    from strategies.models import Strategy

    new_year_utc = dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)  # 1 Jan 2027 01:30 in Bangkok
    assessment = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=new_year_utc, submitted_at=new_year_utc)
    data = strategy_services.StrategyData(title_th="ยุทธศาสตร์", work_area="development", pillar="economic")
    strategy = strategy_services.strategy_create(
        owner=planner.scope.province, fiscal_year=2570, data=data, scores={}, by=planner
    )
    Strategy.objects.filter(pk=strategy.pk).update(updated_at=new_year_utc)
    briefing = Briefing.objects.create(
        kind="province", subject="TH-50", fiscal_year=2570, status="failed", error="ไม่สำเร็จ", requested_by=cast["admin"],
        queued_at=new_year_utc, started_at=new_year_utc, finished_at=new_year_utc,
    )  # fmt: skip
    change = FrameworkChange.objects.create(
        round=round_2570,
        indicator=round_2570.indicators.first(),
        changes={"weight": [1, 2]},
        changed_by=cast["admin"],
    )  # shown view-only: nobody changes the record of changes
    FrameworkChange.objects.filter(pk=change.pk).update(changed_at=new_year_utc)
    return {"assessment": assessment.pk, "briefing": briefing.pk, "change": change.pk}


def test_it_shows_be_dates_in_the_admin_change_lists(cast, client_for, dated):
    client = client_for(cast["admin"])
    for model in ["readiness_round", "readiness_assessment", "strategies_strategy", "briefings_briefing"]:
        text = _text(client, reverse(f"admin:{model}_changelist"))
        assert not GREGORIAN.findall(text), (model, GREGORIAN.findall(text))
        if model == "readiness_round":
            assert "1 พ.ย. 2569" in text and "15 ม.ค. 2570" in text, text
        else:
            assert "1 ม.ค. 2570 01:30" in text, (model, text)  # Bangkok time, B.E. year


def test_it_shows_be_dates_in_the_admin_read_only_fields(cast, client_for, dated):
    client = client_for(cast["admin"])
    pages = [("readiness_assessment", "assessment"), ("briefings_briefing", "briefing"),
             ("readiness_frameworkchange", "change")]  # fmt: skip
    for model, key in pages:
        text = _text(client, reverse(f"admin:{model}_change", args=[dated[key]]))
        assert "1 ม.ค. 2570 01:30" in text, (model, text)
        assert not GREGORIAN.findall(text), (model, GREGORIAN.findall(text))


def test_it_keeps_a_read_only_date_out_of_the_form(cast, client_for, dated):
    html = client_for(cast["admin"]).get(
        reverse("admin:readiness_assessment_change", args=[dated["assessment"]])
    )
    assert 'name="submitted_at' not in html.content.decode()


def test_it_shows_the_lead_provinces_confidence_in_the_admin_only(cast, client_for, planner):
    cluster = planner.scope.province.cluster
    with translation.override("th"):
        label = str(cluster.get_lead_confidence_display())  # e.g. "ยืนยันแล้ว", the badge the pages showed
    client = client_for(planner)
    for url in [reverse("cluster_list"), reverse("cluster_detail", args=[cluster.code])]:
        text = _text(client, url)
        assert "ความเชื่อมั่น" not in text and label not in text, url
    admin_text = _text(client_for(cast["admin"]), reverse("admin:provinces_cluster_changelist"))
    assert "ความเชื่อมั่น" in admin_text
