"""Writes of the briefings app: request a briefing, render it (the worker's side), retry it, sweep stuck jobs.

The job row is the truth the page shows. A render only ever writes to a job it has claimed: the claim is an
atomic queued → running update, and every later write names the ``started_at`` of that claim — so a worker
that was given up for dead (swept) and wakes up again cannot overwrite what happened since.
"""

import datetime as dt
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from readiness import selectors as readiness
from readiness.models import Round

from . import access, rendering, signals
from .choices import (
    ACTIVE_STATUSES,
    BriefingFormat,
    BriefingKind,
    BriefingLanguage,
    BriefingStatus,
    Classification,
)
from .gather import BriefingDataError
from .models import Briefing, briefing_upload_to
from .spec import SECTION_KEYS, BriefingSpec, Meeting, parse_sections

logger = logging.getLogger(__name__)


class BriefingError(Exception):
    """A request that cannot be accepted now, for this user, or with this input. The message is for users."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _enqueue(briefing_id: int) -> None:
    """Queue the render once the job row is committed (ids only: the worker loads the row itself)."""
    from .tasks import briefing_render_task

    transaction.on_commit(lambda: briefing_render_task.delay(briefing_id))


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- requesting -------------------------------------------------------------------------------------


def briefing_request_by_code(
    *, kind: str, subject: str, fiscal_year: int, by: User, **options
) -> tuple[Briefing, bool]:
    """``briefing_request`` for a subject named by kind and code and a round by its fiscal year (scripts, the
    benchmark, a request made again): both are resolved for ``by`` first, through the same access rule."""
    if kind not in BriefingKind.values:
        raise BriefingError(_("Choose a province, a cluster or the whole country."))
    target = access.subject_for_user(by, kind, subject)
    if target is None:
        raise BriefingError(_("You may not request a briefing on this subject."))
    round = readiness.rounds().filter(fiscal_year=fiscal_year).first()
    if round is None:
        raise BriefingError(_("There is no readiness round for FY %(year)s.") % {"year": fiscal_year})
    return briefing_request(subject=target, round=round, by=by, **options)


def briefing_request(
    *,
    subject: access.Subject,
    round: Round,
    by: User,
    language: str = BriefingLanguage.TH,
    include_unapproved: bool = False,
    file_format: str = BriefingFormat.PDF,
    sections: tuple[str, ...] | list[str] | str = (),
    meeting: Meeting | None = None,
) -> tuple[Briefing, bool]:
    """Ask for a briefing on ``subject`` (resolved for ``by`` by the access rules: the request form's
    choices, or ``briefing_request_by_code``) for a published ``round``. Returns (job, created): an identical
    job that is still waiting or running is reused (created False) rather than rendered twice. The render is
    queued when the transaction commits. ``sections`` chooses what to print (SECTION_KEYS; empty: everything),
    ``meeting`` fills the cover; both are part of what makes two requests identical."""
    if language not in BriefingLanguage.values:
        raise BriefingError(_("A briefing is written in Thai or English."))
    if file_format not in BriefingFormat.values:
        raise BriefingError(_("A briefing is a PDF or a Word document."))
    if include_unapproved and not access.may_include_unapproved(by, subject):
        raise BriefingError(_("You may not include figures that are not yet approved for this subject."))
    try:
        chosen = parse_sections(sections)
    except ValueError as exc:
        raise BriefingError(
            _("Unknown sections: %(names)s. The sections are: %(valid)s.")
            % {"names": exc, "valid": ", ".join(SECTION_KEYS)}
        ) from None
    meeting = meeting or Meeting()
    if meeting.classification and meeting.classification not in Classification.values:
        raise BriefingError(_("Choose a classification from the list."))
    spec = BriefingSpec(
        subject.kind, subject.code, round.fiscal_year, language, include_unapproved, chosen, meeting
    )
    identity = {
        "kind": subject.kind,
        "subject": subject.code,
        "fiscal_year": round.fiscal_year,
        "language": language,
        "format": file_format,
        "includes_unapproved": include_unapproved,
        "audience": access.audience_of(by, subject),
        "options_key": spec.options_key,
    }
    options = {
        "sections": ",".join(chosen),
        "meeting_name": meeting.name,
        "meeting_date": meeting.date,
        "meeting_venue": meeting.venue,
        "classification": meeting.classification,
        "prepared_by": meeting.prepared_by,
    }
    with transaction.atomic():
        existing = Briefing.objects.filter(**identity, status__in=ACTIVE_STATUSES).first()
        if existing:
            return existing, False
        try:
            with transaction.atomic():  # a savepoint: a concurrent identical request wins the race
                briefing = Briefing.objects.create(
                    **identity,
                    **options,
                    requested_by=by,
                    progress_step=_("Waiting for a worker"),
                )
        except IntegrityError:
            existing = Briefing.objects.filter(**identity, status__in=ACTIVE_STATUSES).first()
            if existing is None:
                raise
            return existing, False
        _enqueue(briefing.pk)
    return briefing, True


def briefing_rerender(*, briefing: Briefing, by: User) -> tuple[Briefing, bool]:
    """Request the same briefing again (same subject, year, language, format, figures, sections and
    meeting), made for ``by`` — e.g. after the data changed. The old file stays as it was."""
    if not access.may_see(by, briefing):
        raise BriefingError(_("You may not request a briefing on this subject."))
    spec = BriefingSpec.of(briefing)
    return briefing_request_by_code(
        kind=spec.kind,
        subject=spec.subject,
        fiscal_year=spec.fiscal_year,
        language=spec.language,
        include_unapproved=spec.include_unapproved,
        file_format=briefing.format,
        sections=spec.sections,
        meeting=spec.meeting,
        by=by,
    )


@transaction.atomic
def briefing_retry(*, briefing: Briefing, by: User) -> Briefing:
    """Queue a failed briefing again. If an identical one is already waiting or running, that one is
    returned and this one stays failed."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if not access.may_see(by, briefing):
        raise BriefingError(_("You may not request a briefing on this subject."))
    if briefing.status != BriefingStatus.FAILED:
        raise BriefingError(_("Only a failed briefing can be tried again."))
    twin = Briefing.objects.filter(**briefing.identity, status__in=ACTIVE_STATUSES).first()
    if twin:
        return twin
    target = access.subject_for_user(by, briefing.kind, briefing.subject)
    if target is not None and access.audience_of(by, target) == briefing.audience:
        briefing.requested_by = by  # the same document, made for whoever asks again
    briefing.status = BriefingStatus.QUEUED
    briefing.error = ""
    briefing.attempts = 0
    briefing.progress_step = _("Waiting for a worker")
    briefing.progress_percent = 0
    briefing.queued_at = timezone.now()
    briefing.started_at = briefing.finished_at = briefing.render_seconds = None
    briefing.save()
    _enqueue(briefing.pk)
    return briefing


