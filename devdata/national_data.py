"""National-scale synthetic data for the benchmark (``make bench``) and the query-count tests (issue 9).

``generate(Plan.at_scale(seed))`` fills an empty database with what the whole country produces in five fiscal
years: 77 provinces × 5 rounds × 30 indicators of answers, evidence links, review events and comments, approval
snapshots, 2,000 strategies with their checklist scores and review threads, 8,000 projects with progress notes,
budget envelopes, and the simple-history rows that the real services would have written along the way.
``scale=10`` makes ten times the rounds (fiscal years), strategies and projects, and so ten times the
history; the provinces stay 77. Rounds go back from FY 2570 (the open one); fiscal years start at 2550, so
fifty rounds run 2550–2599 with 2599 open. Strategies are spread evenly over the rounds' years. Not generated:
uploaded files (evidence is links), briefings, overlap decisions, and the many-to-many history rows.

Deterministic: every random choice comes from ``random.Random`` seeded with the seed and a stable key (the
province and year, the strategy's owner and year), and every timestamp is derived from the round's dates,
never from the clock. ``fingerprint()`` hashes the generated data by natural keys (not primary keys), so two
runs with the same seed give the same fingerprint.

Fast: rows go in with ``bulk_create`` one fiscal year at a time (bounded memory); no per-row signals or
services. History rows are bulk-created with simple-history's ``bulk_history_create`` instead, with the dates
and users the real edits would have had. Derived values are computed with the app's own functions, so pages
show what the services would: assessment scores with ``readiness.scoring``, strategy effects with
``strategies.services.effect_from_scores`` (quadrants follow), versions count the saves.

Refuses to run over existing readiness or strategy data; ``reset()`` (``--reset``) deletes all of it first
(with raw deletes: the ORM would write a "deleted" history row per object). Never in production.
"""

import copy
import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import translation

from devdata.demo_decision import envelope_for
from devdata.demo_readiness import JUSTIFICATIONS
from provinces.choices import Role
from provinces.models import Cluster, Province, UserScope
from provinces.services import reference_data_load
from readiness import scoring
from readiness.choices import DIMENSIONS, AssessmentStatus, ReviewAction, RoundStatus
from readiness.models import (
    Answer,
    ApprovalSnapshot,
    Assessment,
    Evidence,
    Indicator,
    ReviewComment,
    ReviewEvent,
    Round,
)
from readiness.services import INDICATOR_COPY_FIELDS, framework_indicators
from strategies.choices import (
    Axis,
    FundingSource,
    PartnerSector,
    Pillar,
    ProjectStatus,
    ReviewKind,
    StrategyStatus,
    WorkArea,
)
from strategies.decision.benchmark import CLAUSES, SUBJECTS, VERBS
from strategies.matrix import LETTERS
from strategies.models import (
    BudgetEnvelope,
    Criterion,
    CriterionScore,
    ProgressNote,
    Project,
    Strategy,
    StrategyReview,
)
from strategies.services import effect_from_scores

BATCH = 2000
LATEST_YEAR = 2570  # the open round at national scale (the Thai fiscal year of late 2026)
FIRST_ALLOWED_YEAR = 2550  # rounds and strategies are checked to lie in 2550–2700
USER_PREFIX = "gen-"

# The three logins the benchmark uses (password: the --password option, default settings.DEMO_PASSWORD).
BENCH_USERS = {
    "planner": f"{USER_PREFIX}planner-TH-50",  # Chiang Mai
    "secretariat": f"{USER_PREFIX}secretariat-N-UP1",  # Upper Northern Cluster 1, Chiang Mai's
    "advisor": f"{USER_PREFIX}advisor-1",
}
ADVISORS = 3


@dataclass
class Plan:
    seed: int
    rounds: int = 5
    strategies: int = 2000
    projects: int = 8000

    @classmethod
    def at_scale(cls, seed: int, scale: int = 1, **overrides) -> "Plan":
        plan = cls(seed=seed, rounds=5 * scale, strategies=2000 * scale, projects=8000 * scale)
        for name, value in overrides.items():
            if value is not None:
                setattr(plan, name, value)
        if plan.rounds < 1 or plan.strategies < 0 or plan.projects < plan.strategies:
            raise ValueError("need at least one round, and at least one project per strategy")
        if plan.rounds > 2700 - FIRST_ALLOWED_YEAR:
            raise ValueError("too many rounds for the fiscal years 2550–2700")
        return plan

    @property
    def years(self) -> list[int]:
        """Fiscal years going back from 2570; when that would go below 2550, 2550 onwards instead."""
        last = max(LATEST_YEAR, FIRST_ALLOWED_YEAR + self.rounds - 1)
        return list(range(last - self.rounds + 1, last + 1))


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


# --- housekeeping ---------------------------------------------------------------------------------------

GENERATED_APPS = ("readiness", "strategies", "briefings", "notifications")


def has_data() -> bool:
    return Round.objects.exists() or Strategy.objects.exists() or Assessment.objects.exists()


def _tables() -> list[str]:
    """Every table of the readiness, strategies and briefings apps: models, history, many-to-many."""
    tables = []
    for label in GENERATED_APPS:
        for model in apps.get_app_config(label).get_models():
            tables.append(model._meta.db_table)
            tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many]
    return sorted(set(tables))


