"""Readiness fixtures: an open round FY 2570 with the default framework, last round FY 2569, and helpers
that fill assessments directly (the services are what is tested; these only set the stage)."""

import datetime as dt

import pytest

from provinces.models import Province
from readiness import services
from readiness.choices import AssessmentStatus, RoundStatus
from readiness.models import Answer, Assessment, Round


@pytest.fixture
def round_2569(reference):
    r = Round.objects.create(
        fiscal_year=2569,
        opens_on=dt.date(2025, 11, 1),
        closes_on=dt.date(2026, 1, 31),
        status=RoundStatus.CLOSED,
    )
    services.framework_load(round=r)
    return r


@pytest.fixture
def round_2570(round_2569):
    r = services.round_create_next(
        previous=round_2569, opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2027, 1, 15)
    )
    r.status = RoundStatus.OPEN
    r.save()
    return r


def fill(
    province_code: str, round: Round, level_for=lambda i, ind: 3, status=AssessmentStatus.DRAFT, by=None
):
    """An assessment with answers set directly; level_for(position, indicator) → level or None."""
    assessment = Assessment.objects.create(province=Province.objects.get(code=province_code), round=round)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, indicator=ind, level=level_for(i, ind), justification="")
        for i, ind in enumerate(round.indicators.order_by("position"))
    )
    if status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED, AssessmentStatus.RETURNED):
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.save()
    if status == AssessmentStatus.APPROVED:
        services._approve(assessment, by)
    if status == AssessmentStatus.RETURNED:
        assessment.status = AssessmentStatus.RETURNED
        assessment.save()
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def filler():
    return fill


@pytest.fixture
def cm_assessment(round_2570, planner):
    """Chiang Mai's FY 2570 assessment, started by its planner (all answers blank)."""
    return services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
