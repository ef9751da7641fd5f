"""Which search documents a user may see: exactly the objects they may open, decided by the owning app's
own access helper (never a rule of our own). Each document carries the id that helper is asked about."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from provinces.access import visible_clusters, visible_provinces
from readiness.access import visible_assessments
from readiness.selectors import rounds
from strategies.access import visible_strategies

from . import choices
from .models import SearchDocument

# Each source's rule: the document's id column, and the access helper's answer it must be in (provinces and
# clusters whose page the user may open; strategies, their projects and review comments where the user may
# open the strategy; indicators of the rounds shown to everyone, not those in preparation; readiness review
# comments where the user may open the assessment).
RULES = {
    choices.PROVINCE: ("province_id", "provinces"),
    choices.CLUSTER: ("cluster_id", "clusters"),
    choices.STRATEGY: ("strategy_id", "strategies"),
    choices.PROJECT: ("strategy_id", "strategies"),
    choices.STRATEGY_COMMENT: ("strategy_id", "strategies"),
    choices.INDICATOR: ("round_id", "rounds"),
    choices.ASSESSMENT_COMMENT: ("assessment_id", "assessments"),
    choices.INDICATOR_COMMENT: ("assessment_id", "assessments"),
}


def allowed(user: User | AnonymousUser) -> dict[str, QuerySet]:
    """The access helpers' answers as subqueries of ids, by name."""
    return {
        "provinces": visible_provinces(user).values("pk"),
        "clusters": visible_clusters(user).values("pk"),
        "strategies": visible_strategies(user).values("pk"),
        "rounds": rounds().values("pk"),
        "assessments": visible_assessments(user).values("pk"),
    }


def visible_by_source(user: User | AnonymousUser) -> dict[str, QuerySet[SearchDocument]]:
    """The documents of each source that the user may see, one queryset per source: each is searched
    through its source's own index."""
    answers = allowed(user)
    return {
        source: SearchDocument.objects.filter(source=source, **{f"{column}__in": answers[name]})
        for source, (column, name) in RULES.items()
    }
