"""Reads of the readiness app. Each selector's query count is fixed, whatever the number of provinces,
indicators or answers (tests assert it)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Avg, Count, F, FloatField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from provinces import dataversion
from provinces.models import Cluster, Province
from provinces.thai import thai_sorted

from . import scoring
from .access import visible_assessments
from .choices import AssessmentStatus, Dimension, ReviewAction, RoundStatus
from .models import (
    Answer,
    ApprovalSnapshot,
    Assessment,
    Evidence,
    FrameworkChange,
    Indicator,
    ReviewComment,
    ReviewEvent,
    Round,
)

DIMENSIONS = scoring.DIMENSIONS


def rounds() -> QuerySet[Round]:
    return Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-fiscal_year")


def round_of_year(fiscal_year: int | None) -> Round | None:
    """The published round (not one in preparation) of that fiscal year, if there is one."""
    return rounds().filter(fiscal_year=fiscal_year).first() if fiscal_year else None


def assessment_of(*, province: Province, round: Round) -> Assessment | None:
    """The province's assessment of the round, with what its page shows."""
    return (
        Assessment.objects.select_related("province", "province__cluster", "round", "approved_snapshot")
        .filter(province=province, round=round)
        .first()
    )


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
    grouped: dict[int, list[scoring.AggregateRow]] = {pk: [] for pk in assessment_ids}
    for row in rows:
        grouped[row["assessment_id"]].append(row)
    return {pk: scoring.from_aggregates(items) for pk, items in grouped.items()}


@dataclass(frozen=True)
class Figure:
    """What a province shows for a round in a view: its values, whether they are the official (approved)
    ones, and the status shown beside them."""

    values: dict  # place, product, people, overall, completeness; {} when there is nothing to show
    official: bool  # False when the values are unapproved (draft, submitted or returned)
    status: str  # an AssessmentStatus value, or "" when not started
    revising: bool = False  # official values while a newer version is being revised


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


def official_figure(assessment: Assessment | None) -> Figure:
    """A province's official figure for a round — THE definition, which every roll-up, count, badge, map,
    dashboard, export, API field and briefing goes through: the latest approved version (its snapshot),
    also while a newer version is being edited, submitted or returned; its status is then "approved".
    Without an approved version: no figures, and the assessment's own status."""
    if assessment is None:
        return Figure(values={}, official=True, status="")
    if assessment.approved_snapshot_id:
        return Figure(
            values=_snapshot_values(assessment.approved_snapshot),
            official=True,
            status=AssessmentStatus.APPROVED,
            revising=assessment.status != AssessmentStatus.APPROVED,
        )
    return Figure(values={}, official=True, status=assessment.status)


def shown_figure(assessment: Assessment | None, live: scoring.Scores | None) -> Figure:
    """The figure of a view that includes unapproved figures: the live scores (``live``) of an assessment
    that is not approved now, else the official figure."""
    if assessment is not None and live is not None and assessment.status != AssessmentStatus.APPROVED:
        return Figure(values=live.as_dict(), official=False, status=assessment.status)
    return official_figure(assessment)


@dataclass
class ScoreRow:
    """One province's readiness in a roll-up: this round, last round, and where the numbers come from."""

    province: Province
    assessment: Assessment | None
    values: dict[str, float | None]  # place, product, people, overall, completeness
    previous: dict[str, float | None] = field(default_factory=dict)
    official: bool = True  # False when the values are unapproved (draft, submitted or returned)
    status: str = ""  # the status shown with the values (see official_figure), "" when not started
    revising: bool = False  # official values while a newer version is being revised

    @property
    def scored(self) -> bool:
        """It has a score to average (a blank draft has completeness 0 and no score)."""
        return any(self.values.get(key) is not None for key in KEYS)

    @property
    def approved(self) -> bool:
        """Its values are approved ones: it counts as approved, and in the official averages."""
        return self.official and self.scored

    @property
    def status_choice(self) -> AssessmentStatus | None:
        return AssessmentStatus(self.status) if self.status else None

    def change(self, key: str) -> float | None:
        now, before = self.values.get(key), self.previous.get(key)
        return None if now is None or before is None else now - before


@dataclass
class Spread:
    """Mean, minimum, maximum and the lagging province of one dimension across a set of provinces. Fewer
    than two provinces compare with nobody: then there is no lagging province."""

    mean: float | None
    min: float | None
    max: float | None
    lagging: Province | None
    count: int


