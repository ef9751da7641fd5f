"""Official figures agree everywhere. A province's official figure for a round is its latest approved
version — also while a newer one is being edited, submitted or returned — and its status shown is then
"approved". Random workflows (start, answer, edit after approval, submit, return, approve, copy forward) run
through the real services; after each, the cluster page, the national roll-up, the national dashboard, the
map page and both API roll-ups must show as many approved provinces as provinces in their official
averages, agree with each other, and agree with an oracle read straight from the approval snapshots.

Size: 30 generated workflows (derandomised, as tests/fuzz), plus two fixed ones, in about a minute.
"""

import re
from decimal import Decimal
from statistics import mean

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefings.document import document
from briefings.rendering import document_html
from briefings.spec import BriefingSpec
from provinces.models import Cluster, Province
from readiness import charts, scoring, selectors, services
from readiness.choices import AssessmentStatus
from readiness.map import NO_DATA
from readiness.models import Answer, ApprovalSnapshot, Assessment
from readiness.templatetags.readiness_tags import score

from .conftest import fill

pytestmark = pytest.mark.django_db

MEMBERS = ["TH-50", "TH-51", "TH-52", "TH-58"]  # Upper Northern Cluster 1 (N-UP1)
ACTIONS = ["answer", "edit", "submit", "return", "approve", "copy"]


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- the workflow, through the real services ----------------------------------------------------------


def _assessment(code: str, round, by) -> Assessment:
    province = Province.objects.get(code=code)
    return services.assessment_start(province=province, round=round, by=by)


def _answer(assessment: Assessment, dimension: str, pick: int, level: int, by) -> None:
    answers = list(
        Answer.objects.filter(assessment=assessment, indicator__dimension=dimension).order_by(
            "indicator__position"
        )
    )
    answer = answers[pick % len(answers)]
    services.answer_save(
        answer=answer, level=level, justification=f"ระดับ {level}", expected_version=answer.version, by=by
    )


def run(step, round, planner, advisor) -> None:
    """One step of a workflow; a step the product refuses (WorkflowError) changes nothing and is skipped."""
    code, action, level, pick = step
    try:
        assessment = _assessment(code, round, planner)
        if action == "answer":  # one indicator of each dimension, so that an approved version has all three
            for dimension in scoring.DIMENSIONS:
                _answer(assessment, dimension, pick, level, planner)
        elif action == "edit":  # after approval this reopens the assessment as a draft
            _answer(assessment, scoring.DIMENSIONS[pick % 3], pick, level, planner)
        elif action == "submit":
            services.assessment_submit(assessment=assessment, by=planner)
        elif action == "return":
            services.assessment_return(assessment=assessment, by=advisor, comment="โปรดทบทวน")
        elif action == "approve":
            if assessment.status != AssessmentStatus.SUBMITTED:
                services.assessment_submit(assessment=assessment, by=planner)
            services.assessment_approve(assessment=assessment, by=advisor)
        elif action == "copy":
            services.assessment_copy_forward(assessment=assessment, by=planner)
    except services.WorkflowError:
        pass


# --- the oracle: straight from the snapshots -----------------------------------------------------------


def oracle(round) -> dict:
    """province code → (latest approved snapshot or None, the assessment's status now or "")."""
    result = {}
    for province in Province.objects.order_by("code"):
        assessment = Assessment.objects.filter(province=province, round=round).first()
        snapshot = (
            ApprovalSnapshot.objects.filter(assessment=assessment).order_by("-approved_at", "-pk").first()
            if assessment
            else None
        )
        result[province.code] = (snapshot, assessment.status if assessment else "")
    return result


def shown(value) -> float | None:
    return None if value is None else float(scoring.rounded(value))


# --- reading what the pages show ----------------------------------------------------------------------

ROW = re.compile(r'<tr data-province="(TH-\d\d)" data-status="(\w*)" data-approved="([01])">(.*?)</tr>', re.S)


def table_rows(html: str) -> dict[str, tuple[str, bool, str]]:
    """province → (status, approved, the status badge's text) of a roll-up table."""
    rows = {}
    for code, status, approved, body in ROW.findall(html):
        label = re.search(r"data-status-label>([^<]*)<", body)
        rows[code] = (status, approved == "1", label.group(1) if label else "")
    return rows


def approved_count_of(html: str, marker: str) -> int:
    found = re.search(marker + r'[^>]*data-approved-count="(\d+)"', html)
    assert found, marker
    return int(found.group(1))


