"""The sections of a briefing, each built from the gathered data (gather.py) by one *section builder*.

A builder is a function ``(BriefingData) -> Section | None`` listed in SECTION_BUILDERS, in document order. A
builder returns None when it has nothing to show (no cluster for Bangkok, nothing changed since approval, ...),
so a section appears only when its data exists. A later issue adds its section (strategies, projects, decision
support) by writing one builder and one template and inserting the builder in the list: the cover, the
contents, the numbering, the running header and the draft watermark follow by themselves (document.py).

Every chart is drawn here, once per document, and the templates only place it.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from provinces.models import Cluster
from provinces.thai import thai_sorted
from readiness import charts
from readiness import selectors as readiness
from readiness.choices import AssessmentStatus, Dimension
from readiness.models import Answer, Evidence
from readiness.selectors import KEYS, Rollup, ScoreRow, Spread
from strategies.charts import strategy_matrix
from strategies.choices import ReviewKind
from strategies.matrix import QUADRANTS
from strategies.models import Strategy
from strategies.selectors import APPROVED_STATUSES, quadrant_years

from .choices import BriefingKind
from .gather import BriefingData
from .printed_charts import printable


@dataclass
class TocEntry:
    anchor: str
    title: str


@dataclass
class Section:
    """One numbered part of the document, rendered by ``template`` with ``context`` (plus ``section``)."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    entries: list[TocEntry] = field(default_factory=list)  # sub-headings listed in the contents
    appendix: bool = False
    number: str = ""  # given by build(): 1, 2, ... and ก, ข, ... for appendices

    @property
    def anchor(self) -> str:
        return f"sec-{self.key}"


# --- shared helpers -------------------------------------------------------------------------------


def dimension_labels() -> dict[str, str]:
    return {d.value: str(d.label) for d in Dimension}


def _no_data_label(data: BriefingData) -> str:
    return _("no answer yet") if data.include_unapproved else _("no approved data")


# Printed widths of the charts (mm). The text column of an A4 page is 160 mm wide (see print.css).
FULL, WIDE = 160, 145
# The bars chart is compact (its viewBox about a phone's width): printed 80 mm wide, its text is about 9 pt.
BARS = 80
# Province profiles sit two to a row (a cluster's four provinces on one page, none alone on a page).
PROFILE_BARS = 74


def _spread_chart(rows: list[ScoreRow], title: str, no_data_label: str, width_mm: float = FULL) -> SafeString:
    svg = charts.cluster_spread(
        [{"code": r.province.code, "name": r.province.name, "values": r.values} for r in rows],
        labels=dimension_labels(),
        title=title,
        mean_label=_("mean"),
        no_data_label=no_data_label,
    )
    return printable(svg, width_mm=width_mm)


def _bars_chart(row: ScoreRow, data: BriefingData, width_mm: float = BARS) -> SafeString:
    svg = charts.dimension_bars(
        row.values,
        row.previous,
        labels=dimension_labels(),
        title=_("Readiness of %(province)s, FY %(year)s")
        % {"province": row.province.name, "year": data.round.fiscal_year},
        previous_label=_("last round"),
        no_data_label=_no_data_label(data),
    )
    return printable(svg, width_mm=width_mm)


@dataclass
class KeyFigure:
    """One line of a key-figures table: a dimension (or overall) across the provinces in view."""

    key: str
    label: str
    spread: Spread
    previous_mean: float | None
    change: float | None


def _key_figures(rollup: Rollup) -> list[KeyFigure]:
    labels = {**dimension_labels(), "overall": _("Overall")}
    return [
        KeyFigure(
            key=k,
            label=labels[k],
            spread=rollup.spreads[k],
            previous_mean=rollup.previous_spreads[k].mean,
            change=rollup.change(k),
        )
        for k in KEYS
    ]


# --- section builders -------------------------------------------------------------------------------