def _figures(assessments: list[Assessment], include_unapproved: bool) -> dict[int, Figure]:
    """province id → its figure in this view."""
    live = live_scores([a.pk for a in assessments]) if include_unapproved else {}
    return {a.province_id: shown_figure(a, live.get(a.pk)) for a in assessments}


def _with_snapshot(qs: QuerySet[Assessment], snapshot_answers: bool) -> QuerySet[Assessment]:
    qs = qs.select_related("approved_snapshot")
    # A snapshot's frozen answers are a few kilobytes of JSON each; roll-ups only need its scores.
    return qs if snapshot_answers else qs.defer("approved_snapshot__answers")


NOT_STARTED = Figure(values={}, official=True, status="")


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
    previous_figures = {}
    if before := previous_round(round):
        previous = list(_with_snapshot(Assessment.objects.filter(round=before, province_id__in=ids), False))
        previous_figures = _figures(previous, include_unapproved)
    now = _figures(current, include_unapproved)
    by_province = {a.province_id: a for a in current}
    rows = []
    for p in provinces:
        figure = now.get(p.pk, NOT_STARTED)
        rows.append(
            ScoreRow(
                province=p,
                assessment=by_province.get(p.pk),
                values=figure.values,
                official=figure.official,
                status=figure.status,
                revising=figure.revising,
                previous=previous_figures.get(p.pk, NOT_STARTED).values,
            )
        )
    return rows


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
        lagging=low[1] if len(pairs) > 1 else None,
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
        values = [c for r in self.rows if (c := r.values.get("completeness")) is not None]
        return mean(values) if values else None

    @property
    def approved_count(self) -> int:
        """Provinces with approved figures (official_figure): in an official view, exactly those averaged."""
        return sum(1 for r in self.rows if r.approved)

    @property
    def counted(self) -> int:
        """Provinces whose scores are in the means of this view: the approved ones, and the unapproved ones
        too when they are included."""
        return sum(1 for r in self.rows if r.scored)

    @property
    def compared(self) -> bool:
        """Two or more provinces are counted: only then is there a spread and a lagging province."""
        return self.counted > 1

    @property
    def complete(self) -> bool:
        """Every province of the roll-up is counted (a ranking marks the clusters where some are not)."""
        return self.counted == len(self.rows)


KEYS = [*DIMENSIONS, "overall"]


def _rollup(rows: list[ScoreRow]) -> Rollup:
    return Rollup(
        rows=rows,
        spreads={k: spread(rows, k) for k in KEYS},
        previous_spreads={k: spread(rows, k, previous=True) for k in KEYS},
    )


# What the figures and their roll-ups are computed from (provinces.dataversion).
READINESS_DATA = ("readiness", "provinces")


def cluster_rollup(
    *, cluster: Cluster, round: Round, include_unapproved: bool = False, snapshot_answers: bool = False
) -> Rollup:
    """Each member province side by side, with the cluster's mean, min, max and lagging province. The same
    for everyone who may see it, so computed once per version of the readiness data (the caller has decided
    whether the viewer may see unapproved figures)."""

    def compute() -> Rollup:
        members = list(cluster.provinces.order_by("code"))
        return _rollup(
            score_rows(
                members, round, include_unapproved=include_unapproved, snapshot_answers=snapshot_answers
            )
        )

    return dataversion.cached(
        "readiness-cluster",
        domains=READINESS_DATA,
        parts=(cluster.pk, round.pk, include_unapproved, snapshot_answers),
        compute=compute,
    )


@dataclass
class NationalRow:
    cluster: Cluster | None  # None: Bangkok, outside the clusters
    rollup: Rollup


@dataclass(frozen=True)
class NationalPicture:
    """Every province's figures (ordered by code), each cluster's roll-up (and Bangkok's), the nation's."""

    rows: list[ScoreRow]
    clusters: list[NationalRow]
    nation: Rollup


def _national(rows: list[ScoreRow]) -> NationalPicture:
    by_cluster: dict[int | None, list[ScoreRow]] = {}
    for row in rows:
        by_cluster.setdefault(row.province.cluster_id, []).append(row)
    clusters = {c.pk: c for c in Cluster.objects.select_related("lead_province").order_by("code")}
    national = [NationalRow(cluster=c, rollup=_rollup(by_cluster.get(pk, []))) for pk, c in clusters.items()]
    national.append(NationalRow(cluster=None, rollup=_rollup(by_cluster.get(None, []))))
    return NationalPicture(rows=rows, clusters=national, nation=_rollup(rows))


