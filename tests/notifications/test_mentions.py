"""The @mention autocomplete: only people who may open the strategy are offered, to someone who may comment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import _make_user

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return [r["username"] for r in response.json()["results"]]


def url(strategy, q=None) -> str:
    path = reverse("notification_mention_suggestions", args=[strategy.pk])
    return path if q is None else f"{path}?q={q}"


def test_it_offers_only_people_who_may_open_the_strategy(make_strategy, cast, client_for):
    strategy = make_strategy("TH-50", cast["planner"])
    _make_user("planner_gone", "planner", province="TH-50", is_active=False)
    assert names(client_for(cast["planner"]).get(url(strategy))) == [
        "admin",
        "advisor",
        "planner_cm",
        "sec_nup1",
    ]
    cluster = make_strategy("N-UP1", cast["secretariat"])
    assert names(client_for(cast["advisor"]).get(url(cluster))) == [
        "admin", "advisor", "planner_cm", "planner_lp", "sec_nup1"
    ]  # fmt: skip


def test_it_matches_the_start_of_a_username_or_a_name(make_strategy, cast, client_for):
    strategy = make_strategy("TH-50", cast["planner"])
    client = client_for(cast["advisor"])
    assert names(client.get(url(strategy, "SEC"))) == ["sec_nup1"]
    assert names(client.get(url(strategy, "@plan"))) == ["planner_cm"]
    result = client.get(url(strategy, "สมศ")).json()["results"]  # the planner's first name
    assert [(r["username"], r["name"]) for r in result] == [("planner_cm", "สมศรี ใจดี")]
    assert names(client.get(url(strategy, "planner_lp"))) == []  # exists, but may not open it


@pytest.mark.parametrize("q", ["%00", "\x00", "a" * 5000, "%E0%B9%92", "<script>", "'; DROP TABLE x;--", "ñ̃"])
def test_it_answers_hostile_input_with_an_empty_list(make_strategy, cast, client_for, q):
    strategy = make_strategy("TH-50", cast["planner"])
    assert names(client_for(cast["planner"]).get(url(strategy, q))) == []


def test_it_is_a_404_for_a_strategy_out_of_scope_and_a_403_for_a_reader(make_strategy, cast, client_for):
    strategy = make_strategy("TH-50", cast["planner"])
    assert client_for(cast["planner_lampang"]).get(url(strategy)).status_code == 404
    assert client_for(cast["secretariat_other"]).get(url(strategy)).status_code == 404
    assert client_for(cast["secretariat"]).get(url(strategy)).status_code == 403  # sees it, may not comment
    assert client_for(None).get(url(strategy)).status_code == 302  # to the login page
    assert client_for(cast["advisor"]).post(url(strategy)).status_code == 405


def test_it_needs_as_many_queries_however_many_users_match(make_strategy, cast, client_for):
    strategy = make_strategy("TH-50", cast["planner"])
    client = client_for(cast["advisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert len(names(client.get(url(strategy, "planner")))) == 8
        return len(run)

    for i in range(8):
        _make_user(f"planner_cm_{i:02}", "planner", province="TH-50")
    few = queries()
    for i in range(8, 60):
        _make_user(f"planner_cm_{i:02}", "planner", province="TH-50")
    assert queries() == few


def test_it_puts_the_autocomplete_on_the_comment_box_of_those_who_may_comment(
    make_strategy, cast, client_for
):
    strategy = make_strategy("TH-50", cast["planner"])
    page = client_for(cast["planner"]).get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    assert f'data-mention-url="{url(strategy)}"' in page and "js/mentions.js" in page
    reader = (
        client_for(cast["secretariat"]).get(reverse("strategy_detail", args=[strategy.pk])).content.decode()
    )
    assert "data-mention-url" not in reader and "js/mentions.js" not in reader
