"""Each role's to-do leading its home page: what is due with days left or working days overdue (Thai, B.E.
dates), scoped to the user, with counts that match the review queues and the dashboard, in a fixed number of
queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.todo import todo_for
from provinces.models import Province
from readiness import selectors as readiness_selectors
from readiness import services as readiness_services
from readiness.choices import AssessmentStatus, ReviewAction, RoundStatus
from readiness.models import Assessment, ReviewComment, ReviewEvent, Round
from strategies import selectors as strategy_selectors
from strategies import services as strategy_services
from strategies.choices import ProjectStatus, ReviewKind, StrategyStatus
from strategies.models import ProgressNote, Project, StrategyReview
from tests.test_thai_leaks import visible_text

TUE_1_DEC = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 in Bangkok
WED_9_DEC = dt.datetime(
    2026, 12, 9, 3, 0, tzinfo=dt.UTC
)  # 2 working days after Fri 4 Dec (Mon 7th a holiday)


@pytest.fixture
def rounds(reference):
    earlier = Round.objects.create(
        fiscal_year=2569,
        opens_on=dt.date(2025, 11, 1),
        closes_on=dt.date(2026, 1, 15),
        status=RoundStatus.CLOSED,
    )
    current = Round.objects.create(
        fiscal_year=2570,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2026, 12, 4),
        status=RoundStatus.OPEN,
    )
    readiness_services.framework_load(round=current)
    return earlier, current


def _assessment(code, round, status=AssessmentStatus.DRAFT, submitted_on=None):
    return Assessment.objects.create(
        province=Province.objects.get(code=code),
        round=round,
        status=status,
        submitted_at=dt.datetime.combine(submitted_on, dt.time(3), tzinfo=dt.UTC) if submitted_on else None,
    )


def _returned(assessment, advisor, n_comments):
    assessment.status = AssessmentStatus.RETURNED
    assessment.save()
    event = ReviewEvent.objects.create(
        assessment=assessment, action=ReviewAction.RETURNED, by=advisor, comment="แก้ไข"
    )
    for indicator in assessment.round.indicators.order_by("pk")[:n_comments]:
        ReviewComment.objects.create(event=event, indicator=indicator, text="โปรดแนบหลักฐาน")


def _project(strategy, title="ศูนย์บริการนักท่องเที่ยว", start_fy=2570):
    project = Project.objects.create(
        strategy=strategy,
        title_th=title,
        lead_agency="สำนักงานจังหวัด",
        budget=Decimal("1000000"),
        funding_source="provincial",
        start_fy=start_fy,
        end_fy=2570,
        status=ProjectStatus.IN_PROGRESS,
    )
    project.provinces.set([strategy.province] if strategy.province else strategy.cluster.provinces.all()[:2])
    return project


def _english_in_todo(body, role):
    """English words in the visible text of the role's to-do section (there should be none)."""
    start = body.rindex("<section", 0, body.index(f'data-todo="{role}"'))
    section = body[start : body.index("</section>", start)]
    return set(re.findall(r"[A-Za-z]{2,}", visible_text(section)))


def _home(client_for, user):
    """The page the user lands on (the home page redirects each role to its own)."""
    client = client_for(user)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_it_leads_the_planners_home_with_days_left_in_thai(
    client_for, planner, advisor, rounds, make_strategy
):
    earlier, current = rounds
    with time_machine.travel(TUE_1_DEC, tick=False):
        response = _home(client_for, planner)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/provinces/TH-50/"
    todo = response.context["todo"]
    item = todo.group("assessment").items[0]
    assert (item.due.days_left, item.due.on) == (3, dt.date(2026, 12, 4))
    assert 'data-todo="planner"' in body
    assert "สิ่งที่ต้องดำเนินการ" in body and "เหลืออีก 3 วัน" in body and "กำหนด 4 ธ.ค. 2569" in body
    assert (
        body.index('data-todo="planner"') < body.index("งานที่ต้องดำเนินการ") < body.index("ข้อมูลจังหวัด")
    )  # leads

    with time_machine.travel(WED_9_DEC, tick=False):
        body = _home(client_for, planner).content.decode()
    assert "เกินกำหนด 2 วันทำการ" in body


