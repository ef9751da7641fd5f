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


def test_it_has_a_full_text_index_per_source_and_a_trigram_index_of_the_words():
    from search.choices import SOURCES

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        definitions = dict(cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchword'")
        words = " ".join(row[0] for row in cursor.fetchall())
    for source in SOURCES:
        name = "search_doc_fts_" + source.split(".")[1]
        assert "gin (words_tsv)" in definitions[name] and f"'{source}'" in definitions[name]
    assert "gin_trgm_ops" in words


def test_the_database_writes_the_vector_from_the_words(cm_draft):
    from search.models import SearchDocument

    document = SearchDocument.objects.get(source="strategies.strategy", object_id=cm_draft.pk)
    assert "'ท่องเที่ยว'" in document.words_tsv
    SearchDocument.objects.filter(pk=document.pk).update(words="ชายแดน")
    document.refresh_from_db()
    assert document.words_tsv == "'ชายแดน':1"


def test_it_matches_through_the_indexes(cm_draft):
    from search import selectors
    from search.choices import KIND_OF_SOURCE
    from search.models import SearchDocument, SearchWord
    from search.text import parse_query

    # Enough rows of every source, and statistics, that the planner prefers an index as it does at scale.
    filler = [f"คำ{i} word{i}" for i in range(500)]
    SearchDocument.objects.bulk_create(
        SearchDocument(source=source, kind=KIND_OF_SOURCE[source], object_id=10**6 + i, title_th="x", url="/",
                       words=filler[i % 500])
        for source in KIND_OF_SOURCE
        for i in range(1000)
    )  # fmt: skip
    SearchWord.objects.bulk_create(SearchWord(word=f"คำศัพท์{i}") for i in range(20000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("ANALYZE search_searchword")
        # Each source's search can use its own index (a user's few strategies may be read first instead).
        for source in KIND_OF_SOURCE:
            qs = SearchDocument.objects.filter(source=source)
            plan = selectors.word_for_word(qs, parse_query("ท่องเที่ยว")).order_by().explain()
            assert "search_doc_fts_" + source.split(".")[1] in plan, (source, plan)
        cursor.execute("SET LOCAL enable_seqscan = off")  # real words share fewer trigrams than these
        cursor.execute("EXPLAIN SELECT word FROM search_searchword WHERE word %> 'ท่องเทียว'")
        assert "search_word_trgm" in " ".join(row[0] for row in cursor.fetchall())


def test_it_looks_up_a_typo_among_the_index_s_words(cm_draft):
    from search import selectors
    from search.text import parse_query

    with selectors.search_settings():
        found = selectors.similar_words(parse_query("ท่องเทียว วัฒนธรม cultral"))
    assert "ท่องเที่ยว" in found["ท่องเทียว"]
    assert "วัฒนธรรม" in found["วัฒนธรม"]
    assert "cultural" in found["cultral"]
    assert selectors.similar_words(parse_query("ท่")) is None  # too short to resemble anything
