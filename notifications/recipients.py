"""Who is told of each event. These only name the people concerned; notify() then drops the actor and
anyone who may not open the object (notifications.access), so no rule here widens what someone may see."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from briefings.models import Briefing
from provinces.access import responsible_advisors
from provinces.choices import Role
from provinces.models import Cluster, Province
from readiness.models import Assessment
from strategies.models import Strategy

ACTIVE = Q(is_active=True)


def unit_people(unit: Province | Cluster) -> QuerySet[User]:
    """The people who work for a unit: a province's planners, a cluster's secretariat."""
    if isinstance(unit, Province):
        scope = Q(scope__role=Role.PLANNER, scope__province=unit)
    else:
        scope = Q(scope__role=Role.SECRETARIAT, scope__cluster=unit)
    return User.objects.filter(ACTIVE & scope).order_by("username")


def assessment_reviewers(assessment: Assessment) -> QuerySet[User]:
    """The advisors responsible for the province's cluster (every advisor when none is assigned)."""
    return responsible_advisors(assessment.province.cluster)


def assessment_owners(assessment: Assessment) -> QuerySet[User]:
    """The province's planners."""
    return unit_people(assessment.province)


def strategy_owners(strategy: Strategy) -> list[User]:
    """The strategy's creator and the owning unit's planners or secretariat."""
    people = list(unit_people(strategy.owner))
    creator = strategy.created_by
    if creator is not None and creator.is_active and all(p.pk != creator.pk for p in people):
        people.append(creator)
    return people


def thread_participants(strategy: Strategy) -> list[User]:
    """Everyone who wrote in the strategy's review thread (comments, replies, decisions) and its creator."""
    ids = set(strategy.reviews.exclude(author=None).values_list("author_id", flat=True))
    if strategy.created_by_id:
        ids.add(strategy.created_by_id)
    return list(User.objects.filter(ACTIVE, pk__in=ids).order_by("username"))


def strategy_audience(strategy: Strategy) -> QuerySet[User]:
    """The active users whose role covers the strategy's owner: the people who may open it. A narrowing for
    lookups (the mention autocomplete); whoever is kept is still checked with notifications.access."""
    nationwide = Q(is_superuser=True) | Q(scope__role__in=[Role.ADVISOR, Role.ADMIN])
    if (province := strategy.province) is not None:
        cluster_id = province.cluster_id
        unit = Q(scope__role=Role.PLANNER, scope__province_id=strategy.province_id)
        if cluster_id:
            unit |= Q(scope__role=Role.SECRETARIAT, scope__cluster_id=cluster_id)
    else:
        unit = Q(scope__role=Role.PLANNER, scope__province__cluster_id=strategy.cluster_id) | Q(
            scope__role=Role.SECRETARIAT, scope__cluster_id=strategy.cluster_id
        )
    return User.objects.filter(ACTIVE & (nationwide | unit))


def briefing_requester(briefing: Briefing) -> list[User]:
    """Who asked for the briefing."""
    return [briefing.requested_by] if briefing.requested_by is not None else []
