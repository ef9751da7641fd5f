"""Who may open the object a notification points to. No rule of its own: each object type asks its app's
access helper, so a notification is never sent to (nor shows the title to) someone who would get a 404."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import QuerySet

from briefings.access import visible_briefings
from briefings.models import Briefing
from provinces.access import visible_clusters, visible_provinces
from provinces.models import Cluster, Province
from readiness.access import visible_assessments
from readiness.models import Assessment
from strategies.access import visible_strategies
from strategies.models import Project, Strategy

from .models import Notification


def _visible_projects(user: User | AnonymousUser) -> QuerySet[Project]:
    return Project.objects.filter(strategy__in=visible_strategies(user))


# What a user may open, per object type a notification can point to.
VISIBLE: dict[type[models.Model], Callable[[User | AnonymousUser], QuerySet]] = {
    Assessment: visible_assessments,
    Strategy: visible_strategies,
    Project: _visible_projects,
    Province: visible_provinces,
    Cluster: visible_clusters,
    Briefing: visible_briefings,
}


def visible_of_type(user: User | AnonymousUser, model: type[models.Model]) -> QuerySet:
    """The objects of this type the user may open; none of a type no rule covers."""
    rule = VISIBLE.get(model)
    return rule(user) if rule and user.is_authenticated else model._default_manager.none()


def may_open(user: User | AnonymousUser, target: models.Model | None) -> bool:
    """May the user open the object (None: a notification about nothing in particular, always)?"""
    if target is None:
        return user.is_authenticated
    return visible_of_type(user, type(target)).filter(pk=target.pk).exists()


def visible_notifications(user: User | AnonymousUser) -> QuerySet[Notification]:
    """A user sees their own notifications only."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)
