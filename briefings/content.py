"""What goes into a briefing: the data, gathered once, and the sections built from it.

A document is a list of sections. Each section comes from one *section builder* — a function
``(BriefingData) -> Section | None`` listed in SECTION_BUILDERS, in document order. A builder returns
None when it has nothing to show (no cluster for Bangkok, nothing changed since approval, ...), so a section
appears only when its data exists. A later issue adds its section (strategies, projects, decision support)
by writing one builder and one template and inserting the builder in the list: the cover, the contents,
the numbering, the running header and the draft watermark follow by themselves.

Gathering costs a fixed number of queries, however many provinces, answers or changes there are (a test
counts them); every chart is drawn here, once per document, and the templates only place it.

A document is always made *for a viewer* — the user who requested it — and reads through the same
selectors and access rules as the pages that user would open: a subject they may not see is "no such
subject", and strategies (with their projects, budgets and advisors' notes) they would get a 404 for are
left out, the document saying how many.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from readiness import charts
from readiness import selectors as readiness
from readiness.choices import AssessmentStatus, Dimension
from readiness.models import Answer, Evidence, Round
from readiness.selectors import KEYS, NationalRow, Rollup, ScoreRow, spread
from strategies.charts import strategy_matrix
from strategies.matrix import QUADRANTS
from strategies.selectors import APPROVED_STATUSES, BriefingStrategies, briefing_strategies

from .access import Subject, may_include_unapproved, subject_for_user
from .choices import BriefingKind, Classification
from .printed_charts import printable


class BriefingDataError(Exception):
    """The briefing cannot be made from the data (unknown subject, no such round). The message is for users."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Meeting:
    """The meeting a briefing is for, printed on the cover (all optional; plain text, escaped when printed).
    ``classification`` (a Classification value) is printed on every page when set."""

    name: str = ""
    date: dt.date | None = None
    venue: str = ""
    classification: str = ""
    prepared_by: str = ""

    def __bool__(self) -> bool:
        return any([self.name, self.date, self.venue, self.classification, self.prepared_by])

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label) if self.classification else ""


@dataclass(frozen=True)
class BriefingSpec:
    """What to render: the same facts whether a job, a test or the command line asks."""

    kind: str
    subject: str
    fiscal_year: int
    language: str = "th"
    include_unapproved: bool = False
    sections: tuple[str, ...] = ()  # SECTION_KEYS chosen, in document order; empty: every section
    meeting: Meeting = field(default_factory=Meeting)

    @classmethod
    def of(cls, briefing) -> "BriefingSpec":
        return cls(
            kind=briefing.kind,
            subject=briefing.subject,
            fiscal_year=briefing.fiscal_year,
            language=briefing.language,
            include_unapproved=briefing.includes_unapproved,
            sections=parse_sections(briefing.sections),
            meeting=Meeting(
                name=briefing.meeting_name,
                date=briefing.meeting_date,
                venue=briefing.meeting_venue,
                classification=briefing.classification,
                prepared_by=briefing.prepared_by,
            ),
        )

    @property
    def options_key(self) -> str:
        """A digest of the chosen sections and the meeting ("" when neither is chosen): with the other
        facts, what makes two requests identical."""
        if not self.sections and not self.meeting:
            return ""
        m = self.meeting
        raw = json.dumps(
            [list(self.sections), m.name, m.date.isoformat() if m.date else "", m.venue, m.classification,
             m.prepared_by],
            ensure_ascii=False,
        )  # fmt: skip
        return hashlib.sha256(raw.encode()).hexdigest()

    def wants(self, key: str) -> bool:
        """Whether the section ``key`` was chosen ("" — a section outside the choice — always is)."""
        return not self.sections or not key or key in self.sections


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


@dataclass
class BriefingData:
    """Everything the builders read, gathered once. ``rollup`` holds the subject's provinces (one for a
    province briefing, the members for a cluster, all 77 for the nation); ``national`` the cluster rows of a
    national briefing."""

    spec: BriefingSpec
    subject: Subject
    round: Round
    previous_round: Round | None
    rollup: Rollup
    viewer: User
    national: list[NationalRow] = field(default_factory=list)
    strategies: "BriefingStrategies | None" = None

    @property
    def hidden_strategies(self) -> int:
        return self.strategies.hidden if self.strategies else 0

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def include_unapproved(self) -> bool:
        return self.spec.include_unapproved


@dataclass
class Document:
    spec: BriefingSpec
    subject: Subject
    subject_name: str
    round: Round
    previous_round: Round | None
    generated_at: dt.datetime
    sections: list[Section]
    is_draft: bool
    member_names: list[str]
    shows_map: bool = False  # a page with the map must print MAP_ATTRIBUTION in its footer


# --- shared helpers -------------------------------------------------------------------------------


def dimension_labels() -> dict[str, str]:
    return {d.value: str(d.label) for d in Dimension}


def _no_data_label(data: BriefingData) -> str:
    return _("no answer yet") if data.include_unapproved else _("no approved data")


