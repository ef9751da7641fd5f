"""Writes of the search index: build the documents of changed objects, or of everything.

A document is derived from its object alone (and the object's owner for names), so rebuilding one is
delete-and-insert; ``documents_refresh`` does it for a set of (source, id) keys in a few queries per source,
``documents_rebuild`` for every object in bulk (``manage.py search_reindex``, the demo data and the national
data generator). Titles that name the kind of text (a review comment, an assessment) are written in both
languages here, so the results page needs no query of its own for them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from provinces.models import Cluster, Province
from readiness.models import Indicator, ReviewComment, ReviewEvent
from strategies.models import Project, Strategy, StrategyReview

from . import choices
from .choices import DocumentKind
from .models import MAX_WORD_CHARS, SearchDocument, SearchWord
from .text import segment

BATCH = 1000
# Keys that stand for several sources: a round's indicators, a strategy's projects and comments.
ROUND = "readiness.round"
STRATEGY_FAMILY = "strategies.strategy+"


def _both(make: Callable[[bool], str]) -> tuple[str, str]:
    """A text made in Thai and in English: ``make(english)`` runs with that language active (gettext)."""
    with translation.override("th"):
        thai = str(make(False))
    with translation.override("en"):
        english = str(make(True))
    return thai, english


def _fy(year: int | None) -> tuple[str, str]:
    return _both(lambda english: _("FY %(year)s") % {"year": year}) if year else ("", "")


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _document(
    source: str, pk: int, kind: DocumentKind, *, index_title: bool = True, **fields
) -> SearchDocument:
    """A document; its words are those of the code, titles, texts and ``extra``. A comment's title is the
    strategy's or the assessment's, which is found as itself: only the comment's own words are indexed."""
    names = (
        ("code", "title_th", "title_en", "body_th", "body_en")
        if index_title
        else ("code", "body_th", "body_en")
    )
    texts = [fields.get(name, "") for name in names]
    return SearchDocument(
        source=source, object_id=pk, kind=kind, words=segment(*texts, *fields.pop("extra", ())), **fields
    )


def _provinces(filter: Q) -> Iterator[SearchDocument]:
    for p in Province.objects.filter(filter).select_related("cluster").order_by("pk"):
        yield _document(
            choices.PROVINCE,
            p.pk,
            DocumentKind.PROVINCE,
            code=p.code,
            title_th=p.name_th,
            title_en=p.name_en,
            context_th=p.cluster.name_th if p.cluster else "",
            context_en=p.cluster.name_en if p.cluster else "",
            extra=(p.name_en_alt,),
            url=reverse("province_detail", args=[p.code]),
            province_id=p.pk,
            cluster_id=p.cluster_id,
        )


def _clusters(filter: Q) -> Iterator[SearchDocument]:
    for c in Cluster.objects.filter(filter).prefetch_related("provinces").order_by("pk"):
        members = sorted(c.provinces.all(), key=lambda p: p.code)
        yield _document(
            choices.CLUSTER,
            c.pk,
            DocumentKind.CLUSTER,
            code=c.code,
            title_th=c.name_th,
            title_en=c.name_en,
            body_th=" ".join(p.name_th for p in members),
            body_en=", ".join(p.name_en for p in members),
            url=reverse("cluster_detail", args=[c.code]),
            cluster_id=c.pk,
        )


def _owner_context(strategy: Strategy) -> tuple[str, str]:
    owner = strategy.owner
    thai, english = _fy(strategy.fiscal_year)
    return _joined(owner.name_th, thai), _joined(owner.name_en, english)


def _strategies(filter: Q) -> Iterator[SearchDocument]:
    qs = Strategy.objects.filter(filter).select_related("province", "cluster").order_by("pk")
    for s in qs.iterator(chunk_size=BATCH):
        context_th, context_en = _owner_context(s)
        yield _document(
            choices.STRATEGY,
            s.pk,
            DocumentKind.STRATEGY,
            code=s.external_ref,
            title_th=s.title_th,
            title_en=s.title_en,
            body_th=s.summary_th,
            body_en=s.summary_en,
            context_th=context_th,
            context_en=context_en,
            url=reverse("strategy_detail", args=[s.pk]),
            fiscal_year=s.fiscal_year,
            province_id=s.province_id,
            cluster_id=s.cluster_id,
            strategy_id=s.pk,
        )


