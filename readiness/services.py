"""Writes of the readiness app: rounds, the framework, answers, evidence and the review workflow.

Every transition is checked here (not in views) and runs in one transaction. A refused action raises
WorkflowError with a message for the user and changes nothing.
"""

import json
import mimetypes
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from provinces.errors import WorkflowError
from provinces.models import Cluster, Province
from provinces.uploads import Refused, check_evidence

from . import scoring, signals
from .access import can_edit_assessment, can_review
from .choices import AssessmentStatus, EvidenceKind, ReviewAction, RoundStatus
from .models import (
    LEVELS,
    SCORING_FIELDS,
    Answer,
    ApprovalSnapshot,
    Assessment,
    Evidence,
    FrameworkChange,
    Indicator,
    ReviewComment,
    ReviewEvent,
    Round,
)

DEFAULT_FRAMEWORK = Path(__file__).resolve().parent / "data" / "default_framework.json"


class StaleAnswer(WorkflowError):
    """Someone else saved this answer since the user loaded it. ``current`` is their version."""

    def __init__(self, current: Answer):
        self.current = current
        super().__init__(_("Someone else changed this answer while you were editing it."))


# --- rounds and the framework -------------------------------------------------------------------


def framework_indicators(path: Path = DEFAULT_FRAMEWORK) -> list[Indicator]:
    """The indicators of a framework file (unsaved, without a round), in the file's order."""
    items = json.loads(path.read_text(encoding="utf-8"))
    return [
        Indicator(
            position=position,
            dimension=item["dimension"],
            code=item["code"],
            name_th=item["name_th"],
            name_en=item["name_en"],
            guidance_th=item["guidance_th"],
            guidance_en=item["guidance_en"],
            target_note_th=item["target_note_th"],
            target_note_en=item["target_note_en"],
            weight=Decimal(str(item["weight"])),
            **{
                f"rubric_{level}_{lang}": item["rubric"][str(level)][lang]
                for level in LEVELS
                for lang in ("th", "en")
            },
        )
        for position, item in enumerate(items, start=1)
    ]


@transaction.atomic
def framework_load(*, round: Round, path: Path = DEFAULT_FRAMEWORK) -> int:
    """Give a round the default framework (about 30 indicators) if it has none. Returns how many were added."""
    if round.indicators.exists():
        return 0
    indicators = framework_indicators(path)
    for indicator in indicators:
        indicator.round = round
    bulk_create_with_history(indicators, Indicator)
    return len(indicators)


INDICATOR_COPY_FIELDS = [f.name for f in Indicator._meta.concrete_fields if f.name not in {"id", "round"}]


@transaction.atomic
def round_create_next(*, previous: Round, opens_on, closes_on) -> Round:
    """Open the next fiscal year's round (in preparation) with a copy of ``previous``'s framework."""
    fiscal_year = previous.fiscal_year + 1
    if Round.objects.filter(fiscal_year=fiscal_year).exists():
        raise WorkflowError(_("A round for fiscal year %(year)s already exists.") % {"year": fiscal_year})
    if closes_on < opens_on:
        raise WorkflowError(_("A round cannot close before it opens."))
    new = Round.objects.create(fiscal_year=fiscal_year, opens_on=opens_on, closes_on=closes_on)
    bulk_create_with_history(
        [
            Indicator(round=new, **{name: getattr(i, name) for name in INDICATOR_COPY_FIELDS})
            for i in previous.indicators.all()
        ],
        Indicator,
    )
    return new


@transaction.atomic
def framework_change_record(*, indicator: Indicator, before: dict, by: User) -> FrameworkChange | None:
    """Record a change of an indicator's weight or rubric made while its round is open (``before``: the
    field values as they were). Nothing is recorded for other fields or for rounds not open."""
    if indicator.round.status != RoundStatus.OPEN:
        return None
    changes = {
        name: [str(before[name]), str(getattr(indicator, name))]
        for name in SCORING_FIELDS
        if name in before and before[name] != getattr(indicator, name)
    }
    if not changes:
        return None
    return FrameworkChange.objects.create(
        round=indicator.round, indicator=indicator, changes=changes, changed_by=by
    )


# --- assessments ----------------------------------------------------------------------------------


