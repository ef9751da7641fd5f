"""Reads of the search index: the documents a user may see that match a query, counted and ranked by kind.

At most three queries whatever the size of the data: the counts per kind, then either the best few of every
kind (the overview) or one page of one kind — and, when nothing matches word for word on PostgreSQL, the
counts again by similarity. The scope is search.access.visible_documents (subqueries of the apps' own access
helpers).

Word for word (every word of the query, as a prefix): on PostgreSQL to_tsvector('simple', words) @@
to_tsquery (GIN index), on SQLite the FTS5 table search_fts (migration 0002). A typo or a partial word, when
nothing matched word for word: PostgreSQL's pg_trgm word similarity (``words %> query``, GIN index), ranked
by that similarity. Word-for-word matches rank by their title: one that names the query in its title first.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.lookups import (  # type: ignore[attr-defined]  # the stubs do not list them
    SearchVectorExact,
    TrigramWordSimilar,
)
from django.contrib.postgres.search import SearchQuery, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Func, Q, QuerySet, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse

from provinces.access import role_of, scope_of
from provinces.choices import Role

from .access import visible_documents
from .choices import INDICATOR, DocumentKind
from .models import SearchDocument
from .text import Query, fts5_query, tsquery

PER_PAGE = 20
OVERVIEW_PER_KIND = 5
# Below this many characters a query is not matched by similarity: short strings resemble too much.
MIN_TRIGRAM_CHARS = 3


class _SimpleVector(Func):
    """to_tsvector('simple', words), written exactly as the GIN index of migration 0002 so that it is used."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def _title_rank(query: Query):
    """How many of the query's parts the title names (Thai or English): cheap, on short columns."""
    return sum(
        (
            Case(
                When(
                    Q(title_th__icontains=chunk.whole) | Q(title_en__icontains=chunk.whole), then=Value(1.0)
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for chunk in query.chunks
        ),
        start=Value(0.0, output_field=FloatField()),
    )


def word_for_word(qs: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
    """The documents of ``qs`` holding every word of the query (as a prefix), annotated with ``rank``."""
    if connection.vendor == "postgresql":
        terms = SearchQuery(tsquery(query), search_type="raw", config="simple")
        qs = qs.filter(SearchVectorExact(_SimpleVector(F("words")), terms))
    else:
        # The FTS5 table is not a model: raw SQL, the query always a bound parameter.
        found = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5_query(query)])  # noqa: S611
        qs = qs.filter(pk__in=found)
    return qs.annotate(rank=_title_rank(query))


def similar(qs: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument] | None:
    """The documents of ``qs`` with a stretch of words like the query (typos, partial words), annotated with
    ``rank``; None where there is no similarity search (SQLite) or the query is too short for one."""
    if connection.vendor != "postgresql" or len(query.text) < MIN_TRIGRAM_CHARS:
        return None
    return qs.filter(TrigramWordSimilar(F("words"), query.text)).annotate(
        rank=TrigramWordSimilarity(query.text, F("words"))
    )


def _counts(qs: QuerySet[SearchDocument]) -> dict[str, int]:
    return dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))


@dataclass
class Group:
    kind: DocumentKind
    count: int
    documents: list[SearchDocument] = field(default_factory=list)


@dataclass
class Results:
    groups: list[Group]  # every kind with at least one match, in DocumentKind's order
    kind: DocumentKind | None  # the kind shown page by page, or None for the overview
    page: int = 1
    pages: int = 1

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def shown(self) -> list[Group]:
        return [g for g in self.groups if self.kind is None or g.kind == self.kind]


def _ordered(qs: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
    return qs.order_by(F("rank").desc(), "title_th", "pk")


def search(*, user: User | AnonymousUser, query: Query, kind: DocumentKind | None, page: int) -> Results:
    """The overview (the best OVERVIEW_PER_KIND of each kind) or, for a kind, its page ``page`` (clamped)."""
    visible = visible_documents(user)
    qs = word_for_word(visible, query)
    counts = _counts(qs)
    if not counts and (alike := similar(visible, query)) is not None:
        qs, counts = alike, _counts(alike)
    groups = [Group(kind=k, count=counts[k.value]) for k in DocumentKind if counts.get(k.value)]
    by_kind = {g.kind.value: g for g in groups}
    if kind is None:
        best = qs.annotate(
            position=Window(
                RowNumber(), partition_by=[F("kind")], order_by=[F("rank").desc(), F("title_th"), F("pk")]
            )
        ).filter(position__lte=OVERVIEW_PER_KIND)
        for document in _ordered(best):
            by_kind[document.kind].documents.append(document)
        return Results(groups=groups, kind=None)
    count = counts.get(kind.value, 0)
    pages = max(1, -(-count // PER_PAGE))
    page = min(page, pages)
    start = (page - 1) * PER_PAGE
    # Queried even when there is nothing to show: the page costs the same number of queries whatever the data.
    documents = list(_ordered(qs.filter(kind=kind))[start : start + PER_PAGE])
    if count:
        by_kind[kind.value].documents = documents
    return Results(groups=groups, kind=kind, page=page, pages=pages)


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