@transaction.atomic
def reset() -> None:
    """Delete all readiness, strategy and briefing data and the generated users. Raw deletes: the ORM would
    load every object and write a "deleted" history row for each. Foreign keys are deferred until commit
    (Django creates them so on PostgreSQL and SQLite), so the order does not matter."""
    from briefings.models import Briefing

    Briefing.objects.all().delete()  # through the ORM: its signal removes each rendered PDF too
    with connection.cursor() as cursor:
        for table in _tables():
            # Table names come from the models, quoted: nothing from outside reaches this statement.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
    # Few rows are left that point at these users (scopes, their history): the ORM is fine here.
    User.objects.filter(username__startswith=USER_PREFIX).delete()


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the timestamps we set: auto_now / auto_now_add would stamp every row with the
    moment of generation, and pages would show one instant of history. Restored afterwards."""
    fields = [
        f
        for model in (
            Assessment,
            Answer,
            Evidence,
            ReviewEvent,
            ApprovalSnapshot,
            Strategy,
            StrategyReview,
            Project,
        )  # fmt: skip
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _history(model, items: list[tuple], *, update: bool) -> int:
    """Bulk history rows. items: (instance, date, user, {field: value as it was then})."""
    rows = []
    for instance, when, user, then in items:
        row = copy.copy(instance)
        for name, value in then.items():
            setattr(row, name, value)
        row._history_date = when
        row._history_user = user
        rows.append(row)
    model.history.bulk_history_create(rows, batch_size=BATCH, update=update)
    return len(rows)


def _at(day: dt.date, days: float, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC) + dt.timedelta(days=days)


# --- users ----------------------------------------------------------------------------------------------


@dataclass
class Cast:
    planners: dict[str, User]  # province code → planner
    secretariats: dict[str, User]  # cluster code → secretariat
    advisors: list[User]


def _users(provinces: list[Province], clusters: list[Cluster], password: str, report: Report) -> Cast:
    """A planner per province, a secretariat per cluster, three advisors. One password hash for all (hashing
    a hundred passwords would take half a minute)."""
    hashed = make_password(password)
    specs = [(f"{USER_PREFIX}planner-{p.code}", Role.PLANNER, p, None) for p in provinces]
    specs += [(f"{USER_PREFIX}secretariat-{c.code}", Role.SECRETARIAT, None, c) for c in clusters]
    specs += [(f"{USER_PREFIX}advisor-{i}", Role.ADVISOR, None, None) for i in range(1, ADVISORS + 1)]
    users = User.objects.bulk_create(
        User(username=name, password=hashed, first_name=name.split("-")[1], last_name=name.split("-", 2)[2])
        for name, *_rest in specs
    )
    scopes = UserScope.objects.bulk_create(
        UserScope(user=u, role=role, province=p, cluster=c)
        for u, (_name, role, p, c) in zip(users, specs, strict=True)
    )
    UserScope.history.bulk_history_create(scopes, default_date=dt.datetime(2020, 10, 1, tzinfo=dt.UTC))
    report.add("users", len(users))
    by_name = {u.username: u for u in users}
    return Cast(
        planners={p.code: by_name[f"{USER_PREFIX}planner-{p.code}"] for p in provinces},
        secretariats={c.code: by_name[f"{USER_PREFIX}secretariat-{c.code}"] for c in clusters},
        advisors=[by_name[f"{USER_PREFIX}advisor-{i}"] for i in range(1, ADVISORS + 1)],
    )


# --- readiness ------------------------------------------------------------------------------------------

EVIDENCE_TITLES = [
    "แผนพัฒนาจังหวัด (ฉบับทบทวน)",
    "รายงานสถิติประจำปีของจังหวัด",
    "บันทึกการประชุมคณะกรรมการบริหารงานจังหวัดแบบบูรณาการ",
    "ข้อมูลจากด่านศุลกากร",
    "สรุปผลการดำเนินงานโครงการ",
    "ภาพถ่ายกิจกรรมและรายชื่อผู้เข้าร่วม",
]
RETURN_COMMENTS = [
    "ขอให้แนบหลักฐานประกอบเพิ่มเติม และทบทวนระดับของตัวชี้วัดที่ระบุไว้สูงกว่าปีที่แล้วมาก",
    "คำอธิบายยังไม่สอดคล้องกับระดับที่เลือก กรุณาทบทวน",
    "ขอข้อมูลสถิติรายเดือนประกอบการประเมิน",
]
INDICATOR_COMMENTS = [
    "ระดับ 4 ต้องมีสถิติผู้ผ่านแดนรายเดือนประกอบ กรุณาแนบข้อมูลจากด่านศุลกากร",
    "หลักฐานที่แนบเป็นของปีงบประมาณก่อน กรุณาแนบของปีนี้",
    "ขอให้ระบุแหล่งที่มาของข้อมูล",
]


def _rounds(plan: Plan, report: Report) -> list[Round]:
    """The rounds with the default framework, the latest open and the others closed. The framework is
    copied from round to round as ``round_create_next`` does."""
    template = framework_indicators()
    years = plan.years
    rounds = Round.objects.bulk_create(
        Round(
            fiscal_year=fy,
            opens_on=dt.date(fy - 544, 11, 1),
            closes_on=dt.date(fy - 543, 1, 15 if fy == years[-1] else 31),
            status=RoundStatus.OPEN if fy == years[-1] else RoundStatus.CLOSED,
        )
        for fy in years
    )
    indicators = Indicator.objects.bulk_create(
        (
            Indicator(round=r, **{name: getattr(i, name) for name in INDICATOR_COPY_FIELDS})
            for r in rounds
            for i in template
        ),
        batch_size=BATCH,
    )
    _history(
        Round, [(r, _at(r.opens_on, -30), None, {"status": RoundStatus.DRAFT}) for r in rounds], update=False
    )
    _history(Round, [(r, _at(r.opens_on, 0), None, {}) for r in rounds], update=True)
    _history(Indicator, [(i, _at(i.round.opens_on, -30), None, {}) for i in indicators], update=False)
    report.add("rounds", len(rounds))
    report.add("indicators", len(indicators))
    return rounds


def _propensity(province: Province, dimension: str, borders: set[int]) -> float:
    """A plausible mean level: border provinces stronger on Place, coastal ones on Product (as the demo)."""
    if province.code == "TH-10":
        return 3.6
    base = 2.3
    if dimension == "place" and province.pk in borders:
        base += 0.6
    if dimension == "product" and province.coastal:
        base += 0.5
    return base


def _state(rng: random.Random, code: str, is_open: bool) -> str | None:
    """The assessment's final state; None: not started. Chiang Mai (the bench planner's) in the open round
    was approved and then edited again (reopened) — the heaviest assessment page."""
    if not is_open:
        roll = rng.random()
        return (
            AssessmentStatus.APPROVED
            if roll < 0.92
            else AssessmentStatus.SUBMITTED
            if roll < 0.97
            else AssessmentStatus.RETURNED
        )
    if code == "TH-50":
        return "reopened"
    roll = rng.random()
    for limit, state in (
        (0.40, AssessmentStatus.APPROVED),
        (0.65, AssessmentStatus.SUBMITTED),
        (0.75, AssessmentStatus.RETURNED),
        (0.92, AssessmentStatus.DRAFT),
    ):
        if roll < limit:
            return state
    return None


@dataclass
class _Pending:
    """One assessment's rows before they are written (ids are filled in as the batches go in)."""

    assessment: Assessment
    planner: User
    advisor: User
    answers: list[Answer] = field(default_factory=list)
    answer_history: list[tuple] = field(default_factory=list)  # (answer, date, user, then, update)
    evidence: list[tuple[Answer, Evidence]] = field(default_factory=list)
    events: list[tuple[ReviewEvent, list[tuple[Indicator, str]]]] = field(default_factory=list)
    status_history: list[tuple[dt.datetime, User, dict]] = field(default_factory=list)
    approve_at: dt.datetime | None = None
    reopened_changes: list[tuple[Answer, int]] = field(default_factory=list)  # answer, level after approval


