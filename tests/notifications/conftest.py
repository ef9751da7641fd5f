"""Notification fixtures: a round, a Chiang Mai assessment and strategies of Chiang Mai, Lampang and the
Upper Northern Cluster 1 — the objects the cast may or may not open."""

import datetime as dt

import pytest

from provinces.models import Cluster, Province
from readiness.choices import RoundStatus
from readiness.models import Assessment, Round
from strategies import services as strategy_services
from strategies.models import Criterion


@pytest.fixture
def round_2570(reference):
    return Round.objects.create(
        fiscal_year=2570,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 15),
        status=RoundStatus.OPEN,
    )


@pytest.fixture
def assessment_cm(round_2570):
    return Assessment.objects.create(province=Province.objects.get(code="TH-50"), round=round_2570)


@pytest.fixture
def make_strategy(reference):
    def make(owner_code: str, by, title: str = "ยกระดับด่านชายแดน"):
        owner = (
            Province.objects.get(code=owner_code)
            if owner_code.startswith("TH-")
            else Cluster.objects.get(code=owner_code)
        )
        scores = {c.pk: 2 for c in Criterion.objects.all()}
        data = strategy_services.StrategyData(
            title_th=title, work_area="public_service", pillar="economic", builds_place=True
        )
        return strategy_services.strategy_create(
            owner=owner, fiscal_year=2570, data=data, scores=scores, by=by
        )

    return make
