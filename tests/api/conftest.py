"""API fixtures: a client that authenticates with a real token (Authorization: Token <key>) and a small world
of assessments in every state and strategies of several owners."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from readiness.choices import AssessmentStatus
from tests.readiness.conftest import fill
from tests.strategies.conftest import criteria, make_strategy  # noqa: F401 (fixtures)


@pytest.fixture
def api_for():
    """api_for(user) → an APIClient sending that user's token (anonymous for None)."""

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api_world(request, cast, round_2570):
    """FY 2570: Chiang Mai (TH-50) a draft; Lampang (TH-52) approved; Lamphun (TH-51) approved and then
    reopened by an edit (a draft again, its approved version kept); Udon Thani (TH-41, NE-UP1) submitted.
    Strategies of Chiang Mai, of N-UP1 and of Udon Thani, one with an override; a project under Chiang Mai's."""
    from decimal import Decimal

    from strategies import services as strategy_services

    make = request.getfixturevalue("make_strategy")
    advisor = cast["advisor"]
    cm = fill("TH-50", round_2570, level_for=lambda i, ind: 2)
    lp = fill("TH-52", round_2570, level_for=lambda i, ind: 4, status=AssessmentStatus.APPROVED, by=advisor)
    lamphun = fill(
        "TH-51", round_2570, level_for=lambda i, ind: 5, status=AssessmentStatus.APPROVED, by=advisor
    )
    lamphun.answers.update(level=1)  # an edit after approval reopens it (as answer_save would)
    lamphun.status = AssessmentStatus.DRAFT
    lamphun.version += 1
    lamphun.save()
    udon = fill("TH-41", round_2570, status=AssessmentStatus.SUBMITTED)
    cm_s = make("TH-50", cast["planner"], a=(4, 4, 4), n=(4, 4, 4))
    nup1_s = make("N-UP1", cast["secretariat"], a=(0, 0, 0), n=(4, 4, 4))
    udon_s = make("TH-41", cast["admin"], a=(0, 0, 0), n=(0, 0, 0))
    strategy_services.strategy_override(strategy=udon_s, quadrant="ข", reason="ชายแดนลาว", by=advisor)
    cm_p = strategy_services.project_save(
        strategy=cm_s,
        data=strategy_services.ProjectData(
            title_th="โครงการด่านชายแดน",
            lead_agency="สำนักงานจังหวัด",
            budget=Decimal("1500000.50"),
            funding_source="provincial",
            start_fy=2570,
            end_fy=2571,
        ),
        by=cast["planner"],
    )
    return {
        "cm": cm, "lp": lp, "lamphun": lamphun, "udon": udon,
        "cm_s": cm_s, "nup1_s": nup1_s, "udon_s": udon_s, "cm_p": cm_p,
    }  # fmt: skip