def _assessment(
    rng: random.Random,
    province: Province,
    rnd: Round,
    index: int,
    indicators: list[Indicator],
    state: str,
    borders: set[int],
    cast: Cast,
) -> _Pending:
    is_open = rnd.status == RoundStatus.OPEN
    span = 20 if is_open else 80  # days of activity in the round
    start = rnd.opens_on
    planner = cast.planners[province.code]
    advisor = cast.advisors[rng.randrange(len(cast.advisors))]
    created = _at(start, rng.uniform(0, 0.1 * span), 9)
    a = Assessment(province=province, round=rnd, status=AssessmentStatus.DRAFT, created_at=created)
    pending = _Pending(assessment=a, planner=planner, advisor=advisor)
    pending.events.append(
        (ReviewEvent(assessment=a, action=ReviewAction.CREATED, by=planner, at=created), [])
    )
    pending.status_history.append(
        (created, planner, {"status": AssessmentStatus.DRAFT, "submitted_at": None})
    )
    copied = index > 0 and rng.random() < 0.3
    if copied:
        at = created + dt.timedelta(minutes=5)
        pending.events.append(
            (
                ReviewEvent(
                    assessment=a,
                    action=ReviewAction.COPIED_FORWARD,
                    by=planner,
                    at=at,
                    comment=f"คัดลอกคำตอบ {len(indicators)} รายการจากปีงบประมาณ {rnd.fiscal_year - 1}",
                ),
                [],
            )
        )
    half_done = state == AssessmentStatus.DRAFT
    version = 0
    last_save = created
    for position, indicator in enumerate(indicators):
        mean = _propensity(province, indicator.dimension, borders) + 0.25 * index
        level = None if rng.random() < 0.06 else max(1, min(5, round(rng.gauss(mean, 0.8))))
        if half_done and position % 3 == 2:
            level = None
        answer = Answer(
            assessment=a,
            indicator=indicator,
            level=level,
            justification=JUSTIFICATIONS[level] if level else "",
            copied_forward=False,
            version=0,
            updated_by=None,
        )
        saved_at = created
        answer.updated_at = created
        pending.answer_history.append(
            (answer, created, planner, {"level": None, "justification": "", "version": 0, "updated_by": None},
             False)
        )  # fmt: skip
        if level is not None:
            saves = 2 if rng.random() < 0.2 else 1
            for save in range(1, saves + 1):
                saved_at = _at(start, rng.uniform(0.1 * span, 0.6 * span), 10 + save)
                then_level = level if save == saves else max(1, min(5, level + rng.choice((-1, 1))))
                pending.answer_history.append(
                    (answer, saved_at, planner, {"level": then_level, "version": save, "updated_by": planner}, True)
                )  # fmt: skip
            answer.version = saves
            answer.updated_by = planner
            answer.updated_at = saved_at
            version += saves
            last_save = max(last_save, saved_at)
            for k in range(rng.choices((0, 1, 2), weights=(3, 5, 2))[0]):
                evidence = Evidence(
                    answer=answer,
                    kind="link",
                    url=f"https://{province.code.lower()}.go.th/fy{rnd.fiscal_year}/{indicator.code.lower()}-{k + 1}.pdf",
                    title=rng.choice(EVIDENCE_TITLES),
                    added_by=planner,
                    added_at=saved_at + dt.timedelta(minutes=k + 1),
                )
                pending.evidence.append((answer, evidence))
                version += 1
        pending.answers.append(answer)
    a.version = version
    a.updated_at = last_save
    if state in (AssessmentStatus.DRAFT, None):
        return pending

    def event(action, when, by, comment="", comments=()):
        pending.events.append(
            (ReviewEvent(assessment=a, action=action, by=by, at=when, comment=comment), list(comments))
        )

    submitted = _at(start, rng.uniform(0.6 * span, 0.75 * span), 14)
    returned_first = state == AssessmentStatus.RETURNED or (
        state == AssessmentStatus.APPROVED and rng.random() < 0.2
    )
    event(ReviewAction.SUBMITTED, submitted, planner)
    pending.status_history.append(
        (submitted, planner, {"status": AssessmentStatus.SUBMITTED, "submitted_at": submitted})
    )
    if returned_first:
        back = submitted + dt.timedelta(days=2)
        picked = rng.sample(indicators, rng.randint(1, 3))
        event(
            ReviewAction.RETURNED,
            back,
            advisor,
            rng.choice(RETURN_COMMENTS),
            [(i, rng.choice(INDICATOR_COMMENTS)) for i in picked],
        )
        pending.status_history.append((back, advisor, {"status": AssessmentStatus.RETURNED}))
        a.status = AssessmentStatus.RETURNED
        if state == AssessmentStatus.RETURNED:
            a.submitted_at = submitted
            a.updated_at = back
            return pending
        submitted = back + dt.timedelta(days=3)
        event(ReviewAction.SUBMITTED, submitted, planner)
        pending.status_history.append((submitted, planner, {"status": AssessmentStatus.SUBMITTED, "submitted_at": submitted}))  # fmt: skip
    a.status = AssessmentStatus.SUBMITTED
    a.submitted_at = submitted
    a.updated_at = submitted
    if state == AssessmentStatus.SUBMITTED:
        return pending
    approved = submitted + dt.timedelta(days=rng.uniform(1, 6))
    pending.approve_at = approved
    event(ReviewAction.APPROVED, approved, advisor)
    a.status = AssessmentStatus.APPROVED
    a.updated_at = approved
    if state == "reopened":
        # Edited after approval: three answers change, the assessment is a draft again (services._touch).
        reopened = approved + dt.timedelta(days=1)
        event(ReviewAction.REOPENED, reopened, planner)
        pending.status_history.append((reopened, planner, {"status": AssessmentStatus.DRAFT}))
        for answer in [x for x in pending.answers if x.level is not None][:3]:
            pending.reopened_changes.append((answer, answer.level))
            new_level = 5 if answer.level < 5 else 4
            answer.version += 1
            answer.updated_at = reopened
            pending.answer_history.append(
                (answer, reopened, planner, {"level": new_level, "version": answer.version, "updated_by": planner}, True)
            )  # fmt: skip
            answer.level = new_level
            answer.justification = JUSTIFICATIONS[new_level]
            a.version += 1
        a.status = AssessmentStatus.DRAFT
        a.updated_at = reopened
    return pending


