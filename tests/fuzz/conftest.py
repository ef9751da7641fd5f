"""Fixtures of the fuzz tests: the world every form acts on (the harness is in harness.py)."""

from decimal import Decimal

import pytest

from readiness.choices import AssessmentStatus
from tests.readiness.conftest import fill
from tests.strategies.conftest import criteria, make_strategy  # noqa: F401 (fixtures)

from .harness import EXAMPLES, World


def pytest_terminal_summary(terminalreporter):
    if EXAMPLES["count"]:
        terminalreporter.write_line(
            f"fuzz: {EXAMPLES['count']} generated cases ran, {EXAMPLES['refused']} of them refused"
        )


@pytest.fixture
def world(request, cast, round_2570):
    """FY 2570 open: Chiang Mai's draft (planner), Lampang's submitted assessment, Lamphun approved; strategies
    of Chiang Mai (a draft with a project; one proposed) and of N-UP1; evidence (a link) on one answer."""
    from readiness import services as readiness_services
    from strategies import services as strategy_services

    make = request.getfixturevalue("make_strategy")
    planner, advisor = cast["planner"], cast["advisor"]
    cm = readiness_services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    answer = cm.answers.select_related("indicator").order_by("indicator__position").first()
    evidence = readiness_services.evidence_add_link(
        answer=answer, url="https://example.org/report", title="รายงาน", by=planner
    )
    lampang = fill("TH-52", round_2570, status=AssessmentStatus.SUBMITTED)
    lamphun = fill("TH-51", round_2570, status=AssessmentStatus.APPROVED, by=advisor)
    draft = make("TH-50", planner, a=(4, 4, 4), n=(3, 3, 3))
    proposed = make("TH-50", planner, title_th="ยุทธศาสตร์ที่เสนอแล้ว", a=(1, 1, 1))
    strategy_services.strategy_propose(strategy=proposed, by=planner)
    cluster_strategy = make("N-UP1", cast["secretariat"], title_th="ยกระดับด่านชายแดนกลุ่มจังหวัด")
    project = strategy_services.project_save(
        strategy=draft,
        data=strategy_services.ProjectData(
            title_th="ปรับปรุงด่านศุลกากร",
            lead_agency="สำนักงานจังหวัด",
            budget=Decimal("1500000.00"),
            funding_source="provincial",
            start_fy=2570,
            end_fy=2571,
        ),
        by=planner,
    )
    return World(
        cast=cast,
        round=round_2570,
        cm=cm,
        answer=answer,
        answers=list(cm.answers.select_related("indicator").order_by("indicator__position")),
        evidence=evidence,
        lampang=lampang,
        lamphun=lamphun,
        draft=draft,
        proposed=proposed,
        cluster_strategy=cluster_strategy,
        project=project,
    )