def readiness_section(data: BriefingData) -> Section | None:
    """Place / Product / People with last year's values, completeness, review status and the spread."""
    rollup = data.rollup
    year = data.round.fiscal_year
    context: dict = {
        "rollup": rollup,
        "figures": _key_figures(rollup),
        "dimensions": list(Dimension),
        "approved": rollup.approved_count,
        "total": len(rollup.rows),
    }
    if data.kind == BriefingKind.PROVINCE:
        row = rollup.rows[0]
        context |= {
            "row": row,
            "chart": _bars_chart(row, data),
            "indicators": readiness.indicator_levels(row=row, round=data.round),
        }
        template = "briefings/pdf/readiness_province.html"
    elif data.kind == BriefingKind.CLUSTER:
        title = _("%(cluster)s, FY %(year)s") % {"cluster": data.subject.name, "year": year}
        context["chart"] = _spread_chart(rollup.rows, title, _no_data_label(data), WIDE)
        template = "briefings/pdf/readiness_cluster.html"
    else:
        context |= {
            "clusters": data.national,
            "chart": _spread_chart(
                rollup.rows, _("All provinces, FY %(year)s") % {"year": year}, _no_data_label(data)
            ),
        }
        template = "briefings/pdf/readiness_national.html"
    return Section(
        key="readiness", title=_("Readiness for the ASEAN Community"), template=template, context=context
    )


def trends_section(data: BriefingData) -> Section | None:
    """Each dimension's approved score over every round up to this one — the province's own, the mean of the
    cluster's members or of the whole country — and how the strategies spread over the quadrants year by
    year. Absent while there is only one year to show."""
    history = readiness.score_history(
        province_ids=[r.province.pk for r in data.rollup.rows], until=data.round
    )
    years = quadrant_years(
        user=data.viewer,
        until=data.round.fiscal_year,
        province=data.subject.province,
        cluster=data.subject.cluster,
        include_unapproved=data.include_unapproved,
    )
    if sum(1 for p in history if p.counted) < 2 and len(years) < 2:
        return None
    title = _("%(unit)s: approved readiness, round by round") % {"unit": data.subject.name}
    chart = charts.trend_lines(
        [(p.fiscal_year, p.values) for p in history],
        labels=dimension_labels(),
        title=title,
        overall_label=_("overall"),
        no_data_label=_("no approved data"),
    )
    return Section(
        key="trends",
        title=_("Trends over the years"),
        template="briefings/pdf/trends.html",
        context={
            "chart": printable(chart, width_mm=FULL),
            "history": history,
            "mean": data.kind != BriefingKind.PROVINCE,
            "years": [(fy, counts, sum(counts.values())) for fy, counts in years],
            "letters": list(QUADRANTS),
            "dimensions": list(Dimension),
            "includes_unapproved": data.include_unapproved,
        },
    )


def province_profiles_section(data: BriefingData) -> Section | None:
    """A cluster briefing: each member province on its own, with the same chart as its province page."""
    if data.kind != BriefingKind.CLUSTER or not data.rollup.rows:
        return None
    profiles: list[dict[str, Any]] = [
        {"row": row, "chart": _bars_chart(row, data, PROFILE_BARS)} for row in data.rollup.rows
    ]
    return Section(
        key="provinces",
        title=_("Member provinces"),
        template="briefings/pdf/province_profiles.html",
        context={"profiles": profiles},
        entries=[TocEntry(f"prov-{p['row'].province.code}", p["row"].province.name) for p in profiles],
    )


def cluster_position_section(data: BriefingData) -> Section | None:
    """A province briefing: where the province stands in its cluster (approved figures of every member)."""
    province = data.subject.province
    cluster = province.cluster if province is not None else None
    if data.kind != BriefingKind.PROVINCE or cluster is None:
        return None
    rollup = readiness.cluster_rollup(cluster=cluster, round=data.round, include_unapproved=False)
    if not any(r.values for r in rollup.rows):
        return None
    title = _("%(cluster)s, FY %(year)s") % {"cluster": cluster.name, "year": data.round.fiscal_year}
    return Section(
        key="cluster",
        title=_("Within the provincial cluster"),
        template="briefings/pdf/cluster_position.html",
        context={
            "cluster": cluster,
            "rollup": rollup,
            "figures": _key_figures(rollup),
            "dimensions": list(Dimension),
            "province": province,
            "chart": _spread_chart(rollup.rows, title, _("no approved data"), WIDE),
        },
    )


def cluster_pages_section(data: BriefingData) -> Section | None:
    """A national briefing: one summary page per cluster, and one for Bangkok."""
    if data.kind != BriefingKind.NATIONAL:
        return None
    pages: list[dict[str, Any]] = []
    for item in data.national:
        rows = item.rollup.rows
        if item.cluster is None:
            if not rows:
                continue
            name, code = _("Bangkok"), "TH-10"
            chart = _bars_chart(rows[0], data)
        else:
            name, code = item.cluster.name, item.cluster.code
            title = _("%(cluster)s, FY %(year)s") % {"cluster": name, "year": data.round.fiscal_year}
            chart = _spread_chart(rows, title, _no_data_label(data), WIDE)
        pages.append(
            {
                "anchor": f"cl-{code}",
                "name": name,
                "code": code,
                "cluster": item.cluster,
                "rollup": item.rollup,
                "figures": _key_figures(item.rollup),
                "chart": chart,
            }
        )
    return Section(
        key="clusters",
        title=_("The provincial clusters and Bangkok"),
        template="briefings/pdf/cluster_pages.html",
        context={"pages": pages, "dimensions": list(Dimension)},
        entries=[TocEntry(p["anchor"], p["name"]) for p in pages],
    )


