"""Reads for decision support. Every function runs a fixed number of queries, whatever the number of
strategies, projects or provinces (tests assert it): the overlap finder, budget reach and gap coverage
all work on data loaded in bulk.

The cluster tab, the national summary, the ``find_overlaps`` command and the briefings call these."""

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from provinces import dataversion
from provinces.access import visible_provinces
from provinces.models import Cluster, Province
from provinces.thai import thai_sort_key
from readiness.choices import RoundStatus
from readiness.models import Assessment, Indicator, Round
from strategies import embeddings
from strategies.access import visible_strategies
from strategies.choices import StrategyStatus
from strategies.models import BudgetEnvelope, OverlapDecision, OverlapVerdict, Project, Strategy

from . import budget, gaps, overlaps, semantic

# --- settings -----------------------------------------------------------------------------------------


def overlap_threshold() -> float:
    return float(getattr(settings, "OVERLAP_THRESHOLD", overlaps.DEFAULT_THRESHOLD))


def semantic_threshold() -> float:
    return float(getattr(settings, "SEMANTIC_OVERLAP_THRESHOLD", semantic.DEFAULT_THRESHOLD))


def finder_measured() -> dict[str, float]:
    """How the overlap finder did on the latest held-out set (semantic.MEASURED_*), for the pages to say."""
    return {"precision": semantic.MEASURED_GROUP_PRECISION, "recall": semantic.MEASURED_GROUP_RECALL}


def gap_threshold() -> float:
    return float(getattr(settings, "GAP_THRESHOLD", gaps.DEFAULT_THRESHOLD))


# --- strategies ---------------------------------------------------------------------------------------


def strategies_in(*, fiscal_year: int | None = None, clusters: Iterable[Cluster] | None = None) -> QuerySet:
    """Live (not dropped) strategies of the clusters (their own and their members'), with what the finder,
    the gap check and the page need: two queries when evaluated."""
    qs = (
        Strategy.objects.exclude(status=StrategyStatus.DROPPED)
        .select_related("province", "province__cluster", "cluster")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.only("id", "code", "dimension")))
        .order_by("pk")
    )
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if clusters is not None:
        ids = [c.pk for c in clusters]
        qs = qs.filter(Q(cluster_id__in=ids) | Q(province__cluster_id__in=ids))
    return qs


def cluster_code_of(s: Strategy) -> str:
    if s.cluster_id:
        return s.cluster.code
    return s.province.cluster.code if s.province.cluster_id else ""


def owner_code(s: Strategy) -> str:
    return s.province.code if s.province_id else s.cluster.code


def doc_of(s: Strategy) -> overlaps.Doc:
    title, summary = embeddings.text_of(s)  # the text its stored vector was computed from
    return overlaps.Doc(
        id=s.pk,
        cluster=cluster_code_of(s),
        fiscal_year=s.fiscal_year,
        owner=owner_code(s),
        title=title,
        summary=summary,
        ref=s.external_ref,
        pillar=s.pillar,
        work_area=s.work_area,
        dimensions=frozenset(s.dimensions) | {i.dimension for i in s.indicators.all()},
    )


def decided_pairs(
    *, fiscal_year: int | None = None, clusters: Iterable[Cluster] | None = None
) -> set[frozenset[int]]:
    qs = OverlapDecision.objects.all()
    if fiscal_year is not None:
        qs = qs.filter(strategy_a__fiscal_year=fiscal_year)
    if clusters is not None:
        ids = [c.pk for c in clusters]
        qs = qs.filter(Q(strategy_a__cluster_id__in=ids) | Q(strategy_a__province__cluster_id__in=ids))
    return {frozenset(pair) for pair in qs.values_list("strategy_a_id", "strategy_b_id")}