@pytest.mark.django_db
def test_it_lists_a_planners_returned_items_replies_and_progress_reports(
    client_for, planner, planner_lampang, advisor, rounds, make_strategy
):
    earlier, current = rounds
    _returned(_assessment("TH-50", current), advisor, n_comments=2)
    strategy = make_strategy("TH-50", planner)
    answered = make_strategy("TH-50", planner, title="ตอบแล้ว")
    with time_machine.travel(dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC), tick=False):
        strategy_services.strategy_comment(strategy=strategy, by=advisor, text="ขอข้อมูลงบประมาณเพิ่ม")
        question = strategy_services.strategy_comment(strategy=answered, by=advisor, text="ขอแผนที่")
    strategy_services.strategy_comment(strategy=answered, by=planner, text="แนบแล้วครับ", reply_to=question)
    project = _project(strategy)
    reported = _project(answered, title="รายงานแล้ว")
    ProgressNote.objects.create(project=reported, on=dt.date(2026, 11, 20), progress=40, note="คืบหน้า")

    with time_machine.travel(TUE_1_DEC, tick=False):
        todo = todo_for(planner)
        body = _home(client_for, planner).content.decode()
    assert [i.comments for i in todo.group("returned").items] == [2]
    assert [i.title for i in todo.group("replies").items] == [strategy.title]
    assert todo.group("replies").items[0].days_waiting == 5
    progress = todo.group("progress")
    assert progress.quarter.number == 1 and [
        i.url.endswith(f"#project-{project.pk}") for i in progress.items
    ] == [True]
    assert progress.items[0].due.days_left == 30  # Q1 (October–December) ends on 31 December
    assert "ความเห็นรายตัวชี้วัด 2 รายการ" in body and "รอมา 5 วัน" in body
    assert "รายงานความก้าวหน้าที่ครบกำหนด ไตรมาส 1 ปีงบประมาณ 2570" in body
    assert _english_in_todo(body, "planner") == set()

    # Lampang's planner has none of Chiang Mai's work; an advisor opening Chiang Mai sees no planner's to-do.
    with time_machine.travel(TUE_1_DEC, tick=False):
        lampang = todo_for(planner_lampang)
        advisor_view = client_for(advisor).get("/provinces/TH-50/")
    assert lampang.group("returned").total == 0 and lampang.group("replies").total == 0
    assert lampang.group("progress").total == 0 and lampang.group("assessment").total == 1
    assert advisor_view.context["todo"] is None and 'data-todo="planner"' not in advisor_view.content.decode()


@pytest.mark.django_db
def test_it_lists_a_secretariats_members_not_submitted_and_returned_strategies(
    client_for, secretariat, secretariat_other, advisor, rounds, make_strategy
):
    earlier, current = rounds
    _assessment("TH-52", current, AssessmentStatus.SUBMITTED, submitted_on=dt.date(2026, 11, 30))
    _assessment("TH-51", current)
    returned = make_strategy("N-UP1", secretariat)
    strategy_services.strategy_propose(strategy=returned, by=secretariat)
    with time_machine.travel(dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC), tick=False):
        strategy_services.strategy_return(strategy=returned, by=advisor, text="ทบทวนตัวชี้วัด")
    make_strategy("N-UP1", secretariat, title="ร่าง")  # a draft is not returned

    with time_machine.travel(WED_9_DEC, tick=False):
        response = _home(client_for, secretariat)
        other = todo_for(secretariat_other)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/dashboard/clusters/N-UP1/"
    todo = response.context["todo"]
    members = todo.group("members")
    # Chiang Mai, Lamphun (a draft) and Mae Hong Son; Lampang submitted.
    assert [i.title.split(" · ")[0] for i in members.items] == ["เชียงใหม่", "ลำพูน", "แม่ฮ่องสอน"]
    assert {i.due.working_days_overdue for i in members.items} == {2}
    assert [(i.title, i.days_waiting) for i in todo.group("cluster_returned").items] == [(returned.title, 12)]
    assert "จังหวัดในกลุ่มที่ยังไม่ส่งแบบประเมิน" in body and "เกินกำหนด 2 วันทำการ" in body
    assert "ส่งกลับเมื่อ 12 วันก่อน" in body
    assert _english_in_todo(body, "secretariat") == set()
    assert "เชียงใหม่" not in [i.title.split(" · ")[0] for i in other.group("members").items]
    assert other.group("cluster_returned").total == 0


