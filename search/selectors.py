"""Reads of the search index: the documents a user may see that match a query, counted and ranked by kind.

What a search costs does not grow with the index: each source is searched through its own index (a GIN
index over ``words_tsv`` per source on PostgreSQL, migration 0003; the FTS5 table on SQLite) and only its
first MAX_RESULTS matches the user may see are taken — counted (beyond that the page says "more than"),
ranked and paged through. Two queries whatever the data: one statement counts every kind and picks by rank
the ids shown (the best few of every kind, or one page of one kind), the second reads those documents. When
nothing matches word for word, the query's words are looked up among the index's own words by similarity
(PostgreSQL's pg_trgm over SearchWord: typos, partial words) and the search runs again with the words
found. The scope is
search.access.visible_by_source (subqueries of the apps' own access helpers), in the same SQL.

Word for word: every word of the query, as a prefix (PostgreSQL ``words_tsv @@ to_tsquery``, SQLite FTS5
MATCH). A match ranks by its title: one whose title names the query first, then by title.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.lookups import SearchVectorExact  # type: ignore[attr-defined]  # not in the stubs
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import GreaterThan
from django.urls import reverse

from provinces.access import role_of, scope_of
from provinces.choices import Role

from .access import visible_by_source
from .choices import INDICATOR, KIND_OF_SOURCE, DocumentKind
from .models import SearchDocument
from .text import Query, fts5_query, tsquery

PER_PAGE = 20
OVERVIEW_PER_KIND = 5
# Of each kind, at most this many matches are counted, ranked and paged through (the first the index
# gives): a common word in a national index matches tens of thousands. Beyond it the page says "more than"
# and asks for another word.
MAX_RESULTS = 1000
# Below this many characters a word is not matched by similarity: short strings resemble too much.
MIN_TRIGRAM_CHARS = 3
# A word of the query matches as itself or as one of at most this many words of the index like it, alike
# at least this much (pg_trgm's word similarity: the share of the term's trigrams found in a stretch of the
# word; cultral ~ cultural is 0.55).
SIMILAR_WORDS = 20
WORD_SIMILARITY = 0.5


def word_for_word(qs: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
    """The documents of ``qs`` holding every word of the query (as a prefix)."""
    if connection.vendor == "postgresql":
        terms = SearchQuery(tsquery(query), search_type="raw", config="simple")
        return qs.filter(SearchVectorExact(F("words_tsv"), terms))
    # The FTS5 table is not a model: raw SQL, the query always a bound parameter.
    found = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5_query(query)])  # noqa: S611
    return qs.filter(pk__in=found)


def _title_rank(query: Query):
    """How many of the query's parts the title names (Thai or English; a typo's words count): cheap, on short
    columns, and computed only for the candidates."""

    def names(term: str) -> Q:
        return Q(GreaterThan(StrIndex(Lower("title_th"), Value(term)), 0)) | Q(
            GreaterThan(StrIndex(Lower("title_en"), Value(term)), 0)
        )

    parts = []
    for chunk in query.chunks:
        named = Q()
        for option in query.options(chunk.whole):
            named |= names(option)
        parts.append(Case(When(named, then=Value(1.0)), default=Value(0.0), output_field=FloatField()))
    return sum(parts, start=Value(0.0, output_field=FloatField()))


def similar_words(query: Query) -> dict[str, list[str]] | None:
    """The index's words like each term of the query (word similarity: the term is like a stretch of the
    word), the likest first; None where there is no similarity search (SQLite) or no term long enough. Runs
    inside search_settings (its threshold)."""
    terms = [t for t in query.terms if len(t) >= MIN_TRIGRAM_CHARS]
    if connection.vendor != "postgresql" or not terms:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.term, w.word FROM unnest(%s::text[]) AS t(term) CROSS JOIN LATERAL ("
            " SELECT word FROM search_searchword WHERE word %%> t.term"
            " ORDER BY word_similarity(t.term, word) DESC, similarity(t.term, word) DESC, word LIMIT %s"
            ") AS w",
            [terms, SIMILAR_WORDS],
        )
        found: dict[str, list[str]] = {}
        for term, word in cursor.fetchall():
            found.setdefault(term, []).append(word)
    return found


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    return qs.query.get_compiler(using=qs.db).as_sql()


@dataclass
class Group:
    kind: DocumentKind
    count: int  # at most MAX_RESULTS
    more: bool = False  # more than MAX_RESULTS match: only the first are counted and shown
    documents: list[SearchDocument] = field(default_factory=list)


@dataclass
class Results:
    groups: list[Group]  # every kind with at least one match, in DocumentKind's order
    kind: DocumentKind | None  # the kind shown page by page, or None for the overview
    query: Query  # as searched: with the words like its terms when it was matched by similarity
    page: int = 1
    pages: int = 1

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def more(self) -> bool:
        return any(g.more for g in self.groups)

    @property
    def shown(self) -> list[Group]:
        return [g for g in self.groups if self.kind is None or g.kind == self.kind]


class _Search:
    """A query over every source the user may see, in one statement: each source's candidates (its first
    MAX_RESULTS + 1 matches the user may see, with their rank where a kind is shown) are computed once — the
    access helpers' subqueries and the index scan with them — then counted and ranked."""

    def __init__(self, by_source: dict[str, QuerySet[SearchDocument]], query: Query):
        self.query = query
        self.matching = {source: word_for_word(qs, query) for source, qs in by_source.items()}

    def _candidates(self, source: str, ranked: bool) -> tuple[str, tuple]:
        qs = self.matching[source].order_by()
        # Named columns: the SQL around them picks them by name. A kind not shown is only counted.
        if ranked:
            qs = qs.annotate(doc=F("pk"), rank=_title_rank(self.query), by_title=F("title_th"))
        else:
            qs = qs.annotate(doc=F("pk"), rank=Value(0.0, output_field=FloatField()), by_title=Value(""))
        return _sql(qs.values_list("doc", "rank", "by_title")[: MAX_RESULTS + 1])

    def run(self, slices: dict[DocumentKind, tuple[int, int]]) -> tuple[dict[DocumentKind, int], dict]:
        """Matches per kind (each source counted up to MAX_RESULTS + 1, enough to tell "more"), and of each
        kind in ``slices`` (kind → (offset, limit)) the ids of those ranked from offset + 1 on: one query."""
        sources = list(self.matching)
        definitions: list[str] = []
        params: list = []
        for i, source in enumerate(sources):
            sql, p = self._candidates(source, KIND_OF_SOURCE[source] in slices)
            definitions.append(f"c{i} AS MATERIALIZED ({sql})")
            params.extend(p)
        # The SQL is compiled querysets and numbered names only; every value is a bound parameter.
        parts = [
            f"SELECT 0 AS part, {i} AS item, COUNT(*) AS value FROM c{i}"  # noqa: S608
            for i in range(len(sources))
        ]
        for tag, (kind, (offset, limit)) in enumerate(slices.items(), start=1):
            union = " UNION ALL ".join(
                f"SELECT doc, rank, by_title FROM c{i}"  # noqa: S608
                for i, s in enumerate(sources)
                if KIND_OF_SOURCE[s] == kind
            )
            order = "ORDER BY rank DESC, by_title, doc"
            ranked_sql = f"SELECT doc, ROW_NUMBER() OVER ({order}) AS position FROM ({union}) AS u{tag}"  # noqa: S608
            parts.append(
                f"SELECT {tag} AS part, doc AS item, position AS value FROM ({ranked_sql}) AS r{tag}"  # noqa: S608
                " WHERE position > %s AND position <= %s"
            )
            params.extend([offset, min(offset + limit, MAX_RESULTS)])
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(definitions)} " + " UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        counts = dict.fromkeys(DocumentKind, 0)
        ranked: dict[DocumentKind, list[tuple[int, int]]] = {k: [] for k in slices}
        kinds = list(slices)
        for part, item, value in rows:
            if part == 0:
                counts[KIND_OF_SOURCE[sources[item]]] += value
            else:
                ranked[kinds[part - 1]].append((value, item))
        return counts, {k: [doc for _position, doc in sorted(found)] for k, found in ranked.items()}


