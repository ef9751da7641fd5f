"""Reads of the strategies app. Query counts are fixed, whatever the number of strategies (tests assert it)."""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.contrib.auth.models import User
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString

from provinces import dataversion
from provinces.models import Cluster, Province
from provinces.thai import fiscal_year as fiscal_year_of
from readiness.models import Indicator
from readiness.selectors import rounds as readiness_rounds

from . import embeddings
from .access import visibility_key, visible_strategies
from .charts import strategy_matrix
from .choices import FundingSource, StrategyStatus
from .deadlines import with_proposed_at
from .decision import semantic
from .matrix import LETTERS, QUADRANTS, SPLIT
from .models import Criterion, CriterionScore, ProgressNote, Project, Strategy, StrategyReview

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=17, decimal_places=2))


@dataclass
class StrategyFilters:
    fiscal_year: int | None = None
    cluster: Cluster | None = None
    province: Province | None = None
    pillar: str = ""
    work_area: str = ""
    status: str = ""
    quadrant: str = ""
    include_members: bool = True  # a cluster's view includes its member provinces' strategies


def with_budget(qs: QuerySet[Strategy]) -> QuerySet[Strategy]:
    """``total_budget`` and ``project_count`` of each strategy, as subqueries rather than a GROUP BY over the
    joined projects: a page (LIMIT) then costs its own rows only, and count() needs no aggregation."""
    projects = Project.objects.filter(strategy=OuterRef("pk")).order_by().values("strategy")
    return qs.annotate(
        total_budget=Coalesce(Subquery(projects.annotate(total=Sum("budget")).values("total")), ZERO),
        project_count=Coalesce(Subquery(projects.annotate(n=Count("pk")).values("n")), 0),
    )


def with_quadrant(qs: QuerySet[Strategy]) -> QuerySet[Strategy]:
    """``shown_quadrant``: the quadrant ``Strategy.quadrant`` shows (the advisor's override, else the letter the
    two effects give, split as in matrix.py), in SQL so that lists filter and sort by it across pages."""
    by_effects = [
        When(
            (Q(asean_effect__gte=SPLIT) if q.asean_high else Q(asean_effect__lt=SPLIT))
            & (Q(national_effect__gte=SPLIT) if q.national_high else Q(national_effect__lt=SPLIT)),
            then=Value(q.letter),
        )
        for q in QUADRANTS.values()
    ]
    return qs.annotate(
        shown_quadrant=Case(
            When(~Q(override_quadrant=""), then=F("override_quadrant")), *by_effects, output_field=CharField()
        )
    )


def strategies_for(*, user: User, filters: StrategyFilters) -> QuerySet[Strategy]:
    """Visible strategies with owner, lineage, total budget and shown quadrant (one query)."""
    qs = with_quadrant(
        with_budget(visible_strategies(user).select_related("province", "cluster", "previous"))
    )
    if filters.fiscal_year:
        qs = qs.filter(fiscal_year=filters.fiscal_year)
    if filters.province:
        qs = qs.filter(province=filters.province)
    if filters.cluster:
        cond = Q(cluster=filters.cluster)
        if filters.include_members:
            cond |= Q(province__cluster=filters.cluster)
        qs = qs.filter(cond)
    if filters.pillar:
        qs = qs.filter(pillar=filters.pillar)
    if filters.work_area:
        qs = qs.filter(work_area=filters.work_area)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.quadrant in LETTERS:
        qs = qs.filter(shown_quadrant=filters.quadrant)
    return qs.order_by("-fiscal_year", "cluster__code", "province__code", "pk")


