"""The printed matrix can be read without hovering: each point carries the number of its row in the key
beneath, quadrant by quadrant; the national briefing lists the largest strategies of each quadrant with
the totals of the rest instead of hundreds of rows."""

import re
from decimal import Decimal

import pytest

from briefings.document import document
from briefings.rendering import document_html
from briefings.sections import TOP_PER_QUADRANT
from briefings.spec import BriefingSpec
from provinces.models import Cluster, Province
from strategies.models import Project, Strategy

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"point-number[^>]*>(\d+)<")  # the SVG's text, or the printed chart's span


def _strategy(i: int, owner: dict, asean: float, national: float, budget: int) -> Strategy:
    s = Strategy.objects.create(
        **owner, fiscal_year=2570, status="endorsed", work_area="development", pillar="economic",
        title_th=f"ยุทธศาสตร์ทดสอบที่ {i:03d}", builds_place=True, asean_effect=asean, national_effect=national,
    )  # fmt: skip
    Project.objects.create(
        strategy=s, title_th=f"โครงการ {i}", lead_agency="สำนักงานจังหวัด", budget=Decimal(budget),
        funding_source="provincial", start_fy=2570, end_fy=2570,
    )  # fmt: skip
    return s


@pytest.fixture
def many(round_2570):
    """14 strategies in quadrant ก across the country (budgets 1–14 million), 2 in ง."""
    provinces = list(Province.objects.order_by("code")[:16])
    made = [_strategy(i, {"province": provinces[i]}, 70, 70, (i + 1) * 1_000_000) for i in range(14)]
    made += [_strategy(14 + i, {"province": provinces[14 + i]}, 20, 20, 500_000) for i in range(2)]
    return made


def _section(doc, key):
    return next(s for s in doc.sections if s.key == key)


def test_the_national_key_lists_the_largest_of_each_quadrant_with_the_totals_of_the_rest(many, advisor):
    doc = document(BriefingSpec("national", "TH", 2570, "en"), viewer=advisor)
    key = {q.letter: q for q in _section(doc, "strategies").context["key"]}
    first = key["ก"]
    assert first.count == 14 and first.budget == Decimal(105_000_000)  # 1 + 2 + … + 14 million
    assert len(first.rows) == TOP_PER_QUADRANT and first.more == 14 - TOP_PER_QUADRANT
    assert [s.title_th[-3:] for _n, s in first.rows][:2] == ["013", "012"]  # the largest first
    assert first.more_budget == Decimal(10_000_000)  # the four smallest: 1 + 2 + 3 + 4 million
    assert [n for n, _s in key["ง"].rows] == [11, 12]  # numbering runs on across the quadrants
    html = document_html(doc)
    assert "and 4 more strategies" in html
    # Every listed strategy's number is on the matrix, and only those.
    assert sorted(map(int, NUMBER.findall(str(_section(doc, "strategies").context["matrix"])))) == list(
        range(1, 13)
    )


def test_a_cluster_briefing_numbers_every_strategy_in_the_key_and_on_the_matrix(round_2570, advisor):
    members = list(Province.objects.filter(cluster__code="N-UP1").order_by("code"))
    for i, p in enumerate(members):
        _strategy(i, {"province": p}, 30 + 15 * i, 60, 1_000_000)
    _strategy(9, {"cluster": Cluster.objects.get(code="N-UP1")}, 80, 20, 2_000_000)
    doc = document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=advisor)
    context = _section(doc, "strategies").context
    numbered = [n for q in context["key"] for n, _s in q.rows]
    assert numbered == list(range(1, len(members) + 2)) and all(q.more == 0 for q in context["key"])
    assert sorted(map(int, NUMBER.findall(str(context["matrix"])))) == numbered
    html = document_html(doc)
    assert "ลำดับ" in html and "และอีก" not in html


def test_routine_endorsements_are_counted_and_the_rest_of_the_decisions_listed(many, advisor):
    from strategies.models import StrategyReview

    for s in many[:5]:
        StrategyReview.objects.create(strategy=s, kind="endorsed", text="", author=advisor)
    StrategyReview.objects.create(strategy=many[5], kind="endorsed", text="ขอให้เร่งดำเนินการ", author=advisor)
    StrategyReview.objects.create(strategy=many[6], kind="returned", text="ปรับงบประมาณ", author=advisor)
    # The same comment on three endorsements (spacing aside) is routine too; a returned one never is.
    for s, text in zip(many[7:10], ["ผ่านเกณฑ์", " ผ่านเกณฑ์ ", "ผ่านเกณฑ์"], strict=True):
        StrategyReview.objects.create(strategy=s, kind="endorsed", text=text, author=advisor)
    context = _section(
        document(BriefingSpec("national", "TH", 2570, "en"), viewer=advisor), "strategies"
    ).context
    assert context["routine"] == 5
    assert context["routine_comments"] == [("ผ่านเกณฑ์", 3)]
    assert sorted(d.text for d in context["decisions"]) == ["ขอให้เร่งดำเนินการ", "ปรับงบประมาณ"]
    html = document_html(document(BriefingSpec("national", "TH", 2570, "th"), viewer=advisor))
    assert "ยุทธศาสตร์ที่เห็นชอบโดยไม่มีความเห็น 5 รายการ" in html
    assert "ยุทธศาสตร์ที่เห็นชอบด้วยความเห็นเดียวกัน “ผ่านเกณฑ์” 3 รายการ" in html


def test_the_national_briefing_counts_each_clusters_strategies_by_quadrant(many, advisor):
    from provinces.models import Province

    context = _section(
        document(BriefingSpec("national", "TH", 2570, "en"), viewer=advisor), "strategies"
    ).context
    rows = context["by_cluster"]
    # Every strategy once, under its province's cluster (Bangkok's apart, last).
    assert sum(r.count for r in rows) == len(many) == 16
    assert sum(r.cells["ก"][0] for r in rows) == 14 and sum(r.cells["ง"][0] for r in rows) == 2
    assert sum((r.budget for r in rows), Decimal(0)) == Decimal(105_000_000 + 1_000_000)
    assert Province.objects.get(pk=many[0].province_id).code == "TH-10"  # Bangkok owns the first
    assert rows[-1].name == "Bangkok (no cluster)" and rows[-1].count == 1
    html = document_html(document(BriefingSpec("national", "TH", 2570, "en"), viewer=advisor))
    assert "Quadrants by provincial cluster" in html
