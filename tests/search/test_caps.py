"""What keeps a search's cost flat as the index grows: each kind's matches are counted, ranked and paged only up
to a cap (the page says "more than"), in the same few queries; the index's words are kept for typo look-ups."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import search.selectors as selectors
from search import services
from search.models import SearchWord
from search.text import segment
from strategies.models import Strategy

from .conftest import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_strategy, admin_user, committed):
    """30 Chiang Mai strategies about tourism, three of them naming it in the title."""
    made = [committed(make_strategy, "TH-50", admin_user, title_th=f"ท่องเที่ยวชุมชน {n:02d}") for n in range(3)]
    made += [
        committed(
            make_strategy, "TH-50", admin_user, title_th=f"พัฒนาเมือง {n:02d}", summary_th="รองรับนักท่องเที่ยว"
        )
        for n in range(27)
    ]
    return made


def _group(results, kind="strategy"):
    return next(g for g in results.groups if g.kind.value == kind)


def test_it_counts_up_to_the_cap_and_says_more(client_for, advisor, many, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_RESULTS", 25)
    response = search(client_for(advisor), "ท่องเที่ยว")
    strategies = _group(response.context["results"])
    assert (strategies.count, strategies.more) == (25, True)
    html = response.content.decode()
    assert "25+" in html and "มากกว่า 25 รายการ" in html
    assert "ดูยุทธศาสตร์ 25 รายการแรก" in html
    # The best of the counted ones first: the titles that name the query.
    assert [d.title_th for d in strategies.documents[:3]] == [f"ท่องเที่ยวชุมชน {n:02d}" for n in range(3)]


def test_it_pages_through_the_counted_matches_only_and_never_twice(client_for, advisor, many, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_RESULTS", 25)
    client = client_for(advisor)
    first = search(client, "ท่องเที่ยว", type="strategy").context["results"]
    second = search(client, "ท่องเที่ยว", type="strategy", page="2").context["results"]
    assert (second.page, second.pages) == (2, 2)
    one, two = ([d.pk for d in r.shown[0].documents] for r in (first, second))
    assert len(one) == 20 and len(two) == 5 and not set(one) & set(two)
    assert "แสดงเพียง 25 รายการแรก" in search(client, "ท่องเที่ยว", type="strategy").content.decode()
    # Past the last page: the last page.
    assert search(client, "ท่องเที่ยว", type="strategy", page="9").context["results"].page == 2


def test_below_the_cap_it_counts_exactly(client_for, advisor, many):
    strategies = _group(search(client_for(advisor), "ท่องเที่ยว").context["results"])
    assert (strategies.count, strategies.more) == (30, False)


def test_it_reads_only_the_documents_it_shows(client_for, advisor, many):
    with CaptureQueriesContext(connection) as captured:
        results = search(client_for(advisor), "ท่องเที่ยว").context["results"]
    loads = [
        match.group(1)
        for q in captured
        if (
            match := re.search(
                r'FROM "search_searchdocument" WHERE "search_searchdocument"."id" IN \(([^)]*)\)', q["sql"]
            )
        )
    ]
    assert len(loads) == 1
    assert len(loads[0].split(",")) == sum(len(g.documents) for g in results.groups)
    assert len(_group(results).documents) == selectors.OVERVIEW_PER_KIND


def test_it_keeps_the_index_s_words_for_typos(make_strategy, admin_user, committed):
    strategy = committed(
        make_strategy, "TH-50", admin_user, title_th="ส่งเสริมผ้าทอ", title_en="Zanzibarian weaving"
    )
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert set(segment("ส่งเสริมผ้าทอ Zanzibarian weaving").split()) <= words
    Strategy.objects.filter(pk=strategy.pk).update(title_en="Cross-border logistics")
    services.documents_rebuild()
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert (
        "logistics" in words and "zanzibarian" not in words
    )  # a rebuild forgets words nothing holds any more