def editing_refusal(assessment: Assessment, by: User) -> str | None:
    """Why ``by`` may not change the assessment's answers and evidence now, or None when they may. One rule
    for the page (which then shows them read-only) and for every write (which refuses with this message)."""
    if not can_edit_assessment(by, assessment):
        return _("Only the province's planners can change this assessment.")
    if assessment.round.status != RoundStatus.OPEN:
        return _("This round is not open: answers can no longer be changed.")
    if assessment.status == AssessmentStatus.SUBMITTED:
        return _("The assessment is submitted and waits for review: it cannot be changed now.")
    return None


def _require_editable(assessment: Assessment, by: User) -> None:
    if reason := editing_refusal(assessment, by):
        raise WorkflowError(reason)


def _locked(assessment_id: int) -> Assessment:
    """The assessment, locked until the transaction ends. Every write locks the assessment first and its
    answers after, in that order: locking the answers first deadlocked against a concurrent save
    (PostgreSQL then aborted one of the two with a server error)."""
    return (
        Assessment.objects.select_related("round", "province")
        .select_for_update(of=("self",))
        .get(pk=assessment_id)
    )


def _touch(assessment: Assessment, by: User) -> None:
    """Count an edit: bump the version; an edit after approval reopens the assessment as a draft."""
    Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1, updated_at=timezone.now())
    assessment.refresh_from_db(fields=["version", "updated_at"])
    if assessment.status == AssessmentStatus.APPROVED:
        assessment.status = AssessmentStatus.DRAFT
        assessment._history_user = by
        assessment.save(update_fields=["status", "updated_at"])
        ReviewEvent.objects.create(assessment=assessment, action=ReviewAction.REOPENED, by=by)


@transaction.atomic
def assessment_start(*, province: Province, round: Round, by: User) -> Assessment:
    """The province's assessment for the round, created (with a blank answer per indicator) if missing."""
    assessment = Assessment.objects.filter(province=province, round=round).first()
    if assessment:
        return assessment
    probe = Assessment(province=province, round=round)
    if not can_edit_assessment(by, probe):
        raise WorkflowError(_("Only the province's planners can start its assessment."))
    if round.status != RoundStatus.OPEN:
        raise WorkflowError(_("This round is not open."))
    probe._history_user = by
    probe.save()
    # With their "created" history rows, so that the first save of an answer shows what it changed.
    bulk_create_with_history(
        [Answer(assessment=probe, indicator=i) for i in round.indicators.all()], Answer, default_user=by
    )
    ReviewEvent.objects.create(assessment=probe, action=ReviewAction.CREATED, by=by)
    return probe


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            province_id=assessment.province_id, round__fiscal_year__lt=assessment.round.fiscal_year
        )
        .order_by("-round__fiscal_year")
        .first()
    )


@transaction.atomic
def assessment_copy_forward(*, assessment: Assessment, by: User) -> int:
    """Copy last round's answers and evidence links as a starting point (marked as copied until saved).
    Only into an assessment nobody has answered yet. Returns the number of answers copied."""
    assessment = _locked(assessment.pk)  # first, then the answers (see _locked)
    _require_editable(assessment, by)
    answers = {
        a.indicator.code: a
        for a in assessment.answers.select_related("indicator").select_for_update(of=("self",))
    }
    # Unreviewed copies may be copied over again; an answer written in this round never is.
    if any(a.is_own for a in answers.values()):
        raise WorkflowError(
            _("Copying is only possible while no answer has been written in this round (copied ones aside).")
        )
    previous = previous_assessment(assessment)
    if previous is None:
        raise WorkflowError(_("There is no earlier assessment of this province to copy from."))
    links: dict[int, set[str]] = {}  # answer id → the links it already has: a second copy adds none again
    for e in Evidence.objects.filter(answer__assessment=assessment, kind=EvidenceKind.LINK):
        links.setdefault(e.answer_id, set()).add(e.url)
    copied = 0
    for old in previous.answers.select_related("indicator").prefetch_related("evidence"):
        new = answers.get(old.indicator.code)
        if new is None or (old.level is None and not old.justification):
            continue
        if (new.level, new.justification, new.copied_forward) != (old.level, old.justification, True):
            new.level, new.justification, new.copied_forward = old.level, old.justification, True
            # A copy is a change like any other: a page opened before it must not save over it unawares.
            new.version += 1
            new.updated_by = by
            new._history_user = by
            new.save()
        have = links.setdefault(new.pk, set())
        fresh = []
        for e in old.evidence.all():
            if e.kind == EvidenceKind.LINK and e.url not in have:
                have.add(e.url)
                fresh.append(
                    Evidence(
                        answer=new,
                        kind=EvidenceKind.LINK,
                        url=e.url,
                        title=e.title,
                        copied_forward=True,
                        added_by=by,
                    )
                )
        bulk_create_with_history(fresh, Evidence, default_user=by)
        copied += 1
    ReviewEvent.objects.create(
        assessment=assessment,
        action=ReviewAction.COPIED_FORWARD,
        by=by,
        comment=_("%(count)s answers copied from FY %(year)s")
        % {"count": copied, "year": previous.round.fiscal_year},
    )
    _touch(assessment, by)
    return copied