def overlap_finding(
    *,
    cluster: Cluster | None = None,
    fiscal_year: int | None = None,
    strategies: list[Strategy] | None = None,
    threshold: float | None = None,
) -> semantic.Finding:
    """Groups of overlapping strategies not yet decided on, of one cluster or all, one fiscal year or all,
    by the combined rule (decision/semantic.py) over the STORED vectors — nothing is encoded here; a
    strategy without a current vector is matched by words alone. Four queries (strategies, their
    indicators, the decisions, the vectors), or two when ``strategies`` are given. ``threshold`` is the
    lexical one (OVERLAP_THRESHOLD); the blend's is SEMANTIC_OVERLAP_THRESHOLD."""
    clusters = [cluster] if cluster else None
    if strategies is None:
        strategies = list(strategies_in(fiscal_year=fiscal_year, clusters=clusters))
    return semantic.find(
        [doc_of(s) for s in strategies],
        embeddings.vectors_for(strategies),
        threshold=semantic_threshold(),
        lexical_threshold=overlap_threshold() if threshold is None else threshold,
        suppressed=decided_pairs(fiscal_year=fiscal_year, clusters=clusters),
    )


def overlap_groups(
    *,
    cluster: Cluster | None = None,
    fiscal_year: int | None = None,
    strategies: list[Strategy] | None = None,
    threshold: float | None = None,
) -> list[overlaps.Group]:
    """The groups of overlap_finding."""
    return overlap_finding(
        cluster=cluster, fiscal_year=fiscal_year, strategies=strategies, threshold=threshold
    ).groups


# --- budget reach -------------------------------------------------------------------------------------


def _envelope_at(
    envelopes: dict[int, list[tuple[int, Decimal]]], province_id: int, fy: int
) -> Decimal | None:
    """The envelope of the fiscal year, else of the latest earlier year (each list is sorted by year: a
    binary search, as every year of envelopes is loaded)."""
    years = envelopes.get(province_id, ())
    i = bisect.bisect_right(years, fy, key=lambda envelope: envelope[0])
    return years[i - 1][1] if i else None


def project_flags(projects: Iterable[Project | int] | QuerySet[Project]) -> dict[int, budget.Flag]:
    """project id → Flag, for the projects beyond one province's reach (others are absent).
    Five queries whatever the number of projects; the projects need nothing preloaded. A queryset is used
    as a subquery: the national summary's thousands of ids would cost more to send than to look up."""
    if isinstance(projects, QuerySet):
        ids = projects.values("pk")
    else:
        ids = [p if isinstance(p, int) else p.pk for p in projects]
        if not ids:
            return {}
    rows = list(Project.objects.filter(pk__in=ids).values("pk", "budget", "funding_source", "strategy_id"))
    if not rows:
        return {}
    # The strategies by their own keys, not joined: PostgreSQL would hash-join the whole strategy table,
    # a cost that grows with every year of strategies rather than with the projects asked about.
    strategy_ids = (
        Project.objects.filter(pk__in=ids).values("strategy_id")
        if isinstance(ids, QuerySet)
        else {r["strategy_id"] for r in rows}
    )
    owners = {
        s["pk"]: s
        for s in Strategy.objects.filter(pk__in=strategy_ids).values(
            "pk", "fiscal_year", "province_id", "province__code", "province__cluster_id", "cluster_id"
        )
    }
    for r in rows:
        owner = owners[r["strategy_id"]]
        r.update({f"strategy__{key}": owner[key] for key in owner if key != "pk"})
    where: dict[int, list[int | None]] = defaultdict(list)  # project → clusters of its provinces
    for project_id, cluster_id in Project.provinces.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "province__cluster_id"
    ):
        where[project_id].append(cluster_id)
    owner_clusters = {r["strategy__cluster_id"] for r in rows if r["strategy__cluster_id"]}
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, code, cluster_id in Province.objects.filter(cluster_id__in=owner_clusters).values_list(
        "pk", "code", "cluster_id"
    ):
        members[cluster_id].append((pk, code))
    needed = {r["strategy__province_id"] for r in rows if r["strategy__province_id"]}
    needed |= {pk for ms in members.values() for pk, _code in ms}
    max_fy = max(r["strategy__fiscal_year"] for r in rows)
    envelopes: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for province_id, year, amount in (
        BudgetEnvelope.objects.filter(province_id__in=needed, fiscal_year__lte=max_fy)
        .order_by("fiscal_year")
        .values_list("province_id", "fiscal_year", "amount")
    ):
        envelopes[province_id].append((year, amount))
    reach = budget.reach_settings()
    flags = {}
    for r in rows:
        fy = r["strategy__fiscal_year"]
        if r["strategy__province_id"]:
            envelope = _envelope_at(envelopes, r["strategy__province_id"], fy)
            envelope_province = r["strategy__province__code"] if envelope else ""
            owner_cluster = r["strategy__province__cluster_id"]
        else:
            owner_cluster = r["strategy__cluster_id"]
            candidates = [
                (amount, code)
                for pk, code in members[owner_cluster]
                if (amount := _envelope_at(envelopes, pk, fy)) is not None
            ]
            envelope, envelope_province = max(candidates) if candidates else (None, "")
        benefiting = sum(1 for c in where[r["pk"]] if owner_cluster and c == owner_cluster)
        flag = budget.assess(
            project_id=r["pk"],
            budget=r["budget"],
            funding_source=r["funding_source"],
            envelope=envelope,
            envelope_province=envelope_province,
            cluster_members_benefiting=benefiting,
            reach=reach,
        )
        if flag:
            flags[r["pk"]] = flag
    return flags


