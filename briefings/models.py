import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ACTIVE_STATUSES,
    FORMAT_FILES,
    NATIONAL_SUBJECT,
    BriefingFormat,
    BriefingKind,
    BriefingLanguage,
    BriefingStatus,
    Classification,
)


def briefing_upload_to(instance: "Briefing", filename: str) -> str:
    # A random name under briefings/ in the private default storage (var/media, outside the web root);
    # the file leaves only through the download view, under a readable name chosen there.
    extension = FORMAT_FILES.get(instance.format, FORMAT_FILES["pdf"])[0]
    return f"briefings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


# What makes two requests the same document: an identical request while one is waiting or running reuses it.
REQUEST_IDENTITY = (
    "kind",
    "subject",
    "fiscal_year",
    "language",
    "format",
    "includes_unapproved",
    "audience",
    "options_key",
)


class Briefing(models.Model):
    """A PDF briefing for a meeting, and the background job that renders it.

    ``kind`` and ``subject`` say what it is about: a province (ISO code, e.g. TH-50), a provincial cluster
    (its code, e.g. N-UP1) or the whole country ("TH"). ``fiscal_year`` is the readiness round (B.E.).
    ``sections`` and the meeting fields are what the request chose to print; ``options_key`` is their digest,
    so that "an identical request" means the same sections and the same cover.
    ``includes_unapproved`` is asked for at request time: the document then shows figures not yet approved
    (only users who may see them can ask, and only they see the job); ``is_draft`` is set by the render
    when such figures were actually printed — the PDF then carries a "ร่าง / DRAFT" watermark.
    The document is made for ``requested_by``, as that user may see the subject; ``audience`` records which
    view that is ("" the whole subject, or a planner's province: see access.audience_of), so that the job is
    shared, and an identical request reused, only among users who would get the same document.

    The job goes queued → running → done | failed. ``attempts`` counts the starts; a job whose worker died
    is re-queued or failed by the sweep (services.briefing_sweep), never left "running". ``error`` is the
    message shown to the user; the technical detail goes to the log. ``file`` lives in private storage and
    is only ever served by the download view, which checks access.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=BriefingKind.choices)
    subject = models.CharField(_("subject"), max_length=10)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    language = models.CharField(
        _("language"), max_length=2, choices=BriefingLanguage.choices, default=BriefingLanguage.TH
    )
    format = models.CharField(
        _("file format"), max_length=4, choices=BriefingFormat.choices, default=BriefingFormat.PDF
    )
    includes_unapproved = models.BooleanField(_("includes figures not yet approved"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audience = models.CharField(
        _("prepared for the view of"),
        max_length=10,
        blank=True,
        help_text=_("Empty: everything of the subject. A province code: as that province's planners see it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED
    )
    progress_step = models.CharField(_("current step"), max_length=100, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    queued_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (seconds)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=briefing_upload_to, blank=True, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    is_draft = models.BooleanField(_("marked as draft"), default=False)
    error = models.TextField(_("error"), blank=True)
    # What the request chose to print: sections (keys in document order, "" for all) and the meeting.
    sections = models.CharField(_("sections"), max_length=200, blank=True)
    meeting_name = models.CharField(_("meeting"), max_length=300, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_venue = models.CharField(_("venue"), max_length=300, blank=True)
    classification = models.CharField(
        _("classification"), max_length=10, choices=Classification.choices, blank=True
    )
    prepared_by = models.CharField(_("prepared by"), max_length=300, blank=True)
    # A digest of the choices above: part of what makes two requests identical (and of the constraint).
    options_key = models.CharField(_("request options"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-queued_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "started_at"], name="briefing_status_started"),
            models.Index(fields=["kind", "subject", "-queued_at"], name="briefing_subject_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2550, fiscal_year__lte=2700),
                name="briefing_fiscal_year_is_be",
                violation_error_message=_("The fiscal year is a Buddhist Era year, e.g. 2570."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=BriefingKind.NATIONAL, subject=NATIONAL_SUBJECT)
                    | Q(kind=BriefingKind.PROVINCE, subject__regex=r"^TH-[0-9]{2}$")
                    | Q(kind=BriefingKind.CLUSTER, subject__regex=r"^[A-Z]+(-[A-Z0-9]+)?$")
                ),
                name="briefing_subject_matches_kind",
                violation_error_message=_(
                    "The subject is a province code (TH-50), a cluster code (N-UP1) or TH for the nation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(language__in=[c.value for c in BriefingLanguage]),
                name="briefing_language_known",
                violation_error_message=_("A briefing is written in Thai or English."),
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="briefing_progress_at_most_100",
                violation_error_message=_("Progress is a percentage, 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status=BriefingStatus.DONE) | ~Q(file=""),
                name="briefing_done_has_a_file",
                violation_error_message=_("A finished briefing has its file."),
            ),
            models.CheckConstraint(
                condition=~Q(status=BriefingStatus.FAILED) | ~Q(error=""),
                name="briefing_failed_says_why",
                violation_error_message=_("A failed briefing says why it failed."),
            ),
            # Re-requesting an identical briefing while one is waiting or running reuses it.
            models.UniqueConstraint(
                fields=list(REQUEST_IDENTITY),
                condition=Q(status__in=[s.value for s in ACTIVE_STATUSES]),
                name="briefing_one_active_per_request",
                violation_error_message=_("This briefing is already being prepared."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} · FY {self.fiscal_year} · {self.language}"

    @property
    def identity(self) -> dict:
        """This job's request identity (REQUEST_IDENTITY), as filter arguments."""
        return {name: getattr(self, name) for name in REQUEST_IDENTITY}

    @property
    def kind_choice(self) -> BriefingKind:
        return BriefingKind(self.kind)

    @property
    def status_choice(self) -> BriefingStatus:
        return BriefingStatus(self.status)

    @property
    def is_active(self) -> bool:
        """Waiting or running: the page keeps polling its status."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == BriefingStatus.DONE and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.status == BriefingStatus.FAILED

    @property
    def download_name(self) -> str:
        """The file name the user's browser saves: ASCII, readable, unique enough for a meeting folder."""
        draft = "-draft" if self.is_draft else ""
        extension = FORMAT_FILES.get(self.format, FORMAT_FILES["pdf"])[0]
        return f"briefing-{self.subject}-{self.fiscal_year}-{self.language}{draft}.{extension}"

    @property
    def content_type(self) -> str:
        return FORMAT_FILES.get(self.format, FORMAT_FILES["pdf"])[1]


class BriefingLogo(models.Model):
    """A logo an administrator uploads for the cover of briefings (the product ships none). The newest
    active one is printed; the image was checked (a real PNG or JPEG, small) when it was uploaded."""

    name = models.CharField(_("name"), max_length=100)
    image = models.FileField(_("image"), upload_to="briefing-logos/", max_length=200)
    active = models.BooleanField(_("printed on the cover"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("briefing logo")
        verbose_name_plural = _("briefing logos")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(image=""), name="briefing_logo_has_an_image",
                violation_error_message=_("A logo has its image."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=BriefingLogo)
def _delete_logo(sender, instance: BriefingLogo, **kwargs) -> None:
    if instance.image:
        instance.image.delete(save=False)


@receiver(post_delete, sender=Briefing)
def _delete_file(sender, instance: Briefing, **kwargs) -> None:
    """A deleted briefing takes its PDF with it (nothing else refers to the file)."""
    if instance.file:
        instance.file.delete(save=False)
