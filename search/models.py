from django.db import models
from django.utils.translation import gettext_lazy as _

from provinces.models import localized

from .choices import SOURCES, DocumentKind


class TextSearchVectorField(models.Field):
    """PostgreSQL's tsvector (django.contrib.postgres's own field would need that app installed, for this
    one column); plain text, never written, elsewhere."""

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """One searchable object (a province, cluster, strategy, project, indicator or comment) as the search
    page needs it: its titles and text in both languages, the text cut into words (``words``: Thai has no
    spaces, so PyThaiNLP segments it, see search/text.py), where it links to, and the ids through which the
    owning app's access helper decides who may see it (search/access.py) — no joins at query time.

    Rows are derived data: search/services.py rebuilds them when an object changes (after the commit) and
    ``manage.py search_reindex`` rebuilds them all. The full-text indexes over ``words`` are not Django
    indexes but database-specific ones: on PostgreSQL ``words_tsv`` (to_tsvector('simple', words), kept by a
    trigger) with a GIN index per source (migration 0003); on SQLite an FTS5 table kept in step by triggers
    (migration 0002), and ``words_tsv`` stays empty.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    source = models.CharField(_("source"), max_length=40, choices=[(s, s) for s in SOURCES])
    object_id = models.PositiveBigIntegerField(_("object id"))
    code = models.CharField(_("code"), max_length=50, blank=True)
    title_th = models.CharField(_("title (Thai)"), max_length=600)
    title_en = models.CharField(_("title (English)"), max_length=600, blank=True)
    body_th = models.TextField(_("text (Thai)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    context_th = models.CharField(_("where it belongs (Thai)"), max_length=300, blank=True)
    context_en = models.CharField(_("where it belongs (English)"), max_length=300, blank=True)
    words = models.TextField(_("segmented words"))
    # PostgreSQL: the words as a text-search vector, written by the database itself (a trigger, migration
    # 0003) from ``words`` on every insert and update, so that matching a row never parses its words again.
    words_tsv = TextSearchVectorField(_("words as a text-search vector"), null=True, editable=False)
    url = models.CharField(_("link"), max_length=300)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), null=True, blank=True)
    # The scope: which of these is set depends on the source (search/access.py says which is used).
    province_id = models.BigIntegerField(_("province"), null=True, blank=True)
    cluster_id = models.BigIntegerField(_("provincial cluster"), null=True, blank=True)
    strategy_id = models.BigIntegerField(_("strategy"), null=True, blank=True)
    assessment_id = models.BigIntegerField(_("assessment"), null=True, blank=True)
    round_id = models.BigIntegerField(_("round"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_document_once_per_object"),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="search_document_kind_known"
            ),
        ]
        indexes = [
            # With the source: a user's strategies' documents of one source, without visiting the others.
            models.Index(fields=["strategy_id", "source"], name="search_doc_strategy_source"),
            models.Index(fields=["assessment_id"], name="search_doc_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.title_th[:60]}"

    @property
    def title(self) -> str:
        return localized(self.title_th, self.title_en)

    @property
    def body(self) -> str:
        return localized(self.body_th, self.body_en)

    @property
    def context(self) -> str:
        return localized(self.context_th, self.context_en)

    @property
    def kind_choice(self) -> DocumentKind:
        return DocumentKind(self.kind)


# Longer words are not kept as typo targets (no one mistypes a 60-letter word and means it).
MAX_WORD_CHARS = 64


class SearchWord(models.Model):
    """A word of the index (of some document's ``words``), once: where a typo's likely meaning is looked up
    (PostgreSQL's pg_trgm, GIN index of migration 0003) — among the index's thousands of words rather than
    its hundreds of thousands of documents. Derived and kept with the documents (search/services.py); a word
    whose documents are gone stays until the next ``search_reindex`` and then simply matches nothing."""

    word = models.CharField(_("word"), max_length=MAX_WORD_CHARS)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")
        # A constraint rather than unique=True: no LIKE index beside it on PostgreSQL (words are looked up by
        # similarity, through the trigram index).
        constraints = [models.UniqueConstraint(fields=["word"], name="search_word_once")]

    def __str__(self) -> str:
        return self.word
