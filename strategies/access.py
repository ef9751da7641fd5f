"""Who may see and change strategies and projects. Out of scope → 404; visible but not changeable → 403.

A planner sees their province's strategies and their cluster's; a secretariat its cluster's and the member
provinces'; advisors and administrators all.

Who may change a strategy is one rule, ``can_own`` (the README's roles table): a secretariat changes only the
cluster's own strategies; a planner only their province's; an administrator any; advisors review and change
none. Every write path asks it — the pages and htmx endpoints (through ``can_edit_strategy``), the services,
the CSV/XLSX import (row by row) and Django's admin — so seeing a member province's draft never means
changing it.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from provinces.access import member_province_ids, role_of, scope_of
from provinces.choices import Role
from provinces.models import Cluster, Province

from .models import Project, Strategy


def visible_strategies(user: User | AnonymousUser) -> QuerySet[Strategy]:
    role = role_of(user)
    if role in (Role.ADVISOR, Role.ADMIN):
        return Strategy.objects.all()
    scope = scope_of(user)
    if role == Role.PLANNER:
        own = Q(province_id=scope.province_id)
        cluster_id = scope.province.cluster_id
        return Strategy.objects.filter(own | Q(cluster_id=cluster_id) if cluster_id else own)
    if role == Role.SECRETARIAT:
        members = member_province_ids(scope)  # values, not a join or a subquery: the OR stays indexed
        return Strategy.objects.filter(Q(cluster_id=scope.cluster_id) | Q(province_id__in=members))
    return Strategy.objects.none()


def visibility_key(user: User | AnonymousUser) -> tuple:
    """Users with the same key see the same strategies (the rule of ``visible_strategies``, read from the
    same scope), so a result computed from what one of them sees may be shared with the others."""
    role = role_of(user)
    if role in (Role.ADVISOR, Role.ADMIN):
        return ("all",)
    scope = scope_of(user)
    if role == Role.PLANNER:
        return (role, scope.province_id, scope.province.cluster_id)
    if role == Role.SECRETARIAT:
        return (role, scope.cluster_id)
    return ("none",)


def get_strategy_for_user(user: User | AnonymousUser, pk: int) -> Strategy:
    strategy = (
        visible_strategies(user)
        .select_related("province", "province__cluster", "cluster", "previous", "override_by", "created_by")
        .filter(pk=pk)
        .first()
    )
    if strategy is None:
        raise Http404("strategy")
    return strategy


def get_project_for_user(user: User | AnonymousUser, pk: int) -> Project:
    project = (
        Project.objects.select_related("strategy", "strategy__province", "strategy__cluster")
        .filter(pk=pk, strategy__in=visible_strategies(user))
        .first()
    )
    if project is None:
        raise Http404("project")
    return project


def can_own(user: User | AnonymousUser, owner: Province | Cluster) -> bool:
    """May create, change or import strategies (and their projects) of this owner: the province's planners,
    the cluster's secretariat, administrators. A secretariat does not own its member provinces' strategies."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    scope = scope_of(user)
    if isinstance(owner, Province):
        return role == Role.PLANNER and scope.province_id == owner.pk
    return role == Role.SECRETARIAT and scope.cluster_id == owner.pk


def can_edit_strategy(user: User | AnonymousUser, strategy: Strategy) -> bool:
    """The "may change" test of an existing strategy or of its projects: ``can_own`` of its owner."""
    return can_own(user, strategy.owner)


def can_review_strategies(user: User | AnonymousUser) -> bool:
    return role_of(user) == Role.ADVISOR


def owners_for_user(user: User | AnonymousUser) -> list[Province | Cluster]:
    """The units a user may create strategies for."""
    role = role_of(user)
    scope = scope_of(user)
    if role == Role.PLANNER:
        return [scope.province]
    if role == Role.SECRETARIAT:
        return [scope.cluster]
    if role == Role.ADMIN:
        return [*Cluster.objects.order_by("code"), *Province.objects.order_by("code")]
    return []


def can_import(user: User | AnonymousUser) -> bool:
    """May open the import page: whoever owns strategies (see owners_for_user). Each row is then held to
    ``can_own`` — a planner imports for their province, a secretariat for its cluster."""
    return role_of(user) in (Role.PLANNER, Role.SECRETARIAT, Role.ADMIN)
