"""When readiness work is due: the round's closing date (a field of the round) and an advisor's review of
a submission, due ``settings.REVIEW_DUE_DAYS`` calendar days (default 14) after it was submitted."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Assessment

DEFAULT_REVIEW_DUE_DAYS = 14


def review_due_days() -> int:
    return int(getattr(settings, "REVIEW_DUE_DAYS", DEFAULT_REVIEW_DUE_DAYS))


def review_due_on(assessment: Assessment) -> dt.date | None:
    """The day by which an advisor should have returned or approved the submission (its submission day in
    Bangkok plus the review period); None when it was never submitted."""
    if assessment.submitted_at is None:
        return None
    return timezone.localdate(assessment.submitted_at) + dt.timedelta(days=review_due_days())


def submitted_before(day: dt.date) -> dt.datetime:
    """The moment from which a submission is past its review due date on ``day``: submissions before it are
    overdue (for filtering the queue in the database rather than row by row)."""
    start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start_of_day - dt.timedelta(days=review_due_days())