@dataclass
class ChangedAnswer:
    code: str
    name: str
    before: int | None
    now: int | None
    fields: list[str]  # which parts changed: level, justification, evidence
    justification: str


@dataclass
class ChangedAssessment:
    row: ScoreRow
    approved_at: dt.datetime
    count: int
    answers: list[ChangedAnswer]


def changes_appendix(data: BriefingData) -> Section | None:
    """What changed since the last approved version: assessments edited after approval, with the number of
    changed answers (and, when unapproved figures are included, which answers and how). Two queries."""
    # The same comparison as the assessment page ("changed since approval"), so both always agree.
    from readiness.selectors import _answer_state

    candidates = [
        (r, a)
        for r in data.rollup.rows
        if (a := r.assessment) and a.approved_snapshot_id and a.status != AssessmentStatus.APPROVED
    ]
    if not candidates:
        return None
    answers = (
        Answer.objects.filter(assessment_id__in=[a.pk for _r, a in candidates])
        .select_related("indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at", "pk")))
        .order_by("indicator__position", "indicator__code")
    )
    by_assessment: dict[int, list[Answer]] = {}
    for answer in answers:
        by_assessment.setdefault(answer.assessment_id, []).append(answer)
    names = {"level": _("level"), "justification": _("justification"), "evidence": _("evidence")}
    changed = []
    for row, assessment in candidates:
        snapshot = assessment.approved_snapshot
        assert snapshot is not None  # a candidate has one (approved_snapshot_id, above)
        items = []
        for answer in by_assessment.get(assessment.pk, []):
            before = snapshot.answers.get(answer.indicator.code, {})
            now = _answer_state(answer)
            diff = [k for k in now if before.get(k) != now[k]]
            if diff:
                items.append(
                    ChangedAnswer(
                        code=answer.indicator.code,
                        name=answer.indicator.name,
                        before=before.get("level"),
                        now=answer.level,
                        fields=[names[k] for k in diff],
                        justification=answer.justification if "justification" in diff else "",
                    )
                )
        if items:
            changed.append(
                ChangedAssessment(
                    row=row,
                    approved_at=snapshot.approved_at,
                    count=len(items),
                    answers=items if data.include_unapproved else [],
                )
            )
    if not changed:
        return None
    return Section(
        key="changes",
        title=_("What changed since the last approved version"),
        template="briefings/pdf/appendix_changes.html",
        context={"changed": changed, "details": data.include_unapproved},
        appendix=True,
    )


def national_map_section(data: BriefingData) -> Section | None:
    """The national briefing's map: the same choropleth as the map page (approved overall readiness)."""
    if data.kind != BriefingKind.NATIONAL:
        return None
    from readiness.map import readiness_map

    svg, legend = readiness_map(
        data.rollup.rows,
        measure="overall",
        visible=set(),  # a printed map links nowhere
        label=_("Overall readiness by province, FY %(year)s") % {"year": data.round.fiscal_year},
    )
    return Section(
        key="map",
        title=_("Map of readiness"),
        template="briefings/pdf/national_map.html",
        # 82 mm wide is 150 mm tall. The caption says which figures it colours (a draft's include unapproved).
        context={
            "map": printable(svg, width_mm=82),
            "legend": legend,
            "includes_unapproved": data.include_unapproved,
        },
    )


# On the national briefing each quadrant lists its largest strategies only, with the totals of the rest: the
# nation's hundreds of rows would bury the ones a governor's meeting discusses.
TOP_PER_QUADRANT = 10


@dataclass
class QuadrantKey:
    """One quadrant of the printed key: its numbered strategies, and its totals (with what is not listed)."""

    letter: str
    rows: list[tuple[int, Strategy]]
    count: int
    budget: Decimal
    more: int = 0
    more_budget: Decimal = Decimal(0)


