from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provinces.models import Province, english_active, localized

from .choices import AssessmentStatus, Dimension, EvidenceKind, ReviewAction, RoundStatus

LEVELS = (1, 2, 3, 4, 5)


class Round(models.Model):
    """A readiness round: one Thai fiscal year (B.E.) with its own indicator framework. Planners answer
    while it is open; an administrator opens the next one by copying the framework of the last."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2550, fiscal_year__lte=2700),
                name="round_fiscal_year_is_be",
                violation_error_message=_("The fiscal year is a Buddhist Era year, e.g. 2570."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="round_closes_after_it_opens",
                violation_error_message=_("A round cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("FY %(year)s") % {"year": self.fiscal_year})

    @property
    def status_choice(self) -> RoundStatus:
        return RoundStatus(self.status)

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Indicator(models.Model):
    """One question of a round's framework: a dimension, a code, names, guidance on evidence, the
    "ชี้เป้า" note (what to aim at), a weight, and a rubric describing each level 1–5."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="indicators"
    )
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    code = models.CharField(_("code"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_th = models.CharField(_("Thai name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    guidance_th = models.TextField(_("guidance (Thai)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    target_note_th = models.TextField(_("target note, ชี้เป้า (Thai)"), blank=True)
    target_note_en = models.TextField(_("target note, ชี้เป้า (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    rubric_1_th = models.TextField(_("level 1 (Thai)"))
    rubric_2_th = models.TextField(_("level 2 (Thai)"))
    rubric_3_th = models.TextField(_("level 3 (Thai)"))
    rubric_4_th = models.TextField(_("level 4 (Thai)"))
    rubric_5_th = models.TextField(_("level 5 (Thai)"))
    rubric_1_en = models.TextField(_("level 1 (English)"), blank=True)
    rubric_2_en = models.TextField(_("level 2 (English)"), blank=True)
    rubric_3_en = models.TextField(_("level 3 (English)"), blank=True)
    rubric_4_en = models.TextField(_("level 4 (English)"), blank=True)
    rubric_5_en = models.TextField(_("level 5 (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["round", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"],
                name="indicator_code_unique_in_round",
                violation_error_message=_("This indicator code is already used in this round."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=10),
                name="indicator_weight_positive",
                violation_error_message=_("An indicator's weight is above 0 and at most 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    @property
    def guidance(self) -> str:
        return localized(self.guidance_th, self.guidance_en)

    @property
    def target_note(self) -> str:
        return localized(self.target_note_th, self.target_note_en)

    @property
    def dimension_choice(self) -> Dimension:
        return Dimension(self.dimension)

    def rubric(self) -> list[tuple[int, str]]:
        """(level, description) for levels 1–5 in the active language, Thai where English is missing."""
        suffix = "en" if english_active() else "th"
        return [
            (level, getattr(self, f"rubric_{level}_{suffix}") or getattr(self, f"rubric_{level}_th"))
            for level in LEVELS
        ]


class Assessment(models.Model):
    """A province's readiness self-assessment for one round: draft → submitted → returned / approved.
    ``version`` grows with every saved answer so that concurrent editors are detected."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="assessments"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_snapshot = models.ForeignKey(
        "ApprovalSnapshot",
        verbose_name=_("latest approved version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    # Who makes the next change: set before a save or delete, simple-history records it as the author.
    _history_user: User

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "round"],
                name="assessment_one_per_province_and_round",
                violation_error_message=_("This province already has an assessment for this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.round}"

    @property
    def status_choice(self) -> AssessmentStatus:
        return AssessmentStatus(self.status)

    @property
    def is_editable_status(self) -> bool:
        """Planners edit drafts, returned assessments and approved ones (an edit reopens those)."""
        return self.status != AssessmentStatus.SUBMITTED


class Answer(models.Model):
    """A province's answer to one indicator: a level 1–5 or blank, and the justification. Blank answers are
    left out of scores (they lower completeness, never count as zero). ``copied_forward`` marks an answer
    copied from last round until someone saves it."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="answers"
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True, max_length=5000)
    copied_forward = models.BooleanField(_("copied from last round"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Who makes the next change: set before a save or delete, simple-history records it as the author.
    _history_user: User

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="answer_one_per_indicator",
                violation_error_message=_("This indicator is already answered in this assessment."),
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="answer_level_1_to_5",
                violation_error_message=_("The level must be between 1 and 5, or blank."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.indicator.code}: {self.level or '–'}"

    @property
    def is_own(self) -> bool:
        """Written in this round (a level or a justification), not an unreviewed copy of last round's.
        Copying forward is offered, and allowed, only while no answer is the assessment's own."""
        return not self.copied_forward and (self.level is not None or bool(self.justification))


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Stored under a random name: the user's file name is kept (sanitised) only for the download.
    import uuid

    return f"evidence/{instance.answer.assessment_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A piece of evidence behind an answer: an uploaded file (PDF, image, Office document) or a link.
    Files live outside the web root and are served only through a view that checks access."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    copied_forward = models.BooleanField(_("copied from last round"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()
    # Who makes the next change: set before a save or delete, simple-history records it as the author.
    _history_user: User

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=EvidenceKind.LINK) & ~Q(url="") & Q(file=""))
                | (Q(kind=EvidenceKind.FILE) & ~Q(file="") & Q(url="")),
                name="evidence_is_a_file_or_a_link",
                violation_error_message=_("Evidence is either a file or a link."),
            )
        ]

    def __str__(self) -> str:
        return self.title or self.filename or self.url

    @property
    def label(self) -> str:
        return self.title or self.filename or self.url


class ReviewEvent(models.Model):
    """One step of an assessment's workflow — who did what and when, with the overall comment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_action_display()}"

    @property
    def action_choice(self) -> ReviewAction:
        return ReviewAction(self.action)


class ReviewComment(models.Model):
    """An advisor's comment on one indicator when returning an assessment."""

    event = models.ForeignKey(
        ReviewEvent, verbose_name=_("review event"), on_delete=models.CASCADE, related_name="comments"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=5000)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return self.text[:60]


class ApprovalSnapshot(models.Model):
    """The approved version of an assessment, frozen at approval: every answer (level, justification,
    evidence) and the scores. Official roll-ups read snapshots, so later edits never change them."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="snapshots"
    )
    version = models.PositiveIntegerField(_("version"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)
    answers = models.JSONField(_("answers"), default=dict)
    place = models.FloatField(_("Place"), null=True)
    product = models.FloatField(_("Product"), null=True)
    people = models.FloatField(_("People"), null=True)
    overall = models.FloatField(_("overall"), null=True)
    completeness = models.FloatField(_("completeness"), default=0)

    class Meta:
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.version}"


# The indicator fields that change how an answer is scored or judged: the weight and the rubric.
SCORING_FIELDS = ["weight", *(f"rubric_{level}_{lang}" for level in LEVELS for lang in ("th", "en"))]


class FrameworkChange(models.Model):
    """A change to an indicator's weight or rubric while its round was open: assessments already under way
    are then scored (or were judged) with a different framework, so the change is recorded and shown."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="framework_changes"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="framework_changes"
    )
    changes = models.JSONField(_("changes (field: [before, after])"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("framework change in an open round")
        verbose_name_plural = _("framework changes in open rounds")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.round} · {self.indicator.code}"

    @property
    def weight_change(self) -> list | None:
        return self.changes.get("weight")

    @property
    def rubric_changed(self) -> bool:
        return any(name.startswith("rubric_") for name in self.changes)