def fiscal_years() -> list[int]:
    return list(Strategy.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def default_fiscal_year() -> int:
    """This fiscal year if it has strategies, else the latest year that has, else this one."""
    current = fiscal_year_of(timezone.localdate())
    years = fiscal_years()
    return current if current in years or not years else years[0]


# What the advisor's queue lists: strategies waiting for review, and those returned to their owners.
REVIEW_STATUSES = (StrategyStatus.PROPOSED, StrategyStatus.RETURNED)


def review_queue(
    *,
    user: User,
    fiscal_year: int | None = None,
    cluster: Cluster | None = None,
    statuses: tuple[str, ...] = (StrategyStatus.PROPOSED,),
) -> QuerySet[Strategy]:
    """Visible strategies in ``statuses`` (by default those waiting for the advisor), oldest proposal first:
    ``waiting_since`` is when each was last proposed (its last change for one imported as proposed). A
    cluster's queue holds the cluster's own strategies and its member provinces'."""
    qs = visible_strategies(user).filter(status__in=statuses)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if cluster is not None:
        qs = qs.filter(Q(cluster=cluster) | Q(province__cluster=cluster))
    qs = with_quadrant(with_budget(with_proposed_at(qs.select_related("province", "cluster"))))
    return qs.annotate(waiting_since=Coalesce("proposed_at", "updated_at")).order_by("waiting_since", "pk")


def waiting_for_review(*, user: User, ids: set[int]) -> list[Strategy]:
    """Those of ``ids`` in the user's review queue (the ones they may endorse now)."""
    return list(review_queue(user=user).filter(pk__in=ids))


def indicators_for(fiscal_year: int) -> QuerySet[Indicator]:
    """The readiness indicators a strategy of that year can build on: its round's, else the latest earlier
    round's, else the first round's — never a round still in preparation."""
    published = readiness_rounds()
    round = (
        published.filter(fiscal_year__lte=fiscal_year).order_by("-fiscal_year").first()
        or published.order_by("fiscal_year").first()
    )
    return Indicator.objects.filter(round=round).order_by("position") if round else Indicator.objects.none()


def project_provinces(strategy: Strategy) -> QuerySet[Province]:
    """The provinces a project of this strategy may benefit: the owner cluster's members (a province's
    strategy: its cluster's), or the province alone when it is in no cluster (Bangkok)."""
    cluster_id = strategy.cluster_id or strategy.province.cluster_id
    if cluster_id:
        return Province.objects.filter(cluster_id=cluster_id)
    return Province.objects.filter(pk=strategy.province_id)


@dataclass
class FundingTotal:
    source: FundingSource
    amount: Decimal
    count: int


@dataclass
class StrategyPage:
    criteria: dict[str, list[tuple[Criterion, int | None]]]
    projects: list[Project]
    funding: list[FundingTotal]
    total_budget: Decimal
    reviews: list[StrategyReview]
    history: list = field(default_factory=list)
    carried_forward: list[Strategy] = field(default_factory=list)


def strategy_page(*, strategy: Strategy) -> StrategyPage:
    scores = {s.criterion_id: s.value for s in CriterionScore.objects.filter(strategy=strategy)}
    criteria: dict[str, list] = {"asean": [], "national": []}
    for c in Criterion.objects.filter(Q(active=True) | Q(pk__in=scores)).order_by("axis", "position", "code"):
        criteria[c.axis].append((c, scores.get(c.pk)))
    projects = list(
        strategy.projects.prefetch_related(
            Prefetch("provinces", queryset=Province.objects.order_by("code")),
            Prefetch("notes", queryset=ProgressNote.objects.select_related("author").order_by("-on", "-pk")),
        ).order_by("pk")
    )
    totals: dict[str, list] = {}
    for p in projects:
        bucket = totals.setdefault(p.funding_source, [Decimal(0), 0])
        bucket[0] += p.budget
        bucket[1] += 1
    funding = [FundingTotal(FundingSource(k), v[0], v[1]) for k, v in totals.items()]
    funding.sort(key=lambda f: FundingSource.values.index(f.source.value))
    reviews = list(strategy.reviews.select_related("author", "reply_to__author").order_by("created_at", "pk"))
    history = list(strategy.history.select_related("history_user").order_by("-history_date")[:30])
    return StrategyPage(
        criteria=criteria,
        projects=projects,
        funding=funding,
        total_budget=sum((f.amount for f in funding), Decimal(0)),
        reviews=reviews,
        history=history,
        carried_forward=list(strategy.carried_forward.all()),
    )


def quadrant_counts(strategies) -> dict[str, int]:
    """How many strategies fall in each quadrant (the advisor's override counts). Given a queryset, only the
    three columns a quadrant comes from are read."""
    if isinstance(strategies, QuerySet):
        strategies = strategies.only("override_quadrant", "asean_effect", "national_effect")
    counts = dict.fromkeys(LETTERS, 0)
    for s in strategies:
        counts[s.quadrant] += 1
    return counts


@dataclass(frozen=True)
class MatrixFigure:
    """The matrix chart of the strategies a user sees and how many fall in each quadrant."""

    svg: SafeString
    counts: dict[str, int]
    total: int


def matrix_figure(
    *, user: User, filters: StrategyFilters, title: str, colour_by: str = "pillar", draggable: bool = False
) -> MatrixFigure:
    """The matrix of ``strategies_for(user, filters)``. Everyone who sees the same strategies sees the same
    picture, so it is computed once per version of the data (provinces.dataversion) for each such group of
    users and each choice of filters; the national matrix is then one query to check the version."""

    def compute() -> MatrixFigure:
        strategies = list(strategies_for(user=user, filters=filters))
        svg = strategy_matrix(strategies, title=title, colour_by=colour_by, draggable=draggable)
        return MatrixFigure(svg=svg, counts=quadrant_counts(strategies), total=len(strategies))

    chosen = (
        filters.fiscal_year,
        filters.cluster.pk if filters.cluster else None,
        filters.province.pk if filters.province else None,
        filters.pillar,
        filters.work_area,
        filters.status,
        filters.quadrant,
        filters.include_members,
    )
    return dataversion.cached(
        "strategy-matrix",
        domains=MATRIX_DATA,
        parts=(visibility_key(user), chosen, title, colour_by, draggable),
        compute=compute,
    )


# The strategies (with their projects' budgets) and the owners' names.
MATRIX_DATA = ("strategies", "provinces")


def quadrant_totals(*, user: User, fiscal_year: int) -> dict[str, int]:
    """How many of the year's strategies the user sees fall in each quadrant, once per version of the data
    for everyone who sees the same strategies."""
    return dataversion.cached(
        "quadrant-totals",
        domains=MATRIX_DATA,
        parts=(visibility_key(user), fiscal_year),
        compute=lambda: quadrant_counts(visible_strategies(user).filter(fiscal_year=fiscal_year)),
    )


@dataclass
class BriefingStrategies:
    """What a briefing prints about strategies: the strategies with their budgets, the advisor's decisions,
    and the projects. Four queries, however many strategies there are."""

    strategies: list[Strategy]
    decisions: list[StrategyReview]
    projects: list[Project]
    includes_unapproved: bool
    hidden: int = 0  # strategies of the subject the viewer may not see: counted, never listed

    @property
    def funding(self) -> list[FundingTotal]:
        totals: dict[str, list] = {}
        for p in self.projects:
            bucket = totals.setdefault(p.funding_source, [Decimal(0), 0])
            bucket[0] += p.budget
            bucket[1] += 1
        return [
            FundingTotal(FundingSource(k), v[0], v[1])
            for k, v in sorted(totals.items(), key=lambda kv: FundingSource.values.index(kv[0]))
        ]

    @property
    def total_budget(self) -> Decimal:
        return sum((p.budget for p in self.projects), Decimal(0))

    def by_quadrant(self) -> list[tuple[str, list[Strategy]]]:
        return [(letter, [s for s in self.strategies if s.quadrant == letter]) for letter in LETTERS]


# Strategies that count as approved for official documents.
APPROVED_STATUSES = (StrategyStatus.ENDORSED, StrategyStatus.IN_PROGRESS, StrategyStatus.DONE)


def _briefing_scope(
    qs: QuerySet[Strategy], *, province: Province | None, cluster: Cluster | None, include_unapproved: bool
) -> QuerySet[Strategy]:
    """The subject's live strategies (a province's own, a cluster's and its members', or the nation's), the
    approved ones only unless ``include_unapproved``."""
    qs = qs.exclude(status=StrategyStatus.DROPPED)
    if province is not None:
        qs = qs.filter(province=province)
    elif cluster is not None:
        qs = qs.filter(Q(cluster=cluster) | Q(province__cluster=cluster))
    if not include_unapproved:
        qs = qs.filter(status__in=APPROVED_STATUSES)
    return qs


def quadrant_years(
    *,
    user: User,
    until: int,
    province: Province | None = None,
    cluster: Cluster | None = None,
    include_unapproved: bool = False,
) -> list[tuple[int, dict[str, int]]]:
    """How the subject's strategies that ``user`` may see spread over the quadrants, year by year up to
    ``until``: (fiscal year, letter → count), oldest first. One query."""
    qs = _briefing_scope(
        visible_strategies(user).filter(fiscal_year__lte=until),
        province=province,
        cluster=cluster,
        include_unapproved=include_unapproved,
    )
    years: dict[int, dict[str, int]] = {}
    for row in with_quadrant(qs).values("fiscal_year", "shown_quadrant").annotate(n=Count("pk")).order_by():
        years.setdefault(row["fiscal_year"], dict.fromkeys(LETTERS, 0))[row["shown_quadrant"]] += row["n"]
    return sorted(years.items())


def briefing_strategies(
    *,
    user: User,
    fiscal_year: int,
    province: Province | None = None,
    cluster: Cluster | None = None,
    include_unapproved: bool = False,
) -> BriefingStrategies:
    """A province's own strategies, a cluster's and its members', or (neither given) the whole country's —
    those ``user`` may see, as on the strategy pages; ``hidden`` counts the others. Without
    ``include_unapproved`` only endorsed, in-progress and finished strategies count."""
    qs = _briefing_scope(
        Strategy.objects.filter(fiscal_year=fiscal_year),
        province=province,
        cluster=cluster,
        include_unapproved=include_unapproved,
    )
    visible = qs.filter(pk__in=visible_strategies(user).values("pk"))
    strategies = list(
        visible.select_related("province", "cluster", "previous", "override_by")
        .annotate(total_budget=Coalesce(Sum("projects__budget"), ZERO))
        .order_by("cluster__code", "province__code", "pk")
    )
    ids = [s.pk for s in strategies]
    decisions = list(
        StrategyReview.objects.filter(
            strategy_id__in=ids, kind__in=["endorsed", "returned", "override", "override_withdrawn"]
        )
        .select_related("author", "strategy")
        .order_by("created_at", "pk")
    )
    projects = list(
        Project.objects.filter(strategy_id__in=ids)
        .select_related("strategy", "strategy__province", "strategy__cluster")
        .prefetch_related(Prefetch("provinces", queryset=Province.objects.order_by("code")))
        .order_by("strategy_id", "pk")
    )
    return BriefingStrategies(
        strategies=strategies,
        decisions=decisions,
        projects=projects,
        includes_unapproved=any(s.status not in APPROVED_STATUSES for s in strategies),
        hidden=qs.count() - len(strategies),
    )


# --- other clusters' practice ----------------------------------------------------------------------------

PRACTICE_LIMIT = 5
# Below this cosine two strategies are hardly about the same thing: shown as nothing rather than as noise.
# Lower than the finder's cosine-alone threshold (0.48, docs/decision-support.md): related practice counts.
PRACTICE_MIN_COSINE = 0.40
PRACTICE_YEARS = 1  # fiscal years either side of the strategy's own


@dataclass
class Practice:
    """Strategies of other clusters close in meaning to one strategy (advisors' panel on its page)."""

    ready: bool  # the strategy has a current meaning vector (else nothing can be compared yet)
    strategies: list[Strategy] = field(default_factory=list)  # each with ``similarity``, best first
    compared: int = 0  # strategies of other clusters with a current vector in the years looked at


def with_progress(qs: QuerySet[Strategy]) -> QuerySet[Strategy]:
    """``mean_progress``: the mean progress (%) of each strategy's projects (0 without projects)."""
    projects = Project.objects.filter(strategy=OuterRef("pk")).order_by().values("strategy")
    return qs.annotate(
        mean_progress=Coalesce(Subquery(projects.annotate(p=Avg("progress")).values("p")), Value(0.0))
    )


def _practice_ranking(strategy: Strategy, limit: int) -> tuple[bool, list[tuple[int, float]], int]:
    """(has a current meaning, [(strategy id, cosine)] best first, how many were compared): the same for
    every viewer who sees the whole country. Two queries."""
    stored = embeddings.vectors_for([strategy]).get(strategy.pk)
    if stored is None:
        return False, [], 0
    own = semantic.as_meaning(stored).full  # the vector of the whole text, as stored for the others
    cluster_id = strategy.cluster_id or (strategy.province.cluster_id if strategy.province_id else None)
    others = (
        Strategy.objects.filter(
            fiscal_year__gte=strategy.fiscal_year - PRACTICE_YEARS,
            fiscal_year__lte=strategy.fiscal_year + PRACTICE_YEARS,
            embedding__isnull=False,
        )
        .exclude(status=StrategyStatus.DROPPED)
        .exclude(pk=strategy.pk)
    )
    if cluster_id is not None:
        # A province outside every cluster (Bangkok) has no cluster id: it stays, as "elsewhere".
        others = others.exclude(cluster_id=cluster_id).exclude(province__cluster_id=cluster_id)
    ids, vectors = [], []
    for s in others.only("pk", "title_th", "title_en", "summary_th", "summary_en").annotate(
        stored_hash=F("embedding__text_hash"), stored_vector=F("embedding__vector")
    ):
        vector = semantic.from_bytes(s.stored_vector)
        if vector is not None and s.stored_hash == embeddings.hash_of(s):  # a stale vector is not used
            ids.append(s.pk)
            vectors.append(vector)
    if not ids:
        return True, [], 0
    cosines = np.stack(vectors) @ own
    best = np.argsort(-cosines, kind="stable")[:limit]
    return True, [(ids[i], float(cosines[i])) for i in best if cosines[i] >= PRACTICE_MIN_COSINE], len(ids)


def practice_elsewhere(*, user: User, strategy: Strategy, limit: int = PRACTICE_LIMIT) -> Practice:
    """Up to ``limit`` live strategies of OTHER clusters (and of provinces in no cluster), of this fiscal
    year or the one before or after, nearest in meaning to ``strategy`` by the cosine of their STORED
    whole-text vectors — nothing is encoded here; a stale vector (of an older text) is not used. The
    ranking reads every vector of three fiscal years, so it is computed once per version of the data; then
    two queries whatever the number of strategies (the data version, the chosen few with owner, cluster,
    quadrant, budget and progress, as far as ``user`` may open them), four when it is computed."""
    ready, ranked, compared = dataversion.cached(
        "practice-elsewhere",
        domains=("strategies",),
        parts=(strategy.pk, limit, PRACTICE_YEARS, PRACTICE_MIN_COSINE),
        compute=lambda: _practice_ranking(strategy, limit),
    )
    if not ready:
        return Practice(ready=False)
    chosen = dict(ranked)
    rows = {
        s.pk: s
        for s in with_progress(
            with_quadrant(with_budget(visible_strategies(user).filter(pk__in=list(chosen))))
        ).select_related("province", "province__cluster", "cluster")
    } if chosen else {}  # fmt: skip
    found = []
    for pk, similarity in ranked:
        if (s := rows.get(pk)) is not None:
            s.similarity = similarity
            found.append(s)
    return Practice(ready=True, strategies=found, compared=compared)
