"""Reads of the privacy app: what the system holds about one person (the "download my data" file).

Every part is one query whatever the amount of data (values() rows, joins instead of lookups per row), and
each part is filtered on the person themselves: their profile, their scope, what they wrote or did, what was
sent to them and their own access-log entries. Nothing written by others is included, not even in the same
assessment or review thread.
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from audit.models import AccessLogEntry
from briefings.models import Briefing
from provinces.access import scope_of
from readiness.models import Answer, Evidence, ReviewComment, ReviewEvent
from strategies.models import OverlapDecision, ProgressNote, Strategy, StrategyReview


def _rows(queryset, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields))


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _scope(user: User) -> dict[str, Any] | None:
    scope = scope_of(user)
    if scope is None:
        return None
    return {
        "role": scope.role,
        "role_label": str(scope.get_role_display()),
        "province": scope.province.code if scope.province else None,
        "cluster": scope.cluster.code if scope.cluster else None,
    }


def _notifications(user: User) -> list[dict[str, Any]] | None:
    """The notifications sent to the user, when the notifications app is part of this installation: what and
    when, not their details (an excerpt of someone else's comment, who acted), which are other people's."""
    if not apps.is_installed("notifications"):
        return None
    notification = apps.get_model("notifications", "Notification")
    return _rows(
        notification.objects.filter(recipient=user).order_by("created_at", "pk"),
        "id",
        "kind",
        "url",
        "created_at",
        "read_at",
        "emailed_at",
    )


def my_data(*, user: User) -> dict[str, Any]:
    """Everything the system holds about ``user`` as JSON-ready data (dates stay datetimes)."""
    province = "assessment__province__code"
    fiscal_year = "assessment__round__fiscal_year"
    return {
        "generated_at": timezone.now(),
        "profile": _profile(user),
        "scope": _scope(user),
        "readiness": {
            "answers_last_changed_by_you": _rows(
                Answer.objects.filter(updated_by=user).order_by("assessment_id", "indicator__position"),
                "id",
                province,
                fiscal_year,
                "indicator__code",
                "level",
                "justification",
                "updated_at",
            ),
            "evidence_added_by_you": _rows(
                Evidence.objects.filter(added_by=user).order_by("added_at", "pk"),
                "id",
                "answer__assessment__province__code",
                "answer__assessment__round__fiscal_year",
                "answer__indicator__code",
                "kind",
                "title",
                "url",
                "filename",
                "content_type",
                "size",
                "added_at",
            ),
            "review_steps": _rows(
                ReviewEvent.objects.filter(by=user).order_by("at", "pk"),
                "id",
                province,
                fiscal_year,
                "action",
                "comment",
                "at",
            ),
            "review_comments": _rows(
                ReviewComment.objects.filter(event__by=user).order_by("event__at", "pk"),
                "id",
                "event_id",
                "indicator__code",
                "text",
            ),
        },
        "strategies": {
            "created_by_you": _rows(
                Strategy.objects.filter(created_by=user).order_by("created_at", "pk"),
                "id",
                "province__code",
                "cluster__code",
                "fiscal_year",
                "title_th",
                "title_en",
                "summary_th",
                "summary_en",
                "status",
                "created_at",
            ),
            "quadrant_overrides": _rows(
                Strategy.objects.filter(override_by=user).order_by("override_at", "pk"),
                "id",
                "title_th",
                "override_quadrant",
                "override_reason",
                "override_at",
            ),
            "comments_and_reviews": _rows(
                StrategyReview.objects.filter(author=user).order_by("created_at", "pk"),
                "id",
                "strategy_id",
                "kind",
                "text",
                "reply_to_id",
                "created_at",
            ),
            "progress_notes": _rows(
                ProgressNote.objects.filter(author=user).order_by("on", "pk"),
                "id",
                "project_id",
                "on",
                "progress",
                "note",
            ),
            "overlap_decisions": _rows(
                OverlapDecision.objects.filter(by=user).order_by("at", "pk"),
                "id",
                "strategy_a_id",
                "strategy_b_id",
                "decision",
                "merged_into_id",
                "note",
                "at",
            ),
        },
        "briefings_requested": _rows(
            Briefing.objects.filter(requested_by=user).order_by("queued_at", "pk"),
            "id",
            "kind",
            "subject",
            "fiscal_year",
            "language",
            "includes_unapproved",
            "status",
            "queued_at",
            "finished_at",
        ),
        "notifications": _notifications(user),
        "access_log": _rows(
            AccessLogEntry.objects.filter(user=user).order_by("at", "pk"),
            "id",
            "at",
            "action",
            "subject_id",
            "description",
            "path",
            "ip_address",
        ),
    }
