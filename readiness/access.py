"""Who may see and change assessments. Out of scope → 404; visible but not changeable → 403."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from provinces.access import role_of, scope_of, visible_provinces
from provinces.choices import Role

from .models import Assessment, Evidence


def get_assessment_for_user(user: User | AnonymousUser, pk: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("province", "province__cluster", "round", "approved_snapshot")
        .filter(pk=pk, province__in=visible_provinces(user))
        .first()
    )
    if assessment is None:
        raise Http404("assessment")
    return assessment


def get_evidence_for_user(user: User | AnonymousUser, pk: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("answer__assessment__province")
        .filter(pk=pk, answer__assessment__province__in=visible_provinces(user))
        .first()
    )
    if evidence is None:
        raise Http404("evidence")
    return evidence


def can_edit_assessment(user: User | AnonymousUser, assessment: Assessment) -> bool:
    """The province's own planners fill the assessment; administrators may step in."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    scope = scope_of(user)
    return role == Role.PLANNER and scope.province_id == assessment.province_id


def can_review(user: User | AnonymousUser) -> bool:
    """Ministry advisors return and approve assessments."""
    return role_of(user) == Role.ADVISOR