def national_picture(
    *, round: Round, include_unapproved: bool = False, snapshot_answers: bool = False
) -> NationalPicture:
    """The national figures of ``round``: the same for every viewer, so computed once per version of the
    readiness data; the pages then apply the viewer's scope (which provinces link, which counts show)."""

    def compute() -> NationalPicture:
        provinces = list(Province.objects.select_related("cluster").order_by("code"))
        return _national(
            score_rows(
                provinces, round, include_unapproved=include_unapproved, snapshot_answers=snapshot_answers
            )
        )

    return dataversion.cached(
        "readiness-national",
        domains=READINESS_DATA,
        parts=(round.pk, include_unapproved, snapshot_answers),
        compute=compute,
    )


def official_rollup(
    *, round: Round, province: Province | None = None, cluster: Cluster | None = None
) -> Rollup:
    """The approved figures of one province, of a cluster's members, or (neither given) of the nation."""
    if province is not None:
        return _rollup(score_rows([province], round))
    if cluster is not None:
        return cluster_rollup(cluster=cluster, round=round)
    return national_picture(round=round).nation


def national_rollup(
    *, round: Round, include_unapproved: bool = False, snapshot_answers: bool = False
) -> tuple[list[NationalRow], Rollup]:
    """The 18 clusters (and Bangkok) each with their spread, and the whole country's."""
    picture = national_picture(
        round=round, include_unapproved=include_unapproved, snapshot_answers=snapshot_answers
    )
    return picture.clusters, picture.nation


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
        "has_own_answers": any(a.is_own for a in answers),
        "framework_changes": framework_changes(assessment=assessment),
    }


def framework_changes(*, assessment: Assessment) -> list[FrameworkChange]:
    """Weight or rubric changes in the assessment's round while it was open, if the assessment is still
    scored live (not approved): its figures then rest on the changed framework. One query."""
    if assessment.status == AssessmentStatus.APPROVED:
        return []
    return list(
        FrameworkChange.objects.filter(round_id=assessment.round_id)
        .select_related("indicator", "changed_by")
        .order_by("-changed_at", "-pk")
    )


