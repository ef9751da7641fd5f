"""send_reminders: the schedule at its boundaries, escalation over weekends and Thai holidays, review and
progress reminders, idempotency (twice in a row, and two runs racing on PostgreSQL), the command's --today."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from notifications.choices import NotificationKind as K
from notifications.models import Notification
from notifications.reminders import send_reminders
from provinces.models import AdvisorAssignment, Cluster, Holiday, Province
from readiness.choices import AssessmentStatus, RoundStatus
from readiness.models import Assessment, Round
from strategies.choices import ProjectStatus
from strategies.models import ProgressNote, Project
from tests.conftest import _make_user, services_or_skip

D = dt.date
CLOSES = D(2026, 12, 4)  # a Friday; then Sat 5, Sun 6 and Mon 7 (substitution day): no working days


@pytest.fixture
def round_dec(reference):
    return Round.objects.create(
        fiscal_year=2570, opens_on=D(2026, 11, 1), closes_on=CLOSES, status=RoundStatus.OPEN
    )


@pytest.fixture
def staff(planner, planner_lampang, secretariat, secretariat_other, advisor, round_dec):
    """The cast with Lampang's assessment submitted and the other provinces' approved: only Chiang Mai is
    behind."""
    Assessment.objects.bulk_create(
        Assessment(province=p, round=round_dec, status=AssessmentStatus.APPROVED)
        for p in Province.objects.exclude(code__in=["TH-50", "TH-52"])
    )
    Assessment.objects.create(
        province=Province.objects.get(code="TH-52"),
        round=round_dec,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC),
    )
    return {
        "planner": planner,
        "lampang": planner_lampang,
        "sec": secretariat,
        "sec_other": secretariat_other,
    }


def sent(kind, day=None):
    rows = Notification.objects.filter(kind=kind)
    if day is not None:
        rows = rows.filter(dedupe_key__endswith=day.isoformat())
    return list(rows.select_related("recipient").order_by("recipient__username", "pk"))


def recipients(kind, day=None):
    return [n.recipient.username for n in sent(kind, day)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "days_left"),
    [
        (D(2026, 11, 26), None),  # 8 days before
        (D(2026, 11, 27), 7),
        (D(2026, 11, 28), None),
        (D(2026, 12, 2), None),
        (D(2026, 12, 3), 1),
        (CLOSES, 0),
        (D(2026, 12, 5), None),  # Saturday: overdue, but no working day
        (D(2026, 12, 7), None),  # the substitution holiday
        (D(2026, 12, 8), -1),  # the first working day overdue
        (D(2026, 12, 9), -2),
        (D(2026, 12, 10), None),  # Constitution Day
        (D(2026, 12, 11), -3),
        (D(2026, 12, 22), -10),  # the cap
        (D(2026, 12, 23), None),
    ],
)
def test_it_reminds_the_planners_of_an_unsubmitted_assessment_on_schedule(staff, day, days_left):
    run = send_reminders(today=day)
    notes = sent(K.REMINDER_ASSESSMENT_DUE)
    if days_left is None:
        assert notes == []
        return
    assert [n.recipient for n in notes] == [staff["planner"]]  # Lampang submitted; nobody else plans
    note = notes[0]
    assert note.params == {"days_left": days_left, "closes_on": "2026-12-04"}
    assert note.target == Province.objects.get(code="TH-50") and note.round.closes_on == CLOSES
    assert run.created[K.REMINDER_ASSESSMENT_DUE] == 1


@pytest.mark.django_db
def test_it_stops_reminding_once_the_assessment_is_submitted(staff, round_dec):
    assessment = Assessment.objects.create(province=Province.objects.get(code="TH-50"), round=round_dec)
    send_reminders(today=D(2026, 11, 27))
    assessment.status = AssessmentStatus.RETURNED  # returned: still to be resubmitted
    assessment.save()
    send_reminders(today=D(2026, 12, 3))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    send_reminders(today=CLOSES)
    assert [n.params["days_left"] for n in sent(K.REMINDER_ASSESSMENT_DUE)] == [7, 1]


@pytest.mark.django_db
def test_it_sends_nothing_for_a_round_that_is_not_open(staff, round_dec):
    round_dec.status = RoundStatus.CLOSED
    round_dec.save()
    assert send_reminders(today=CLOSES).total == 0


@pytest.mark.django_db
def test_it_escalates_after_two_working_days_across_the_weekend_and_the_holiday(staff, advisor):
    for day in [D(2026, 12, 5), D(2026, 12, 6), D(2026, 12, 7), D(2026, 12, 8)]:
        send_reminders(today=day)
    assert sent(K.REMINDER_ASSESSMENT_ESCALATION) == []  # Monday 7th is a holiday: Tuesday is only day 1
    send_reminders(today=D(2026, 12, 9))
    # The secretariat of Chiang Mai's cluster and the advisor; never the other cluster's nor Lampang's planner.
    assert recipients(K.REMINDER_ASSESSMENT_ESCALATION) == ["advisor", "sec_nup1"]
    note = sent(K.REMINDER_ASSESSMENT_ESCALATION)[0]
    assert note.params == {"days_overdue": 2, "closes_on": "2026-12-04"}
    assert note.target == Province.objects.get(code="TH-50")
    for day in [D(2026, 12, 10), D(2026, 12, 11), D(2026, 12, 14)]:
        send_reminders(today=day)
    assert len(sent(K.REMINDER_ASSESSMENT_ESCALATION)) == 2  # once per round and province


@pytest.mark.django_db
def test_it_escalates_later_over_a_ministry_holiday_and_catches_up_a_missed_day(staff):
    Holiday.objects.create(date=D(2026, 12, 9), name_th="วันหยุดพิเศษ", name_en="Special holiday")
    send_reminders(today=D(2026, 12, 9))
    assert sent(K.REMINDER_ASSESSMENT_ESCALATION) == []
    assert sent(K.REMINDER_ASSESSMENT_DUE, D(2026, 12, 9)) == []  # no working day, no overdue reminder
    # Thursday 10th is Constitution Day; the job did not run. Friday 11th is working day 2: escalate.
    send_reminders(today=D(2026, 12, 14))
    assert recipients(K.REMINDER_ASSESSMENT_ESCALATION) == ["advisor", "sec_nup1"]
    assert sent(K.REMINDER_ASSESSMENT_ESCALATION)[0].dedupe_key.endswith("2026-12-11")
    send_reminders(today=D(2026, 12, 11))
    assert len(sent(K.REMINDER_ASSESSMENT_ESCALATION)) == 2


@pytest.mark.django_db
def test_it_escalates_to_the_assigned_advisors_only(staff, advisor):
    assigned = _make_user("advisor_nup1", "advisor")
    AdvisorAssignment.objects.create(advisor=assigned, cluster=Cluster.objects.get(code="N-UP1"))
    send_reminders(today=D(2026, 12, 9))
    assert recipients(K.REMINDER_ASSESSMENT_ESCALATION) == ["advisor_nup1", "sec_nup1"]


@pytest.mark.django_db
def test_it_reminds_advisors_of_submissions_past_their_review_due_date(staff, advisor, round_dec):
    # Lampang submitted on 1 December (Bangkok): due 15 December (14 days).
    send_reminders(today=D(2026, 12, 15))
    assert sent(K.REMINDER_REVIEW_DUE) == []
    send_reminders(today=D(2026, 12, 16))
    notes = sent(K.REMINDER_REVIEW_DUE)
    assert [n.recipient for n in notes] == [advisor]
    assert notes[0].params == {"days_overdue": 1, "due_on": "2026-12-15"}
    assert notes[0].target == Assessment.objects.get(province__code="TH-52")
    Assessment.objects.filter(province__code="TH-52").update(status=AssessmentStatus.APPROVED)
    send_reminders(today=D(2026, 12, 17))
    assert len(sent(K.REMINDER_REVIEW_DUE)) == 1


@pytest.mark.django_db
def test_it_reminds_advisors_of_proposed_strategies_waiting_past_their_due_date(
    staff, advisor, make_strategy, planner
):
    from strategies.services import strategy_propose

    with time_machine.travel(dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        strategy = strategy_propose(strategy=make_strategy("TH-50", planner), by=planner)
        draft = make_strategy("TH-50", planner, title="ยังเป็นร่าง")
    send_reminders(today=D(2026, 11, 16))  # due today: not yet
    assert sent(K.REMINDER_STRATEGY_REVIEW_DUE) == []
    send_reminders(today=D(2026, 11, 17))
    notes = sent(K.REMINDER_STRATEGY_REVIEW_DUE)
    assert [(n.recipient, n.target) for n in notes] == [(advisor, strategy)]
    assert notes[0].params == {"days_overdue": 1, "due_on": "2026-11-16"}
    assert draft.pk not in [n.target_id for n in notes]


def _project(strategy, **extra):
    project = Project.objects.create(
        strategy=strategy,
        title_th="ศูนย์บริการนักท่องเที่ยว",
        lead_agency="สำนักงานจังหวัด",
        budget=Decimal("1000000"),
        funding_source="provincial",
        start_fy=2570,
        end_fy=2571,
        status=extra.pop("status", ProjectStatus.IN_PROGRESS),
        **extra,
    )
    project.provinces.set(Province.objects.filter(code__in=["TH-50", "TH-52"]))
    return project


@pytest.mark.django_db
def test_it_reminds_project_owners_of_the_quarterly_progress_report(
    staff, make_strategy, planner, secretariat
):
    province_project = _project(make_strategy("TH-50", planner))
    cluster_project = _project(make_strategy("N-UP1", secretariat))
    reported = _project(make_strategy("TH-50", planner, title="รายงานแล้ว"))
    ProgressNote.objects.create(project=reported, on=D(2026, 11, 15), progress=30, note="ดำเนินการแล้ว")
    _project(make_strategy("TH-50", planner, title="ยกเลิก"), status=ProjectStatus.CANCELLED)

    send_reminders(today=D(2026, 12, 23))
    assert sent(K.REMINDER_PROGRESS_DUE) == []
    send_reminders(today=D(2026, 12, 24))  # 7 days before Q1 (October–December) ends
    notes = sent(K.REMINDER_PROGRESS_DUE)
    assert sorted((n.recipient.username, n.target_id) for n in notes) == [
        ("planner_cm", province_project.pk),
        ("sec_nup1", cluster_project.pk),
    ]
    assert notes[0].params == {"quarter": 1, "fiscal_year": 2570, "due_on": "2026-12-31"}
    send_reminders(today=D(2026, 12, 31))  # the due date
    assert len(sent(K.REMINDER_PROGRESS_DUE)) == 4
    ProgressNote.objects.create(project=cluster_project, on=D(2026, 12, 30), progress=10, note="เริ่มแล้ว")
    send_reminders(today=D(2027, 1, 7))  # one last call, a week late, for what is still missing
    last = sent(K.REMINDER_PROGRESS_DUE, D(2027, 1, 7))
    assert [(n.recipient.username, n.params["quarter"]) for n in last] == [("planner_cm", 1)]


@pytest.mark.django_db
def test_it_creates_nothing_new_when_run_twice(staff, advisor, round_dec):
    day = D(2026, 12, 16)  # overdue (working day 8), escalated, Lampang's review overdue
    first = send_reminders(today=day)
    assert first.total == 4  # the planner, the secretariat and the advisor (escalation), the review
    rows = Notification.objects.count()
    second = send_reminders(today=day)
    assert second.total == 0 and Notification.objects.count() == rows


@pytest.mark.django_db(transaction=True)
def test_it_creates_each_reminder_once_when_two_runs_race(reference):
    services_or_skip("PostgreSQL", connection.vendor == "postgresql")
    from django.contrib.auth.models import User

    from provinces.models import UserScope

    round_dec = Round.objects.create(
        fiscal_year=2570, opens_on=D(2026, 11, 1), closes_on=CLOSES, status=RoundStatus.OPEN
    )
    # A planner in each of twenty provinces, so that the runs overlap for long enough to collide.
    for province in Province.objects.order_by("code")[:20]:
        user = User.objects.create_user(username=f"planner_{province.code}", password="pw")
        UserScope.objects.create(user=user, role="planner", province=province)
    _make_user("advisor", "advisor")
    day = D(2026, 12, 9)  # overdue and escalated
    barrier = threading.Barrier(2)
    totals, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            totals.append(send_reminders(today=day).total)
        except Exception as exc:  # reported below: an exception in a thread would be lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    keys = list(Notification.objects.values_list("recipient_id", "dedupe_key"))
    assert len(keys) == len(set(keys))
    assert len(keys) == sum(totals)
    # 20 planners' reminders; an escalation to the advisor for each of the 77 provinces (no secretariats here).
    assert Notification.objects.filter(kind=K.REMINDER_ASSESSMENT_DUE).count() == 20
    assert Notification.objects.filter(kind=K.REMINDER_ASSESSMENT_ESCALATION).count() == 77
    assert sorted(totals) != [0, 0]
    assert round_dec.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today",
    [
        "๒๕๖๙-๑๒-๐๔",
        "2026-12-04\x00",
        "99999-01-01",
        "2026-02-30",
        "04/12/2026",
        "",
        "2026-12-4",
        "²026-12-04",
    ],
)
def test_it_refuses_a_hostile_today_and_sends_nothing(staff, today):
    with pytest.raises(CommandError, match="--today"):
        call_command("send_reminders", "--today", today)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_it_runs_for_today_in_bangkok_by_default(staff, capsys):
    # 20:00 UTC on 3 December is 03:00 on 4 December in Bangkok: the closing day.
    with time_machine.travel(dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC), tick=False):
        call_command("send_reminders")
    assert [n.params["days_left"] for n in sent(K.REMINDER_ASSESSMENT_DUE)] == [0]
    assert "1 reminders sent for 2026-12-04" in capsys.readouterr().out
    call_command("send_reminders", "--today", "2026-12-03")
    assert [n.params["days_left"] for n in sent(K.REMINDER_ASSESSMENT_DUE)] == [0, 1]


@pytest.mark.django_db
def test_it_is_in_the_beat_schedule_each_bangkok_morning(staff):
    from notifications import tasks

    entry = django_settings.CELERY_BEAT_SCHEDULE["notifications-send-reminders"]
    assert entry["task"] == tasks.send_reminders.name == "notifications.tasks.send_reminders"
    assert entry["schedule"].hour == {7} and django_settings.CELERY_TIMEZONE == "Asia/Bangkok"
    with time_machine.travel(dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.send_reminders.apply().get() == 1
    assert recipients(K.REMINDER_ASSESSMENT_DUE) == ["planner_cm"]