def quadrant_key(by_quadrant: list[tuple[str, list[Strategy]]], *, top: int | None) -> list[QuadrantKey]:
    """Number the strategies quadrant by quadrant (ก first), all of them or the ``top`` by budget of each."""
    key, number = [], 0
    for letter, items in by_quadrant:
        shown = items if top is None else sorted(items, key=lambda s: (-s.total_budget, s.pk))[:top]  # type: ignore[attr-defined]  # annotated by briefing_strategies
        rows = []
        for strategy in shown:
            number += 1
            rows.append((number, strategy))
        listed = {s.pk for s in shown}
        rest = [s for s in items if s.pk not in listed]
        key.append(
            QuadrantKey(
                letter=letter,
                rows=rows,
                count=len(items),
                budget=sum((s.total_budget for s in items), Decimal(0)),  # type: ignore[attr-defined]  # annotated by briefing_strategies
                more=len(rest),
                more_budget=sum((s.total_budget for s in rest), Decimal(0)),  # type: ignore[attr-defined]  # annotated by briefing_strategies
            )
        )
    return key


@dataclass
class ClusterQuadrants:
    """One line of the national briefing's quadrants by cluster: how many strategies, and what budget, in
    each quadrant (letter → (count, budget))."""

    name: str
    cells: dict[str, tuple[int, Decimal]]
    count: int
    budget: Decimal


def quadrants_by_cluster(strategies: list[Strategy]) -> list[ClusterQuadrants]:
    """The strategies counted by owner cluster (a province's by its cluster; Bangkok's apart) and quadrant:
    a view of 400 strategies that stays legible. Clusters in Thai order, Bangkok last. One query."""
    clusters = {c.pk: c for c in Cluster.objects.all()}
    cells: dict[int | None, dict[str, list]] = {}
    for strategy in strategies:
        owner = strategy.cluster_id or (strategy.province.cluster_id if strategy.province else None)
        cell = cells.setdefault(owner, {letter: [0, Decimal(0)] for letter in QUADRANTS})[strategy.quadrant]
        cell[0] += 1
        cell[1] += strategy.total_budget  # type: ignore[attr-defined]  # annotated by briefing_strategies

    def line(name: str, counts: dict[str, list]) -> ClusterQuadrants:
        return ClusterQuadrants(
            name=name,
            cells={letter: (n, budget) for letter, (n, budget) in counts.items()},
            count=sum(n for n, _b in counts.values()),
            budget=sum((b for _n, b in counts.values()), Decimal(0)),
        )

    named = thai_sorted(
        (line(clusters[pk].name, counts) for pk, counts in cells.items() if pk is not None),
        key=lambda r: r.name,
    )
    return named + ([line(_("Bangkok (no cluster)"), cells[None])] if None in cells else [])


# An endorsement whose comment this many others share is a routine one: counted with its comment, not listed.
SAME_COMMENT = 3


def _decisions_summarised(decisions: list) -> dict:
    """The advisors' decisions as the briefing prints them. Routine endorsements — without a comment, or with
    a comment shared by SAME_COMMENT or more — are counted (at scale they are hundreds of identical rows);
    every other decision is listed."""

    def comment(d) -> str:
        return " ".join((d.text or "").split())

    comments = Counter(comment(d) for d in decisions if d.kind == ReviewKind.ENDORSED)
    routine = {text for text, n in comments.items() if not text or n >= SAME_COMMENT}
    listed = [d for d in decisions if d.kind != ReviewKind.ENDORSED or comment(d) not in routine]
    return {
        "decisions": listed,
        "routine": comments.get("", 0),
        "routine_comments": sorted(
            ((text, n) for text, n in comments.items() if text and text in routine), key=lambda tn: -tn[1]
        ),
    }


def strategies_section(data: BriefingData) -> Section | None:
    """The ก ข ค ง matrix (the page's SVG) with numbered points, the key to those numbers by quadrant, and the
    advisor's decisions."""
    found = data.strategies
    if found is None or not (found.strategies or found.hidden):
        return None
    year = data.round.fiscal_year
    by_quadrant = found.by_quadrant()
    key = quadrant_key(by_quadrant, top=TOP_PER_QUADRANT if data.kind == BriefingKind.NATIONAL else None)
    numbers = {s.pk: n for q in key for n, s in q.rows}
    matrix = (
        printable(
            strategy_matrix(
                found.strategies,
                title=_("Strategies, FY %(year)s") % {"year": year},
                links=False,
                numbers=numbers,
            ),
            width_mm=FULL,
        )
        if found.strategies
        else ""
    )
    overrides = [s for s in found.strategies if s.override_quadrant]
    return Section(
        key="strategies",
        title=_("Strategies on the ASEAN-goal × national-interest matrix"),
        template="briefings/pdf/strategies.html",
        context={
            "matrix": matrix,
            "by_quadrant": by_quadrant,
            "key": key,
            "top_only": data.kind == BriefingKind.NATIONAL,
            "by_cluster": quadrants_by_cluster(found.strategies)
            if data.kind == BriefingKind.NATIONAL
            else [],
            "top": TOP_PER_QUADRANT,
            **_decisions_summarised(found.decisions),
            "overrides": overrides,
            "quadrants": QUADRANTS,
            "includes_unapproved": data.include_unapproved,
            "hidden": found.hidden,
        },
    )