def submission_review(*, assessment: Assessment) -> dict:
    """What a planner confirms before submitting: the indicators still unanswered, and the answers copied
    from last round that nobody has reviewed (they count as answered: their level scores)."""
    answers = list(
        assessment.answers.select_related("indicator").order_by("indicator__position", "indicator__code")
    )
    return {
        "unanswered": [a for a in answers if a.level is None],
        "copied": [a for a in answers if a.copied_forward and a.level is not None],
        "total": len(answers),
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
    """The latest change of each recently changed answer in the province's assessments, newest first: an
    indicator saved many times (autosave) is listed once, with its latest state."""
    changes = Answer.history.filter(assessment__province=province, history_type="~")
    latest = (
        changes.filter(id=OuterRef("id")).order_by("-history_date", "-history_id").values("history_id")[:1]
    )
    return list(
        changes.filter(history_id=Subquery(latest))
        .select_related("history_user", "indicator", "assessment__round")
        .order_by("-history_date", "-history_id")[:limit]
    )


# What the advisor's queue lists: submissions waiting for review, and those returned to the province.
REVIEW_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


def review_queue(
    *,
    user: User,
    round: Round | None = None,
    cluster: Cluster | None = None,
    bangkok: bool = False,
    statuses: tuple[str, ...] = (AssessmentStatus.SUBMITTED,),
) -> QuerySet[Assessment]:
    """Assessments in ``statuses`` (by default those submitted and waiting for an advisor), oldest submission
    first; of one round, one cluster's provinces or Bangkok (which belongs to no cluster) if asked. The
    national dashboard's count is this queue's for the current round."""
    qs = visible_assessments(user).filter(status__in=statuses)
    if round is not None:
        qs = qs.filter(round=round)
    if cluster is not None:
        qs = qs.filter(province__cluster=cluster)
    elif bangkok:
        qs = qs.filter(province__cluster__isnull=True)
    return qs.select_related("province", "province__cluster", "round").order_by("submitted_at", "pk")


# --- trends over the rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One round of a trend: the mean approved score of each dimension (and overall) over the provinces
    with approved figures that round, and how many they were."""

    fiscal_year: int
    values: dict[str, float | None]
    counted: int


def score_history(*, province_ids: list[int], until: Round) -> list[TrendPoint]:
    """The approved scores of these provinces in every published round up to ``until``, oldest first: a
    province counts in a round when it has approved figures there (the official rule of the pages). Two
    queries, however many rounds and provinces."""
    published = list(rounds().filter(fiscal_year__lte=until.fiscal_year).order_by("fiscal_year"))
    # Mappings, not the rows' own type: the averaged keys are named at run time.
    means: dict[int, Mapping[str, Any]] = {
        row["round__fiscal_year"]: row
        for row in Assessment.objects.filter(
            round__in=published, province_id__in=province_ids, approved_snapshot__isnull=False
        )
        .values("round__fiscal_year")
        .annotate(
            counted=Count("pk"),
            **{key: Avg(f"approved_snapshot__{key}") for key in KEYS},
        )
        .order_by()
    }
    return [
        TrendPoint(
            fiscal_year=r.fiscal_year,
            values={key: means.get(r.fiscal_year, {}).get(key) for key in KEYS},
            counted=means.get(r.fiscal_year, {}).get("counted", 0),
        )
        for r in published
    ]


# --- a province's indicators, for its briefing -----------------------------------------------------


@dataclass(frozen=True)
class IndicatorLevel:
    """One indicator of a province's assessment: this round's level beside last round's approved one, and
    how many files and links back it."""

    indicator: Indicator
    level: int | None
    previous: int | None
    evidence: int

    @property
    def change(self) -> int | None:
        return None if self.level is None or self.previous is None else self.level - self.previous


def indicator_levels(*, row: ScoreRow, round: Round) -> list[IndicatorLevel]:
    """The round's indicators for the province of ``row``, weakest first (unanswered ones last, ties in the
    framework's order). The levels are those of the row's figures: its approved snapshot's when they are
    official, the answers as they stand otherwise; last round's are its approved ones (matched by indicator
    code, which the framework keeps from round to round). Four queries at most."""
    indicators = round_indicators(round)
    current: dict[str, tuple[int | None, int]] = {}
    a = row.assessment
    if a is not None and row.official and (snapshot := a.approved_snapshot) is not None:
        current = {
            code: (answer.get("level"), len(answer.get("evidence") or []))
            for code, answer in (snapshot.answers or {}).items()
        }
    elif a is not None:
        answers = (
            Answer.objects.filter(assessment=a).select_related("indicator").annotate(files=Count("evidence"))
        )
        current = {answer.indicator.code: (answer.level, answer.files) for answer in answers}
    previous: dict[str, int | None] = {}
    if before := previous_round(round):
        last = (
            Assessment.objects.filter(round=before, province=row.province, approved_snapshot__isnull=False)
            .select_related("approved_snapshot")
            .first()
        )
        if last is not None and last.approved_snapshot is not None:
            previous = {
                code: answer.get("level") for code, answer in (last.approved_snapshot.answers or {}).items()
            }
    levels = [
        IndicatorLevel(
            indicator=i,
            level=current.get(i.code, (None, 0))[0],
            previous=previous.get(i.code),
            evidence=current.get(i.code, (None, 0))[1],
        )
        for i in indicators
    ]
    return sorted(
        levels, key=lambda x: (x.level is None, x.level or 0, x.indicator.position, x.indicator.code)
    )


# --- the advisor's review pages -----------------------------------------------------------------


def review_table(*, cluster: Cluster, round: Round) -> tuple[Rollup, list[int]]:
    """A cluster's assessments side by side, unapproved figures included, in Thai name order, and the ids of
    those submitted (what the advisor may approve)."""
    rollup = cluster_rollup(cluster=cluster, round=round, include_unapproved=True)
    rollup.rows = thai_sorted(rollup.rows, key=lambda r: r.province.name)
    submitted = [
        r.assessment.pk
        for r in rollup.rows
        if r.assessment and r.assessment.status == AssessmentStatus.SUBMITTED
    ]
    return rollup, submitted


def incomplete_among(rollup: Rollup, chosen: set[int]) -> list[ScoreRow]:
    """The chosen assessments not yet 100 % complete: the advisor confirms before approving them."""
    return [
        r
        for r in rollup.rows
        if r.assessment and r.assessment.pk in chosen and (r.values.get("completeness") or 0) < 1
    ]


def round_indicators(round: Round) -> list[Indicator]:
    return list(round.indicators.order_by("position", "code"))


def answers_by_indicator(assessment: Assessment) -> dict[int, Answer]:
    """The assessment's answers (with their evidence) by indicator id."""
    return {a.indicator_id: a for a in assessment.answers.prefetch_related("evidence")}
