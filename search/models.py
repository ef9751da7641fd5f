from django.db import models
from django.utils.translation import gettext_lazy as _

from provinces.models import localized

from .choices import SOURCES, DocumentKind


class SearchDocument(models.Model):
    """One searchable object (a province, cluster, strategy, project, indicator or comment) as the search
    page needs it: its titles and text in both languages, the text cut into words (``words``: Thai has no
    spaces, so PyThaiNLP segments it, see search/text.py), where it links to, and the ids through which the
    owning app's access helper decides who may see it (search/access.py) — no joins at query time.

    Rows are derived data: search/services.py rebuilds them when an object changes (after the commit) and
    ``manage.py search_reindex`` rebuilds them all. The full-text indexes over ``words`` are not Django
    indexes but database-specific ones made by migration 0002: on PostgreSQL a GIN index over
    ``to_tsvector('simple', words)`` and a pg_trgm GIN index; on SQLite an FTS5 table kept in step by triggers.
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
            models.Index(fields=["strategy_id"], name="search_doc_strategy"),
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