@pytest.mark.django_db
def test_it_summarises_an_advisors_queues_by_age_with_the_pages_counts(
    client_for, advisor, planner, rounds, make_strategy
):
    earlier, current = rounds
    _assessment("TH-50", current, AssessmentStatus.SUBMITTED, submitted_on=dt.date(2026, 11, 28))
    _assessment(
        "TH-52", current, AssessmentStatus.SUBMITTED, submitted_on=dt.date(2026, 11, 10)
    )  # due 24 Nov
    _assessment("TH-41", earlier, AssessmentStatus.SUBMITTED, submitted_on=dt.date(2026, 1, 10))
    _assessment("TH-51", current, AssessmentStatus.APPROVED)
    with time_machine.travel(dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        strategy_services.strategy_propose(strategy=make_strategy("TH-50", planner), by=planner)
    strategy_services.strategy_propose(strategy=make_strategy("TH-50", planner, title="ใหม่"), by=planner)

    with time_machine.travel(TUE_1_DEC, tick=False):
        response = _home(client_for, advisor)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assessments, strategies = response.context["todo"].queues
    assert (assessments.total, assessments.overdue, assessments.within_due) == (3, 2, 1)
    assert (assessments.current_round, assessments.earlier_rounds) == (2, 1)
    assert assessments.oldest_days == 325
    # The same numbers as the review queue's selector and the national dashboard's tiles.
    assert assessments.total == readiness_selectors.review_queue(user=advisor).count()
    assert assessments.current_round == response.context["submitted"]
    assert (
        strategies.total
        == strategy_selectors.review_queue(user=advisor).count()
        == response.context["proposed"]
    )
    assert (strategies.overdue, strategies.within_due, strategies.oldest_days) == (1, 1, 29)
    body = response.content.decode()
    assert 'href="/readiness/review/"' in body and "เกินกำหนดพิจารณา 2 รายการ" in body
    assert "รอบปัจจุบัน 2 · รอบก่อนหน้า 1" in body
    assert _english_in_todo(body, "advisor") == set()


def _grow(rounds, planner, secretariat, advisor, make_strategy, n):
    """n more of everything each to-do lists."""
    earlier, current = rounds
    taken = Assessment.objects.values("province_id")
    for province in (
        Province.objects.exclude(pk__in=taken).exclude(code__in=["TH-50", "TH-52"]).order_by("code")[:n]
    ):
        _assessment(province.code, current, AssessmentStatus.SUBMITTED, submitted_on=dt.date(2026, 11, 10))
    for i in range(n):
        strategy = make_strategy("TH-50", planner, title=f"ยุทธศาสตร์ {i}")
        StrategyReview.objects.create(strategy=strategy, kind=ReviewKind.COMMENT, author=advisor, text="?")
        _project(strategy, title=f"โครงการ {i}", start_fy=2569)  # owes last quarter's report too
        cluster_strategy = make_strategy("N-UP1", secretariat, title=f"กลุ่ม {i}")
        cluster_strategy.status = StrategyStatus.RETURNED
        cluster_strategy.save()
        proposed = make_strategy("TH-50", planner, title=f"เสนอ {i}")
        proposed.status = StrategyStatus.PROPOSED
        proposed.save()


@pytest.mark.django_db
def test_it_builds_each_home_page_in_a_fixed_number_of_queries(
    client_for, planner, secretariat, advisor, rounds, make_strategy
):
    clients = {user: client_for(user) for user in (planner, secretariat, advisor)}
    pages = {planner: "/provinces/TH-50/", secretariat: "/dashboard/clusters/N-UP1/", advisor: "/dashboard/"}

    def counts():
        result = {}
        for user, client in clients.items():
            client.get(pages[user])  # warm the caches (content types, sessions)
            cache.clear()  # then measure the page computed afresh, not its cached body
            with CaptureQueriesContext(connection) as queries:
                response = client.get(pages[user])
            assert response.status_code == 200 and response.context["todo"] is not None
            result[user.username] = len(queries)
        return result

    # Overdue: the assessments (2 working days), last quarter's progress reports (Q4 FY 2569).
    with time_machine.travel(WED_9_DEC, tick=False):
        _grow(rounds, planner, secretariat, advisor, make_strategy, 1)
        small = counts()
        _grow(rounds, planner, secretariat, advisor, make_strategy, 8)
        large = counts()
        todo = todo_for(planner)
    assert todo.group("replies").total == 9 and todo.group("replies").more == 4
    assert todo.group("progress").total == 9 and todo.group("progress_overdue").total == 9
    assert todo.group("progress_overdue").items[0].due.working_days_overdue > 40
    assert large == small