def _snapshot(pending: _Pending, evidence_urls: dict[int, list[str]]) -> ApprovalSnapshot:
    """What services._approve freezes: every answer and the scores (readiness.scoring), as approved."""
    before = {id(answer): level for answer, level in pending.reopened_changes}
    states = {}
    items = []
    for answer in pending.answers:
        level = before.get(id(answer), answer.level)
        states[answer.indicator.code] = {
            "level": level,
            "justification": JUSTIFICATIONS[level] if level else "",
            "evidence": sorted(evidence_urls.get(id(answer), [])),
        }
        items.append((answer.indicator.dimension, answer.indicator.weight, level))
    scores = scoring.compute(items)
    return ApprovalSnapshot(
        assessment=pending.assessment,
        version=pending.assessment.version - len(pending.reopened_changes),
        approved_by=pending.advisor,
        approved_at=pending.approve_at,
        answers=states,
        completeness=scores.completeness,
        overall=scores.overall,
        **{d: scores.score(d) for d in scoring.DIMENSIONS},
    )


def _readiness_round(
    plan: Plan,
    rnd: Round,
    index: int,
    provinces: list[Province],
    borders: set[int],
    cast: Cast,
    report: Report,
) -> None:
    indicators = sorted((i for i in Indicator.objects.filter(round=rnd)), key=lambda i: (i.position, i.code))
    for i in indicators:
        i.round = rnd
    pendings = []
    for province in provinces:
        rng = random.Random(f"{plan.seed}:readiness:{rnd.fiscal_year}:{province.code}")
        state = _state(rng, province.code, rnd.status == RoundStatus.OPEN)
        if state is None:
            continue
        pendings.append(_assessment(rng, province, rnd, index, indicators, state, borders, cast))
    Assessment.objects.bulk_create([p.assessment for p in pendings], batch_size=BATCH)
    answers = Answer.objects.bulk_create([a for p in pendings for a in p.answers], batch_size=BATCH)
    evidence = Evidence.objects.bulk_create([e for p in pendings for _a, e in p.evidence], batch_size=BATCH)
    events = ReviewEvent.objects.bulk_create([e for p in pendings for e, _c in p.events], batch_size=BATCH)
    comments = ReviewComment.objects.bulk_create(
        (
            ReviewComment(event=e, indicator=indicator, text=text)
            for p in pendings
            for e, items in p.events
            for indicator, text in items
        ),
        batch_size=BATCH,
    )
    urls: dict[int, list[str]] = {}
    for p in pendings:
        for answer, e in p.evidence:
            urls.setdefault(id(answer), []).append(e.url)
    approved = [p for p in pendings if p.approve_at]
    snapshots = ApprovalSnapshot.objects.bulk_create([_snapshot(p, urls) for p in approved], batch_size=BATCH)
    for p, snap in zip(approved, snapshots, strict=True):
        p.assessment.approved_snapshot = snap
        p.status_history.append(
            (p.approve_at, p.advisor, {"status": AssessmentStatus.APPROVED, "approved_snapshot": snap})
        )
        p.status_history.sort(key=lambda item: item[0])
    Assessment.objects.bulk_update([p.assessment for p in approved], ["approved_snapshot"], batch_size=BATCH)

    # History, as the services would have left it: a row when created, one per status change.
    created, changed = [], []
    for p in pendings:
        state = {"status": AssessmentStatus.DRAFT, "submitted_at": None, "approved_snapshot": None}
        for n, (when, user, then) in enumerate(p.status_history):
            state = {**state, **then}
            (changed if n else created).append((p.assessment, when, user, dict(state)))
    report.add("history", _history(Assessment, created, update=False))
    report.add("history", _history(Assessment, changed, update=True))
    for update in (False, True):
        report.add("history", _history(
            Answer, [(a, when, user, then) for p in pendings for a, when, user, then, u in p.answer_history if u == update],
            update=update,
        ))  # fmt: skip
    report.add(
        "history", _history(Evidence, [(e, e.added_at, e.added_by, {}) for e in evidence], update=False)
    )
    report.add("assessments", len(pendings))
    report.add("answers", len(answers))
    report.add("evidence", len(evidence))
    report.add("review events", len(events))
    report.add("review comments", len(comments))
    report.add("approval snapshots", len(snapshots))


# --- strategies -----------------------------------------------------------------------------------------

