"""Demo readiness data: three rounds (FY 2568–2570) with an assessment for every province in various
states, so that the cluster and national views look real on the first run. Deterministic."""

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction

from provinces.models import Province
from readiness import services
from readiness.choices import AssessmentStatus, ReviewAction, RoundStatus
from readiness.models import Answer, Assessment, Evidence, ReviewComment, ReviewEvent, Round

ROUNDS = [
    (2568, dt.date(2024, 11, 1), dt.date(2025, 1, 31), RoundStatus.CLOSED),
    (2569, dt.date(2025, 11, 1), dt.date(2026, 1, 31), RoundStatus.CLOSED),
    (2570, dt.date(2026, 11, 1), dt.date(2027, 1, 15), RoundStatus.OPEN),
]

# The demo planner's cluster gets hand-picked states for FY 2570, so every workflow step can be tried.
FIXED_2570 = {
    "TH-50": AssessmentStatus.DRAFT,  # Chiang Mai: the demo planner's, copied from FY 2569, not reviewed
    "TH-51": AssessmentStatus.RETURNED,  # Lamphun: returned with comments
    "TH-52": AssessmentStatus.SUBMITTED,  # Lampang: waiting for the advisor
    "TH-58": AssessmentStatus.APPROVED,  # Mae Hong Son
}

JUSTIFICATIONS = {
    1: "ยังไม่มีข้อมูลหรือแผนดำเนินการในเรื่องนี้",
    2: "มีข้อมูลบางส่วนและอยู่ระหว่างจัดทำแผน",
    3: "มีแผนและเริ่มดำเนินการแล้ว แต่ยังไม่ครอบคลุม",
    4: "ดำเนินการครอบคลุมเกือบทั้งหมด มีการติดตามผลเป็นระยะ",
    5: "ดำเนินการครบถ้วน มีการวัดผลและปรับปรุงอย่างต่อเนื่อง",
}


def _propensity(province: Province, dimension: str) -> float:
    """A plausible starting level: border provinces are stronger on Place, coastal ones on Product."""
    base = 2.4
    if province.code == "TH-10":
        return 3.8
    if dimension == "place" and province.border_countries.all():
        base += 0.6
    if dimension == "product" and province.coastal:
        base += 0.5
    if province.cluster and province.cluster.code in {"C-MET", "E-1"}:
        base += 0.5
    return base


def _level(rng: random.Random, mean: float) -> int | None:
    if rng.random() < 0.06:
        return None  # some indicators are left blank
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _state_2570(rng: random.Random, code: str) -> str | None:
    if code in FIXED_2570:
        return FIXED_2570[code]
    roll = rng.random()
    if roll < 0.40:
        return AssessmentStatus.APPROVED
    if roll < 0.65:
        return AssessmentStatus.SUBMITTED
    if roll < 0.75:
        return AssessmentStatus.RETURNED
    if roll < 0.90:
        return AssessmentStatus.DRAFT
    return None  # not started yet


@transaction.atomic
def demo_readiness_load(*, planner: User | None, advisor: User | None) -> bool:
    """Create the demo rounds and assessments. Returns False (and changes nothing) if they exist."""
    if Round.objects.filter(fiscal_year=2568).exists():
        return False
    first = Round.objects.create(
        fiscal_year=2568, opens_on=ROUNDS[0][1], closes_on=ROUNDS[0][2], status=ROUNDS[0][3]
    )
    services.framework_load(round=first)
    rounds = [first]
    for fiscal_year, opens, closes, status in ROUNDS[1:]:
        r = services.round_create_next(previous=rounds[-1], opens_on=opens, closes_on=closes)
        r.status = status
        r.save(update_fields=["status"])
        assert r.fiscal_year == fiscal_year
        rounds.append(r)

    provinces = list(
        Province.objects.select_related("cluster").prefetch_related("border_countries").order_by("code")
    )
    for index, r in enumerate(rounds):
        indicators = list(r.indicators.all())
        for province in provinces:
            rng = random.Random(f"{province.code}-{r.fiscal_year}")
            if r.status == RoundStatus.OPEN and province.code == "TH-50" and planner is not None:
                # Started the way a planner starts: last round's answers copied, none reviewed yet — so
                # the demo shows the copied marks, offers copying again, and lists them at submission.
                a = services.assessment_start(province=province, round=r, by=planner)
                services.assessment_copy_forward(assessment=a, by=planner)
                continue
            if r.status == RoundStatus.OPEN:
                state = _state_2570(rng, province.code)
                if state is None:
                    continue
            else:
                state = AssessmentStatus.APPROVED if rng.random() < 0.93 else AssessmentStatus.SUBMITTED
            a = Assessment.objects.create(province=province, round=r, status=AssessmentStatus.DRAFT)
            ReviewEvent.objects.create(
                assessment=a, action=ReviewAction.CREATED, by=planner if province.code == "TH-50" else None
            )
            half_done = state == AssessmentStatus.DRAFT
            answers = []
            for position, indicator in enumerate(indicators):
                # Improvement over the years: +0.3 level per round on average.
                level = _level(rng, _propensity(province, indicator.dimension) + 0.3 * index)
                if half_done and position % 3 == 2:
                    level = None
                answers.append(
                    Answer(
                        assessment=a,
                        indicator=indicator,
                        level=level,
                        justification=JUSTIFICATIONS[level] if level else "",
                        version=1 if level else 0,
                        updated_by=planner if province.code == "TH-50" and level else None,
                    )
                )
            Answer.objects.bulk_create(answers)
            first_answer = next(x for x in answers if x.level)
            Evidence.objects.create(
                answer=first_answer,
                kind="link",
                url="https://www.nesdc.go.th/",
                title="แผนพัฒนาจังหวัด (ฉบับทบทวน)",
                added_by=None,
            )
            a.version = len(answers)
            a.save(update_fields=["version"])
            if state == AssessmentStatus.DRAFT:
                continue
            a.status = AssessmentStatus.SUBMITTED
            a.submitted_at = dt.datetime.combine(
                r.opens_on + dt.timedelta(days=30), dt.time(10), tzinfo=dt.UTC
            )
            a.save(update_fields=["status", "submitted_at"])
            ReviewEvent.objects.create(assessment=a, action=ReviewAction.SUBMITTED, by=None)
            if state == AssessmentStatus.APPROVED:
                services._approve(a, advisor)
            elif state == AssessmentStatus.RETURNED:
                a.status = AssessmentStatus.RETURNED
                a.save(update_fields=["status"])
                event = ReviewEvent.objects.create(
                    assessment=a,
                    action=ReviewAction.RETURNED,
                    by=advisor,
                    comment="ขอให้แนบหลักฐานประกอบเพิ่มเติม และทบทวนระดับของตัวชี้วัดที่ระบุไว้สูงกว่าปีที่แล้วมาก",
                )
                ReviewComment.objects.create(
                    event=event,
                    indicator=indicators[0],
                    text="ระดับ 4 ต้องมีสถิติผู้ผ่านแดนรายเดือนประกอบ กรุณาแนบข้อมูลจากด่านศุลกากร",
                )
    return True