# --- gaps ---------------------------------------------------------------------------------------------


def round_for(fiscal_year: int) -> Round | None:
    """The round of that fiscal year (not one in preparation), else the current round."""
    from readiness.selectors import current_round

    return (
        Round.objects.exclude(status=RoundStatus.DRAFT).filter(fiscal_year=fiscal_year).first()
        or current_round()
    )


def official_readiness(round: Round | None, province_ids: Iterable[int] | None = None):
    """(province code → Readiness from the approved snapshot, the round's indicators). Two queries."""
    if round is None:
        return {}, []
    qs = Assessment.objects.filter(round=round, approved_snapshot__isnull=False).select_related(
        "approved_snapshot", "province"
    )
    if province_ids is not None:
        qs = qs.filter(province_id__in=list(province_ids))
    readiness = {}
    for a in qs:
        snap = a.approved_snapshot
        readiness[a.province.code] = gaps.Readiness(
            dimensions={d: getattr(snap, d) for d in gaps.DIMENSIONS},
            levels={code: (answer or {}).get("level") for code, answer in (snap.answers or {}).items()},
        )
    indicators = list(round.indicators.order_by("position", "code"))
    return readiness, indicators


def claim_of(s: Strategy) -> gaps.Claim:
    return gaps.Claim(
        id=s.pk,
        owner=owner_code(s),
        dimensions=frozenset(s.dimensions),
        indicators=frozenset(i.code for i in s.indicators.all()),
    )


# --- the pages ----------------------------------------------------------------------------------------


@dataclass
class StrategyRef:
    """A strategy as the decision pages show it: title and link only where the viewer may see it."""

    pk: int
    title: str
    ref: str
    owner: str  # the owner's name
    owner_code: str
    visible: bool
    is_cluster_owned: bool
    status: str = ""

    @property
    def url(self) -> str:
        return reverse("strategy_detail", args=[self.pk]) if self.visible else ""


def _ref(s: Strategy, visible: set[int] | None) -> StrategyRef:
    return StrategyRef(
        pk=s.pk,
        title=s.title,
        ref=s.external_ref,
        owner=s.owner.name,
        owner_code=owner_code(s),
        visible=visible is None or s.pk in visible,
        is_cluster_owned=bool(s.cluster_id),
        status=s.status,
    )