def _projects(filter: Q) -> Iterator[SearchDocument]:
    qs = (
        Project.objects.filter(filter)
        .select_related("strategy", "strategy__province", "strategy__cluster")
        .order_by("pk")
    )
    for p in qs.iterator(chunk_size=BATCH):
        s = p.strategy
        context_th, context_en = _owner_context(s)
        body = _joined(p.lead_agency, p.kpi)
        yield _document(
            choices.PROJECT,
            p.pk,
            DocumentKind.PROJECT,
            title_th=p.title_th,
            title_en=p.title_en,
            body_th=body,
            context_th=_joined(s.title_th, context_th),
            context_en=_joined(s.title_en or s.title_th, context_en),
            url=reverse("strategy_detail", args=[s.pk]) + f"#project-{p.pk}",
            fiscal_year=s.fiscal_year,
            province_id=s.province_id,
            cluster_id=s.cluster_id,
            strategy_id=s.pk,
        )


def _label_in_both(label: object) -> tuple[str, str]:
    """A choice's (lazy) label in Thai and in English."""
    return _both(lambda _english: str(label))


def _indicators(filter: Q) -> Iterator[SearchDocument]:
    for i in Indicator.objects.filter(filter).select_related("round").order_by("pk"):
        fy_th, fy_en = _fy(i.round.fiscal_year)
        dimension_th, dimension_en = _label_in_both(i.dimension_choice.label)
        yield _document(
            choices.INDICATOR,
            i.pk,
            DocumentKind.INDICATOR,
            code=i.code,
            title_th=i.name_th,
            title_en=i.name_en,
            body_th=_joined(i.guidance_th, i.target_note_th),
            body_en=_joined(i.guidance_en, i.target_note_en),
            context_th=_joined(dimension_th, fy_th),
            context_en=_joined(dimension_en, fy_en),
            url=reverse("national_rollup") + f"?fy={i.round.fiscal_year}",
            fiscal_year=i.round.fiscal_year,
            round_id=i.round_id,
        )


def _strategy_comments(filter: Q) -> Iterator[SearchDocument]:
    qs = (
        StrategyReview.objects.filter(filter)
        .exclude(text="")
        .select_related("strategy", "strategy__province", "strategy__cluster")
        .order_by("pk")
    )
    for r in qs.iterator(chunk_size=BATCH):
        s = r.strategy
        context_th, context_en = _owner_context(s)
        yield _document(
            choices.STRATEGY_COMMENT,
            r.pk,
            DocumentKind.COMMENT,
            index_title=False,
            title_th=s.title_th,
            title_en=s.title_en,
            body_th=r.text,
            context_th=context_th,
            context_en=context_en,
            url=reverse("strategy_detail", args=[s.pk]) + f"#review-{r.pk}",
            fiscal_year=s.fiscal_year,
            province_id=s.province_id,
            cluster_id=s.cluster_id,
            strategy_id=s.pk,
        )


def _assessment_title(province: Province) -> tuple[str, str]:
    return _both(
        lambda english: (
            _("Readiness assessment of %(province)s")
            % {"province": province.name_en if english else province.name_th}
        )
    )


def _assessment_comments(filter: Q) -> Iterator[SearchDocument]:
    qs = (
        ReviewEvent.objects.filter(filter)
        .exclude(comment="")
        .select_related("assessment__province", "assessment__round")
        .order_by("pk")
    )
    for e in qs.iterator(chunk_size=BATCH):
        a = e.assessment
        title_th, title_en = _assessment_title(a.province)
        fy_th, fy_en = _fy(a.round.fiscal_year)
        yield _document(
            choices.ASSESSMENT_COMMENT,
            e.pk,
            DocumentKind.COMMENT,
            index_title=False,
            title_th=title_th,
            title_en=title_en,
            body_th=e.comment,
            context_th=fy_th,
            context_en=fy_en,
            url=reverse("assessment_detail", args=[a.province.code, a.round.fiscal_year]),
            fiscal_year=a.round.fiscal_year,
            province_id=a.province_id,
            assessment_id=a.pk,
        )


