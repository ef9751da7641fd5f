"""Reads of the readiness app. Each selector's query count is fixed, whatever the number of provinces,
indicators or answers (tests assert it)."""

import datetime as dt
from dataclasses import dataclass, field
from statistics import mean

from django.contrib.auth.models import User
from django.db.models import Count, F, FloatField, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from provinces.access import visible_provinces
from provinces.models import Cluster, Province

from . import scoring
from .choices import AssessmentStatus, Dimension, ReviewAction, RoundStatus
from .models import (
    Answer,
    ApprovalSnapshot,
    Assessment,
    Evidence,
    Indicator,
    ReviewComment,
    ReviewEvent,
    Round,
)

DIMENSIONS = scoring.DIMENSIONS


def rounds() -> QuerySet[Round]:
    return Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-fiscal_year")


def current_round() -> Round | None:
    """The open round, else the latest closed one."""
    return (
        Round.objects.filter(status=RoundStatus.OPEN).order_by("-fiscal_year").first()
        or Round.objects.filter(status=RoundStatus.CLOSED).order_by("-fiscal_year").first()
    )


def previous_round(round: Round) -> Round | None:
    return Round.objects.filter(fiscal_year__lt=round.fiscal_year).order_by("-fiscal_year").first()


def live_scores(assessment_ids: list[int]) -> dict[int, scoring.Scores]:
    """Current scores of many assessments in one aggregate query (see scoring.from_aggregates)."""
    answered = Q(level__isnull=False)
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids)
        .values("assessment_id", dimension=F("indicator__dimension"))
        .annotate(
            weighted_levels=Sum(
                Cast("indicator__weight", FloatField()) * Cast("level", FloatField()), filter=answered
            ),
            answered_weight=Sum(Cast("indicator__weight", FloatField()), filter=answered),
            answered=Count("pk", filter=answered),
            total=Count("pk"),
        )
        .order_by()
    )
    grouped: dict[int, list[dict]] = {pk: [] for pk in assessment_ids}
    for row in rows:
        grouped[row["assessment_id"]].append(row)
    return {pk: scoring.from_aggregates(items) for pk, items in grouped.items()}


@dataclass
class ScoreRow:
    """One province's readiness in a roll-up: this round, last round, and where the numbers come from."""

    province: Province
    assessment: Assessment | None
    values: dict[str, float | None]  # place, product, people, overall, completeness
    previous: dict[str, float | None] = field(default_factory=dict)
    official: bool = True  # False when the values are unapproved (draft, submitted or returned)

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else ""

    def change(self, key: str) -> float | None:
        now, before = self.values.get(key), self.previous.get(key)
        return None if now is None or before is None else now - before


@dataclass
class Spread:
    """Mean, minimum, maximum and the lagging province of one dimension across a set of provinces."""

    mean: float | None
    min: float | None
    max: float | None
    lagging: Province | None
    count: int


def _snapshot_values(snapshot: ApprovalSnapshot | None) -> dict:
    if snapshot is None:
        return {}
    return {
        "place": snapshot.place,
        "product": snapshot.product,
        "people": snapshot.people,
        "overall": snapshot.overall,
        "completeness": snapshot.completeness,
    }


def _values(assessments: list[Assessment], include_unapproved: bool) -> dict[int, tuple[dict, bool]]:
    """province id → (values, official). Official values come from the approved snapshot."""
    live = live_scores([a.pk for a in assessments]) if include_unapproved else {}
    result = {}
    for a in assessments:
        if include_unapproved and a.status != AssessmentStatus.APPROVED:
            result[a.province_id] = (live[a.pk].as_dict(), False)
        elif a.approved_snapshot_id:
            result[a.province_id] = (_snapshot_values(a.approved_snapshot), True)
    return result


def _with_snapshot(qs: QuerySet[Assessment], snapshot_answers: bool) -> QuerySet[Assessment]:
    qs = qs.select_related("approved_snapshot")
    # A snapshot's frozen answers are a few kilobytes of JSON each; roll-ups only need its scores.
    return qs if snapshot_answers else qs.defer("approved_snapshot__answers")


def score_rows(
    provinces: list[Province],
    round: Round,
    *,
    include_unapproved: bool = False,
    snapshot_answers: bool = False,
) -> list[ScoreRow]:
    """Rows for the given provinces in ``round``, with last round's values. Four or five queries in all.
    ``snapshot_answers`` also loads the approved snapshots' answers (the briefings' changes appendix)."""
    ids = [p.pk for p in provinces]
    current = list(
        _with_snapshot(Assessment.objects.filter(round=round, province_id__in=ids), snapshot_answers)
    )
    previous_values = {}
    if before := previous_round(round):
        previous = list(_with_snapshot(Assessment.objects.filter(round=before, province_id__in=ids), False))
        previous_values = _values(previous, include_unapproved)
    now = _values(current, include_unapproved)
    by_province = {a.province_id: a for a in current}
    return [
        ScoreRow(
            province=p,
            assessment=by_province.get(p.pk),
            values=now.get(p.pk, ({}, True))[0],
            official=now.get(p.pk, ({}, True))[1],
            previous=previous_values.get(p.pk, ({}, True))[0],
        )
        for p in provinces
    ]