STRATEGY_STATUS_LATEST = [
    (StrategyStatus.DRAFT, 20),
    (StrategyStatus.PROPOSED, 20),
    (StrategyStatus.ENDORSED, 25),
    (StrategyStatus.RETURNED, 8),
    (StrategyStatus.IN_PROGRESS, 22),
    (StrategyStatus.DROPPED, 5),
]
STRATEGY_STATUS_EARLIER = [
    (StrategyStatus.DONE, 45),
    (StrategyStatus.IN_PROGRESS, 25),
    (StrategyStatus.ENDORSED, 15),
    (StrategyStatus.RETURNED, 5),
    (StrategyStatus.DROPPED, 10),
]
# Quadrant shares of the national picture (ก ข ค ง).
QUADRANT_WEIGHTS = {"ก": 25, "ข": 20, "ค": 25, "ง": 30}
PROJECT_VERBS = ["ก่อสร้าง", "จัดอบรม", "จัดตั้งศูนย์", "ศึกษาความเป็นไปได้", "จัดงานแสดงสินค้า", "พัฒนาระบบข้อมูล"]
AGENCIES = [
    "สำนักงานจังหวัด", "สำนักงานพาณิชย์จังหวัด", "สำนักงานเกษตรจังหวัด", "สำนักงานสาธารณสุขจังหวัด",
    "สำนักงานการท่องเที่ยวและกีฬาจังหวัด", "สำนักงานแรงงานจังหวัด", "แขวงทางหลวง", "ที่ทำการปกครองจังหวัด",
]  # fmt: skip
KPIS = [("ผู้ได้รับประโยชน์", "คน"), ("ผู้ประกอบการที่ได้รับการพัฒนา", "ราย"), ("มูลค่าการค้าที่เพิ่มขึ้น", "ล้านบาท")]
REVIEW_TEXTS = {
    ReviewKind.ENDORSED: "เห็นชอบ สอดคล้องกับความพร้อมของพื้นที่",
    ReviewKind.RETURNED: "ขอให้ระบุความร่วมมือกับภาคเอกชนและแหล่งงบประมาณให้ชัดเจน และพิจารณาบูรณาการกับกลุ่มจังหวัด",
}
COMMENTS = [
    ("ขอข้อมูลเพิ่มเติมเรื่องกลุ่มเป้าหมายและตัวชี้วัด", "จะส่งข้อมูลเพิ่มเติมภายในสัปดาห์นี้"),
    ("ควรประสานกับจังหวัดข้างเคียงในกลุ่มจังหวัด", "รับทราบ จะหารือในที่ประชุมกลุ่มจังหวัด"),
]
OVERRIDE_REASON = "ผลต่อเป้าหมายอาเซียนและผลประโยชน์ของชาติต่างจากที่ประเมินตนเอง เมื่อพิจารณาบริบทของพื้นที่"


def _scores(rng: random.Random, criteria: dict[str, list[Criterion]], quadrant: str) -> dict[int, int]:
    """Checklist scores that put the strategy in (or near) the chosen quadrant."""
    high = {"ก": (True, True), "ข": (True, False), "ค": (False, True), "ง": (False, False)}[quadrant]
    values = {}
    for axis, is_high in zip((Axis.ASEAN, Axis.NATIONAL), high, strict=True):
        for c in criteria[axis]:
            values[c.pk] = rng.choice((2, 3, 3, 4, 4)) if is_high else rng.choice((0, 0, 1, 1, 2))
    return values


@dataclass
class _Owner:
    province: Province | None
    cluster: Cluster | None

    @property
    def code(self) -> str:
        return (self.province or self.cluster).code

    @property
    def name(self) -> str:
        return (self.province or self.cluster).name_th


