import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.map import PALETTE, class_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "klass"), [(0, 0), (24.9, 0), (25, 1), (49.9, 1), (50, 2), (75, 3), (100, 3), (None, None)]
)
def test_it_puts_scores_in_the_rubric_quarters(value, klass):
    assert class_of(value) == klass


def paths(html):
    """ISO code → fill of each province path."""
    return {
        code: fill
        for fill, code in re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*?data-code="(TH-\d\d)"', html)
    }


def test_it_colours_77_provinces_by_approved_score_and_hatches_the_rest(
    client_for, planner, advisor, filler, round_2570
):
    filler("TH-50", round_2570, level_for=lambda i, ind: 5, status="approved", by=advisor)  # 100
    filler("TH-52", round_2570, level_for=lambda i, ind: 2, status="approved", by=advisor)  # 25
    filler("TH-51", round_2570, level_for=lambda i, ind: 5, status="submitted")  # not approved: hatched
    html = client_for(planner).get(reverse("national_map")).content.decode()
    fills = paths(html)
    assert len(fills) == 77
    assert fills["TH-50"] == PALETTE[3] and fills["TH-52"] == PALETTE[1]
    assert fills["TH-51"] == "url(#no-data)" and fills["TH-10"] == "url(#no-data)"
    assert "CC BY 4.0" in html and "Tae Noppakun Wongsrinoppakun" in html
    # Links only to provinces the planner may open; every province has a title.
    assert html.count('<a href="/provinces/') == 1
    assert len(re.findall(r"<title>[^<]+</title></path>", html)) == 77


def test_it_colours_by_cluster_on_request(client_for, advisor, round_2570):
    html = client_for(advisor).get(reverse("national_map") + "?by=cluster").content.decode()
    fills = paths(html)
    assert fills["TH-50"] == fills["TH-52"] != fills["TH-41"]
    assert 'data-cluster="N-UP1"' in html


def test_it_shows_the_dashboards_in_a_fixed_number_of_queries(
    client_for, advisor, secretariat, filler, round_2569, round_2570
):
    def count(client, url):
        # Cold: the cached parts computed again, as after a write (the warm count is the benchmark's test).
        cache.clear()
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        return len(q)

    filler("TH-50", round_2570, status="approved", by=advisor)
    few = [
        count(client_for(advisor), "/dashboard/"),
        count(client_for(secretariat), "/dashboard/clusters/N-UP1/"),
        count(client_for(advisor), "/map/"),
    ]
    for code in ("TH-51", "TH-52", "TH-58", "TH-41", "TH-10", "TH-90"):
        filler(code, round_2569, status="approved", by=advisor)
        filler(code, round_2570, status="approved", by=advisor)
    many = [
        count(client_for(advisor), "/dashboard/"),
        count(client_for(secretariat), "/dashboard/clusters/N-UP1/"),
        count(client_for(advisor), "/map/"),
    ]
    assert few == many