# --- rendering (the worker's side) --------------------------------------------------------------------


def _claimed(briefing: Briefing, started_at: dt.datetime):
    """The job row, but only while this render still owns it."""
    return Briefing.objects.filter(pk=briefing.pk, status=BriefingStatus.RUNNING, started_at=started_at)


def _fail(briefing: Briefing, started_at: dt.datetime, message: str) -> None:
    _claimed(briefing, started_at).update(
        status=BriefingStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        progress_step=_("Failed"),
    )


def briefing_render(*, briefing: Briefing) -> Briefing:
    """Render a queued briefing to its PDF (called by the Celery task, in a worker or in-process).

    Claims the job (queued → running) or does nothing if someone else has it or it is no longer queued.
    Never raises for a failed render: the job is marked failed with a message for the user and the
    details are logged. Runs outside any transaction, so that progress is visible while it works.
    """
    started_at = timezone.now()
    claimed = Briefing.objects.filter(pk=briefing.pk, status=BriefingStatus.QUEUED).update(
        status=BriefingStatus.RUNNING,
        started_at=started_at,
        finished_at=None,
        attempts=F("attempts") + 1,
        progress_step=_("Started"),
        progress_percent=5,
        error="",
    )
    if not claimed:
        logger.info("Briefing %s is not waiting (taken, finished or gone): nothing to do.", briefing.pk)
        briefing.refresh_from_db()
        return briefing
    briefing.refresh_from_db()
    clock = time.perf_counter()

    def progress(step: str, percent: int) -> None:
        _claimed(briefing, started_at).update(progress_step=str(step)[:100], progress_percent=percent)

    name = ""
    ready = False
    try:
        with override(briefing.language):
            viewer = _viewer_of(briefing)
            result = rendering.briefing_file(
                BriefingSpec.of(briefing), file_format=briefing.format, viewer=viewer, progress=progress
            )
            progress(_("Saving the file"), 95)
            name = default_storage.save(briefing_upload_to(briefing, ""), ContentFile(result.content))
            done = _claimed(briefing, started_at).update(
                status=BriefingStatus.DONE,
                file=name,
                size=len(result.content),
                pages=result.pages,
                is_draft=result.is_draft,
                finished_at=timezone.now(),
                render_seconds=round(time.perf_counter() - clock, 3),
                progress_step=_("Ready"),
                progress_percent=100,
            )
        ready = bool(done)
        if not done:  # swept while we worked: the job has moved on, this file belongs to nobody
            default_storage.delete(name)
            logger.warning(
                "Briefing %s was taken from this render meanwhile; its file was discarded.", briefing.pk
            )
    except SoftTimeLimitExceeded:
        logger.warning("Briefing %s took longer than the soft time limit.", briefing.pk)
        _cleanup(name)
        with override(briefing.language):
            _fail(
                briefing,
                started_at,
                _("Preparing the briefing took too long (more than %(seconds)s seconds) and was stopped.")
                % {"seconds": _setting("BRIEFING_SOFT_TIME_LIMIT", 90)},
            )
    except BriefingDataError as exc:
        _cleanup(name)
        _fail(briefing, started_at, exc.message)
    except Exception:
        logger.exception("Briefing %s failed to render.", briefing.pk)
        _cleanup(name)
        with override(briefing.language):
            _fail(
                briefing,
                started_at,
                _(
                    "The briefing could not be prepared. Try again; if it fails again, tell the "
                    "administrator (briefing no. %(pk)s)."
                )
                % {"pk": briefing.pk},
            )
    briefing.refresh_from_db()
    if ready:
        signals.briefing_ready.send_robust(sender=Briefing, briefing=briefing)
    return briefing