@transaction.atomic
def answer_save(
    *, answer: Answer, level: int | None, justification: str, expected_version: int, by: User
) -> Answer:
    """Save one answer. Refuses a stale save (someone saved since ``expected_version``) with StaleAnswer."""
    assessment = _locked(answer.assessment_id)
    _require_editable(assessment, by)
    if level is not None and level not in LEVELS:
        raise WorkflowError(_("The level must be between 1 and 5, or blank."))
    current = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by", "indicator")
        .get(pk=answer.pk)
    )
    if current.version != expected_version:
        raise StaleAnswer(current)
    justification = justification.strip()
    if current.level == level and current.justification == justification and not current.copied_forward:
        return current  # nothing changed: no new version, no history row
    current.level, current.justification = level, justification
    current.copied_forward = False
    current.version += 1
    current.updated_by = by
    current._history_user = by
    current.save()
    _touch(assessment, by)
    return current


# Evidence files: what planners actually attach — PDF, images, Office documents.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
}


def sanitise_filename(name: str) -> str:
    """A safe display name: no path, no control characters, Thai kept, at most 120 characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"/|?*;]+', "_", name).strip(" .") or "evidence"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > 120:
        return stem[: 119 - len(ext)] + "." + ext
    return name[:120]


def upload_size(upload: UploadedFile) -> int:
    """The size of a file uploaded with a request (the upload handlers count its bytes; only a file made
    without a request lacks one)."""
    size = upload.size
    assert size is not None, "an upload without a size"
    return size


@transaction.atomic
def evidence_add_file(*, answer: Answer, upload: UploadedFile, title: str, by: User) -> Evidence:
    filename = sanitise_filename(upload.name or "")
    extension = Path(filename).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        raise WorkflowError(
            _("This type of file is not accepted. Attach PDF, images (PNG, JPEG) or Office documents.")
        )
    size = upload_size(upload)
    if size > settings.EVIDENCE_MAX_BYTES:
        raise WorkflowError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    content = upload.read()
    upload.seek(0)
    if not content.startswith(EVIDENCE_TYPES[extension]):
        raise WorkflowError(_("The file's content does not match its type (%(ext)s).") % {"ext": extension})
    try:
        check_evidence(content, extension)  # structure and active content, not only the first bytes
    except Refused as exc:
        raise WorkflowError(exc.message) from None
    # Locked only after the file is checked: a large PDF takes a moment to parse.
    assessment = _locked(answer.assessment_id)
    _require_editable(assessment, by)
    evidence = Evidence(
        answer=answer,
        kind=EvidenceKind.FILE,
        title=title.strip()[:300],
        filename=filename,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        size=size,
        added_by=by,
    )
    evidence.file.save(filename, upload, save=False)
    try:
        evidence._history_user = by
        evidence.save()
        _touch(assessment, by)
    except Exception:
        evidence.file.delete(save=False)  # nothing was recorded: leave no file behind
        raise
    return evidence


@transaction.atomic
def evidence_add_link(*, answer: Answer, url: str, title: str, by: User) -> Evidence:
    assessment = _locked(answer.assessment_id)
    _require_editable(assessment, by)
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", url, flags=re.I):
        raise WorkflowError(_("A link must start with http:// or https://."))
    evidence = Evidence(
        answer=answer, kind=EvidenceKind.LINK, url=url[:1000], title=title.strip()[:300], added_by=by
    )
    evidence._history_user = by
    evidence.save()
    _touch(assessment, by)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: User) -> None:
    assessment = _locked(evidence.answer.assessment_id)
    _require_editable(assessment, by)
    # The stored file stays: the history and approved snapshots still refer to it.
    evidence._history_user = by
    evidence.delete()
    _touch(assessment, by)


# --- review workflow ----------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: User) -> Assessment:
    """draft / returned → submitted (the province's planner)."""
    assessment = _locked(assessment.pk)
    if not can_edit_assessment(by, assessment):
        raise WorkflowError(_("Only the province's planners can submit this assessment."))
    if assessment.round.status != RoundStatus.OPEN:
        raise WorkflowError(_("This round is not open: the assessment can no longer be submitted."))
    if assessment.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        raise WorkflowError(
            _("An assessment that is %(status)s cannot be submitted.")
            % {"status": assessment.get_status_display()}
        )
    if not assessment.answers.filter(level__isnull=False).exists():
        raise WorkflowError(_("Answer at least one indicator before submitting."))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment._history_user = by
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    ReviewEvent.objects.create(assessment=assessment, action=ReviewAction.SUBMITTED, by=by)
    signals.assessment_submitted.send_robust(sender=Assessment, assessment=assessment, by=by)
    return assessment


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by: User, comment: str, indicator_comments: dict[int, str] | None = None
) -> Assessment:
    """submitted → returned (an advisor), with an overall comment or comments on indicators."""
    assessment = _locked(assessment.pk)
    if not can_review(by):
        raise WorkflowError(_("Only ministry advisors can return an assessment."))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted assessment can be returned."))
    comment = comment.strip()
    indicator_comments = {k: v.strip() for k, v in (indicator_comments or {}).items() if v and v.strip()}
    if not comment and not indicator_comments:
        raise WorkflowError(_("Say what must be revised: write a comment, overall or on an indicator."))
    valid = set(assessment.round.indicators.values_list("pk", flat=True))
    if set(indicator_comments) - valid:
        raise WorkflowError(_("A comment refers to an indicator that is not in this round."))
    assessment.status = AssessmentStatus.RETURNED
    assessment._history_user = by
    assessment.save(update_fields=["status", "updated_at"])
    event = ReviewEvent.objects.create(
        assessment=assessment, action=ReviewAction.RETURNED, by=by, comment=comment
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(event=event, indicator_id=pk, text=text) for pk, text in indicator_comments.items()
    )
    signals.assessment_returned.send_robust(
        sender=Assessment,
        assessment=assessment,
        by=by,
        comment=comment or next(iter(indicator_comments.values()), ""),
    )
    return assessment


