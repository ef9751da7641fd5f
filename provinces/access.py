"""Who may see and change what. One helper per object type; views call these and nothing else.

The rule: a user sees the units their role covers — a planner their province (and its cluster's page),
a secretariat its cluster and the member provinces, advisors and administrators the whole country.
What a user may not see is a 404 (its existence is not confirmed); what they may see but not change is a 403.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .choices import Role
from .models import Cluster, Province, UserScope
from .text import is_searchable  # re-exported: the apps look codes up through access


def scope_of(user: User | AnonymousUser) -> UserScope | None:
    """The user's scope, or None for anonymous users and users no administrator has placed yet."""
    if not user.is_authenticated:
        return None
    try:
        return user.scope
    except UserScope.DoesNotExist:
        return None


def member_province_ids(scope: UserScope) -> list[int]:
    """The ids of the member provinces of the scope's cluster, read once per scope object (once a request).
    A list of values rather than a subquery: "cluster = X OR province IN (subquery)" makes PostgreSQL scan
    every row, "… OR province IN (1, 2, 3, 4)" is answered from the indexes."""
    ids = getattr(scope, "_member_province_ids", None)
    if ids is None:
        cluster_id = scope.cluster_id
        ids = (
            []
            if cluster_id is None
            else list(Province.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True))
        )
        scope._member_province_ids = ids  # type: ignore[attr-defined]  # a per-object memo
    return ids


def role_of(user: User | AnonymousUser) -> Role | None:
    if user.is_authenticated and user.is_superuser:
        return Role.ADMIN
    scope = scope_of(user)
    return scope.role_choice if scope else None


def is_nationwide(user: User | AnonymousUser) -> bool:
    """Advisors and administrators see the whole country."""
    return role_of(user) in (Role.ADVISOR, Role.ADMIN)


def is_advisor(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.ADVISOR


def visible_provinces(user: User | AnonymousUser) -> QuerySet[Province]:
    role = role_of(user)
    if role in (Role.ADVISOR, Role.ADMIN):
        return Province.objects.all()
    scope = scope_of(user)
    if scope is None:
        return Province.objects.none()
    if role == Role.PLANNER and scope.province_id is not None:
        return Province.objects.filter(pk=scope.province_id)
    if role == Role.SECRETARIAT and scope.cluster_id is not None:
        return Province.objects.filter(cluster_id=scope.cluster_id)
    return Province.objects.none()


def visible_clusters(user: User | AnonymousUser) -> QuerySet[Cluster]:
    role = role_of(user)
    if role in (Role.ADVISOR, Role.ADMIN):
        return Cluster.objects.all()
    scope = scope_of(user)
    if scope is None:
        return Cluster.objects.none()
    if role == Role.PLANNER and scope.province_id is not None:
        # A planner works inside their cluster: they see its page (members, lead, approved roll-up).
        return Cluster.objects.filter(provinces=scope.province_id)
    if role == Role.SECRETARIAT and scope.cluster_id is not None:
        return Cluster.objects.filter(pk=scope.cluster_id)
    return Cluster.objects.none()


def get_province_for_user(user: User | AnonymousUser, code: str) -> Province:
    """The province with this ISO code if the user may see it; 404 otherwise (unknown or out of scope)."""
    province = (
        visible_provinces(user)
        .select_related("region4", "region6", "cluster", "cluster__lead_province")
        .filter(code=code.upper())
        .first()
        if is_searchable(code)
        else None
    )
    if province is None:
        raise Http404("province")
    return province


def find_cluster_for_user(user: User | AnonymousUser, code: str) -> Cluster | None:
    """The cluster with this code if the user may see it, else None (a filter that names nothing)."""
    if not code or not is_searchable(code):
        return None
    return visible_clusters(user).select_related("lead_province").filter(code=code.upper()).first()


def get_cluster_for_user(user: User | AnonymousUser, code: str) -> Cluster:
    """The cluster with this code if the user may see it; 404 otherwise."""
    cluster = find_cluster_for_user(user, code)
    if cluster is None:
        raise Http404("cluster")
    return cluster


def can_edit_reference(user: User | AnonymousUser) -> bool:
    """Reference data (names, clusters, lead provinces) is edited by administrators only."""
    return role_of(user) == Role.ADMIN


def require(allowed: bool) -> None:
    """403 for something the user may see but not change."""
    if not allowed:
        raise PermissionDenied


def responsible_advisors(cluster: Cluster | None) -> QuerySet[User]:
    """The active advisors an administrator assigned to ``cluster``; every active advisor when nobody is
    assigned, or for Bangkok (``cluster`` None), so that no submission goes unseen."""
    advisors = User.objects.filter(is_active=True, scope__role=Role.ADVISOR)
    if cluster is not None:
        assigned = advisors.filter(advisor_assignments__cluster=cluster)
        if assigned.exists():
            return assigned.order_by("username")
    return advisors.order_by("username")