def projects_section(data: BriefingData) -> Section | None:
    """Budget totals by funding source, and each project's progress and KPI."""
    found = data.strategies
    if found is None or not found.projects:
        return None
    return Section(
        key="projects",
        title=_("Projects and budgets"),
        template="briefings/pdf/projects.html",
        context={
            "funding": found.funding,
            "total": found.total_budget,
            "projects": found.projects if data.kind != BriefingKind.NATIONAL else [],
            "hidden": found.hidden,
        },
    )


def decision_section(data: BriefingData) -> Section | None:
    """Overlaps to merge, projects beyond one province's budget, readiness gaps no strategy closes."""
    from strategies.decision import selectors as decision

    year = data.round.fiscal_year
    if data.kind == BriefingKind.NATIONAL:
        # Counts per cluster, as on the national tab; gather() has made sure the viewer sees the nation.
        rows = decision.national_summary(fiscal_year=year, sort="-uncovered")
        if not any(r.strategies for r in rows):
            return None
        return Section(
            key="decision", title=_("Decision support"), template="briefings/pdf/decision_national.html",
            context={"rows": rows, "record": decision.decision_record(fiscal_year=year)},
        )  # fmt: skip
    cluster = data.subject.cluster
    if data.kind != BriefingKind.CLUSTER or cluster is None:
        return None
    # The cluster tab's selector, as the viewer: strategies they may not see come as references without a
    # title (the template prints "a strategy you cannot open"), their projects are not assessed.
    page = decision.cluster_decision(user=data.viewer, cluster=cluster, fiscal_year=year)
    if not page.strategy_count:
        return None
    groups, flagged, units = (
        page.groups,
        page.flagged,
        [u for u in [page.cluster_gaps, *page.province_gaps] if u],
    )
    if not data.include_unapproved:

        def approved(ref) -> bool:
            return ref.status in APPROVED_STATUSES

        groups = [g for g in groups if all(approved(i) for i in g.items)]
        flagged = [f for f in flagged if approved(f.strategy)]
        for unit in units:
            for gap in unit.gaps:
                gap.covered = [r for r in gap.covered if approved(r)]
                gap.partly = [r for r in gap.partly if approved(r)]
    # Said in the document, so that an approved-only briefing's "none found" is not read as "there are none".
    groups_left_out = len(page.groups) - len(groups)
    return Section(
        key="decision",
        title=_("Decision support"),
        template="briefings/pdf/decision_cluster.html",
        context={
            "groups": groups,
            "groups_left_out": groups_left_out,
            "flagged": flagged,
            "units": units,
            "threshold": decision.gap_threshold(),
            "basis": page,  # what the gaps rest on: N of M members approved, those not yet known
            "measured": decision.finder_measured(),  # how often the overlap finder is right, and misses
            "record": page.decision_record,  # … and how it did on these plans, by the decisions taken
            "labels": dimension_labels(),
            "hidden": data.hidden_strategies,
        },
    )


# A section builder (see the module docstring).
type Builder = Callable[[BriefingData], Section | None]

# In document order. Add a builder here to add a section (see the module docstring).
SECTION_BUILDERS: list[Builder] = [
    readiness_section,
    trends_section,
    national_map_section,
    province_profiles_section,
    cluster_position_section,
    strategies_section,
    projects_section,
    decision_section,
    cluster_pages_section,
    changes_appendix,
]

# The key of each builder's section, so that a section not chosen costs nothing.
BUILDER_KEYS: dict[Builder, str] = {
    readiness_section: "readiness", trends_section: "trends", national_map_section: "map", province_profiles_section: "provinces",
    cluster_position_section: "cluster", strategies_section: "strategies", projects_section: "projects",
    decision_section: "decision", cluster_pages_section: "clusters", changes_appendix: "changes",
}  # fmt: skip