def _indicator_comments(filter: Q) -> Iterator[SearchDocument]:
    qs = ReviewComment.objects.filter(filter).select_related(
        "indicator", "event__assessment__province", "event__assessment__round"
    )
    for c in qs.order_by("pk").iterator(chunk_size=BATCH):
        a = c.event.assessment
        title_th, title_en = _assessment_title(a.province)
        fy_th, fy_en = _fy(a.round.fiscal_year)
        yield _document(
            choices.INDICATOR_COMMENT,
            c.pk,
            DocumentKind.COMMENT,
            index_title=False,
            code=c.indicator.code,
            title_th=title_th,
            title_en=title_en,
            body_th=c.text,
            context_th=_joined(f"{c.indicator.code} {c.indicator.name_th}", fy_th),
            context_en=_joined(f"{c.indicator.code} {c.indicator.name_en}", fy_en),
            url=reverse("assessment_detail", args=[a.province.code, a.round.fiscal_year])
            + f"#ind-{c.indicator.code}",
            fiscal_year=a.round.fiscal_year,
            province_id=a.province_id,
            assessment_id=a.pk,
        )


BUILDERS: dict[str, Callable[[Q], Iterator[SearchDocument]]] = {
    choices.PROVINCE: _provinces,
    choices.CLUSTER: _clusters,
    choices.STRATEGY: _strategies,
    choices.PROJECT: _projects,
    choices.INDICATOR: _indicators,
    choices.STRATEGY_COMMENT: _strategy_comments,
    choices.ASSESSMENT_COMMENT: _assessment_comments,
    choices.INDICATOR_COMMENT: _indicator_comments,
}


def _expanded(keys: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    """The keys by source, with a round standing for its indicators and a strategy for itself, its projects
    and its comments (their names and owner are shown with them)."""
    by_source: dict[str, set[int]] = defaultdict(set)
    rounds: set[int] = set()
    families: set[int] = set()
    for source, pk in keys:
        if source == ROUND:
            rounds.add(pk)
        elif source == STRATEGY_FAMILY:
            families.add(pk)
        else:
            by_source[source].add(pk)
    if rounds:
        by_source[choices.INDICATOR].update(
            Indicator.objects.filter(round__in=rounds).values_list("pk", flat=True)
        )
    if families:
        by_source[choices.STRATEGY].update(families)
        by_source[choices.PROJECT].update(
            Project.objects.filter(strategy__in=families).values_list("pk", flat=True)
        )
        by_source[choices.STRATEGY_COMMENT].update(
            StrategyReview.objects.filter(strategy__in=families).values_list("pk", flat=True)
        )
    return by_source


def _write(batch: list[SearchDocument]) -> int:
    """The documents, and their words that the index does not know yet (where typos are looked up)."""
    words = {w for d in batch for w in d.words.split() if len(w) <= MAX_WORD_CHARS}
    SearchWord.objects.bulk_create((SearchWord(word=w) for w in sorted(words)), ignore_conflicts=True)
    return len(SearchDocument.objects.bulk_create(batch))


def _insert(documents: Iterable[SearchDocument]) -> int:
    count = 0
    batch: list[SearchDocument] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            count += _write(batch)
            batch = []
    if batch:
        count += _write(batch)
    return count


@transaction.atomic
def documents_refresh(*, keys: Iterable[tuple[str, int]]) -> int:
    """Rebuild the documents of these (source, id) keys; an object that is gone (or has no text to find any
    more, such as a comment emptied) loses its document. Returns how many documents were written."""
    written = 0
    for source, pks in _expanded(keys).items():
        if source not in BUILDERS or not pks:
            continue
        SearchDocument.objects.filter(source=source, object_id__in=pks).delete()
        written += _insert(BUILDERS[source](Q(pk__in=pks)))
    return written


@transaction.atomic
def documents_rebuild() -> dict[str, int]:
    """Rebuild the whole index from the objects (after bulk loads, which send no signals), its words with it
    (those of objects gone go)."""
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    return {source: _insert(build(Q())) for source, build in BUILDERS.items()}
