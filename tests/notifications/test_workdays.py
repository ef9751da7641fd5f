"""Working days (weekends, the Thai public holidays of the calendar package, ministry holidays), the
advisors responsible for a cluster, and the deadlines built on them."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from provinces.access import responsible_advisors
from provinces.models import AdvisorAssignment, Cluster, Holiday
from provinces.workdays import add_working_days, is_working_day, working_days_between
from readiness.deadlines import review_due_on
from readiness.models import Assessment
from strategies.deadlines import Quarter, quarter_of, strategy_review_due_on
from tests.conftest import _make_user

D = dt.date
FRI_4_DEC = D(2026, 12, 4)  # then Sat 5 (King Bhumibol's birthday), Sun 6, Mon 7 (its substitution day)


@pytest.mark.django_db
def test_it_skips_weekends_and_the_thai_public_holidays():
    assert is_working_day(FRI_4_DEC)
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 12, 7))  # Monday, the substitution day for 5 December
    assert is_working_day(D(2026, 12, 8))
    assert not is_working_day(D(2026, 12, 10))  # Constitution Day
    assert not is_working_day(D(2027, 4, 13))  # Songkran


@pytest.mark.django_db
def test_it_counts_working_days_across_a_long_weekend():
    assert add_working_days(FRI_4_DEC, 0) == FRI_4_DEC
    assert add_working_days(FRI_4_DEC, 1) == D(2026, 12, 8)
    assert add_working_days(FRI_4_DEC, 2) == D(2026, 12, 9)
    assert add_working_days(FRI_4_DEC, 3) == D(2026, 12, 11)  # Thursday 10th is Constitution Day
    assert add_working_days(D(2026, 12, 9), -2) == FRI_4_DEC
    assert working_days_between(FRI_4_DEC, D(2026, 12, 7)) == 0
    assert working_days_between(FRI_4_DEC, D(2026, 12, 11)) == 3
    assert working_days_between(D(2026, 12, 11), FRI_4_DEC) == 0
    # Whole months at a time agree with each other.
    end = add_working_days(FRI_4_DEC, 60)
    assert working_days_between(FRI_4_DEC, end) == 60


@pytest.mark.django_db
def test_it_skips_the_ministry_holidays_administrators_add():
    assert is_working_day(D(2026, 12, 8))
    Holiday.objects.create(date=D(2026, 12, 8), name_th="วันหยุดราชการเพิ่มเติม", name_en="Special holiday")
    assert not is_working_day(D(2026, 12, 8))
    assert add_working_days(FRI_4_DEC, 1) == D(2026, 12, 9)
    assert working_days_between(FRI_4_DEC, D(2026, 12, 9)) == 1


def test_it_names_the_thai_fiscal_quarters():
    assert quarter_of(D(2026, 10, 1)) == Quarter(2570, 1)
    assert quarter_of(D(2026, 12, 31)) == Quarter(2570, 1)
    assert quarter_of(D(2027, 1, 1)) == Quarter(2570, 2)
    assert quarter_of(D(2027, 9, 30)) == Quarter(2570, 4)
    q1 = Quarter(2570, 1)
    assert (q1.starts_on, q1.ends_on, q1.due_on) == (D(2026, 10, 1), D(2026, 12, 31), D(2026, 12, 31))
    assert Quarter(2570, 2).ends_on == D(2027, 3, 31)
    assert Quarter(2570, 4).next() == Quarter(2571, 1)
    assert q1.previous() == Quarter(2569, 4)


@pytest.mark.django_db
def test_it_dues_a_review_days_after_the_submission_in_bangkok(settings, round_2570):
    from provinces.models import Province

    assessment = Assessment.objects.create(province=Province.objects.get(code="TH-50"), round=round_2570)
    assert review_due_on(assessment) is None
    # 20:00 UTC on 9 November is already 10 November in Bangkok.
    assessment.submitted_at = dt.datetime(2026, 11, 9, 20, 0, tzinfo=dt.UTC)
    assert review_due_on(assessment) == D(2026, 11, 24)
    settings.REVIEW_DUE_DAYS = 7
    assert review_due_on(assessment) == D(2026, 11, 17)


@pytest.mark.django_db
def test_it_dues_a_strategy_review_after_it_was_proposed(make_strategy, planner):
    from strategies.services import strategy_propose

    with time_machine.travel(dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        strategy = make_strategy("TH-50", planner)
        assert strategy_review_due_on(strategy) is None  # a draft waits for nobody
        strategy = strategy_propose(strategy=strategy, by=planner)
    strategy.refresh_from_db()
    assert strategy_review_due_on(strategy) == D(2026, 11, 16)


@pytest.mark.django_db
def test_it_names_the_advisors_assigned_to_a_cluster_or_else_all(advisor):
    other = _make_user("advisor_ne", "advisor")
    _make_user("advisor_gone", "advisor", is_active=False)
    nup1 = Cluster.objects.get(code="N-UP1")
    assert list(responsible_advisors(nup1)) == [advisor, other]
    assert list(responsible_advisors(None)) == [advisor, other]  # Bangkok
    AdvisorAssignment.objects.create(advisor=other, cluster=nup1)
    assert list(responsible_advisors(nup1)) == [other]
    assert list(responsible_advisors(Cluster.objects.get(code="NE-UP1"))) == [advisor, other]
    assert not User.objects.filter(username="advisor_gone", advisor_assignments__isnull=False).exists()


@pytest.mark.django_db
def test_it_lets_administrators_assign_advisors_and_add_holidays_in_the_admin(
    client_for, admin_user, advisor, planner
):
    client = client_for(admin_user)
    nup1 = Cluster.objects.get(code="N-UP1")
    page = client.get(f"/admin/provinces/cluster/{nup1.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "advisor_assignments-TOTAL_FORMS" in body
    assert f'value="{advisor.pk}"' in body and f'value="{planner.pk}"' not in body  # advisors only

    answer = client.post(
        "/admin/provinces/holiday/add/",
        {"date": "2026-12-08", "name_th": "วันหยุดพิเศษ", "name_en": "Special holiday"},
    )
    assert answer.status_code == 302
    listing = client.get("/admin/provinces/holiday/").content.decode()
    assert "2569" in listing and "วันหยุดพิเศษ" in listing  # B.E. year

    refused = client.post(
        "/admin/provinces/advisorassignment/add/", {"advisor": planner.pk, "cluster": nup1.pk}
    )
    assert refused.status_code == 200 and not AdvisorAssignment.objects.exists()
    assert (
        client.post(
            "/admin/provinces/advisorassignment/add/", {"advisor": advisor.pk, "cluster": nup1.pk}
        ).status_code
        == 302
    )
    assert list(responsible_advisors(nup1)) == [advisor]
