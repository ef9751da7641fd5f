"""When strategy work is due.

- An advisor's review of a proposed strategy: ``settings.STRATEGY_REVIEW_DUE_DAYS`` calendar days (default 14)
  after it was last proposed.
- A project's progress report for each quarter of the Thai fiscal year (Q1 = October–December, Q2 = January–
  March, Q3 = April–June, Q4 = July–September): due on the quarter's last day. The report for a quarter is
  done when the project has a progress note dated in that quarter. Projects that are planned or in progress
  and run in the quarter's fiscal year (``start_fy`` ≤ FY ≤ ``end_fy``) owe one.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from provinces.thai import BE_OFFSET, fiscal_year

from .choices import ProjectStatus, ReviewKind, StrategyStatus
from .models import ProgressNote, Project, Strategy

DEFAULT_STRATEGY_REVIEW_DUE_DAYS = 14


def strategy_review_due_days() -> int:
    return int(getattr(settings, "STRATEGY_REVIEW_DUE_DAYS", DEFAULT_STRATEGY_REVIEW_DUE_DAYS))


def with_proposed_at(strategies: QuerySet[Strategy]) -> QuerySet[Strategy]:
    """Annotate ``proposed_at``: when each strategy was last proposed for review (its last "proposed" entry;
    None for one that never was)."""
    return strategies.annotate(
        proposed_at=Max("reviews__created_at", filter=Q(reviews__kind=ReviewKind.PROPOSED))
    )


def strategy_review_due_on(strategy: Strategy) -> dt.date | None:
    """The day by which an advisor should have endorsed or returned a proposed strategy; None when it is not
    waiting for review. Uses ``proposed_at`` when annotated (``with_proposed_at``), else one query."""
    if strategy.status != StrategyStatus.PROPOSED:
        return None
    if hasattr(strategy, "proposed_at"):
        proposed_at = strategy.proposed_at
    else:
        proposed_at = strategy.reviews.filter(kind=ReviewKind.PROPOSED).aggregate(at=Max("created_at"))["at"]
    # A strategy imported as proposed has no "proposed" entry: its last change stands for it.
    proposed_at = proposed_at or strategy.updated_at
    return timezone.localdate(proposed_at) + dt.timedelta(days=strategy_review_due_days())


def strategies_awaiting_review_overdue(day: dt.date) -> QuerySet[Strategy]:
    """Proposed strategies whose review due date is before ``day``, annotated with ``proposed_at``."""
    start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    limit = start_of_day - dt.timedelta(days=strategy_review_due_days())
    return (
        with_proposed_at(Strategy.objects.filter(status=StrategyStatus.PROPOSED))
        .filter(Q(proposed_at__lt=limit) | Q(proposed_at__isnull=True, updated_at__lt=limit))
        .select_related("province", "cluster")
    )


@dataclass(frozen=True)
class Quarter:
    """A quarter of a Thai fiscal year (B.E.)."""

    fiscal_year: int
    number: int  # 1..4

    @property
    def starts_on(self) -> dt.date:
        ce_year = self.fiscal_year - BE_OFFSET - (1 if self.number == 1 else 0)
        month = {1: 10, 2: 1, 3: 4, 4: 7}[self.number]
        return dt.date(ce_year, month, 1)

    @property
    def ends_on(self) -> dt.date:
        nxt = self.next()
        return nxt.starts_on - dt.timedelta(days=1)

    @property
    def due_on(self) -> dt.date:
        """The progress report for the quarter is due on its last day."""
        return self.ends_on

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.fiscal_year + 1, 1)
        return Quarter(self.fiscal_year, self.number + 1)

    def previous(self) -> "Quarter":
        if self.number == 1:
            return Quarter(self.fiscal_year - 1, 4)
        return Quarter(self.fiscal_year, self.number - 1)


def quarter_of(day: dt.date) -> Quarter:
    """The fiscal quarter ``day`` falls in (October–December is Q1 of the next B.E. fiscal year)."""
    number = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}[day.month]
    return Quarter(fiscal_year(day), number)


def projects_owing_report(quarter: Quarter) -> QuerySet[Project]:
    """Projects that owe a progress report for ``quarter`` and have no progress note dated in it."""
    reported = ProgressNote.objects.filter(on__range=(quarter.starts_on, quarter.ends_on)).values(
        "project_id"
    )
    return (
        Project.objects.filter(
            status__in=[ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS],
            start_fy__lte=quarter.fiscal_year,
            end_fy__gte=quarter.fiscal_year,
        )
        .exclude(strategy__status=StrategyStatus.DROPPED)
        .exclude(pk__in=reported)
        .select_related("strategy", "strategy__province", "strategy__cluster")
    )
