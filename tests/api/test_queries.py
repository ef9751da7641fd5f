"""The SQL query count of a page does not grow with the data: counted with few objects, then with many."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provinces.models import Province
from readiness.choices import AssessmentStatus
from readiness.models import Round
from strategies import services as strategy_services
from tests.readiness.conftest import fill

pytestmark = pytest.mark.django_db

URLS = [
    "/api/provinces/?page_size=200",
    "/api/provinces/TH-50/",
    "/api/clusters/",
    "/api/rounds/",
    "/api/assessments/",
    "/api/assessments/?cluster=N-UP1&fiscal_year=2570",
    "/api/strategies/",
    "/api/strategies/?quadrant=ก",
    "/api/projects/",
    "/api/rollups/clusters/N-UP1/?fiscal_year=2570",
    "/api/rollups/national/",
]


def counts(client) -> dict[str, int]:
    result = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response.json().get("results", True), url  # a fair count: never an empty page
        result[url] = len(queries)
    return result


def grow(cast, make_strategy):
    """Many more assessments (every state, two rounds), strategies and projects in many provinces."""
    advisor = cast["advisor"]
    r2569, r2570 = Round.objects.get(fiscal_year=2569), Round.objects.get(fiscal_year=2570)
    states = [AssessmentStatus.APPROVED, AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]
    codes = [
        "TH-50",
        "TH-51",
        "TH-52",
        "TH-58",
        "TH-38",
        "TH-39",
        "TH-42",
        "TH-43",
        "TH-10",
        "TH-11",
        "TH-12",
    ]
    for i, code in enumerate(codes):
        fill(code, r2569, status=AssessmentStatus.APPROVED, by=advisor)
        if not r2570.assessments.filter(province__code=code).exists():
            fill(code, r2570, status=states[i % 3], by=advisor)
    for i, code in enumerate(["TH-50", "TH-51", "N-UP1", "TH-42", "NE-UP1", "TH-50"] * 2):
        s = make_strategy(code, cast["admin"], a=(i % 5, 2, 4), n=(4 - i % 5, 2, 1))
        cluster_id = s.cluster_id or s.province.cluster_id
        members = list(Province.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True))
        for j in range(3):
            strategy_services.project_save(
                strategy=s,
                data=strategy_services.ProjectData(
                    title_th=f"โครงการ {i}-{j}",
                    lead_agency="จังหวัด",
                    budget=Decimal(1000 * (j + 1)),
                    funding_source="provincial",
                    start_fy=2570,
                    end_fy=2571,
                    province_ids=tuple(members[: j + 2]),
                    partners=("private", "academia"),
                ),
                by=cast["admin"],
            )


@pytest.mark.parametrize("role", ["planner", "secretariat", "advisor"])
def test_the_query_count_per_page_is_independent_of_data_size(api_world, api_for, cast, make_strategy, role):
    client = api_for(cast[role])
    few = counts(client)
    grow(cast, make_strategy)
    many = counts(client)
    assert many == few
    assert max(few.values()) <= 12


def test_the_grown_world_is_really_bigger(api_world, api_for, cast, make_strategy):
    client = api_for(cast["advisor"])
    before = client.get("/api/assessments/").json()["count"]
    grow(cast, make_strategy)
    assert client.get("/api/assessments/").json()["count"] >= before + 15
    assert client.get("/api/projects/").json()["count"] == 1 + 36
