"""Each role's to-do: what is due, with days left or working days overdue, leading the role's home page.

- A planner: the province's assessment of each open round (unless submitted), items the advisor returned,
  comments on the province's strategies awaiting a reply, projects owing the quarter's progress report.
- A secretariat: the member provinces that have not submitted, the cluster's strategies returned by the
  advisor, and the cluster's own comments and progress reports as for a planner.
- An advisor: the review queues summarised by age, with the same counts as the review
  queue pages (their selectors) and the national dashboard (the current round's part of the queue).

Every read is a fixed number of queries, however many rounds, provinces, strategies or projects there are.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.models import Cluster, Province, UserScope
from provinces.workdays import WorkingDayCounter
from readiness import selectors as readiness_selectors
from readiness.access import can_review
from readiness.choices import AssessmentStatus, ReviewAction, RoundStatus
from readiness.deadlines import submitted_before
from readiness.models import Assessment, ReviewEvent, Round
from strategies.access import visible_strategies
from strategies.choices import ReviewKind, StrategyStatus
from strategies.deadlines import Quarter, projects_owing_report, quarter_of, strategy_review_due_days
from strategies.models import Strategy, StrategyReview

DONE_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
SHOWN = 5  # items listed per heading; the rest are counted


@dataclass
class Due:
    """When something is due, seen from ``today``: calendar days left, or working days overdue."""

    on: dt.date
    today: dt.date
    working_days_overdue: int = 0

    @property
    def days_left(self) -> int:
        return (self.on - self.today).days

    @property
    def overdue(self) -> bool:
        return self.today > self.on


def _days_since(moment: dt.datetime | None, today: dt.date) -> int | None:
    """Whole days from ``moment`` (in Bangkok) to ``today``; never negative (a clock set a little ahead)."""
    return max((today - timezone.localdate(moment)).days, 0) if moment else None


def _due(on: dt.date, days: WorkingDayCounter) -> Due:
    return Due(on=on, today=days.today, working_days_overdue=days.overdue(on))


@dataclass
class TodoItem:
    """One line of the to-do: what, where to do it, and when it is due (None: as soon as possible)."""

    title: str
    url: str
    due: Due | None = None
    status: object = None  # a choice with a label and a badge colour, when there is one
    comments: int | None = None  # the advisor's indicator comments on a returned assessment
    days_waiting: int | None = None  # since the comment awaiting a reply, or since the return


@dataclass
class TodoGroup:
    """A heading of the to-do with its first items and how many there are in all."""

    key: str
    items: list[TodoItem] = field(default_factory=list)
    total: int = 0
    quarter: Quarter | None = None  # the progress reports' fiscal quarter

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass
class QueueSummary:
    """A review queue by age: how many wait, how many past their review due date, the oldest wait."""

    url: str
    total: int = 0
    current_round: int = 0  # the national dashboard's count
    earlier_rounds: int = 0
    within_due: int = 0
    overdue: int = 0
    oldest_days: int | None = None


@dataclass
class Todo:
    role: str
    today: dt.date
    groups: list[TodoGroup] = field(default_factory=list)
    queues: list[QueueSummary] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(g.total for g in self.groups) and not any(q.total for q in self.queues)

    def group(self, key: str) -> TodoGroup | None:
        return next((g for g in self.groups if g.key == key), None)


def _open_rounds() -> list[Round]:
    return list(Round.objects.filter(status=RoundStatus.OPEN).order_by("closes_on", "pk"))


def _assessment_url(province: Province, round: Round) -> str:
    return reverse("assessment_detail", kwargs={"code": province.code, "fiscal_year": round.fiscal_year})


def _planner_assessments(
    province: Province, rounds: list[Round], days: WorkingDayCounter
) -> tuple[TodoGroup, TodoGroup]:
    """The province's assessments still to submit, and those the advisor returned (with the comment count)."""
    due, returned = TodoGroup("assessment"), TodoGroup("returned")
    latest_return = (
        ReviewEvent.objects.filter(assessment=OuterRef("pk"), action=ReviewAction.RETURNED)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    assessments = {
        a.round_id: a
        for a in Assessment.objects.filter(province=province, round__in=rounds).annotate(
            # Indicator comments of the latest return (the one the planner has to answer).
            returned_comments=Count(
                "events__comments",
                filter=Q(events__action=ReviewAction.RETURNED, events__at=Subquery(latest_return)),
            )
        )
    }
    for round in rounds:
        assessment = assessments.get(round.pk)
        if assessment is not None and assessment.status in DONE_STATUSES:
            continue
        item = TodoItem(
            title=str(round),
            url=_assessment_url(province, round),
            due=_due(round.closes_on, days),
            status=assessment.status_choice if assessment else None,
        )
        due.items.append(item)
        if assessment is not None and assessment.status == AssessmentStatus.RETURNED:
            returned.items.append(
                TodoItem(
                    title=str(round),
                    url=item.url,
                    due=item.due,
                    comments=assessment.returned_comments,
                    status=assessment.status_choice,
                )
            )
    due.total, returned.total = len(due.items), len(returned.items)
    return due, returned


def _unit_members(unit: Province | Cluster) -> QuerySet[UserScope]:
    if isinstance(unit, Province):
        return UserScope.objects.filter(role=Role.PLANNER, province=unit)
    return UserScope.objects.filter(role=Role.SECRETARIAT, cluster=unit)


def _unit_strategies(unit: Province | Cluster) -> QuerySet[Strategy]:
    return Strategy.objects.filter(
        **({"province": unit} if isinstance(unit, Province) else {"cluster": unit})
    )


def _awaiting_reply(unit: Province | Cluster, today: dt.date) -> TodoGroup:
    """The unit's strategies whose latest comment (or return) came from outside the unit: someone waits for
    the unit's answer. Oldest first."""
    group = TodoGroup("replies")
    thread = StrategyReview.objects.filter(
        strategy=OuterRef("pk"), kind__in=[ReviewKind.COMMENT, ReviewKind.RETURNED]
    ).order_by("-created_at", "-pk")
    members = _unit_members(unit).values("user_id")
    waiting = (
        _unit_strategies(unit)
        .exclude(status__in=[StrategyStatus.DONE, StrategyStatus.DROPPED])
        .annotate(
            last_author=Subquery(thread.values("author_id")[:1]),
            last_at=Subquery(thread.values("created_at")[:1]),
        )
        .filter(last_author__isnull=False)
        .exclude(last_author__in=members)
        .order_by("last_at", "pk")
    )
    group.total = waiting.count()
    for strategy in waiting[:SHOWN]:
        group.items.append(
            TodoItem(
                title=strategy.title,
                url=reverse("strategy_detail", kwargs={"pk": strategy.pk}) + "#review",
                days_waiting=_days_since(strategy.last_at, today),
            )
        )
    return group


def _progress_due(unit: Province | Cluster, days: WorkingDayCounter) -> list[TodoGroup]:
    """Projects of the unit owing this quarter's progress report (due on its last day) and those that still
    owe last quarter's."""
    groups = []
    current = quarter_of(days.today)
    for key, quarter in (("progress_overdue", current.previous()), ("progress", current)):
        owing = projects_owing_report(quarter).filter(strategy__in=_unit_strategies(unit)).order_by("pk")
        group = TodoGroup(key, total=owing.count(), quarter=quarter)
        for project in owing[:SHOWN]:
            group.items.append(
                TodoItem(
                    title=project.title,
                    url=reverse("strategy_detail", kwargs={"pk": project.strategy_id})
                    + f"#project-{project.pk}",
                    due=_due(quarter.due_on, days),
                )
            )
        groups.append(group)
    return groups


def _members_not_submitted(cluster: Cluster, rounds: list[Round], days: WorkingDayCounter) -> TodoGroup:
    """The member provinces whose assessment of an open round is not submitted, the closest deadline first."""
    group = TodoGroup("members")
    if not rounds:
        return group
    provinces = list(Province.objects.filter(cluster=cluster).order_by("code"))
    status = {
        (a.province_id, a.round_id): a
        for a in Assessment.objects.filter(province__in=provinces, round__in=rounds).only(
            "pk", "province_id", "round_id", "status"
        )
    }
    for round in rounds:
        for province in provinces:
            assessment = status.get((province.pk, round.pk))
            if assessment is not None and assessment.status in DONE_STATUSES:
                continue
            group.items.append(
                TodoItem(
                    title=f"{province.name} · {round}",
                    url=_assessment_url(province, round),
                    due=_due(round.closes_on, days),
                    status=assessment.status_choice if assessment else None,
                )
            )
    group.total = len(group.items)
    return group


def _cluster_returned(cluster: Cluster, today: dt.date) -> TodoGroup:
    """The cluster's own strategies the advisor returned, the longest-waiting first."""
    returned_at = (
        StrategyReview.objects.filter(strategy=OuterRef("pk"), kind=ReviewKind.RETURNED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    strategies = (
        Strategy.objects.filter(cluster=cluster, status=StrategyStatus.RETURNED)
        .annotate(returned_at=Subquery(returned_at))
        .order_by("returned_at", "pk")
    )
    group = TodoGroup("cluster_returned", total=strategies.count())
    for strategy in strategies[:SHOWN]:
        group.items.append(
            TodoItem(
                title=strategy.title,
                url=reverse("strategy_detail", kwargs={"pk": strategy.pk}),
                days_waiting=_days_since(strategy.returned_at, today),
                status=strategy.status_choice,
            )
        )
    return group


def assessment_queue(user: User, today: dt.date) -> QueueSummary:
    """The assessment review queue by age; ``total`` is the review queue page's count, ``current_round`` the
    national dashboard's."""
    queue = readiness_selectors.review_queue(user=user)
    current = readiness_selectors.current_round()
    numbers = queue.aggregate(
        total=Count("pk"),
        current_round=Count("pk", filter=Q(round=current)) if current else Count("pk", filter=Q(pk__in=[])),
        overdue=Count("pk", filter=Q(submitted_at__lt=submitted_before(today))),
        oldest=Min("submitted_at"),
    )
    oldest = numbers["oldest"]
    return QueueSummary(
        url=reverse("review_queue"),
        total=numbers["total"],
        current_round=numbers["current_round"],
        earlier_rounds=numbers["total"] - numbers["current_round"],
        within_due=numbers["total"] - numbers["overdue"],
        overdue=numbers["overdue"],
        oldest_days=_days_since(oldest, today),
    )


def strategy_queue(user: User, today: dt.date) -> QueueSummary:
    """The strategy review queue by age (proposed strategies, waiting since they were last proposed), with the
    strategy review queue page's count."""
    proposed = (
        StrategyReview.objects.filter(strategy=OuterRef("pk"), kind=ReviewKind.PROPOSED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    limit = timezone.make_aware(dt.datetime.combine(today, dt.time.min)) - dt.timedelta(
        days=strategy_review_due_days()
    )
    numbers = (
        visible_strategies(user)
        .filter(status=StrategyStatus.PROPOSED)
        # A strategy imported as proposed has no "proposed" entry: its last change stands for it.
        .annotate(waiting_since=Coalesce(Subquery(proposed), "updated_at"))
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(waiting_since__lt=limit)),
            oldest=Min("waiting_since"),
        )
    )
    return QueueSummary(
        url=reverse("strategy_review_queue"),
        total=numbers["total"],
        current_round=numbers["total"],
        within_due=numbers["total"] - numbers["overdue"],
        overdue=numbers["overdue"],
        oldest_days=_days_since(numbers["oldest"], today),
    )


def todo_for(user: User, *, today: dt.date | None = None) -> Todo | None:
    """The user's to-do, or None for a user with no work of this kind (administrators, users without a role)."""
    today = today or timezone.localdate()
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER and scope and (province := scope.province) is not None:
        todo, days = Todo(role=role, today=today), WorkingDayCounter(today)
        todo.groups.extend(_planner_assessments(province, _open_rounds(), days))
        todo.groups.append(_awaiting_reply(province, today))
        todo.groups.extend(_progress_due(province, days))
        return todo
    if role == Role.SECRETARIAT and scope and (cluster := scope.cluster) is not None:
        todo, days = Todo(role=role, today=today), WorkingDayCounter(today)
        todo.groups.append(_members_not_submitted(cluster, _open_rounds(), days))
        todo.groups.append(_cluster_returned(cluster, today))
        todo.groups.append(_awaiting_reply(cluster, today))
        todo.groups.extend(_progress_due(cluster, days))
        return todo
    if role is not None and can_review(user):  # the advisors, who review (and so have a role)
        todo = Todo(role=role, today=today)
        todo.queues = [assessment_queue(user, today), strategy_queue(user, today)]
        return todo
    return None