def _documents(ids: dict[DocumentKind, list[int]]) -> dict[DocumentKind, list[SearchDocument]]:
    """The documents of these ids, in their order (what the results page shows of them)."""
    wanted = [pk for pks in ids.values() for pk in pks]
    if not wanted:
        return {k: [] for k in ids}
    found = SearchDocument.objects.defer("words", "words_tsv").in_bulk(wanted)
    return {k: [found[pk] for pk in pks if pk in found] for k, pks in ids.items()}


@contextlib.contextmanager
def search_settings() -> Iterator[None]:
    """A search runs as one transaction with its own settings on PostgreSQL: no parallel workers (the first
    MAX_RESULTS matches the index gives are the ones counted, ranked and paged through, and a parallel scan
    would hand out a different first thousand on every request: page 2 would repeat page 1), and
    WORD_SIMILARITY for the ``%>`` of similar_words."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true),"
            " set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(WORD_SIMILARITY)],
        )
        yield


def search(*, user: User | AnonymousUser, query: Query, kind: DocumentKind | None, page: int) -> Results:
    """The overview (the best OVERVIEW_PER_KIND of each kind) or, for a kind, its page ``page`` (clamped)."""
    by_source = visible_by_source(user)
    if kind is None:
        slices = {k: (0, OVERVIEW_PER_KIND) for k in DocumentKind}
    else:
        slices = {kind: ((page - 1) * PER_PAGE, PER_PAGE)}
    with search_settings():
        found = _Search(by_source, query)
        counts, ids = found.run(slices)
        if not any(counts.values()) and (similar := similar_words(query)):
            found = _Search(by_source, query.with_similar(similar))
            counts, ids = found.run(slices)
        counted = min(counts[kind], MAX_RESULTS) if kind is not None else 0
        pages = max(1, -(-counted // PER_PAGE))
        if kind is not None and page > pages:  # past the end (an old link): the last page, asked again
            page = pages
            counts, ids = found.run({kind: ((page - 1) * PER_PAGE, PER_PAGE)})
    documents = _documents(ids)
    groups = [
        Group(
            kind=k,
            count=min(counts[k], MAX_RESULTS),
            more=counts[k] > MAX_RESULTS,
            documents=documents.get(k, []),
        )
        for k in DocumentKind
        if counts[k]
    ]
    if kind is None:
        return Results(groups=groups, kind=None, query=found.query)
    return Results(groups=groups, kind=kind, query=found.query, page=page, pages=pages)


def link(document: SearchDocument, user: User | AnonymousUser) -> str:
    """Where a result opens. An indicator has no page of its own: a planner opens it in their province's
    assessment of that round, anyone else the round's national roll-up (the document's link)."""
    scope = scope_of(user)
    province = scope.province if scope is not None and role_of(user) == Role.PLANNER else None
    if document.source == INDICATOR and province is not None:
        return (
            reverse("assessment_detail", args=[province.code, document.fiscal_year]) + f"#ind-{document.code}"
        )
    return document.url