def spread(rows: list[ScoreRow], key: str, *, previous: bool = False) -> Spread:
    scored = [(r.previous if previous else r.values).get(key) for r in rows]
    pairs = [(value, r.province) for value, r in zip(scored, rows, strict=True) if value is not None]
    if not pairs:
        return Spread(None, None, None, None, 0)
    low = min(pairs, key=lambda pair: (pair[0], pair[1].code))
    return Spread(
        mean=mean(v for v, _p in pairs),
        min=low[0],
        max=max(v for v, _p in pairs),
        lagging=low[1],
        count=len(pairs),
    )


@dataclass
class Rollup:
    """Province rows with the spread of each dimension now and last round."""

    rows: list[ScoreRow]
    spreads: dict[str, Spread]
    previous_spreads: dict[str, Spread]

    def change(self, key: str) -> float | None:
        """Mean change over the provinces that have a value in both rounds (comparing like with like)."""
        changes = [c for r in self.rows if (c := r.change(key)) is not None]
        return mean(changes) if changes else None

    @property
    def completeness(self) -> float | None:
        """Mean completeness of the assessments that have figures in this view."""
        values = [r.values["completeness"] for r in self.rows if r.values.get("completeness") is not None]
        return mean(values) if values else None

    @property
    def approved_count(self) -> int:
        return sum(1 for r in self.rows if r.assessment and r.assessment.status == AssessmentStatus.APPROVED)


KEYS = [*DIMENSIONS, "overall"]


def _rollup(rows: list[ScoreRow]) -> Rollup:
    return Rollup(
        rows=rows,
        spreads={k: spread(rows, k) for k in KEYS},
        previous_spreads={k: spread(rows, k, previous=True) for k in KEYS},
    )


def cluster_rollup(
    *, cluster: Cluster, round: Round, include_unapproved: bool = False, snapshot_answers: bool = False
) -> Rollup:
    """Each member province side by side, with the cluster's mean, min, max and lagging province."""
    members = list(cluster.provinces.order_by("code"))
    return _rollup(
        score_rows(members, round, include_unapproved=include_unapproved, snapshot_answers=snapshot_answers)
    )


@dataclass
class NationalRow:
    cluster: Cluster | None  # None: Bangkok, outside the clusters
    rollup: Rollup


def national_rollup(
    *,
    round: Round,
    include_unapproved: bool = False,
    snapshot_answers: bool = False,
    rows: list | None = None,
) -> tuple[list[NationalRow], Rollup]:
    """The 18 clusters (and Bangkok) each with their spread, and the whole country's. ``rows``: the score
    rows of every province (ordered by code) when the caller already has them."""
    if rows is None:
        provinces = list(Province.objects.select_related("cluster").order_by("code"))
        rows = score_rows(
            provinces, round, include_unapproved=include_unapproved, snapshot_answers=snapshot_answers
        )
    by_cluster: dict[int | None, list[ScoreRow]] = {}
    for row in rows:
        by_cluster.setdefault(row.province.cluster_id, []).append(row)
    clusters = {c.pk: c for c in Cluster.objects.select_related("lead_province").order_by("code")}
    national = [NationalRow(cluster=c, rollup=_rollup(by_cluster.get(pk, []))) for pk, c in clusters.items()]
    national.append(NationalRow(cluster=None, rollup=_rollup(by_cluster.get(None, []))))
    return national, _rollup(rows)


# --- the assessment page ------------------------------------------------------------------------


@dataclass
class AnswerView:
    answer: Answer
    indicator: Indicator
    previous_level: int | None
    comments: list[ReviewComment]
    changed_since_approval: dict | None = None  # {"level": (old, new), ...} when it differs from the snapshot


@dataclass
class DimensionGroup:
    dimension: Dimension
    items: list[AnswerView]
    score: scoring.DimensionScore


def _answer_state(answer: Answer) -> dict:
    return {
        "level": answer.level,
        "justification": answer.justification,
        "evidence": sorted(e.file.name or e.url for e in answer.evidence.all()),
    }


