"""Deadline reminders: what ``manage.py send_reminders`` (and Celery beat, each morning) sends on a given day.

The schedule is a pure function of the day, so a run can be repeated, raced or caught up:

- **Assessment due** (to the planners of each province whose assessment of an open round is not submitted —
  none, a draft or returned): 7 days and 1 day before the round closes, on the closing day, then on every
  working day while overdue, for the first ``REMINDER_OVERDUE_CAP`` (10) working days overdue.
  ``days_left`` is calendar days before closing, or minus the working days overdue.
- **Escalation** (to the cluster's secretariat and the cluster's responsible advisors): once per round and
  province, from the day it is 2 working days overdue (``ESCALATION_WORKING_DAYS``). Its key carries the day it
  became due, so a run missed that day still sends it the next day, and never twice.
- **Review due** (to the responsible advisors): each submission waiting past its review due date
  (readiness/deadlines.py), on working days, for the first ``REMINDER_OVERDUE_CAP`` working days overdue.
- **Strategy review due** (to the responsible advisors): the same for proposed strategies.
- **Progress report due** (to the owners of each project: the planners of its province, or the secretariat
  of its cluster) for a fiscal quarter the project has no progress note in: 7 days before the quarter ends,
  on its last day (the due date), and once more 7 days after it.

Each reminder is unique per kind, object, recipient and day (``dedupe_key`` and the database's unique
constraint): notify() skips a duplicate insert, so two runs at once send everything once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from provinces.access import responsible_advisors
from provinces.choices import Role
from provinces.models import Cluster, Province
from provinces.workdays import add_working_days, is_working_day, working_days_between
from readiness.choices import AssessmentStatus, RoundStatus
from readiness.deadlines import review_due_on, submitted_before
from readiness.models import Assessment, Round
from strategies.deadlines import (
    Quarter,
    projects_owing_report,
    quarter_of,
    strategies_awaiting_review_overdue,
    strategy_review_due_on,
)
from strategies.models import Project, Strategy

from .choices import NotificationKind
from .services import notify

DUE_DAYS_BEFORE = (7, 1, 0)  # calendar days before a round closes
ESCALATION_WORKING_DAYS = 2
PROGRESS_DAYS_BEFORE = 7  # before the quarter's last day
PROGRESS_DAYS_AFTER = 7  # one last call after it
DONE_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def overdue_cap() -> int:
    return int(getattr(settings, "REMINDER_OVERDUE_CAP", 10))


def dedupe_key(kind: str, target: models.Model, day: dt.date) -> str:
    target_type = ContentType.objects.get_for_model(target)
    return f"{kind}:{target_type.pk}:{target.pk}:{day.isoformat()}"


def overdue_reminder_day(due_on: dt.date, today: dt.date) -> int | None:
    """The working days overdue when an overdue reminder goes out today, or None: on working days after the
    due date, up to the cap."""
    if today <= due_on or not is_working_day(today):
        return None
    late = working_days_between(due_on, today)
    return late if 1 <= late <= overdue_cap() else None


@dataclass
class ReminderRun:
    """What one run sent: the number of notifications created per kind."""

    today: dt.date
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def send(self, *, kind: str, recipients: Iterable[User], target: models.Model, day: dt.date, **extra):
        rows = notify(
            kind=kind,
            recipients=recipients,
            target=target,
            dedupe_key=dedupe_key(kind, target, day),
            **extra,
        )
        self.created[kind] += len(rows)


class _People:
    """Planners by province and secretariats by cluster, read once per run."""

    def __init__(self) -> None:
        self.planners: dict[int, list[User]] = defaultdict(list)
        self.secretariats: dict[int, list[User]] = defaultdict(list)
        users = User.objects.filter(is_active=True, scope__role__in=[Role.PLANNER, Role.SECRETARIAT])
        for user in users.select_related("scope").order_by("pk"):
            scope = user.scope
            # A planner always has a province and a secretariat a cluster (UserScope's check constraint).
            if scope.role == Role.PLANNER and scope.province_id is not None:
                self.planners[scope.province_id].append(user)
            elif scope.role == Role.SECRETARIAT and scope.cluster_id is not None:
                self.secretariats[scope.cluster_id].append(user)
        self._advisors: dict[int | None, list[User]] = {}

    def secretariat(self, cluster_id: int | None) -> list[User]:
        """The cluster's secretariat; nobody for a province outside any cluster."""
        return self.secretariats[cluster_id] if cluster_id is not None else []

    def advisors(self, cluster_id: int | None) -> list[User]:
        if cluster_id not in self._advisors:
            cluster = Cluster(pk=cluster_id) if cluster_id else None
            self._advisors[cluster_id] = list(responsible_advisors(cluster))
        return self._advisors[cluster_id]