def _strategy_year(
    plan: Plan,
    fy: int,
    count: int,
    is_latest: bool,
    owners: list[_Owner],
    members: dict[int, list[Province]],
    criteria: dict[str, list[Criterion]],
    indicators: dict[str, list[Indicator]],
    previous_year: list[Strategy],
    project_counts: list[int],
    cast: Cast,
    report: Report,
) -> list[Strategy]:
    rng = random.Random(f"{plan.seed}:strategies:{fy}")
    weights = [3 if o.province else 6 for o in owners]  # a cluster writes more strategies than a province
    by_owner_before: dict[str, list[Strategy]] = {}
    for s in previous_year:
        if not s.carried:
            by_owner_before.setdefault(s.owner_code, []).append(s)
    statuses = STRATEGY_STATUS_LATEST if is_latest else STRATEGY_STATUS_EARLIER
    refs: dict[str, int] = {}
    strategies: list[Strategy] = []
    scores: list[tuple[Strategy, dict[int, int]]] = []
    links: list[tuple[Strategy, Indicator]] = []
    oct1 = dt.date(fy - 544, 10, 1)
    for _n in range(count):
        owner = rng.choices(owners, weights=weights)[0]
        refs[owner.code] = refs.get(owner.code, 0) + 1
        earlier = by_owner_before.get(owner.code) or []
        previous = earlier.pop(0) if earlier and rng.random() < 0.3 else None
        if previous:
            previous.carried = True
            title, summary = previous.title_th, previous.summary_th
            pillar, work_area, subject = previous.pillar, previous.work_area, previous.subject
        else:
            subject = rng.choice(SUBJECTS)
            title = f"{rng.choice(VERBS)}{subject}{owner.name}"
            summary = " ".join(
                f"{rng.choice(VERBS)}{rng.choice(SUBJECTS) if rng.random() < 0.3 else subject} {rng.choice(CLAUSES)}"
                for _ in range(rng.randint(2, 4))
            )
            pillar = rng.choice(Pillar.values)
            work_area = rng.choice(WorkArea.values)
        quadrant = rng.choices(LETTERS, weights=[QUADRANT_WEIGHTS[q] for q in LETTERS])[0]
        values = _scores(rng, criteria, quadrant)
        status = rng.choices([s for s, _w in statuses], weights=[w for _s, w in statuses])[0]
        dims = rng.sample(DIMENSIONS, rng.randint(1, 2))
        by = cast.planners[owner.province.code] if owner.province else cast.secretariats[owner.cluster.code]
        created = _at(oct1, rng.uniform(0, 60))
        s = Strategy(
            province=owner.province,
            cluster=owner.cluster,
            fiscal_year=fy,
            external_ref=f"{owner.code}-{fy}-{refs[owner.code]:03d}",
            title_th=title,
            summary_th=summary,
            work_area=work_area,
            pillar=pillar,
            builds_place="place" in dims,
            builds_product="product" in dims,
            builds_people="people" in dims,
            status=status,
            previous=previous,
            asean_effect=effect_from_scores(criteria[Axis.ASEAN], values),
            national_effect=effect_from_scores(criteria[Axis.NATIONAL], values),
            created_by=by,
            created_at=created,
            updated_at=created,
        )
        s.owner_code, s.subject, s.carried, s.by, s.rng_seed = owner.code, subject, False, by, rng.random()
        if status in (StrategyStatus.ENDORSED, StrategyStatus.IN_PROGRESS) and rng.random() < 0.05:
            s.override_quadrant = rng.choice([q for q in LETTERS if q != s.computed_quadrant])
            s.override_reason = OVERRIDE_REASON
            s.override_by = cast.advisors[0]
            s.override_at = created + dt.timedelta(days=20)
        strategies.append(s)
        scores.append((s, values))
        pool = [i for d in dims for i in indicators[d]]
        links += [(s, i) for i in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]
    # The review threads first: they set the strategies' last-change and override times.
    reviews, replies, strategy_history = _strategy_reviews(strategies, cast)
    Strategy.objects.bulk_create(strategies, batch_size=BATCH)
    criterion_scores = CriterionScore.objects.bulk_create(
        (
            CriterionScore(strategy=s, criterion_id=k, value=v)
            for s, values in scores
            for k, v in values.items()
        ),
        batch_size=BATCH,
    )
    through = Strategy.indicators.through
    through.objects.bulk_create((through(strategy=s, indicator=i) for s, i in links), batch_size=BATCH)

    StrategyReview.objects.bulk_create(reviews, batch_size=BATCH)
    for reply, parent in replies:
        reply.reply_to = parent
    StrategyReview.objects.bulk_create([r for r, _p in replies], batch_size=BATCH)
    report.add("history", _history(
        Strategy, [(s, s.created_at, s.by, {"status": StrategyStatus.DRAFT, "override_quadrant": "",
                                            "override_reason": "", "override_by": None, "override_at": None})
                   for s in strategies], update=False,
    ))  # fmt: skip
    report.add("history", _history(Strategy, strategy_history, update=True))
    report.add("history", _history(
        CriterionScore, [(c, c.strategy.created_at, c.strategy.by, {}) for c in criterion_scores], update=False
    ))  # fmt: skip
    report.add("strategies", len(strategies))
    report.add("criterion scores", len(criterion_scores))
    report.add("strategy reviews", len(reviews) + len(replies))
    _projects(plan, fy, strategies, project_counts, members, report)
    return strategies


def _strategy_reviews(strategies: list[Strategy], cast: Cast):
    """The review threads all strategies' statuses imply, and their history rows for status changes."""
    reviews: list[StrategyReview] = []
    replies: list[tuple[StrategyReview, StrategyReview]] = []
    history: list[tuple] = []
    for s in strategies:
        thread, answers, changes = _review_thread(s, cast)
        reviews += thread
        replies += answers
        history += changes
    return reviews, replies, history


def _review_thread(s: Strategy, cast: Cast):
    rng = random.Random(s.rng_seed)
    advisor = cast.advisors[rng.randrange(len(cast.advisors))]
    reviews: list[StrategyReview] = []
    history: list[tuple] = []
    when = s.created_at
    override = {"override_quadrant": "", "override_reason": "", "override_by": None, "override_at": None}

    def log(kind, by, text="", status=None):
        nonlocal when
        when = when + dt.timedelta(days=rng.uniform(2, 15))
        review = StrategyReview(strategy=s, kind=kind, author=by, text=text, created_at=when)
        reviews.append(review)
        if status:
            history.append((s, when, by, {"status": status, **override}))
        return review

    if s.status == StrategyStatus.DRAFT:
        return [], [], []
    path = {
        StrategyStatus.PROPOSED: [ReviewKind.PROPOSED],
        StrategyStatus.ENDORSED: [ReviewKind.PROPOSED, ReviewKind.ENDORSED],
        StrategyStatus.RETURNED: [ReviewKind.PROPOSED, ReviewKind.RETURNED],
        StrategyStatus.IN_PROGRESS: [ReviewKind.PROPOSED, ReviewKind.ENDORSED, StrategyStatus.IN_PROGRESS],
        StrategyStatus.DONE: [
            ReviewKind.PROPOSED,
            ReviewKind.ENDORSED,
            StrategyStatus.IN_PROGRESS,
            StrategyStatus.DONE,
        ],  # fmt: skip
        StrategyStatus.DROPPED: [StrategyStatus.DROPPED],
    }[s.status]
    for step in path:
        if step == ReviewKind.PROPOSED:
            log(ReviewKind.PROPOSED, s.by, status=StrategyStatus.PROPOSED)
        elif step in (ReviewKind.ENDORSED, ReviewKind.RETURNED):
            log(step, advisor, REVIEW_TEXTS[step], status=step)
            if step == ReviewKind.ENDORSED and s.override_quadrant:
                # The advisor moves it right after endorsing (services.strategy_override).
                review = log(
                    ReviewKind.OVERRIDE,
                    s.override_by,
                    f"{s.computed_quadrant} → {s.override_quadrant}: {s.override_reason}",
                )
                s.override_at = review.created_at
                override = {}  # later history rows show the override as it is now
                history.append((s, when, s.override_by, {"status": step}))
        else:
            log(ReviewKind.STATUS, s.by, str(StrategyStatus(step).label), status=step)
    replies = []
    if rng.random() < 0.3:
        question, answer = COMMENTS[rng.randrange(len(COMMENTS))]
        parent = log(ReviewKind.COMMENT, advisor, question)
        reply = StrategyReview(
            strategy=s, kind=ReviewKind.COMMENT, author=s.by, text=answer,
            created_at=parent.created_at + dt.timedelta(days=1),
        )  # fmt: skip
        replies.append((reply, parent))
    s.updated_at = when
    return reviews, replies, history