def map_fills(html: str) -> dict[str, str]:
    return {
        code: fill
        for fill, code in re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*?data-code="(TH-\d\d)"', html)
    }


def check_everything_agrees(client, advisor, round) -> None:
    truth = oracle(round)
    approved = {code for code, (snap, _s) in truth.items() if snap}
    members = [c for c in MEMBERS if c in approved]
    expected_mean = mean(truth[c][0].overall for c in members) if members else None
    label = {s.value: str(s.label) for s in AssessmentStatus}

    # The API: approved_count, the spread's count and each row's status agree; rounded as the pages.
    data = api(advisor).get(f"/api/rollups/clusters/N-UP1/?fiscal_year={round.fiscal_year}").json()
    overall = data["spread"]["overall"]
    assert data["approved_count"] == overall["count"] == len(members)
    assert [r["province"] for r in data["rows"] if r["status"] == "approved"] == members
    assert [r["province"] for r in data["rows"] if r["values"]] == members
    assert overall["mean"] == shown(expected_mean)
    assert (overall["lagging"] is None) == (len(members) < 2)
    data = api(advisor).get(f"/api/rollups/national/?fiscal_year={round.fiscal_year}").json()
    assert data["approved_count"] == data["spread"]["overall"]["count"] == len(approved)
    cluster = next(r for r in data["rows"] if r["cluster"] == "N-UP1")
    assert cluster["approved_count"] == cluster["spread"]["overall"]["count"] == len(members)

    # The cluster page: the sentence, every row's status badge and the official values agree.
    html = client.get(f"/readiness/clusters/N-UP1/?fy={round.fiscal_year}").content.decode()
    assert approved_count_of(html, "<p") == len(members)
    sentence = gettext("%(n)s of %(total)s member provinces approved.") % {"n": len(members), "total": 4}
    assert sentence in html
    rows = table_rows(html)
    assert set(rows) == set(MEMBERS)
    for code, (status, is_approved, badge) in rows.items():
        snapshot, now = truth[code]
        assert is_approved == (snapshot is not None), code
        assert status == (AssessmentStatus.APPROVED if snapshot else now), code
        assert badge == label.get(status, ""), code
    assert ("data-too-few" in html) == (len(members) < 2)

    # The same page with unapproved figures: the rows say the status they are in now.
    html = client.get(f"/readiness/clusters/N-UP1/?fy={round.fiscal_year}&all=1").content.decode()
    for code, (status, is_approved, badge) in table_rows(html).items():
        snapshot, now = truth[code]
        assert status == now and badge == label.get(now, ""), code
        assert is_approved == (now == AssessmentStatus.APPROVED), code

    # The national roll-up page: the cluster's row and the country's.
    html = client.get(f"/readiness/national/?fy={round.fiscal_year}").content.decode()
    assert approved_count_of(html, 'data-cluster="N-UP1"') == len(members)
    assert approved_count_of(html, 'data-cluster="nation"') == len(approved)

    # The national dashboard: its card, the ranking (marked when incomplete) and its map.
    html = client.get("/dashboard/").content.decode()
    assert approved_count_of(html, "<div") == len(approved)
    ranking = re.search(r'<tr data-cluster="N-UP1".*?</tr>', html, re.S).group(0)
    assert approved_count_of(ranking, "<tr") == len(members)
    assert ("data-incomplete" in ranking) == (len(members) < 4)
    fills = map_fills(html)
    assert {code for code, fill in fills.items() if fill != NO_DATA} == approved

    # The map page colours exactly the approved provinces.
    fills = map_fills(client.get(f"/map/?fy={round.fiscal_year}").content.decode())
    assert {code for code, fill in fills.items() if fill != NO_DATA} == approved


STEP = st.tuples(st.sampled_from(MEMBERS), st.sampled_from(ACTIONS), st.integers(1, 5), st.integers(0, 9))