def _viewer_of(briefing: Briefing) -> User:
    """The user the document is made for: its requester, provided they still see the subject as they did
    when they asked (the job is shared by that audience). Otherwise the render is refused, never made for
    someone else."""
    viewer = briefing.requested_by
    target = access.subject_for_user(viewer, briefing.kind, briefing.subject) if viewer else None
    if viewer is None or target is None or access.audience_of(viewer, target) != briefing.audience:
        raise BriefingDataError(
            _(
                "The access of the person who requested this briefing has changed since. "
                "Request the briefing again."
            )
        )
    return viewer


def _cleanup(name: str) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the orphan briefing file %s", name)


def briefing_fail(*, briefing_id: int, message: str) -> bool:
    """Mark a waiting or running job failed (the task's last resort when something escaped the service)."""
    return bool(
        Briefing.objects.filter(pk=briefing_id, status__in=ACTIVE_STATUSES).update(
            status=BriefingStatus.FAILED, error=message, finished_at=timezone.now(), progress_step=_("Failed")
        )
    )


# --- the sweep ----------------------------------------------------------------------------------------


def briefing_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Rescue jobs whose worker died: a job "running" for longer than the hard time limit (plus a margin)
    cannot still be running. It is queued again if it has attempts left, else failed with a message (the
    page then offers a retry). With a broker, a job nobody started within BRIEFING_QUEUE_TIMEOUT is failed
    too (no worker is consuming the queue). Cheap when there is nothing to do: one indexed query.

    Called by Celery beat (CELERY_BEAT_SCHEDULE) and whenever the briefings page or a status is loaded.
    """
    now = now or timezone.now()
    hard = _setting("BRIEFING_TIME_LIMIT", 120) + _setting("BRIEFING_SWEEP_MARGIN", 30)
    max_attempts = _setting("BRIEFING_MAX_ATTEMPTS", 2)
    stale_running = Q(status=BriefingStatus.RUNNING, started_at__lt=now - dt.timedelta(seconds=hard))
    lost_queued = Q(pk__in=[])
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        waited = now - dt.timedelta(seconds=_setting("BRIEFING_QUEUE_TIMEOUT", 1800))
        lost_queued = Q(status=BriefingStatus.QUEUED, queued_at__lt=waited) & (
            Q(started_at__isnull=True) | Q(started_at__lt=waited)
        )
    counts = {"requeued": 0, "failed": 0}
    for job in Briefing.objects.filter(stale_running | lost_queued).only(
        "pk", "status", "started_at", "attempts", "language"
    ):
        rows = Briefing.objects.filter(pk=job.pk, status=job.status, started_at=job.started_at)
        with override(job.language):
            if job.status == BriefingStatus.QUEUED:
                message = _(
                    "No worker took up this briefing. Try again later; if it keeps failing, tell the "
                    "administrator that the briefing workers are not running."
                )
            elif job.attempts < max_attempts:
                with transaction.atomic():
                    if rows.update(
                        status=BriefingStatus.QUEUED,
                        progress_step=_("Waiting for a worker (trying again)"),
                        progress_percent=0,
                    ):
                        counts["requeued"] += 1
                        _enqueue(job.pk)
                logger.warning("Briefing %s was stuck running: queued again.", job.pk)
                continue
            else:
                message = _(
                    "The worker preparing this briefing stopped before it was finished. Try again; if it "
                    "fails again, tell the administrator."
                )
            if rows.update(
                status=BriefingStatus.FAILED, error=message, finished_at=now, progress_step=_("Failed")
            ):
                counts["failed"] += 1
                logger.warning("Briefing %s was stuck (%s): marked failed.", job.pk, job.status)
    return counts