def _projects(
    plan: Plan,
    fy: int,
    strategies: list[Strategy],
    counts: list[int],
    members: dict[int, list[Province]],
    report: Report,
) -> None:
    projects: list[Project] = []
    where: list[tuple[Project, Province]] = []
    notes: list[ProgressNote] = []
    updates: list[tuple] = []
    for s, count in zip(strategies, counts, strict=True):
        rng = random.Random(f"{plan.seed}:projects:{s.external_ref}")
        for k in range(count):
            if s.cluster_id:
                cluster_members = members[s.cluster_id]
                covered = rng.sample(cluster_members, rng.randint(2, len(cluster_members)))
                funding = rng.choice(
                    [FundingSource.CLUSTER] * 4
                    + [FundingSource.CENTRAL, FundingSource.PPP, FundingSource.PRIVATE]
                )
            else:
                covered = [s.province]
                funding = rng.choice(
                    [FundingSource.PROVINCIAL] * 4 + [FundingSource.CENTRAL, FundingSource.LOCAL_GOVERNMENT]
                )
            budget = Decimal(min(8_000_000_000, max(300_000, int(rng.lognormvariate(16.5, 1.3))))).quantize(
                Decimal(1000)
            )
            if s.status == StrategyStatus.DONE:
                status, progress = ProjectStatus.DONE, 100
            elif s.status == StrategyStatus.IN_PROGRESS:
                status, progress = ProjectStatus.IN_PROGRESS, rng.randrange(10, 95, 5)
            elif s.status == StrategyStatus.DROPPED:
                status, progress = ProjectStatus.CANCELLED, 0
            else:
                status, progress = ProjectStatus.PLANNED, 0
            kpi, unit = KPIS[rng.randrange(len(KPIS))]
            target = Decimal(rng.randrange(100, 5000, 50))
            p = Project(
                strategy=s,
                title_th=f"{rng.choice(PROJECT_VERBS)}{s.subject} ระยะที่ {k + 1}",
                lead_agency=f"{rng.choice(AGENCIES)}{covered[0].name_th}",
                partners=sorted(rng.sample(PartnerSector.values, rng.randint(1, 3))),
                budget=budget,
                funding_source=funding,
                start_fy=fy,
                end_fy=min(2700, fy + rng.choice((0, 0, 1, 2))),
                status=status,
                progress=progress,
                kpi=kpi,
                kpi_target=target,
                kpi_actual=(target * progress / 100).quantize(Decimal(1)) if progress else None,
                kpi_unit=unit,
                updated_at=s.updated_at,
            )
            projects.append(p)
            where += [(p, province) for province in covered]
            if progress:
                day = s.updated_at.date()
                for n, share in enumerate((0.5, 1.0)[: rng.randint(1, 2)]):
                    at = day + dt.timedelta(days=30 * (n + 1))
                    notes.append(
                        ProgressNote(project=p, on=at, progress=int(progress * share), note="รายงานความก้าวหน้าตามแผน",
                                     author=s.by)
                    )  # fmt: skip
                updates.append((p, _at(day, 60), s.by, {}))
    Project.objects.bulk_create(projects, batch_size=BATCH)
    through = Project.provinces.through
    through.objects.bulk_create((through(project=p, province=v) for p, v in where), batch_size=BATCH)
    ProgressNote.objects.bulk_create(notes, batch_size=BATCH)
    report.add("history", _history(
        Project, [(p, p.strategy.created_at, p.strategy.by, {"status": ProjectStatus.PLANNED, "progress": 0})
                  for p in projects], update=False,
    ))  # fmt: skip
    report.add("history", _history(Project, updates, update=True))
    report.add("projects", len(projects))
    report.add("progress notes", len(notes))