def _snapshot_answers(assessment: Assessment) -> dict:
    answers = assessment.answers.select_related("indicator").prefetch_related("evidence")
    return {
        a.indicator.code: {
            "level": a.level,
            "justification": a.justification,
            "evidence": sorted(e.file.name or e.url for e in a.evidence.all()),
        }
        for a in answers
    }


def _approve(assessment: Assessment, by: User) -> Assessment:
    from .selectors import live_scores

    scores = live_scores([assessment.pk])[assessment.pk]
    snapshot = ApprovalSnapshot.objects.create(
        assessment=assessment,
        version=assessment.version,
        approved_by=by,
        answers=_snapshot_answers(assessment),
        completeness=scores.completeness,
        overall=scores.overall,
        **{d: scores.score(d) for d in scoring.DIMENSIONS},
    )
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_snapshot = snapshot
    assessment._history_user = by
    assessment.save(update_fields=["status", "approved_snapshot", "updated_at"])
    ReviewEvent.objects.create(assessment=assessment, action=ReviewAction.APPROVED, by=by)
    signals.assessment_approved.send_robust(sender=Assessment, assessment=assessment, by=by)
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by: User) -> Assessment:
    """submitted → approved (an advisor). Freezes the approved version as a snapshot."""
    assessment = _locked(assessment.pk)
    if not can_review(by):
        raise WorkflowError(_("Only ministry advisors can approve an assessment."))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise WorkflowError(_("Only a submitted assessment can be approved."))
    return _approve(assessment, by)


@transaction.atomic
def assessments_bulk_approve(*, cluster: Cluster, round: Round, assessment_ids: list[int], by: User) -> int:
    """Approve the chosen submitted assessments of one cluster and round; anything else is left alone."""
    if not can_review(by):
        raise WorkflowError(_("Only ministry advisors can approve assessments."))
    chosen = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round", "province")
        .filter(
            pk__in=assessment_ids,
            province__cluster=cluster,
            round=round,
            status=AssessmentStatus.SUBMITTED,
        )
        .order_by("pk")
    )
    count = 0
    for assessment in chosen:
        _approve(assessment, by)
        count += 1
    return count