def _rollup_of(rows: list[ScoreRow]) -> Rollup:
    return Rollup(
        rows=rows,
        spreads={k: spread(rows, k) for k in KEYS},
        previous_spreads={k: spread(rows, k, previous=True) for k in KEYS},
    )


# Printed widths of the charts (mm). The text column of an A4 page is 160 mm wide (see print.css).
FULL, WIDE = 160, 145
# The bars chart is compact (its viewBox about a phone's width): printed 80 mm wide, its text is about 9 pt.
BARS = 80


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
    spread: object  # readiness.selectors.Spread
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
        context |= {"row": row, "chart": _bars_chart(row, data)}
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


def province_profiles_section(data: BriefingData) -> Section | None:
    """A cluster briefing: each member province on its own, with the same chart as its province page."""
    if data.kind != BriefingKind.CLUSTER or not data.rollup.rows:
        return None
    profiles = [{"row": row, "chart": _bars_chart(row, data)} for row in data.rollup.rows]
    return Section(
        key="provinces",
        title=_("Member provinces"),
        template="briefings/pdf/province_profiles.html",
        context={"profiles": profiles},
        entries=[TocEntry(f"prov-{p['row'].province.code}", p["row"].province.name) for p in profiles],
    )


def cluster_position_section(data: BriefingData) -> Section | None:
    """A province briefing: where the province stands in its cluster (approved figures of every member)."""
    province = data.subject.unit
    if data.kind != BriefingKind.PROVINCE or province.cluster_id is None:
        return None
    cluster = province.cluster
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
    pages = []
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
        r
        for r in data.rollup.rows
        if r.assessment
        and r.assessment.approved_snapshot_id
        and r.assessment.status != AssessmentStatus.APPROVED
    ]
    if not candidates:
        return None
    answers = (
        Answer.objects.filter(assessment_id__in=[r.assessment.pk for r in candidates])
        .select_related("indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("added_at", "pk")))
        .order_by("indicator__position", "indicator__code")
    )
    by_assessment: dict[int, list[Answer]] = {}
    for answer in answers:
        by_assessment.setdefault(answer.assessment_id, []).append(answer)
    names = {"level": _("level"), "justification": _("justification"), "evidence": _("evidence")}
    changed = []
    for row in candidates:
        snapshot = row.assessment.approved_snapshot
        items = []
        for answer in by_assessment.get(row.assessment.pk, []):
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


def strategies_section(data: BriefingData) -> Section | None:
    """The ก ข ค ง matrix (the page's SVG), the strategies by quadrant, and the advisor's decisions."""
    found = data.strategies
    if found is None or not (found.strategies or found.hidden):
        return None
    year = data.round.fiscal_year
    matrix = (
        printable(
            strategy_matrix(
                found.strategies, title=_("Strategies, FY %(year)s") % {"year": year}, links=False
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
            "by_quadrant": found.by_quadrant(),
            "decisions": found.decisions,
            "overrides": overrides,
            "listed": data.kind != BriefingKind.NATIONAL,  # the nation's hundreds of rows: counts only
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
            context={"rows": rows},
        )  # fmt: skip
    if data.kind != BriefingKind.CLUSTER:
        return None
    # The cluster tab's selector, as the viewer: strategies they may not see come as references without a
    # title (the template prints "a strategy you cannot open"), their projects are not assessed.
    page = decision.cluster_decision(user=data.viewer, cluster=data.subject.unit, fiscal_year=year)
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
    return Section(
        key="decision",
        title=_("Decision support"),
        template="briefings/pdf/decision_cluster.html",
        context={
            "groups": groups,
            "flagged": flagged,
            "units": units,
            "threshold": decision.gap_threshold(),
            "basis": page,  # what the gaps rest on: N of M members approved, those not yet known
            "labels": dimension_labels(),
            "hidden": data.hidden_strategies,
        },
    )


# In document order. Add a builder here to add a section (see the module docstring).
SECTION_BUILDERS: list[Callable[[BriefingData], Section | None]] = [
    readiness_section,
    national_map_section,
    province_profiles_section,
    cluster_position_section,
    strategies_section,
    projects_section,
    decision_section,
    cluster_pages_section,
    changes_appendix,
]

APPENDIX_LETTERS = {"th": "กขคงจฉชซฌญ", "en": "ABCDEFGHIJ"}


def section_choices() -> list[tuple[str, str]]:
    """The sections a request may choose, in document order: (key, label). A section without data for the
    subject (a map in a province briefing, say) is simply absent, chosen or not."""
    return [
        ("summary", _("Executive summary")),
        ("readiness", _("Readiness for the ASEAN Community")),
        ("map", _("Map of readiness")),
        ("provinces", _("Member provinces")),
        ("cluster", _("Within the provincial cluster")),
        ("strategies", _("Strategies on the ASEAN-goal × national-interest matrix")),
        ("projects", _("Projects and budgets")),
        ("decision", _("Decision support")),
        ("clusters", _("The provincial clusters and Bangkok")),
        ("changes", _("What changed since the last approved version")),
    ]


SECTION_KEYS = ("summary", "readiness", "map", "provinces", "cluster", "strategies", "projects", "decision",
                "clusters", "changes")  # fmt: skip
# The key of each builder's section, so that a section not chosen costs nothing.
BUILDER_KEYS = {
    readiness_section: "readiness", national_map_section: "map", province_profiles_section: "provinces",
    cluster_position_section: "cluster", strategies_section: "strategies", projects_section: "projects",
    decision_section: "decision", cluster_pages_section: "clusters", changes_appendix: "changes",
}  # fmt: skip


def parse_sections(value: str | list | tuple | None) -> tuple[str, ...]:
    """A stored or typed choice of sections ("readiness,strategies") as SECTION_KEYS in document order; ()
    for every section (an empty choice, or all of them). Raises ValueError naming the unknown ones."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    wanted = {str(i).strip().lower() for i in items if str(i).strip()}
    unknown = wanted - set(SECTION_KEYS)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    chosen = tuple(k for k in SECTION_KEYS if k in wanted)
    return () if set(chosen) == set(SECTION_KEYS) else chosen


# --- gathering and building -----------------------------------------------------------------------


def gather(spec: BriefingSpec, *, viewer: User | AnonymousUser) -> BriefingData:
    """Load the data of a briefing as ``viewer`` may see it: subject, round, scores, strategies. A fixed
    number of queries for any subject. A subject the viewer may not see is no subject at all (as its page
    would be a 404), and unapproved figures need the same right as when requesting them."""
    subject = subject_for_user(viewer, spec.kind, spec.subject)
    if subject is None:
        raise BriefingDataError(_("There is no such province, cluster or country to brief on."))
    if spec.include_unapproved and not may_include_unapproved(viewer, subject):
        raise BriefingDataError(_("You may not include figures that are not yet approved for this subject."))
    round = readiness.rounds().filter(fiscal_year=spec.fiscal_year).first()
    if round is None:
        raise BriefingDataError(
            _("There is no readiness round for FY %(year)s.") % {"year": spec.fiscal_year}
        )
    include = spec.include_unapproved
    national: list[NationalRow] = []
    # The snapshots' answers too: the changes appendix compares them with the answers now.
    if spec.kind == BriefingKind.PROVINCE:
        rollup = _rollup_of(
            readiness.score_rows([subject.unit], round, include_unapproved=include, snapshot_answers=True)
        )
    elif spec.kind == BriefingKind.CLUSTER:
        rollup = readiness.cluster_rollup(
            cluster=subject.unit, round=round, include_unapproved=include, snapshot_answers=True
        )
    else:
        national, rollup = readiness.national_rollup(
            round=round, include_unapproved=include, snapshot_answers=True
        )
    return BriefingData(
        spec=spec,
        subject=subject,
        round=round,
        previous_round=readiness.previous_round(round),
        rollup=rollup,
        viewer=viewer,
        national=national,
        strategies=briefing_strategies(
            user=viewer,
            fiscal_year=spec.fiscal_year,
            province=subject.unit if spec.kind == BriefingKind.PROVINCE else None,
            cluster=subject.unit if spec.kind == BriefingKind.CLUSTER else None,
            include_unapproved=include,
        ),
    )


def build(data: BriefingData, builders=None) -> Document:
    """Run the section builders over the data; number the sections that have something to show. The
    executive summary goes first and reads what the other sections show (summary.py)."""
    from .summary import summary_section

    chosen = [b for b in (builders or SECTION_BUILDERS) if data.spec.wants(BUILDER_KEYS.get(b) or "")]
    sections = [s for builder in chosen if (s := builder(data)) is not None and data.spec.wants(s.key)]
    summary = summary_section(data, sections) if builders is None and data.spec.wants("summary") else None
    if summary is not None:
        sections.insert(0, summary)
    body = [s for s in sections if not s.appendix]
    for number, section in enumerate(body, start=1):
        section.number = str(number)
    letters = APPENDIX_LETTERS.get(data.spec.language, APPENDIX_LETTERS["en"])
    for letter, section in zip(letters, [s for s in sections if s.appendix], strict=False):
        section.number = letter
    members = [r.province.name for r in data.rollup.rows] if data.kind == BriefingKind.CLUSTER else []
    return Document(
        spec=data.spec,
        subject=data.subject,
        subject_name=data.subject.name,
        round=data.round,
        previous_round=data.previous_round,
        generated_at=timezone.localtime(),
        sections=body + [s for s in sections if s.appendix],
        is_draft=any(r.values and not r.official for r in data.rollup.rows)
        or bool(data.strategies and data.strategies.includes_unapproved),
        member_names=members,
        shows_map=any(s.key == "map" for s in sections),
    )


def document(spec: BriefingSpec, *, viewer: User | AnonymousUser) -> Document:
    """Gather and build for ``viewer``, in the briefing's language (names, labels and chart text follow it)."""
    with translation.override(spec.language):
        return build(gather(spec, viewer=viewer))
