"""Download my data: the user's own data and nothing of anyone else, logged in the access log."""

import json

import pytest
from django.urls import reverse

from audit.choices import AccessAction
from audit.models import AccessLogEntry
from audit.services import log_access
from readiness import services as readiness
from strategies import services as strategies

pytestmark = pytest.mark.django_db


def _strategy(owner, by, title):
    data = strategies.StrategyData(title_th=title, work_area="development", pillar="economic")
    return strategies.strategy_create(owner=owner, fiscal_year=2570, data=data, scores={}, by=by)


def _answer(planner, round_2570, justification):
    assessment = readiness.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    answer = assessment.answers.order_by("indicator__position").first()
    answer = readiness.answer_save(
        answer=answer, level=4, justification=justification, expected_version=0, by=planner
    )
    readiness.evidence_add_link(
        answer=answer, url="https://example.go.th/" + justification, title="หลักฐาน", by=planner
    )
    return answer


@pytest.fixture
def two_people(cast, round_2570, planner, planner_lampang, secretariat, advisor):
    """Chiang Mai's and Lampang's planners each answer, draft and comment; others act on the same objects."""
    from briefings.models import Briefing

    _answer(planner, round_2570, "ของเชียงใหม่")
    _answer(planner_lampang, round_2570, "ของลำปาง")
    mine = _strategy(planner.scope.province, planner, "ยุทธศาสตร์ของสมศรี")
    theirs = _strategy(planner_lampang.scope.province, planner_lampang, "ยุทธศาสตร์ของลำปาง")
    strategies.strategy_comment(strategy=mine, by=planner, text="ความเห็นของสมศรี")
    strategies.strategy_comment(
        strategy=mine, by=advisor, text="ความเห็นของที่ปรึกษา"
    )  # on my strategy, not mine
    strategies.strategy_comment(strategy=theirs, by=planner_lampang, text="ความเห็นของลำปาง")
    Briefing.objects.create(kind="province", subject="TH-50", fiscal_year=2570, requested_by=planner)
    Briefing.objects.create(kind="province", subject="TH-52", fiscal_year=2570, requested_by=planner_lampang)
    log_access(user=planner_lampang, action=AccessAction.EXPORT, description="การส่งออกของลำปาง")
    return mine


def _download(client):
    response = client.get(reverse("privacy_my_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_it_contains_the_users_own_data(client_for, planner, two_people):
    data = _download(client_for(planner))
    assert data["profile"]["username"] == planner.username and data["profile"]["first_name"] == "สมศรี"
    assert data["scope"]["role"] == "planner" and data["scope"]["province"] == "TH-50"
    assert [a["justification"] for a in data["readiness"]["answers_last_changed_by_you"]] == ["ของเชียงใหม่"]
    assert [e["url"] for e in data["readiness"]["evidence_added_by_you"]] == [
        "https://example.go.th/ของเชียงใหม่"
    ]
    assert [s["title_th"] for s in data["strategies"]["created_by_you"]] == ["ยุทธศาสตร์ของสมศรี"]
    texts = [r["text"] for r in data["strategies"]["comments_and_reviews"]]
    assert "ความเห็นของสมศรี" in texts
    assert [b["subject"] for b in data["briefings_requested"]] == ["TH-50"]
    assert data["notifications"] is not None  # the notifications app is installed here
    assert [e["action"] for e in data["access_log"]] == [AccessAction.SELF_EXPORT]


def test_it_contains_nothing_of_anyone_else(client_for, cast, planner, two_people):
    text = json.dumps(_download(client_for(planner)), ensure_ascii=False)
    for other in ("ของลำปาง", "ความเห็นของที่ปรึกษา", "TH-52", "การส่งออกของลำปาง"):
        assert other not in text
    for role in ("planner_lampang", "secretariat", "advisor", "admin"):
        assert cast[role].username not in text


def test_it_logs_the_download(client_for, planner):
    _download(client_for(planner))
    [entry] = AccessLogEntry.objects.all()
    assert (entry.user, entry.subject, entry.action) == (planner, planner, AccessAction.SELF_EXPORT)
    assert entry.path == reverse("privacy_my_data")


def test_it_works_for_an_account_without_a_role(client_for, reference):
    from django.contrib.auth.models import User

    unplaced = User.objects.create_user("newcomer", first_name="ใหม่")
    data = _download(client_for(unplaced))
    assert data["scope"] is None and data["profile"]["first_name"] == "ใหม่"


def test_it_needs_a_login(client):
    assert client.get(reverse("privacy_my_data")).status_code == 302
    assert not AccessLogEntry.objects.exists()


def test_its_queries_do_not_grow_with_the_data(client_for, planner, two_people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(planner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            _download(client)
        return len(context.captured_queries)

    before = queries()
    for n in range(5):
        strategies.strategy_comment(strategy=two_people, by=planner, text=f"ความเห็นที่ {n}")
        log_access(user=planner, action=AccessAction.EXPORT, description=str(n))
    assert queries() == before
