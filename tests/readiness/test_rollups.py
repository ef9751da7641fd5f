"""Roll-ups keep the spread (min, max, lagging province); official figures are approved ones only; query
counts do not grow with the number of provinces."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provinces.models import Cluster, Province
from readiness import selectors

pytestmark = pytest.mark.django_db


def level(value):
    return lambda i, ind: value


def test_it_gives_each_dimension_mean_min_max_and_lagging_province(filler, round_2570, advisor):
    filler("TH-50", round_2570, level_for=level(5), status="approved", by=advisor)  # 100
    filler("TH-51", round_2570, level_for=level(2), status="approved", by=advisor)  # 25
    filler("TH-52", round_2570, level_for=level(3), status="approved", by=advisor)  # 50
    rollup = selectors.cluster_rollup(cluster=Cluster.objects.get(code="N-UP1"), round=round_2570)
    place = rollup.spreads["place"]
    assert (place.mean, place.min, place.max, place.lagging.code, place.count) == (
        pytest.approx(175 / 3),
        25,
        100,
        "TH-51",
        3,
    )
    assert [r.province.code for r in rollup.rows] == ["TH-50", "TH-51", "TH-52", "TH-58"]
    assert rollup.rows[3].values == {}  # Mae Hong Son has not started: no figures, not zero


def test_it_counts_only_approved_assessments_unless_asked(filler, round_2570, advisor):
    filler("TH-50", round_2570, level_for=level(5), status="approved", by=advisor)
    filler("TH-51", round_2570, level_for=level(1), status="submitted")
    cluster = Cluster.objects.get(code="N-UP1")
    official = selectors.cluster_rollup(cluster=cluster, round=round_2570)
    assert official.spreads["overall"].mean == 100 and official.spreads["overall"].count == 1
    everything = selectors.cluster_rollup(cluster=cluster, round=round_2570, include_unapproved=True)
    assert everything.spreads["overall"].mean == 50
    lamphun = next(r for r in everything.rows if r.province.code == "TH-51")
    assert not lamphun.official


def test_it_compares_with_last_round_province_by_province(filler, round_2569, round_2570, advisor):
    filler("TH-50", round_2569, level_for=level(2), status="approved", by=advisor)  # 25
    filler(
        "TH-51", round_2569, level_for=level(5), status="approved", by=advisor
    )  # 100, not yet approved this year
    filler("TH-50", round_2570, level_for=level(3), status="approved", by=advisor)  # 50
    rollup = selectors.cluster_rollup(cluster=Cluster.objects.get(code="N-UP1"), round=round_2570)
    assert rollup.rows[0].change("place") == 25
    assert rollup.change("place") == 25  # like with like: Lamphun's 100 last year does not drag the mean


def test_it_rolls_clusters_and_bangkok_up_to_the_nation(filler, round_2570, advisor):
    filler("TH-10", round_2570, level_for=level(5), status="approved", by=advisor)
    filler("TH-50", round_2570, level_for=level(1), status="approved", by=advisor)
    clusters, nation = selectors.national_rollup(round=round_2570)
    assert len(clusters) == 19 and clusters[-1].cluster is None
    assert clusters[-1].rollup.spreads["overall"].mean == 100
    assert nation.spreads["overall"].lagging.code == "TH-50"
    assert nation.spreads["overall"].mean == 50


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/readiness/provinces/TH-50/2570/",
        "/readiness/clusters/N-UP1/?fy=2570",
        "/readiness/clusters/N-UP1/?fy=2570&all=1",
        "/readiness/national/?fy=2570",
        "/readiness/national/?fy=2570&all=1",
        "/readiness/review/",
    ],
)
def test_it_uses_the_same_number_of_queries_for_3_and_77_provinces(
    client_for, advisor, filler, round_2569, round_2570, url
):
    from readiness.models import Evidence

    codes = list(Province.objects.order_by("code").values_list("code", flat=True))
    few = ["TH-50", "TH-51", "TH-52"]
    for code in few:
        filler(code, round_2569, status="approved", by=advisor)
        filler(code, round_2570, status="submitted" if code != "TH-50" else "approved", by=advisor)
    client = client_for(advisor)
    small = _count(client, url)
    for code in codes:
        if code not in few:
            filler(code, round_2569, status="approved", by=advisor)
            filler(code, round_2570, status="submitted", by=advisor)
    answer = Province.objects.get(code="TH-50").assessments.get(round=round_2570).answers.first()
    Evidence.objects.bulk_create(
        Evidence(answer=answer, kind="link", url=f"https://e.go.th/{i}") for i in range(20)
    )
    large = _count(client, url)
    assert small == large