@dataclass
class GroupView:
    group: overlaps.Group
    items: list[StrategyRef]
    kinds: frozenset[str] = frozenset()  # why its pairs are reported: semantic.WORDS and/or semantic.MEANING

    @property
    def same_words(self) -> bool:
        return semantic.WORDS in self.kinds

    @property
    def similar_meaning(self) -> bool:
        return semantic.MEANING in self.kinds

    @property
    def ids(self) -> list[int]:
        return self.group.ids


@dataclass
class DecisionView:
    decision: OverlapDecision
    strategies: list[StrategyRef]
    merged_into: StrategyRef | None


@dataclass
class FlagView:
    project: Project
    strategy: StrategyRef
    flag: budget.Flag


@dataclass
class GapView:
    gap: gaps.Gap
    covered: list[StrategyRef]
    partly: list[StrategyRef]


@dataclass
class UnitView:
    code: str
    name: str
    has_data: bool
    show_indicators: bool  # indicator levels of a province the viewer may not see stay hidden
    gaps: list[GapView]
    uncovered: int


@dataclass(frozen=True)
class DecisionRecord:
    """The finder measured on real plans by the decisions people took, counted in pairs of strategies."""

    shown_overlap: int = 0  # pairs the finder showed together, decided "merged"
    shown_not_overlap: int = 0  # … decided "not an overlap"
    not_shown: int = 0  # overlaps people recorded that the finder had not shown

    @property
    def shown_decided(self) -> int:
        return self.shown_overlap + self.shown_not_overlap

    @classmethod
    def of(cls, rows: Iterable[tuple[bool, str, int]]) -> "DecisionRecord":
        """From (shown_by_finder, decision, number of pairs) rows."""
        counts: dict[str, int] = defaultdict(int)
        for shown, decision, n in rows:
            merged = decision == OverlapVerdict.MERGED
            if shown:
                counts["shown_overlap" if merged else "shown_not_overlap"] += n
            elif merged:  # "not an overlap" for a pair nobody was shown says nothing of the finder
                counts["not_shown"] += n
        return cls(**counts)


@dataclass
class ClusterDecision:
    cluster: Cluster
    fiscal_year: int
    round: Round | None
    groups: list[GroupView] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    merge_targets: list[Strategy] = field(default_factory=list)
    # The strategies this viewer may open, by owner then title: what a decider picks from to record an
    # overlap the finder did not show (it finds only part of them; the tab says how much).
    pickable: list[StrategyRef] = field(default_factory=list)
    decision_record: DecisionRecord | None = None
    flagged: list[FlagView] = field(default_factory=list)
    cluster_gaps: UnitView | None = None
    province_gaps: list[UnitView] = field(default_factory=list)
    misdirected: list[StrategyRef] = field(default_factory=list)
    no_claims: list[StrategyRef] = field(default_factory=list)
    strategy_count: int = 0
    envelopes_known: int = 0  # members with a budget envelope up to this fiscal year
    lexical_only: int = 0  # strategies without a current meaning vector: matched by their words alone

    @property
    def needs_integrated_funding(self) -> int:
        return sum(1 for f in self.flagged if f.flag.needs_integrated_funding)

    @property
    def misdirected_count(self) -> int:
        return len(self.misdirected) + len(self.no_claims)

    @property
    def uncovered(self) -> int:
        units = [self.cluster_gaps, *self.province_gaps] if self.cluster_gaps else self.province_gaps
        return sum(u.uncovered for u in units)

    # The basis of the gap counts: members with approved figures (N of M) and those not yet known.
    @property
    def approved_count(self) -> int:
        return sum(1 for u in self.province_gaps if u.has_data)

    @property
    def member_count(self) -> int:
        return len(self.province_gaps)

    @property
    def not_known(self) -> list[str]:
        return [u.name for u in self.province_gaps if not u.has_data]


