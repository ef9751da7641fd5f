"""What a gap count rests on: computed from the N of M member provinces with approved figures; the others
are "not yet known", never "no gap" — on the cluster tab, the cluster dashboard, the national summary and
the briefings."""

import pytest
from django.urls import reverse

from briefings.document import document
from briefings.rendering import document_html
from briefings.spec import BriefingSpec
from readiness import services as readiness_services
from readiness.choices import AssessmentStatus
from readiness.models import Assessment
from tests.readiness.conftest import fill

pytestmark = pytest.mark.django_db

NOT_YET_KNOWN = "ยังไม่ทราบ — ยังไม่มีผลการประเมินที่อนุมัติแล้ว"


def _basis(n: int, m: int = 4) -> str:
    return f"คำนวณจากจังหวัดที่มีผลการประเมินที่อนุมัติแล้ว {n} จาก {m} จังหวัด"


@pytest.fixture
def one_of_four(make_strategy, planner, round_2570, advisor):
    """Only Chiang Mai is approved, and nothing in it is weak: 0 uncovered gaps, resting on 1 of 4."""
    fill("TH-50", round_2570, level_for=lambda i, ind: 4, status=AssessmentStatus.APPROVED, by=advisor)
    fill("TH-52", round_2570, level_for=lambda i, ind: 1, status=AssessmentStatus.SUBMITTED)  # not approved
    make_strategy("TH-50", planner, title_th="ยกระดับด่านชายแดน", builds_place=True)
    return round_2570


def _text(response) -> str:
    return response.content.decode()


def test_it_states_the_basis_on_the_cluster_tab_and_dashboard(one_of_four, cast, client_for):
    client = client_for(cast["advisor"])
    response = client.get(reverse("decision_cluster", args=["N-UP1"]) + "?fy=2570")
    page = response.context["page"]
    assert (page.uncovered, page.approved_count, page.member_count) == (0, 1, 4)
    assert page.not_known == ["ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]
    html = _text(response)
    assert _basis(1) in html and NOT_YET_KNOWN in html
    assert "ลำพูน, ลำปาง, แม่ฮ่องสอน" in html
    dashboard = _text(client.get(reverse("cluster_dashboard", args=["N-UP1"])))
    assert _basis(1) in dashboard and "ลำพูน, ลำปาง, แม่ฮ่องสอน" in dashboard


def test_it_states_the_basis_in_the_national_summary(one_of_four, cast, client_for):
    response = client_for(cast["advisor"]).get(reverse("decision_national") + "?fy=2570")
    row = next(r for r in response.context["rows"] if r.cluster.code == "N-UP1")
    assert (row.uncovered, row.approved_count, row.member_count) == (0, 1, 4)
    assert row.not_known == ["ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]
    html = _text(response)
    assert _basis(1) in html and NOT_YET_KNOWN in html


def test_it_states_the_basis_in_the_briefings(one_of_four, advisor):
    cluster = document_html(document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=advisor))
    assert _basis(1) in cluster
    assert NOT_YET_KNOWN in cluster and "ลำพูน, ลำปาง, แม่ฮ่องสอน" in cluster
    national = document_html(document(BriefingSpec("national", "TH", 2570, "th"), viewer=advisor))
    assert "1 จาก 4" in national and "ลำพูน, ลำปาง, แม่ฮ่องสอน" in national


def test_it_says_4_of_4_when_every_member_is_approved(one_of_four, cast, client_for, advisor):
    for code in ("TH-51", "TH-58"):
        fill(code, one_of_four, level_for=lambda i, ind: 4, status=AssessmentStatus.APPROVED, by=advisor)
    readiness_services._approve(Assessment.objects.get(province__code="TH-52"), advisor)
    client = client_for(cast["advisor"])
    response = client.get(reverse("decision_cluster", args=["N-UP1"]) + "?fy=2570")
    assert response.context["page"].not_known == []
    html = _text(response)
    assert _basis(4) in html and NOT_YET_KNOWN not in html
    national = client.get(reverse("decision_national") + "?fy=2570")
    row = next(r for r in national.context["rows"] if r.cluster.code == "N-UP1")
    assert (row.approved_count, row.member_count, row.not_known) == (4, 4, [])
    briefing = document_html(document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=advisor))
    assert _basis(4) in briefing
