"""Malformed filters and keys: a 400 (filters) or 404 (keys) with a message, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD_FILTERS = [
    ("/api/assessments/?fiscal_year=abc", "fiscal_year"),
    ("/api/assessments/?fiscal_year=25700", "fiscal_year"),
    ("/api/assessments/?fiscal_year=2026", "fiscal_year"),  # a Christian-era year
    ("/api/assessments/?fiscal_year=" + "9" * 400, "fiscal_year"),
    ("/api/assessments/?cluster=<script>alert(1)</script>", "cluster"),
    ("/api/assessments/?province=50", "province"),
    ("/api/assessments/?province=TH-50'--", "province"),
    ("/api/provinces/?cluster=<script>", "cluster"),
    ("/api/provinces/?region=north;drop", "region"),
    ("/api/strategies/?quadrant=x", "quadrant"),
    ("/api/strategies/?quadrant=กข", "quadrant"),
    ("/api/strategies/?fiscal_year=2570.5", "fiscal_year"),
    ("/api/strategies/?cluster=N-UP1%00", "cluster"),
    ("/api/projects/?strategy=abc", "strategy"),
    ("/api/projects/?strategy=-1", "strategy"),
    ("/api/projects/?strategy=99999999999999999999999", "strategy"),
    ("/api/rollups/national/?fiscal_year=abc", "fiscal_year"),
    ("/api/rollups/national/?include_unapproved=maybe", "include_unapproved"),
    ("/api/rollups/clusters/N-UP1/?fiscal_year=<b>", "fiscal_year"),
    ("/api/provinces/?page=abc", "page"),
    ("/api/provinces/?page=0", "page"),
    ("/api/provinces/?page_size=abc", "page_size"),
    ("/api/provinces/?page_size=201", "page_size"),
]


@pytest.mark.parametrize(("url", "param"), BAD_FILTERS)
def test_a_malformed_filter_is_a_400_with_a_message(api_world, api_for, cast, url, param):
    response = api_for(cast["advisor"]).get(url)
    assert response.status_code == 400, response.content
    messages = response.json()[param]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert "<script>" not in response.content.decode()  # the value is not echoed


def test_the_message_is_thai_first_like_the_site(api_world, api_for, cast):
    response = api_for(cast["advisor"]).get("/api/assessments/?fiscal_year=abc")
    assert response.status_code == 400
    assert "พุทธศักราช" in response.json()["fiscal_year"][0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/assessments/abc/",
        "/api/assessments/99999999999999999999999/",
        "/api/assessments/1e3/",
        "/api/strategies/%3Cscript%3E/",
        "/api/projects/-1/",
        "/api/rounds/abc/",
        "/api/rounds/99999/",
        "/api/provinces/TH-99/",
        "/api/provinces/%3Cscript%3E/",
        "/api/clusters/XX-1/",
        "/api/rollups/clusters/%3Cscript%3E/",
        "/api/provinces/?page=999",
    ],
)
def test_a_malformed_or_unknown_key_is_a_404(api_world, api_for, cast, url):
    response = api_for(cast["admin"]).get(url)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_well_formed_filters_that_match_nothing_give_an_empty_page(api_world, api_for, cast):
    client = api_for(cast["planner"])
    for url in [
        "/api/assessments/?cluster=NE-UP1",
        "/api/assessments/?province=TH-99",
        "/api/assessments/?fiscal_year=2600",
        "/api/strategies/?province=TH-41",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_an_empty_filter_is_no_filter(api_world, api_for, cast):
    response = api_for(cast["advisor"]).get("/api/assessments/?fiscal_year=&cluster=")
    assert response.status_code == 200
    assert response.json()["count"] == 4