def decision_record(*, fiscal_year: int) -> DecisionRecord:
    """The decisions of every cluster in the fiscal year, counted (one query; counts only, no names)."""
    return DecisionRecord.of(
        OverlapDecision.objects.filter(strategy_a__fiscal_year=fiscal_year)
        .values_list("shown_by_finder", "decision")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _decisions(refs: dict[int, StrategyRef], fiscal_year: int, cluster: Cluster):
    """The decisions on this cluster's pairs, one entry per act (a group marked at once), newest first, and
    their record."""
    rows = list(
        OverlapDecision.objects.filter(strategy_a__fiscal_year=fiscal_year)
        .filter(Q(strategy_a__cluster=cluster) | Q(strategy_a__province__cluster=cluster))
        .select_related("by")
        .order_by("-at", "pk")
    )
    record = DecisionRecord.of((d.shown_by_finder, d.decision, 1) for d in rows)
    acts: dict[tuple, list[OverlapDecision]] = {}
    for d in rows:
        acts.setdefault((d.at, d.by_id, d.decision, d.merged_into_id, d.note), []).append(d)
    views = []
    for items in acts.values():
        ids = sorted({i for d in items for i in (d.strategy_a_id, d.strategy_b_id)})
        first = items[0]
        views.append(
            DecisionView(
                decision=first,
                strategies=[refs[i] for i in ids if i in refs],
                merged_into=refs.get(first.merged_into_id) if first.merged_into_id else None,
            )
        )
    return views, record


def _unit_view(unit: gaps.UnitGaps, name: str, refs, show_indicators: bool) -> UnitView:
    shown = [g for g in unit.gaps if show_indicators or g.kind == "dimension"]
    return UnitView(
        code=unit.unit,
        name=name,
        has_data=unit.has_data,
        show_indicators=show_indicators,
        gaps=[
            GapView(
                g, [refs[i] for i in g.covered_by if i in refs], [refs[i] for i in g.partly_by if i in refs]
            )
            for g in shown
        ],
        uncovered=sum(1 for g in shown if g.coverage == gaps.Coverage.UNCOVERED),
    )


@dataclass
class _ClusterFacts:
    """What the cluster's tab is computed from, the same for every viewer: cached by data version."""

    members: list[Province]
    strategies: list[Strategy]
    finding: semantic.Finding
    projects: list[Project]
    flags: dict[int, budget.Flag]
    envelopes_known: int
    round: Round | None
    report: gaps.GapReport


def _cluster_facts(cluster: Cluster, fiscal_year: int) -> _ClusterFacts:
    members = list(cluster.provinces.order_by("code"))
    strategies = list(strategies_in(fiscal_year=fiscal_year, clusters=[cluster]))
    # Overlaps: the same selector as the command.
    finding = overlap_finding(cluster=cluster, fiscal_year=fiscal_year, strategies=strategies)
    projects = list(
        Project.objects.filter(strategy_id__in=[s.pk for s in strategies])
        .prefetch_related(Prefetch("provinces", queryset=Province.objects.order_by("code")))
        .order_by("-budget", "pk")
    )
    round = round_for(fiscal_year)
    readiness, indicators = official_readiness(round, [m.pk for m in members])
    return _ClusterFacts(
        members=members,
        strategies=strategies,
        finding=finding,
        projects=projects,
        flags=project_flags(projects),
        # Without an envelope a province's projects are held to the absolute limit only: say for how many.
        envelopes_known=BudgetEnvelope.objects.filter(
            province__in=[m.pk for m in members], fiscal_year__lte=fiscal_year
        )
        .values("province_id")
        .distinct()
        .count(),
        round=round,
        report=gaps.gap_report(
            cluster=cluster.code,
            members=[m.code for m in members],
            readiness=readiness,
            indicators=[gaps.IndicatorInfo(i.code, i.dimension, i.name) for i in indicators],
            claims=[claim_of(s) for s in strategies],
            threshold=gap_threshold(),
        ),
    )


def _cached_facts(cluster: Cluster, fiscal_year: int) -> _ClusterFacts:
    return dataversion.cached(
        "decision-cluster",
        domains=DECISION_DATA,
        parts=(cluster.pk, fiscal_year, settings_key()),
        compute=lambda: _cluster_facts(cluster, fiscal_year),
    )


def shown_groups(*, cluster: Cluster, fiscal_year: int) -> list[frozenset[int]]:
    """The strategy ids of each group the cluster's tab shows now (the same cached finding)."""
    return [frozenset(g.ids) for g in _cached_facts(cluster, fiscal_year).finding.groups]


def cluster_decision(
    *, user: User | AnonymousUser, cluster: Cluster, fiscal_year: int, needs_only: bool = False
) -> ClusterDecision:
    """Everything the cluster's decision-support tab shows, in a fixed number of queries. The findings are
    computed once per version of the data (the same for every viewer); the viewer's scope then decides which
    strategies are named and linked, and whose projects are listed."""
    facts = _cached_facts(cluster, fiscal_year)
    strategies = facts.strategies
    ids = {s.pk for s in strategies}
    visible = set(
        visible_strategies(user)
        .filter(fiscal_year=fiscal_year)
        .filter(Q(cluster=cluster) | Q(province__cluster=cluster))
        .values_list("pk", flat=True)
    )
    refs = {s.pk: _ref(s, visible) for s in strategies}
    page = ClusterDecision(cluster=cluster, fiscal_year=fiscal_year, round=facts.round)
    page.strategy_count = len(strategies)
    finding = facts.finding
    page.groups = [
        GroupView(
            g,
            [refs[i] for i in g.ids],
            frozenset(finding.explained[p.key].kind for p in g.pairs if p.key in finding.explained),
        )
        for g in finding.groups
    ]
    page.lexical_only = len(finding.lexical_only & ids)
    page.decisions, page.decision_record = _decisions(refs, fiscal_year, cluster)
    page.merge_targets = [s for s in strategies if s.cluster_id == cluster.pk]
    page.pickable = sorted(
        (refs[s.pk] for s in strategies if s.pk in visible),
        key=lambda r: (not r.is_cluster_owned, thai_sort_key(r.owner), thai_sort_key(r.title)),
    )
    # Budget reach: the projects of the strategies this viewer sees.
    page.envelopes_known = facts.envelopes_known
    page.flagged = [
        FlagView(project=p, strategy=refs[p.strategy_id], flag=facts.flags[p.pk])
        for p in facts.projects
        if p.strategy_id in visible
        and p.pk in facts.flags
        and (not needs_only or facts.flags[p.pk].needs_integrated_funding)
    ]
    # Gaps.
    report = facts.report
    seeable = set(visible_provinces(user).filter(cluster=cluster).values_list("code", flat=True))
    names = {m.code: m.name for m in facts.members}
    page.cluster_gaps = _unit_view(report.cluster, cluster.name, refs, show_indicators=True)
    page.province_gaps = [_unit_view(u, names[u.unit], refs, u.unit in seeable) for u in report.provinces]
    page.misdirected = [refs[i] for i in report.misdirected]
    page.no_claims = [refs[i] for i in report.no_claims]
    return page


@dataclass
class NationalRow:
    cluster: Cluster
    strategies: int
    overlap_groups: int
    overlapping_strategies: int
    flagged: int
    needs_integrated_funding: int
    uncovered: int
    misdirected: int
    approved_count: int = 0  # members with approved figures: the basis of ``uncovered`` …
    member_count: int = 0  # … out of this many
    not_known: list[str] = field(default_factory=list)  # names of the members without them


SORT_KEYS = (
    "cluster",
    "strategies",
    "overlap_groups",
    "overlapping_strategies",
    "flagged",
    "needs_integrated_funding",
    "uncovered",
    "misdirected",
)


# What the decision-support results are computed from: strategies, projects, envelopes and decisions; the
# approved readiness; the provinces and clusters (provinces.dataversion).
DECISION_DATA = ("strategies", "readiness", "provinces")


def settings_key() -> tuple:
    return (overlap_threshold(), semantic_threshold(), gap_threshold(), budget.reach_settings())


def national_summary(*, fiscal_year: int, sort: str = "cluster") -> list[NationalRow]:
    """Per-cluster counts for the whole country (advisors), sorted by ``sort`` (a SORT_KEYS entry, with a
    leading "-" for descending). The same for every advisor: computed once per version of the data it comes
    from (a fixed number of queries), then one query to check the version."""
    rows = list(
        dataversion.cached(
            "decision-national",
            domains=DECISION_DATA,
            parts=(fiscal_year, settings_key()),
            compute=lambda: _national_rows(fiscal_year),
        )
    )
    return _sorted_rows(rows, sort)


def _national_rows(fiscal_year: int) -> list[NationalRow]:
    clusters = list(Cluster.objects.order_by("code"))
    strategies = list(strategies_in(fiscal_year=fiscal_year))
    by_cluster: dict[str, list[Strategy]] = defaultdict(list)
    for s in strategies:
        if code := cluster_code_of(s):
            by_cluster[code].append(s)
    groups = overlap_groups(fiscal_year=fiscal_year, strategies=strategies)
    # The projects of those strategies (strategies_in: the year's, not dropped), as a queryset for the flags.
    chosen = Project.objects.filter(strategy__fiscal_year=fiscal_year).exclude(
        strategy__status=StrategyStatus.DROPPED
    )
    projects = list(chosen.values_list("pk", "strategy_id"))
    flags = project_flags(chosen)
    cluster_of_strategy = {s.pk: cluster_code_of(s) for s in strategies}
    flagged_by_cluster: dict[str, list[budget.Flag]] = defaultdict(list)
    for pk, strategy_id in projects:
        if flag := flags.get(pk):
            flagged_by_cluster[cluster_of_strategy.get(strategy_id)].append(flag)
    round = round_for(fiscal_year)
    readiness, indicators = official_readiness(round)
    infos = [gaps.IndicatorInfo(i.code, i.dimension, i.name) for i in indicators]
    members: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for p in (
        Province.objects.filter(cluster__isnull=False)
        .order_by("code")
        .only("code", "name_th", "name_en", "cluster_id")
    ):
        members[p.cluster_id].append(p.code)
        names[p.code] = p.name
    rows = []
    for c in clusters:
        mine = [g for g in groups if g.cluster == c.code]
        flagged = flagged_by_cluster[c.code]
        report = gaps.gap_report(
            cluster=c.code,
            members=members[c.pk],
            readiness=readiness,
            indicators=infos,
            claims=[claim_of(s) for s in by_cluster[c.code]],
            threshold=gap_threshold(),
        )
        rows.append(
            NationalRow(
                cluster=c,
                strategies=len(by_cluster[c.code]),
                overlap_groups=len(mine),
                overlapping_strategies=sum(len(g.members) for g in mine),
                flagged=len(flagged),
                needs_integrated_funding=sum(1 for f in flagged if f.needs_integrated_funding),
                uncovered=report.uncovered,
                misdirected=len(report.misdirected) + len(report.no_claims),
                approved_count=report.approved_count,
                member_count=report.member_count,
                not_known=[names[code] for code in report.not_known],
            )
        )
    return rows


def national_totals(rows: list[NationalRow]) -> dict[str, int]:
    """The whole country's line of the national summary: each count summed over the clusters."""
    keys = [k for k in SORT_KEYS if k != "cluster"] + ["approved_count", "member_count"]
    return {key: sum(getattr(r, key) for r in rows) for key in keys}


def _sorted_rows(rows: list[NationalRow], sort: str) -> list[NationalRow]:
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, sort = "cluster", "cluster"
    descending = sort.startswith("-")
    if key == "cluster":
        rows.sort(key=lambda r: r.cluster.code, reverse=descending)
    else:
        # Ties keep the cluster order whichever way the column is sorted.
        rows.sort(key=lambda r: (-getattr(r, key) if descending else getattr(r, key), r.cluster.code))
    return rows
