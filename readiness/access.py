"""Who may see and change assessments, and who may see figures not yet approved. Out of scope → 404;
visible but not changeable → 403."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.http import Http404

from provinces.access import is_nationwide, role_of, scope_of, visible_provinces
from provinces.choices import Role
from provinces.models import Cluster, Province

from .models import Answer, Assessment, Evidence


def visible_assessments(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Assessments the user may open, in whatever state they are: those of the provinces they may see."""
    if is_nationwide(user):
        return Assessment.objects.all()
    return Assessment.objects.filter(province__in=visible_provinces(user))


def readable_assessments(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """What a user may read of assessments (the API): in full those they may open, annotated ``full``;
    of every other province only the approved version — the official figures everyone sees on the map."""
    if is_nationwide(user):
        return Assessment.objects.annotate(full=Value(True, output_field=BooleanField()))
    mine = Q(province__in=visible_provinces(user))
    return Assessment.objects.filter(mine | Q(approved_snapshot__isnull=False)).annotate(
        full=ExpressionWrapper(mine, output_field=BooleanField())
    )


def may_include_unapproved(user: User | AnonymousUser, unit: Province | Cluster | None) -> bool:
    """May the user see figures not yet approved for a province, a cluster or (None) the whole country —
    on pages, exports, the API and briefings alike? Everyone who may open a province sees its own
    unapproved figures (labelled so); a cluster's are for its secretariat and the ministry, never for a
    planner (who must not see other provinces' drafts); the country's for the ministry only."""
    if is_nationwide(user):
        return True
    if isinstance(unit, Province):
        return visible_provinces(user).filter(pk=unit.pk).exists()
    if isinstance(unit, Cluster):
        return (
            role_of(user) == Role.SECRETARIAT
            and (scope := scope_of(user)) is not None
            and scope.cluster_id == unit.pk
        )
    return False


def get_assessment_for_user(user: User | AnonymousUser, pk: int) -> Assessment:
    assessment = (
        visible_assessments(user)
        .select_related("province", "province__cluster", "round", "approved_snapshot")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("assessment")
    return assessment


def get_answer_for_user(user: User | AnonymousUser, assessment_pk: int, pk: int) -> tuple[Assessment, Answer]:
    """The assessment (if the user may see it) and its answer ``pk``; 404 otherwise."""
    assessment = get_assessment_for_user(user, assessment_pk)
    answer = Answer.objects.select_related("indicator").filter(pk=pk, assessment=assessment).first()
    if answer is None:
        raise Http404("answer")
    return assessment, answer


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
    return role == Role.PLANNER and scope is not None and scope.province_id == assessment.province_id


def can_review(user: User | AnonymousUser) -> bool:
    """Ministry advisors return and approve assessments."""
    return role_of(user) == Role.ADVISOR