def provinces_not_submitted(round: Round) -> models.QuerySet[Province]:
    """Provinces whose assessment of ``round`` is neither submitted nor approved (or not started)."""
    done = Assessment.objects.filter(round=round, status__in=DONE_STATUSES).values("province_id")
    return Province.objects.exclude(pk__in=done).order_by("code")


def _assessment_reminders(run: ReminderRun, people: _People, round: Round) -> None:
    today, closes_on = run.today, round.closes_on
    days_left = (closes_on - today).days
    if days_left in DUE_DAYS_BEFORE:
        planner_days_left: int | None = days_left
    else:
        late = overdue_reminder_day(closes_on, today)
        planner_days_left = -late if late else None
    escalation_day = add_working_days(closes_on, ESCALATION_WORKING_DAYS)
    escalate = today >= escalation_day
    if planner_days_left is None and not escalate:
        return
    for province in provinces_not_submitted(round):
        if planner_days_left is not None:
            run.send(
                kind=NotificationKind.REMINDER_ASSESSMENT_DUE,
                recipients=people.planners[province.pk],
                target=province,
                day=today,
                round=round,
                params={"days_left": planner_days_left, "closes_on": closes_on.isoformat()},
            )
        if escalate:
            run.send(
                kind=NotificationKind.REMINDER_ASSESSMENT_ESCALATION,
                recipients=[*people.secretariat(province.cluster_id), *people.advisors(province.cluster_id)],
                target=province,
                day=escalation_day,
                round=round,
                params={
                    "days_overdue": working_days_between(closes_on, today),
                    "closes_on": closes_on.isoformat(),
                },
            )


def _review_reminders(run: ReminderRun, people: _People) -> None:
    waiting = (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED, submitted_at__lt=submitted_before(run.today)
        )
        .select_related("province", "round")
        .order_by("submitted_at", "pk")
    )
    for assessment in waiting:
        due_on = review_due_on(assessment)
        if due_on is None:  # never submitted: nothing to review (the query keeps submitted ones only)
            continue
        late = overdue_reminder_day(due_on, run.today)
        if late is None:
            continue
        run.send(
            kind=NotificationKind.REMINDER_REVIEW_DUE,
            recipients=people.advisors(assessment.province.cluster_id),
            target=assessment,
            day=run.today,
            round=assessment.round,
            params={"days_overdue": late, "due_on": due_on.isoformat()},
        )


def _strategy_review_reminders(run: ReminderRun, people: _People) -> None:
    for strategy in strategies_awaiting_review_overdue(run.today).order_by("pk"):
        due_on = strategy_review_due_on(strategy)
        if due_on is None:  # not proposed: not waiting for review (the query keeps proposed ones only)
            continue
        late = overdue_reminder_day(due_on, run.today)
        if late is None:
            continue
        cluster_id = strategy.cluster_id or (strategy.province.cluster_id if strategy.province else None)
        run.send(
            kind=NotificationKind.REMINDER_STRATEGY_REVIEW_DUE,
            recipients=people.advisors(cluster_id),
            target=strategy,
            day=run.today,
            params={"days_overdue": late, "due_on": due_on.isoformat()},
        )


def progress_quarter_due(today: dt.date) -> Quarter | None:
    """The quarter whose progress report is reminded of today, if any."""
    current = quarter_of(today)
    if (current.due_on - today).days in (PROGRESS_DAYS_BEFORE, 0):
        return current
    previous = current.previous()
    if (today - previous.due_on).days == PROGRESS_DAYS_AFTER:
        return previous
    return None


def project_owners(project: Project, people: _People) -> list[User]:
    strategy: Strategy = project.strategy
    if strategy.province_id:
        return people.planners[strategy.province_id]
    return people.secretariat(strategy.cluster_id)


def _progress_reminders(run: ReminderRun, people: _People) -> None:
    quarter = progress_quarter_due(run.today)
    if quarter is None:
        return
    for project in projects_owing_report(quarter).order_by("pk"):
        run.send(
            kind=NotificationKind.REMINDER_PROGRESS_DUE,
            recipients=project_owners(project, people),
            target=project,
            day=run.today,
            params={
                "quarter": quarter.number,
                "fiscal_year": quarter.fiscal_year,
                "due_on": quarter.due_on.isoformat(),
            },
        )


def send_reminders(*, today: dt.date) -> ReminderRun:
    """Send every reminder due on ``today`` (Bangkok's date). Safe to run again or twice at once."""
    run = ReminderRun(today=today)
    people = _People()
    for round in Round.objects.filter(status=RoundStatus.OPEN).order_by("closes_on", "pk"):
        _assessment_reminders(run, people, round)
    _review_reminders(run, people)
    _strategy_review_reminders(run, people)
    _progress_reminders(run, people)
    return run
