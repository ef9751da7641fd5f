"""The search page on whichever database the suite runs on (SQLite FTS5 or PostgreSQL full-text)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.models import SearchDocument
from strategies import services as strategy_services
from tests.strategies.conftest import data

from .conftest import TOURISM, search

pytestmark = pytest.mark.django_db


def _titles(response, kind):
    groups = {g.kind.value: g for g in response.context["results"].groups}
    return [d.title_th for d in groups[kind].documents] if kind in groups else []


def test_it_finds_a_thai_word_inside_running_text(client_for, planner, cm_draft):
    response = search(client_for(planner), "ท่องเที่ยว")
    assert response.status_code == 200
    assert _titles(response, "strategy") == [TOURISM]
    assert "<mark>การท่องเที่ยว</mark>" in response.content.decode()


def test_it_finds_a_word_in_the_middle_of_a_compound(client_for, planner, cm_draft):
    # ล้านนา and วัฒนธรรม are run together with the rest of the title.
    assert _titles(search(client_for(planner), "วัฒนธรรม ล้านนา"), "strategy") == [TOURISM]


def test_it_ranks_a_match_in_the_title_first(
    client_for, advisor, admin_user, make_strategy, committed, cm_draft
):
    committed(make_strategy, "TH-50", admin_user, title_th="พัฒนาด่านชายแดน", summary_th="รองรับนักท่องเที่ยว")
    assert _titles(search(client_for(advisor), "ท่องเที่ยว"), "strategy") == [TOURISM, "พัฒนาด่านชายแดน"]


def test_it_finds_english_names(client_for, planner, cm_draft):
    response = search(client_for(planner), "chiang mai")
    assert "เชียงใหม่" in _titles(response, "province")
    assert _titles(search(client_for(planner), "Lanna Tourism"), "strategy") == [TOURISM]


def test_it_finds_a_half_typed_word(client_for, planner, cm_draft):
    assert _titles(search(client_for(planner), "ท่องเที่"), "strategy") == [TOURISM]


@pytest.mark.parametrize(
    "role, sees",
    [
        ("planner", True),
        ("planner_lampang", False),
        ("secretariat", True),
        ("secretariat_other", False),
        ("advisor", True),
        ("admin", True),
    ],
)
def test_it_shows_only_what_the_user_may_open(client_for, cast, cm_draft, role, sees):
    client = client_for(cast[role])
    found = TOURISM in _titles(search(client, "ท่องเที่ยว"), "strategy")
    page = client.get(f"/strategies/{cm_draft.pk}/")
    assert found is sees
    assert page.status_code == (200 if sees else 404)  # the same answer as the strategy's own page


def test_it_scopes_projects_and_comments_with_their_strategy(
    client_for, planner, planner_lampang, advisor, cm_draft, committed
):
    committed(
        strategy_services.strategy_comment, strategy=cm_draft, by=advisor, text="ควรเพิ่มตัวชี้วัดนักท่องเที่ยวต่างชาติ"
    )
    assert _titles(search(client_for(planner), "นักท่องเที่ยว"), "comment") == [TOURISM]
    assert _titles(search(client_for(planner_lampang), "นักท่องเที่ยว"), "comment") == []


def test_it_scopes_provinces_like_their_pages(client_for, planner_lampang):
    response = search(client_for(planner_lampang), "เชียงใหม่")
    assert "เชียงใหม่" not in _titles(response, "province")
    assert client_for(planner_lampang).get("/provinces/TH-50/").status_code == 404
    assert "ลำปาง" in _titles(search(client_for(planner_lampang), "ลำปาง"), "province")


def test_it_updates_the_index_after_the_commit_and_not_before(
    client_for, planner, cm_draft, criteria, django_capture_on_commit_callbacks
):
    client = client_for(planner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        strategy_services.strategy_update(
            strategy=cm_draft,
            data=data(title_th="พัฒนาด่านชายแดนเชียงของ"),
            scores={},
            by=planner,
        )
        # Not committed yet: the index still holds the old title.
        assert _titles(search(client, "ท่องเที่ยว"), "strategy") == [TOURISM]
        assert _titles(search(client, "ชายแดน"), "strategy") == []
    for callback in callbacks:
        callback()
    assert _titles(search(client, "ชายแดน"), "strategy") == ["พัฒนาด่านชายแดนเชียงของ"]
    assert _titles(search(client, "ท่องเที่ยว"), "strategy") == []


def test_it_forgets_a_deleted_strategy(client_for, advisor, cm_draft, committed):
    pk = cm_draft.pk
    assert SearchDocument.objects.filter(strategy_id=pk).exists()
    committed(cm_draft.delete)
    assert _titles(search(client_for(advisor), "ท่องเที่ยว"), "strategy") == []
    assert not SearchDocument.objects.filter(strategy_id=pk).exists()


def test_it_rebuilds_the_index_after_bulk_writes(client_for, advisor, cm_draft):
    from django.core.management import call_command

    from strategies.models import Strategy

    Strategy.objects.filter(pk=cm_draft.pk).update(title_th="ศูนย์กระจายสินค้าชายแดน")  # no signal
    assert _titles(search(client_for(advisor), "กระจายสินค้า"), "strategy") == []
    call_command("search_reindex", verbosity=0)
    assert _titles(search(client_for(advisor), "กระจายสินค้า"), "strategy") == ["ศูนย์กระจายสินค้าชายแดน"]


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "กรุณาพิมพ์คำที่ต้องการค้นหา"),
        ("ท่องเที่ยว" * 40, "ข้อความค้นหายาวเกินไป"),
        ("ท่อง\x00เที่ยว", "อักขระที่ไม่สามารถค้นหาได้"),
        ("!!! ??? ---", "ไม่มีตัวอักษรหรือตัวเลข"),
        ("\u0e48\u0e49\u0e4c", "ไม่มีตัวอักษรหรือตัวเลข"),
    ],
)
def test_it_answers_hostile_queries_with_a_thai_message(client_for, planner, q, message):
    response = search(client_for(planner), q)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "' OR 1=1 --",
        '"unterminated',
        "NEAR(a b)",
        "a* AND -b",
        "x:* & !y",
        "๒๕๗๐ ②",
        "<script>alert(1)</script>",
    ],
)
def test_it_never_fails_on_query_syntax(client_for, advisor, cm_draft, q):
    response = search(client_for(advisor), q, type="strategy", page="๙๙๙๙๙๙๙๙๙")
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize("params", [{"type": "\x00"}, {"page": "\x00"}, {"type": "strategy", "page": "-1"}])
def test_it_falls_back_to_the_first_page_of_the_overview(client_for, advisor, cm_draft, params):
    response = search(client_for(advisor), "ท่องเที่ยว", **params)
    assert response.status_code == 200
    assert response.context["results"].page == 1
    assert _titles(response, "strategy") == [TOURISM]


def test_it_escapes_stored_text_before_marking(client_for, planner, make_strategy, committed):
    committed(make_strategy, "TH-50", planner, title_th='<img src=x onerror="alert(1)">ท่องเที่ยวชุมชน')
    body = search(client_for(planner), "ท่องเที่ยว").content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x" in body
    assert "<mark>ท่องเที่ยว" in body


def test_it_pages_one_kind_and_counts_every_kind(client_for, advisor, admin_user, make_strategy, committed):
    import search.selectors as selectors

    for n in range(25):
        committed(make_strategy, "TH-50", admin_user, title_th=f"ท่องเที่ยว {n}")
    client = client_for(advisor)
    overview = search(client, "ท่องเที่ยว").context["results"]
    strategies = next(g for g in overview.groups if g.kind.value == "strategy")
    assert strategies.count == 25
    assert len(strategies.documents) == selectors.OVERVIEW_PER_KIND
    second = search(client, "ท่องเที่ยว", type="strategy", page="2").context["results"]
    assert (second.page, second.pages) == (2, 2)
    assert len(second.shown[0].documents) == 25 - selectors.PER_PAGE


@pytest.mark.parametrize("kind", ["", "strategy"])
def test_it_runs_as_many_queries_for_much_data_as_for_little(
    client_for, planner, admin_user, make_strategy, committed, advisor, kind
):
    def queries():
        client = client_for(planner)
        with CaptureQueriesContext(connection) as captured:
            response = search(client, "ท่องเที่ยว", type=kind)
        assert response.status_code == 200
        return len(captured)

    committed(make_strategy, "TH-50", admin_user, title_th="ท่องเที่ยว 0")
    few = queries()
    for n in range(30):
        strategy = committed(make_strategy, "TH-50", admin_user, title_th=f"ท่องเที่ยว {n}")
        committed(strategy_services.strategy_comment, strategy=strategy, by=advisor, text="ท่องเที่ยว")
    assert queries() == few
