"""Which search documents a user may see: exactly the objects they may open, decided by the owning app's
own access helper (never a rule of our own). Each document carries the id that helper is asked about."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from provinces.access import visible_clusters, visible_provinces
from readiness.access import visible_assessments
from readiness.selectors import rounds
from strategies.access import visible_strategies

from . import choices
from .models import SearchDocument


def visible_documents(user: User | AnonymousUser) -> QuerySet[SearchDocument]:
    """Provinces and clusters whose page the user may open; strategies, their projects and review comments
    where the user may open the strategy; indicators of the rounds shown to everyone (not those in
    preparation); readiness review comments where the user may open the assessment."""
    strategies = visible_strategies(user).values("pk")
    return SearchDocument.objects.filter(
        Q(source=choices.PROVINCE, province_id__in=visible_provinces(user).values("pk"))
        | Q(source=choices.CLUSTER, cluster_id__in=visible_clusters(user).values("pk"))
        | Q(
            source__in=[choices.STRATEGY, choices.PROJECT, choices.STRATEGY_COMMENT],
            strategy_id__in=strategies,
        )
        | Q(source=choices.INDICATOR, round_id__in=rounds().values("pk"))
        | Q(
            source__in=[choices.ASSESSMENT_COMMENT, choices.INDICATOR_COMMENT],
            assessment_id__in=visible_assessments(user).values("pk"),
        )
    )