@pytest.fixture
def world(round_2569, round_2570, advisor):
    """Last round approved for Chiang Mai and Lamphun (so they can copy forward)."""
    fill("TH-50", round_2569, level_for=lambda i, ind: 3, status=AssessmentStatus.APPROVED, by=advisor)
    fill("TH-51", round_2569, level_for=lambda i, ind: 4, status=AssessmentStatus.APPROVED, by=advisor)
    return round_2570


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # the case: approved, then edited by the planner (a draft with its approved version kept)
    steps=[
        ("TH-50", "answer", 4, 0),
        ("TH-50", "approve", 1, 0),
        ("TH-52", "answer", 2, 1),
        ("TH-52", "approve", 1, 0),
        ("TH-50", "edit", 5, 3),
    ]
)
@example(  # approved, copied forward elsewhere, edited, resubmitted and returned
    steps=[
        ("TH-51", "copy", 1, 0),
        ("TH-51", "approve", 1, 0),
        ("TH-51", "edit", 1, 2),
        ("TH-51", "submit", 1, 0),
        ("TH-51", "return", 1, 0),
        ("TH-58", "answer", 5, 4),
        ("TH-58", "approve", 1, 0),
    ]
)
@given(steps=st.lists(STEP, min_size=1, max_size=10))
def test_it_shows_the_same_official_figures_on_every_page_and_in_the_api(
    world, admin_user, advisor, client_for, steps
):
    client = client_for(advisor)
    with transaction.atomic():
        for step in steps:
            run(step, world, admin_user, advisor)
        with translation.override("th"):
            check_everything_agrees(client, advisor, world)
        transaction.set_rollback(True)


# --- fixed cases ----------------------------------------------------------------------------------------


def reopen(assessment: Assessment, by) -> None:
    """The planner edits an approved assessment (through the service: it becomes a draft again)."""
    answer = assessment.answers.order_by("indicator__position").first()
    services.answer_save(
        answer=answer, level=1 if answer.level != 1 else 2, justification="แก้ไข", expected_version=0, by=by
    )


def test_it_keeps_the_approved_version_as_the_official_figure_while_a_draft_is_revised(
    round_2570, advisor, admin_user
):
    lamphun = fill(
        "TH-51", round_2570, level_for=lambda i, ind: 5, status=AssessmentStatus.APPROVED, by=advisor
    )
    reopen(lamphun, admin_user)
    lamphun.refresh_from_db()
    assert lamphun.status == AssessmentStatus.DRAFT
    rollup = selectors.cluster_rollup(cluster=Cluster.objects.get(code="N-UP1"), round=round_2570)
    assert rollup.approved_count == rollup.spreads["overall"].count == 1
    row = rollup.rows[1]
    assert (row.province.code, row.status, row.revising, row.values["overall"]) == (
        "TH-51", AssessmentStatus.APPROVED, True, 100,
    )  # fmt: skip
    figure = selectors.official_figure(lamphun)
    assert (figure.official, figure.status, figure.revising) == (True, AssessmentStatus.APPROVED, True)


def test_the_approved_only_province_briefing_says_approved_and_the_draft_one_says_draft(
    round_2570, advisor, admin_user
):
    lamphun = fill(
        "TH-51", round_2570, level_for=lambda i, ind: 5, status=AssessmentStatus.APPROVED, by=advisor
    )
    reopen(lamphun, admin_user)
    approved, draft = str(AssessmentStatus.APPROVED.label), str(AssessmentStatus.DRAFT.label)
    with translation.override("th"):
        approved, draft = str(AssessmentStatus.APPROVED.label), str(AssessmentStatus.DRAFT.label)
    official = document_html(document(BriefingSpec("province", "TH-51", 2570), viewer=advisor))
    status = re.search(r'<span class="badge badge-(\w+)">([^<]*)</span>', official)
    assert status.groups() == ("approved", approved)
    assert f">{draft}</span>" not in official
    unapproved = document_html(
        document(BriefingSpec("province", "TH-51", 2570, include_unapproved=True), viewer=advisor)
    )
    status = re.search(r'<span class="badge badge-(\w+)">([^<]*)</span>', unapproved)
    assert status.groups() == ("draft", draft)


def test_the_draft_national_briefing_does_not_call_its_map_approved(round_2570, advisor):
    fill("TH-50", round_2570, level_for=lambda i, ind: 4, status=AssessmentStatus.SUBMITTED)
    fill("TH-52", round_2570, level_for=lambda i, ind: 2, status=AssessmentStatus.APPROVED, by=advisor)
    with translation.override("th"):
        approved_caption = gettext(
            "Approved overall readiness of every province. Hatched grey: no approved assessment for this "
            "round yet — not a score of zero."
        )
        no_approved = gettext("no approved data")
    spec = BriefingSpec("national", "TH", 2570, include_unapproved=True)
    html = document_html(document(spec, viewer=advisor))
    map_section = html[html.index('id="sec-map"') :]
    map_section = (
        map_section[: map_section.index("</section>")] if "</section>" in map_section else map_section
    )
    assert approved_caption not in map_section
    assert no_approved not in map_section  # hatched provinces have no answer yet, not "no approved data"
    official = document_html(document(BriefingSpec("national", "TH", 2570), viewer=advisor))
    assert approved_caption in official


