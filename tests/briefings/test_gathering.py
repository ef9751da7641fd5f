"""Gathering a briefing's data costs a fixed number of queries, however many provinces have data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.document import document
from briefings.spec import BriefingSpec
from readiness.models import Answer

from .conftest import N_UP1, level

pytestmark = pytest.mark.django_db


def _approve_then_edit(filler, code, round, advisor):
    """An approved assessment edited afterwards: it feeds every section, the appendix included."""
    assessment = filler(code, round, level_for=level(3), status="approved", by=advisor)
    Answer.objects.filter(assessment=assessment, indicator__position__lte=3).update(
        level=5, justification="ใหม่"
    )
    assessment.status = "draft"
    assessment.save()


def _strategies(count: int) -> None:
    """Endorsed cluster strategies with a project each (the strategies, projects and decision sections)."""
    from decimal import Decimal

    from provinces.models import Cluster, Province
    from strategies.models import Project, Strategy

    cluster = Cluster.objects.get(code="N-UP1")
    members = list(Province.objects.filter(cluster=cluster))
    for i in range(count):
        s = Strategy.objects.create(
            cluster=cluster, fiscal_year=2570, title_th=f"ยกระดับด่านชายแดน {i}", work_area="development",
            pillar="economic", status="endorsed", asean_effect=60, national_effect=40 + i,
        )  # fmt: skip
        p = Project.objects.create(
            strategy=s, title_th=f"โครงการ {i}", lead_agency="จังหวัด", budget=Decimal(10**6 * (i + 1)),
            funding_source="cluster", start_fy=2570, end_fy=2570,
        )  # fmt: skip
        p.provinces.set(members[:2])


def _queries(spec: BriefingSpec, viewer) -> int:
    # Cold: the roll-ups cached by data version computed again, as for a document after a write.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        doc = document(spec, viewer=viewer)
    assert doc.sections
    return len(queries)


@pytest.mark.parametrize("include_unapproved", [False, True])
def test_it_gathers_a_cluster_briefing_in_the_same_queries_for_one_or_all_provinces(
    filler, round_2569, round_2570, advisor, include_unapproved
):
    spec = BriefingSpec("cluster", "N-UP1", 2570, include_unapproved=include_unapproved)
    filler(N_UP1[0], round_2569, level_for=level(2), status="approved", by=advisor)
    _approve_then_edit(filler, N_UP1[0], round_2570, advisor)
    _strategies(1)
    one = _queries(spec, advisor)
    for code in N_UP1[1:]:
        filler(code, round_2569, level_for=level(2), status="approved", by=advisor)
        _approve_then_edit(filler, code, round_2570, advisor)
    _strategies(12)
    doc = document(spec, viewer=advisor)
    assert len(doc.sections[-1].context["changed"]) == 4  # the appendix lists all four
    assert _queries(spec, advisor) == one
    assert one <= 45


def test_it_gathers_the_national_briefing_in_the_same_queries_for_few_or_many_provinces(
    filler, round_2570, advisor
):
    spec = BriefingSpec("national", "TH", 2570, include_unapproved=True)
    _approve_then_edit(filler, "TH-10", round_2570, advisor)
    few = _queries(spec, advisor)
    for code in ["TH-41", "TH-50", "TH-90", "TH-20", "TH-30"]:
        _approve_then_edit(filler, code, round_2570, advisor)
    assert _queries(spec, advisor) == few
