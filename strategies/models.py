from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provinces.models import Cluster, Province, localized
from provinces.thai import SORT_TEXT_CHARS, thai_sort_text
from readiness.choices import DIMENSIONS
from readiness.models import Indicator

from .choices import (
    Axis,
    EffectSource,
    FundingSource,
    Pillar,
    ProjectStatus,
    ReviewKind,
    StrategyStatus,
    WorkArea,
)
from .matrix import QUADRANT_CHOICES, QUADRANTS, quadrant_of

MAX_BUDGET = 10**12  # one trillion baht: anything above is a typing error


def _label(choices, value) -> str:
    """A choice's label (the value itself when unknown), as Django's get_FOO_display() gives it — without
    rebuilding the choices dictionary on every call: a strategy table renders three per row."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Criterion(models.Model):
    """One item of the checklist that scores an axis of the matrix (0–4 each). Administrators edit them;
    an axis's effect is the weighted sum of its active criteria scaled to 0–100."""

    axis = models.CharField(_("axis"), max_length=10, choices=Axis.choices)
    code = models.CharField(_("code"), max_length=10, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_th = models.CharField(_("Thai name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    help_th = models.TextField(_("what scores high (Thai)"), blank=True)
    help_en = models.TextField(_("what scores high (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("matrix criterion")
        verbose_name_plural = _("matrix criteria")
        ordering = ["axis", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=10),
                name="criterion_weight_positive",
                violation_error_message=_("A criterion's weight is above 0 and at most 10."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    @property
    def help(self) -> str:
        return localized(self.help_th, self.help_en)


class SortKeyField(models.CharField):
    """A stored sort key (provinces.thai.thai_sort_text), which SQL must compare byte by byte: PostgreSQL's
    "C" collation (a database's default collation would reorder the key), SQLite's default BINARY one."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


TITLES = ("title_th", "title_en")
TITLE_SORT_KEYS = ("title_sort_key", "title_sort_key_en")


def _title_keys_for_update(values: dict) -> dict:
    """The sort keys that a queryset ``update()`` of the titles writes with them, in the same statement."""
    thai, english = values.get("title_th"), values.get("title_en")
    if any(v is not None and not isinstance(v, str) for v in (thai, english)):
        raise TypeError(
            "update() of a strategy title takes text (or sets title_sort_key and title_sort_key_en)"
        )
    keys: dict[str, object] = {}
    if thai is not None:
        keys["title_sort_key"] = thai_sort_text(thai)
    if english:
        keys["title_sort_key_en"] = thai_sort_text(english)
    elif english is not None:  # emptied: the English key is the Thai title's
        keys["title_sort_key_en"] = keys["title_sort_key"] if thai is not None else F("title_sort_key")
    elif thai is not None:  # the English key follows the Thai title where there is no English one
        keys["title_sort_key_en"] = Case(
            When(title_en="", then=Value(keys["title_sort_key"])),
            default=F("title_sort_key_en"),
            output_field=models.CharField(),
        )
    return keys


class StrategyQuerySet(models.QuerySet):
    """Every bulk write of a title writes its sort keys too: ``bulk_create`` (the national data generator,
    tests), ``bulk_update`` and ``update()``, which skip ``Strategy.save``."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.set_title_sort_keys()
        if (fields := kwargs.get("update_fields")) and set(fields) & set(TITLES):
            kwargs["update_fields"] = [*fields, *(k for k in TITLE_SORT_KEYS if k not in fields)]
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if set(fields) & set(TITLES):
            for obj in objs:
                obj.set_title_sort_keys()
            fields = [*fields, *(k for k in TITLE_SORT_KEYS if k not in fields)]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        # bulk_update ends here with CASE expressions, its keys already among them.
        if set(kwargs) & set(TITLES) and not set(kwargs) & set(TITLE_SORT_KEYS):
            kwargs.update(_title_keys_for_update(kwargs))
        return super().update(**kwargs)


class Strategy(models.Model):
    """A strategy of a province or of a provincial cluster (exactly one owner) for a fiscal year, placed on the
    ก ข ค ง matrix by its two effects. Effects come from the criteria checklist, or are entered directly by an
    import (and shown so). An advisor may override the quadrant, with a reason; the override can be withdrawn."""

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("provincial cluster"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="strategies",
    )  # fmt: skip
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    external_ref = models.CharField(_("reference in the office's own plan"), max_length=50, blank=True)
    title_th = models.CharField(_("title (Thai)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    # The titles' Thai dictionary order (provinces.thai.thai_sort_text), so that a list of thousands sorts by
    # title in SQL, a page at a time. Derived: written with the titles on every path (save, the queryset's
    # bulk writes), never by hand; the English one is the Thai title's where there is no English title.
    title_sort_key = SortKeyField(
        _("title sort key (Thai)"), max_length=SORT_TEXT_CHARS, blank=True, editable=False
    )
    title_sort_key_en = SortKeyField(
        _("title sort key (English)"), max_length=SORT_TEXT_CHARS, blank=True, editable=False
    )
    summary_th = models.TextField(_("summary (Thai)"), blank=True, max_length=10000)
    summary_en = models.TextField(_("summary (English)"), blank=True, max_length=10000)
    work_area = models.CharField(_("work area"), max_length=20, choices=WorkArea.choices)
    pillar = models.CharField(_("ASEAN pillar"), max_length=20, choices=Pillar.choices)
    builds_place = models.BooleanField(_("builds Place"), default=False)
    builds_product = models.BooleanField(_("builds Product"), default=False)
    builds_people = models.BooleanField(_("builds People"), default=False)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("readiness indicators it builds"), blank=True, related_name="strategies"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self", verbose_name=_("carried forward from"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="carried_forward",
    )  # fmt: skip
    asean_effect = models.FloatField(_("effect on ASEAN goals (0–100)"), default=0)
    national_effect = models.FloatField(_("effect on the national interest (0–100)"), default=0)
    effect_source = models.CharField(
        _("source of the effects"),
        max_length=10,
        choices=EffectSource.choices,
        default=EffectSource.CHECKLIST,
    )
    override_quadrant = models.CharField(
        _("quadrant set by the advisor"), max_length=1, choices=QUADRANT_CHOICES, blank=True
    )
    override_reason = models.TextField(_("reason for the override"), blank=True, max_length=5000)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("overridden by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    override_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[indicators], excluded_fields=["updated_at", *TITLE_SORT_KEYS])

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-fiscal_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=False, cluster__isnull=True)
                | Q(province__isnull=True, cluster__isnull=False),
                name="strategy_owned_by_province_xor_cluster",
                violation_error_message=_("A strategy belongs to exactly one province or one cluster."),
            ),
            models.CheckConstraint(
                condition=Q(
                    asean_effect__gte=0,
                    asean_effect__lte=100,
                    national_effect__gte=0,
                    national_effect__lte=100,
                ),
                name="strategy_effects_0_to_100",
                violation_error_message=_("Effects are between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2550, fiscal_year__lte=2700),
                name="strategy_fiscal_year_is_be",
                violation_error_message=_("The fiscal year is a Buddhist Era year, e.g. 2570."),
            ),
            models.CheckConstraint(
                condition=Q(override_quadrant="") | ~Q(override_reason=""),
                name="strategy_override_has_reason",
                violation_error_message=_("An override needs a reason."),
            ),
            models.UniqueConstraint(
                fields=["province", "external_ref", "fiscal_year"],
                condition=Q(province__isnull=False) & ~Q(external_ref=""),
                name="strategy_ref_unique_per_province_year",
                violation_error_message=_(
                    "This reference is already used by the province in this fiscal year."
                ),
            ),
            models.UniqueConstraint(
                fields=["cluster", "external_ref", "fiscal_year"],
                condition=Q(cluster__isnull=False) & ~Q(external_ref=""),
                name="strategy_ref_unique_per_cluster_year",
                violation_error_message=_(
                    "This reference is already used by the cluster in this fiscal year."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "cluster"]),
            models.Index(fields=["fiscal_year", "province"]),
            # Explicit indexes rather than db_index: no LIKE index beside them on PostgreSQL (keys are only sorted).
            models.Index(fields=["title_sort_key"], name="strategy_title_sort"),
            models.Index(fields=["title_sort_key_en"], name="strategy_title_sort_en"),
            # The review queue asks for a few statuses among every year's strategies.
            models.Index(fields=["status", "fiscal_year"], name="strategy_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, **kwargs) -> None:
        self.set_title_sort_keys()
        if (fields := kwargs.get("update_fields")) is not None and set(fields) & set(TITLES):
            kwargs["update_fields"] = {*fields, *TITLE_SORT_KEYS}
        super().save(**kwargs)

    def set_title_sort_keys(self) -> None:
        self.title_sort_key = thai_sort_text(self.title_th)
        self.title_sort_key_en = thai_sort_text(self.title_en or self.title_th)

    @property
    def title(self) -> str:
        return localized(self.title_th, self.title_en)

    @property
    def summary(self) -> str:
        return localized(self.summary_th, self.summary_en)

    @property
    def owner(self) -> Province | Cluster:
        return self.province or self.cluster

    @property
    def computed_quadrant(self) -> str:
        return quadrant_of(self.asean_effect, self.national_effect)

    @property
    def quadrant(self) -> str:
        """The quadrant shown everywhere: the advisor's override if any, else the computed one."""
        return self.override_quadrant or self.computed_quadrant

    @property
    def quadrant_meaning(self) -> str:
        return QUADRANTS[self.quadrant].meaning

    @property
    def is_editable_status(self) -> bool:
        return self.status in (StrategyStatus.DRAFT, StrategyStatus.RETURNED)

    @property
    def dimensions(self) -> list[str]:
        return [d for d in DIMENSIONS if getattr(self, f"builds_{d}")]

    @property
    def status_choice(self) -> StrategyStatus:
        return StrategyStatus(self.status)

    @property
    def pillar_choice(self) -> Pillar:
        return Pillar(self.pillar)

    @property
    def work_area_choice(self) -> WorkArea:
        return WorkArea(self.work_area)

    def get_status_display(self) -> str:
        return _label(StrategyStatus, self.status)

    def get_pillar_display(self) -> str:
        return _label(Pillar, self.pillar)

    def get_work_area_display(self) -> str:
        return _label(WorkArea, self.work_area)


class CriterionScore(models.Model):
    """How strongly a strategy meets one checklist criterion: 0 (not at all) to 4 (fully)."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="criterion_scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("score (0–4)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "criterion"], name="criterion_score_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=4),
                name="criterion_score_0_to_4",
                violation_error_message=_("A criterion is scored from 0 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}={self.value}"


class StrategyReview(models.Model):
    """One entry of a strategy's review thread: a comment (optionally a reply), or a decision —
    proposed, endorsed, returned, an override or its withdrawal, a status change."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True, max_length=5000)
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("strategy review entry")
        verbose_name_plural = _("strategy review entries")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.kind}"

    @property
    def kind_choice(self) -> ReviewKind:
        return ReviewKind(self.kind)


class Project(models.Model):
    """A project under a strategy: who leads it, with whom, how much it costs and from which source, when,
    where it runs or who benefits, and how far it has come against its KPI."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="projects"
    )
    title_th = models.CharField(_("title (Thai)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    lead_agency = models.CharField(_("lead agency"), max_length=300)
    partners = models.JSONField(_("partner sectors"), default=list, blank=True)
    budget = models.DecimalField(_("budget (baht)"), max_digits=15, decimal_places=2)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    start_fy = models.PositiveSmallIntegerField(_("start fiscal year"))
    end_fy = models.PositiveSmallIntegerField(_("end fiscal year"))
    provinces = models.ManyToManyField(
        Province, verbose_name=_("provinces where it runs or that benefit"), related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    kpi = models.CharField(_("KPI"), max_length=300, blank=True)
    kpi_target = models.DecimalField(_("KPI target"), max_digits=15, decimal_places=2, null=True, blank=True)
    kpi_actual = models.DecimalField(_("KPI actual"), max_digits=15, decimal_places=2, null=True, blank=True)
    kpi_unit = models.CharField(_("KPI unit"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[provinces], excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0, budget__lte=MAX_BUDGET),
                name="project_budget_0_to_1_trillion",
                violation_error_message=_("A budget is between 0 and 1 trillion baht."),
            ),
            models.CheckConstraint(
                condition=Q(end_fy__gte=F("start_fy")),
                name="project_ends_after_it_starts",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="project_progress_0_to_100",
                violation_error_message=_("Progress is between 0 and 100 per cent."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.title_th, self.title_en)

    @property
    def status_choice(self) -> ProjectStatus:
        return ProjectStatus(self.status)

    @property
    def funding_choice(self) -> FundingSource:
        return FundingSource(self.funding_source)


class ProgressNote(models.Model):
    """A dated note on a project's progress."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="notes"
    )
    on = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="progress_note_0_to_100",
                violation_error_message=_("Progress is between 0 and 100 per cent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.progress}%"


# --- decision support (issue 7): overlap decisions and budget envelopes ---------------------------------


class OverlapVerdict(models.TextChoices):
    MERGED = "merged", _("merged into a cluster strategy")
    NOT_OVERLAP = "not_overlap", _("not an overlap")


class OverlapDecision(models.Model):
    """What a cluster secretariat or an advisor decided about two strategies the overlap finder put together.
    Remembered per pair (the lower id first), so that a decided pair is never reported again."""

    strategy_a = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="+"
    )
    strategy_b = models.ForeignKey(
        Strategy, verbose_name=_("other strategy"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=OverlapVerdict.choices)
    merged_into = models.ForeignKey(
        Strategy, verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="merged_from",
    )  # fmt: skip
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    # Whether the finder had put the two in one group when the pair was first decided: the decisions are the
    # one measure of the finder on real plans (how many of the pairs it showed were overlaps, and how many
    # overlaps people found that it had not shown).
    shown_by_finder = models.BooleanField(_("shown by the finder"), default=True)

    class Meta:
        verbose_name = _("overlap decision")
        verbose_name_plural = _("overlap decisions")
        ordering = ["-at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy_a", "strategy_b"], name="overlap_decision_unique_pair"),
            models.CheckConstraint(
                condition=Q(strategy_a__lt=F("strategy_b")), name="overlap_decision_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(decision="merged", merged_into__isnull=False)
                | Q(decision="not_overlap", merged_into__isnull=True),
                name="overlap_decision_merge_names_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy_a_id}–{self.strategy_b_id} {self.decision}"

    @property
    def verdict(self) -> OverlapVerdict:
        return OverlapVerdict(self.decision)


class BudgetEnvelope(models.Model):
    """A province's annual development budget envelope (งบพัฒนาจังหวัด), in baht: what one province can fund
    in a fiscal year. Administrators maintain it; the budget-reach check compares projects against it."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="budget_envelopes"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=15, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")
        ordering = ["-fiscal_year", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "fiscal_year"], name="budget_envelope_unique_year"),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_BUDGET), name="budget_envelope_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2550, fiscal_year__lte=2700),
                name="budget_envelope_fiscal_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.fiscal_year}: {self.amount}"


class StrategyEmbedding(models.Model):
    """A strategy's meaning for the overlap finder (decision/semantic.Meaning): the vector of its whole text
    and of its subject words (float32 bytes), its subject words and their vectors (float16 bytes, in the
    words' order), with the hash of the text and encoder they were computed from. A meaning whose hash no
    longer matches the strategy's text is stale and not used; it is recomputed after the change is committed
    (strategies/embeddings.py)."""

    strategy = models.OneToOneField(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="embedding",
    )
    text_hash = models.CharField(_("hash of the embedded text"), max_length=64)
    vector = models.BinaryField(_("vector (float32)"))
    subject_vector = models.BinaryField(_("vector of the subject words (float32)"), default=b"")
    words = models.JSONField(_("subject words"), default=list, blank=True)
    word_vectors = models.BinaryField(_("vectors of the subject words (float16)"), default=b"")
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("strategy embedding")
        verbose_name_plural = _("strategy embeddings")
        constraints = [
            models.CheckConstraint(condition=~Q(text_hash=""), name="strategy_embedding_hash_present"),
        ]

    def __str__(self) -> str:
        return f"{self.strategy_id} {self.text_hash[:12]}"