def assessment_entry(*, assessment: Assessment) -> dict:
    """Everything the assessment page shows, in a fixed number of queries."""
    answers = list(
        assessment.answers.select_related("indicator", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at", "pk")))
        .order_by("indicator__position", "indicator__code")
    )
    previous = (
        Assessment.objects.filter(
            province_id=assessment.province_id, round__fiscal_year__lt=assessment.round.fiscal_year
        )
        .order_by("-round__fiscal_year")
        .select_related("round")
        .first()
    )
    previous_levels = dict(previous.answers.values_list("indicator__code", "level")) if previous else {}
    events = list(assessment.events.select_related("by").order_by("at", "pk"))
    last_return = next((e for e in reversed(events) if e.action == ReviewAction.RETURNED), None)
    comments: dict[int, list[ReviewComment]] = {}
    if last_return and assessment.status == AssessmentStatus.RETURNED:
        for comment in last_return.comments.all():
            comments.setdefault(comment.indicator_id, []).append(comment)
    snapshot = assessment.approved_snapshot
    changed = 0
    items = []
    for answer in answers:
        diff = None
        if snapshot and assessment.status != AssessmentStatus.APPROVED:
            before = snapshot.answers.get(answer.indicator.code, {})
            now = _answer_state(answer)
            diff = {k: (before.get(k), now[k]) for k in now if before.get(k) != now[k]} or None
            changed += bool(diff)
        items.append(
            AnswerView(
                answer=answer,
                indicator=answer.indicator,
                previous_level=previous_levels.get(answer.indicator.code),
                comments=comments.get(answer.indicator_id, []),
                changed_since_approval=diff,
            )
        )
    scores = scoring.compute((a.indicator.dimension, a.indicator.weight, a.level) for a in answers)
    groups = [
        DimensionGroup(
            dimension=d,
            items=[i for i in items if i.indicator.dimension == d.value],
            score=scores.dimensions[d.value],
        )
        for d in Dimension
    ]
    return {
        "groups": groups,
        "scores": scores,
        "previous": previous,
        "events": events,
        "last_return": last_return if assessment.status == AssessmentStatus.RETURNED else None,
        "changed_since_approval": changed,
    }


def answer_view(*, answer: Answer) -> AnswerView:
    """One indicator's card after a save (the htmx partial)."""
    answer = (
        Answer.objects.select_related("indicator", "updated_by", "assessment__round")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at", "pk")))
        .get(pk=answer.pk)
    )
    previous_level = (
        Answer.objects.filter(
            assessment__province_id=answer.assessment.province_id,
            assessment__round__fiscal_year__lt=answer.assessment.round.fiscal_year,
            indicator__code=answer.indicator.code,
        )
        .order_by("-assessment__round__fiscal_year")
        .values_list("level", flat=True)
        .first()
    )
    return AnswerView(answer=answer, indicator=answer.indicator, previous_level=previous_level, comments=[])


def dimension_completeness(*, assessment: Assessment) -> scoring.Scores:
    return live_scores([assessment.pk])[assessment.pk]


# --- a planner's home ---------------------------------------------------------------------------


@dataclass
class DueItem:
    round: Round
    assessment: Assessment | None
    overdue: bool
    days_left: int
    return_event: ReviewEvent | None


def due_items(*, province: Province, today: dt.date | None = None) -> list[DueItem]:
    """Open rounds with this province's assessment state; returned ones with the advisor's comments."""
    today = today or timezone.localdate()
    open_rounds = list(Round.objects.filter(status=RoundStatus.OPEN).order_by("closes_on"))
    assessments = {a.round_id: a for a in Assessment.objects.filter(province=province, round__in=open_rounds)}
    returns = {}
    for event in (
        ReviewEvent.objects.filter(assessment__in=assessments.values(), action=ReviewAction.RETURNED)
        .select_related("by")
        .prefetch_related(Prefetch("comments", queryset=ReviewComment.objects.select_related("indicator")))
        .order_by("at")
    ):
        returns[event.assessment_id] = event  # the latest wins
    items = []
    for r in open_rounds:
        a = assessments.get(r.pk)
        done = a is not None and a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
        items.append(
            DueItem(
                round=r,
                assessment=a,
                overdue=not done and today > r.closes_on,
                days_left=(r.closes_on - today).days,
                return_event=returns.get(a.pk) if a and a.status == AssessmentStatus.RETURNED else None,
            )
        )
    return items


def recent_changes(*, province: Province, limit: int = 10) -> list:
    """The latest answer changes in the province's assessments, newest first."""
    return list(
        Answer.history.filter(assessment__province=province, history_type="~")
        .select_related("history_user", "indicator", "assessment__round")
        .order_by("-history_date")[:limit]
    )


def review_queue(*, user: User) -> QuerySet[Assessment]:
    """Submitted assessments waiting for an advisor, oldest first."""
    return (
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, province__in=visible_provinces(user))
        .select_related("province", "province__cluster", "round")
        .order_by("submitted_at")
    )
