"""PostgreSQL only: typos and partial words through pg_trgm, and the indexes the queries rely on."""

import pytest
from django.db import connection

from tests.conftest import services_or_skip

from .conftest import TOURISM, search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql():
    services_or_skip("PostgreSQL", connection.vendor == "postgresql")


def _strategies(response):
    return [
        d.title_th
        for g in response.context["results"].groups
        if g.kind.value == "strategy"
        for d in g.documents
    ]


@pytest.mark.parametrize(
    "q",
    [
        "ท่องเทียว",  # a tone mark forgotten
        "วัฒนธรม",  # a letter missing
        "cultral tourism",  # English typo
    ],
)
def test_it_forgives_a_typo(client_for, planner, cm_draft, q):
    response = search(client_for(planner), q)
    assert _strategies(response) == [TOURISM]
    if not q.isascii():  # the page is in Thai: the Thai title shows the word marked
        assert "<mark>" in response.content.decode()


def test_it_finds_the_end_of_a_word(client_for, planner, cm_draft):
    assert _strategies(search(client_for(planner), "ธรรมล้านนา")) == [TOURISM]


def test_it_keeps_the_scope_for_typos(client_for, planner_lampang, cm_draft):
    assert _strategies(search(client_for(planner_lampang), "ท่องเทียว")) == []


def test_it_has_the_full_text_and_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "to_tsvector('simple'::regconfig, words)" in definitions
    assert "gin_trgm_ops" in definitions


def test_it_matches_through_the_indexes(cm_draft):
    from search import selectors
    from search.models import SearchDocument
    from search.text import parse_query

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is too small to need an index
    every = SearchDocument.objects.all()
    assert "search_doc_words_fts" in selectors.word_for_word(every, parse_query("ท่องเที่ยว")).explain()
    assert "search_doc_words_trgm" in selectors.similar(every, parse_query("ท่องเทียว")).explain()
