"""Trends over the years in a briefing: each dimension's approved score round by round (the province's, the
mean of a cluster's members, the nation's), and the strategies' quadrants year by year."""

import datetime as dt
import re

import pytest

from briefings.document import document
from briefings.spec import BriefingSpec
from provinces.models import Province
from readiness import services as readiness_services
from readiness.charts import trend_lines
from readiness.models import Round
from readiness.selectors import score_history
from strategies.models import Strategy

from .conftest import level

pytestmark = pytest.mark.django_db


def _section(doc, key):
    return next((s for s in doc.sections if s.key == key), None)


@pytest.fixture
def three_rounds(filler, round_2569, round_2570, advisor):
    """FY 2568 (closed): Chiang Mai at level 1. FY 2569: Chiang Mai at 2, Lampang at 4. FY 2570: Chiang Mai
    at 4, Lampang submitted only (not approved: it does not count)."""
    round_2568 = Round.objects.create(
        fiscal_year=2568, opens_on=dt.date(2024, 11, 1), closes_on=dt.date(2025, 1, 31), status="closed"
    )
    readiness_services.framework_load(round=round_2568)
    filler("TH-50", round_2568, level_for=level(1), status="approved", by=advisor)
    filler("TH-50", round_2569, level_for=level(2), status="approved", by=advisor)
    filler("TH-52", round_2569, level_for=level(4), status="approved", by=advisor)
    filler("TH-50", round_2570, level_for=level(4), status="approved", by=advisor)
    filler("TH-52", round_2570, level_for=level(5), status="submitted")
    return round_2570


def test_it_follows_a_province_and_the_mean_of_a_cluster_round_by_round(three_rounds):
    cm = Province.objects.get(code="TH-50").pk
    lampang = Province.objects.get(code="TH-52").pk
    alone = score_history(province_ids=[cm], until=three_rounds)
    assert [p.fiscal_year for p in alone] == [2568, 2569, 2570]
    overall = [p.values["overall"] for p in alone]
    assert overall[0] < overall[1] < overall[2]  # levels 1, 2, 4
    both = score_history(province_ids=[cm, lampang], until=three_rounds)
    assert [p.counted for p in both] == [1, 2, 1]  # Lampang's FY 2570 is not approved: not counted
    assert both[1].values["place"] == pytest.approx((alone[1].values["place"] + score_history(province_ids=[lampang], until=three_rounds)[1].values["place"]) / 2)  # fmt: skip
    assert both[2].values == alone[2].values


def test_the_chart_draws_a_line_per_dimension_and_leaves_a_gap_for_a_round_without_figures():
    points = [(2566, {"place": 40, "product": 30, "people": 20, "overall": 30}),
              (2567, {"place": None, "product": None, "people": None, "overall": None}),
              (2568, {"place": 50, "product": 45, "people": 42, "overall": 46}),
              (2569, {"place": 55, "product": 50, "people": 47, "overall": 51})]  # fmt: skip
    svg = str(trend_lines(points, labels={"place": "พื้นที่", "product": "ผลิตภัณฑ์", "people": "คน"},
                          title="t", overall_label="รวม", no_data_label="ไม่มี"))  # fmt: skip
    # 2566 stands alone (the gap after it), 2568–2569 make one segment: one polyline per dimension.
    assert re.findall(r'class="trend trend-(\w+)"', svg) == ["place", "product", "people", "overall"]
    assert svg.count("<circle") == 4 * 3
    assert 'font-family="Sarabun, sans-serif"' in svg and ">55<" in svg  # the last values printed


def test_a_briefing_shows_the_trend_and_the_quadrants_by_year(three_rounds, make_strategy_at, advisor):
    for fy, quadrant_high in ((2569, True), (2570, True), (2570, False)):
        make_strategy_at(fy, high=quadrant_high)
    doc = document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=advisor)
    trends = _section(doc, "trends")
    assert trends is not None
    assert [p.counted for p in trends.context["history"]] == [1, 2, 1]
    assert [(fy, counts["ก"], counts["ง"], total) for fy, counts, total in trends.context["years"]] == [
        (2569, 1, 0, 1),
        (2570, 1, 1, 2),
    ]
    assert "trend-overall" in str(trends.context["chart"])


def test_there_is_no_trend_section_with_a_single_year(filler, round_2570, advisor):
    filler("TH-50", round_2570, level_for=level(3), status="approved", by=advisor)
    doc = document(BriefingSpec("province", "TH-50", 2570, "th"), viewer=advisor)
    assert _section(doc, "trends") is None


@pytest.fixture
def make_strategy_at():
    def make(fy: int, *, high: bool) -> Strategy:
        effect = 80 if high else 20
        return Strategy.objects.create(
            province=Province.objects.get(code="TH-50"), fiscal_year=fy, status="endorsed", work_area="development",
            pillar="economic", title_th=f"ยุทธศาสตร์ปี {fy}", asean_effect=effect, national_effect=effect,
        )  # fmt: skip

    return make
