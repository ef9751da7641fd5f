"""Reads of the strategies app. Query counts are fixed, whatever the number of strategies (tests assert it)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from provinces.models import Cluster, Province

from .access import visible_strategies
from .choices import FundingSource, StrategyStatus
from .matrix import LETTERS
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


def strategies_for(*, user: User, filters: StrategyFilters) -> QuerySet[Strategy]:
    """Visible strategies with owner, lineage and total budget (one query)."""
    qs = with_budget(visible_strategies(user).select_related("province", "cluster", "previous"))
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
    strategies = qs.order_by("-fiscal_year", "cluster__code", "province__code", "pk")
    if filters.quadrant in LETTERS:
        # The quadrant is derived (override or effects): filter in Python over one query's rows.
        return [s for s in strategies if s.quadrant == filters.quadrant]
    return strategies


def fiscal_years() -> list[int]:
    return list(Strategy.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct())


def review_queue(*, user: User) -> QuerySet[Strategy]:
    return (
        visible_strategies(user)
        .filter(status=StrategyStatus.PROPOSED)
        .select_related("province", "cluster")
        .annotate(total_budget=Coalesce(Sum("projects__budget"), ZERO))
        .order_by("updated_at")
    )


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
    qs = Strategy.objects.filter(fiscal_year=fiscal_year).exclude(status=StrategyStatus.DROPPED)
    if province is not None:
        qs = qs.filter(province=province)
    elif cluster is not None:
        qs = qs.filter(Q(cluster=cluster) | Q(province__cluster=cluster))
    if not include_unapproved:
        qs = qs.filter(status__in=APPROVED_STATUSES)
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