# --- fewer than two approved provinces; coverage of a ranking -----------------------------------------


def test_a_rollup_with_one_approved_province_says_so_and_names_no_lagging_province(
    round_2570, advisor, client_for
):
    fill("TH-50", round_2570, level_for=lambda i, ind: 2, status=AssessmentStatus.APPROVED, by=advisor)
    fill("TH-51", round_2570, level_for=lambda i, ind: 1, status=AssessmentStatus.SUBMITTED)
    rollup = selectors.cluster_rollup(cluster=Cluster.objects.get(code="N-UP1"), round=round_2570)
    assert rollup.spreads["overall"].count == 1 and rollup.spreads["overall"].lagging is None
    chiang_mai = Province.objects.get(code="TH-50")
    html = client_for(advisor).get("/readiness/clusters/N-UP1/?fy=2570").content.decode()
    with translation.override("th"):
        message = gettext(
            "Fewer than two provinces have approved figures, so there is nothing to compare them with and "
            "no lagging province is named."
        )
    assert message in html
    table = html[html.index("<tfoot") : html.index("</tfoot>")]
    assert chiang_mai.name_th not in table  # the only approved province lags behind nobody
    assert 'class="dot lagging"' not in html  # nor is it drawn as the laggard in the chart
    national = client_for(advisor).get("/readiness/national/?fy=2570").content.decode()
    row = re.search(r'<tr data-cluster="N-UP1".*?</tr>', national, re.S).group(0)
    assert chiang_mai.name_th not in row
    data = api(advisor).get("/api/rollups/clusters/N-UP1/?fiscal_year=2570").json()
    assert all(s["lagging"] is None for s in data["spread"].values())
    # With unapproved figures there are two to compare: Lamphun lags.
    everything = api(advisor).get("/api/rollups/clusters/N-UP1/?fiscal_year=2570&include_unapproved=1").json()
    assert everything["spread"]["overall"]["lagging"] == "TH-51"


def test_the_ranking_of_clusters_marks_those_with_incomplete_coverage(round_2570, advisor, client_for):
    complete = min(Cluster.objects.all(), key=lambda c: (c.provinces.count(), c.code))
    for province in complete.provinces.all():
        fill(
            province.code,
            round_2570,
            level_for=lambda i, ind: 4,
            status=AssessmentStatus.APPROVED,
            by=advisor,
        )
    fill("TH-50", round_2570, level_for=lambda i, ind: 3, status=AssessmentStatus.APPROVED, by=advisor)
    html = client_for(advisor).get("/dashboard/").content.decode()

    def ranked(code):
        return re.search(rf'<tr data-cluster="{code}".*?</tr>', html, re.S).group(0)

    assert "data-incomplete" not in ranked(complete.code)
    assert "data-incomplete" in ranked("N-UP1")  # 1 of 4 approved
    national = client_for(advisor).get("/readiness/national/?fy=2570").content.decode()
    assert "data-incomplete" in re.search(r'<tr data-cluster="N-UP1".*?</tr>', national, re.S).group(0)


# --- one rounding --------------------------------------------------------------------------------------


def test_a_score_is_rounded_the_same_on_the_card_in_the_chart_and_in_the_api(
    round_2570, advisor, client_for, planner
):
    assert score(56.25) == "56.3" == charts._num(56.25)  # the card's filter and the chart's labels
    assert scoring.rounded(56.25) == Decimal("56.3")
    cm = fill("TH-50", round_2570, status=AssessmentStatus.APPROVED, by=advisor)
    ApprovalSnapshot.objects.filter(pk=cm.approved_snapshot_id).update(place=56.25, overall=56.25)
    # The province page's card and chart.
    html = client_for(planner).get("/provinces/TH-50/").content.decode()
    assert "<strong>56.3</strong>" in html and "56.2" not in html
    # The cluster page's table and chart.
    html = client_for(advisor).get("/readiness/clusters/N-UP1/?fy=2570").content.decode()
    assert ">56.3<" in html and "56.2" not in html
    # The API, roll-up and assessment alike.
    data = api(advisor).get("/api/rollups/clusters/N-UP1/?fiscal_year=2570").json()
    assert data["rows"][0]["values"]["place"] == 56.3
    assert data["spread"]["overall"]["mean"] == 56.3
    assessment = api(advisor).get(f"/api/assessments/{cm.pk}/").json()
    assert assessment["scores"]["overall"] == 56.3
