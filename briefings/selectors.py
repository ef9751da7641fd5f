"""Reads of the briefings app. Query counts are fixed, however many briefings are listed."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from provinces.models import Cluster, Province

from .access import visible_briefings
from .choices import BriefingKind
from .models import Briefing

LIST_LIMIT = 50


def with_subject_names(briefings: list[Briefing]) -> list[Briefing]:
    """Give each briefing a ``subject_name`` in the active language (two queries for any number)."""
    provinces = {b.subject for b in briefings if b.kind == BriefingKind.PROVINCE}
    clusters = {b.subject for b in briefings if b.kind == BriefingKind.CLUSTER}
    names = (
        {(BriefingKind.PROVINCE, p.code): p.name for p in Province.objects.filter(code__in=provinces)}
        if provinces
        else {}
    )
    if clusters:
        names |= {(BriefingKind.CLUSTER, c.code): c.name for c in Cluster.objects.filter(code__in=clusters)}
    for b in briefings:
        if b.kind == BriefingKind.NATIONAL:
            b.subject_name = _("Thailand (whole country)")
        else:
            b.subject_name = names.get((b.kind, b.subject), b.subject)
    return briefings


def briefings_for(*, user: User, limit: int = LIST_LIMIT) -> list[Briefing]:
    """The latest briefings the user may see — their own and their unit's — newest first."""
    rows = list(visible_briefings(user).select_related("requested_by").order_by("-queued_at", "-pk")[:limit])
    return with_subject_names(rows)