def _split(total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` as evenly as possible (the first ones get the remainder)."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


# --- the whole ------------------------------------------------------------------------------------------


def ensure_reference() -> None:
    """Provinces and clusters (idempotent), and the matrix criteria if a flush removed them."""
    from importlib import import_module

    reference_data_load()
    if not Criterion.objects.exists():
        import_module("strategies.migrations.0002_default_criteria").create(apps, None)


def generate(plan: Plan, *, password: str, progress: Callable[[str], None] = lambda message: None) -> Report:
    """Fill an empty database (see the module docstring). Raises RuntimeError when data exists."""
    ensure_reference()
    if has_data():
        raise RuntimeError("The database already has readiness or strategy data.")
    report = Report()
    # Thai, whatever the caller's language: status labels end up in review texts.
    with transaction.atomic(), _explicit_timestamps(), translation.override("th"):
        provinces = list(Province.objects.select_related("cluster").order_by("code"))
        clusters = list(Cluster.objects.order_by("code"))
        borders = set(Province.border_countries.through.objects.values_list("province_id", flat=True))
        cast = _users(provinces, clusters, password, report)
        rounds = _rounds(plan, report)
        for index, rnd in enumerate(rounds):
            _readiness_round(plan, rnd, index, provinces, borders, cast, report)
            progress(f"readiness FY {rnd.fiscal_year}")

        criteria = {axis: list(Criterion.objects.filter(active=True, axis=axis).order_by("position", "code"))
                    for axis in Axis.values}  # fmt: skip
        owners = [_Owner(p, None) for p in provinces] + [_Owner(None, c) for c in clusters]
        members: dict[int, list[Province]] = {}
        for p in provinces:
            if p.cluster_id:
                members.setdefault(p.cluster_id, []).append(p)
        per_year = _split(plan.strategies, len(rounds))
        # Every strategy has at least one project; the rest are spread at random (deterministically).
        rng = random.Random(f"{plan.seed}:project-counts")
        counts = [1] * plan.strategies
        for i in (
            rng.choices(range(plan.strategies), k=plan.projects - plan.strategies) if plan.strategies else ()
        ):
            counts[i] += 1
        previous: list[Strategy] = []
        done = 0
        for rnd, count in zip(rounds, per_year, strict=True):
            indicators: dict[str, list[Indicator]] = {}
            for i in Indicator.objects.filter(round=rnd).order_by("position", "code"):
                indicators.setdefault(i.dimension, []).append(i)
            previous = _strategy_year(
                plan, rnd.fiscal_year, count, rnd is rounds[-1], owners, members, criteria, indicators, previous,
                counts[done : done + count], cast, report,
            )  # fmt: skip
            done += count
            progress(f"strategies FY {rnd.fiscal_year}")

        envelopes = BudgetEnvelope.objects.bulk_create(
            (BudgetEnvelope(province=p, fiscal_year=fy, amount=envelope_for(p.code, fy))
             for fy in plan.years for p in provinces),
            batch_size=BATCH,
        )  # fmt: skip
        report.add("history", _history(
            BudgetEnvelope, [(e, _at(dt.date(e.fiscal_year - 544, 9, 1), 0), None, {}) for e in envelopes], update=False
        ))  # fmt: skip
        report.add("budget envelopes", len(envelopes))
        report.add("notifications", _notifications(plan, cast))
    return report


def _notifications(plan: Plan, cast: Cast) -> int:
    """An inbox for every generated user, so that the bell and the inbox are measured with data: events on
    what each user may open (their province's or cluster's assessments and strategies; any, for advisors),
    the older ones read. Per user one row per 20 strategies of the plan (at least 20), three times that for
    the benchmark's logins."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from notifications.choices import NotificationKind as K
    from notifications.models import Notification

    rng = random.Random(f"{plan.seed}:notifications")
    assessment_type = ContentType.objects.get_for_model(Assessment)
    strategy_type = ContentType.objects.get_for_model(Strategy)
    assessments = list(Assessment.objects.values_list("pk", "province__code", "province__cluster__code",
                                                      "round__fiscal_year", "round_id"))  # fmt: skip
    strategies = list(Strategy.objects.values_list("pk", "province__code", "cluster__code", "title_th"))
    by_unit: dict[str, tuple[list, list]] = {}
    for a in assessments:
        by_unit.setdefault(a[1], ([], []))[0].append(a)
        if a[2]:
            by_unit.setdefault(a[2], ([], []))[0].append(a)
    for st in strategies:
        by_unit.setdefault(st[1] or st[2], ([], []))[1].append(st)
    recipients = [(u, code, K.ASSESSMENT_RETURNED) for code, u in cast.planners.items()]
    recipients += [(u, code, K.ASSESSMENT_APPROVED) for code, u in cast.secretariats.items()]
    recipients += [(u, None, K.ASSESSMENT_SUBMITTED) for u in cast.advisors]
    per_user = max(20, plan.strategies // 20)
    bench = set(BENCH_USERS.values())
    now = dt.datetime(LATEST_YEAR - 544, 11, 25, 9, tzinfo=dt.UTC)
    rows = []
    for user, code, assessment_kind in recipients:
        own_assessments, own_strategies = by_unit.get(code, ([], [])) if code else (assessments, strategies)
        actor = cast.advisors[0] if code else rng.choice(list(cast.planners.values()))
        for i in range(per_user * (3 if user.username in bench else 1)):
            created = now - dt.timedelta(hours=i * 7 + rng.randint(0, 6))
            if own_strategies and (i % 2 or not own_assessments):
                pk, _p, _c, title = rng.choice(own_strategies)
                kind = rng.choice([K.COMMENT, K.MENTION, K.QUADRANT_OVERRIDE])
                target_type, url = strategy_type, reverse("strategy_detail", kwargs={"pk": pk})
                params = {"excerpt": title[:200], "quadrant": rng.choice(LETTERS), "reason": title[:200]}
                round_id = None
            elif own_assessments:
                pk, province, _c, fy, round_id = rng.choice(own_assessments)
                kind, target_type, params = assessment_kind, assessment_type, {"comment": "ขอหลักฐานเพิ่มเติม"}
                url = reverse("assessment_detail", kwargs={"code": province, "fiscal_year": fy})
            else:
                continue
            rows.append(Notification(
                recipient=user, actor=actor, kind=kind, target_type=target_type, target_id=pk, url=url,
                params=params, round_id=round_id, created_at=created,
                read_at=created + dt.timedelta(hours=2) if i >= 10 else None,
            ))  # fmt: skip
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def fingerprint() -> str:
    """A hash of the generated data by natural keys (codes, years, references; not primary keys)."""
    digest = hashlib.sha256()

    def feed(rows) -> None:
        for row in rows:
            digest.update(repr(row).encode())

    feed(Round.objects.order_by("fiscal_year").values_list("fiscal_year", "status", "opens_on"))
    feed(
        Assessment.objects.order_by("round__fiscal_year", "province__code").values_list(
            "round__fiscal_year", "province__code", "status", "version", "submitted_at",
            "approved_snapshot__overall", "approved_snapshot__completeness",
        )
    )  # fmt: skip
    feed(
        Answer.objects.order_by("assessment__round__fiscal_year", "assessment__province__code", "indicator__code")
        .values_list("assessment__round__fiscal_year", "assessment__province__code", "indicator__code", "level",
                     "version", "updated_by__username", "updated_at")
    )  # fmt: skip
    feed(sorted(Evidence.objects.values_list("url", "title", "added_at")))
    feed(sorted(ReviewEvent.objects.values_list("assessment__province__code", "assessment__round__fiscal_year",
                                                "action", "by__username", "at", "comment")))  # fmt: skip
    feed(
        Strategy.objects.order_by("fiscal_year", "external_ref").values_list(
            "fiscal_year", "external_ref", "title_th", "status", "asean_effect", "national_effect",
            "override_quadrant", "previous__external_ref", "created_at",
        )
    )  # fmt: skip
    feed(
        Project.objects.order_by("strategy__external_ref", "title_th", "budget").values_list(
            "strategy__external_ref", "title_th", "budget", "funding_source", "status", "progress"
        )
    )
    for model in (Answer, Assessment, Evidence, Strategy, CriterionScore, Project):
        feed([(model.__name__, model.history.count())])
    feed([(StrategyReview.objects.count(), ProgressNote.objects.count(), ReviewComment.objects.count())])
    return digest.hexdigest()[:16]
