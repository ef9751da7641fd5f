"""Reads of the briefings app. Query counts are fixed, however many briefings are listed."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, Max
from django.utils.translation import gettext as _

from provinces.models import Cluster, Province
from readiness.models import Answer, Assessment, ReviewEvent
from strategies.models import Project, Strategy, StrategyReview

from .access import visible_briefings
from .choices import BriefingKind, BriefingStatus
from .models import Briefing, BriefingLogo

LIST_LIMIT = 50


def with_subject_names(briefings: list[Briefing]) -> list[Briefing]:
    """Give each briefing a ``subject_name`` in the active language (two queries for any number)."""
    provinces = {b.subject for b in briefings if b.kind == BriefingKind.PROVINCE}
    clusters = {b.subject for b in briefings if b.kind == BriefingKind.CLUSTER}
    names: dict[tuple[str, str], str] = (
        {(BriefingKind.PROVINCE, p.code): p.name for p in Province.objects.filter(code__in=provinces)}
        if provinces
        else {}
    )
    if clusters:
        names |= {(BriefingKind.CLUSTER, c.code): c.name for c in Cluster.objects.filter(code__in=clusters)}
    for b in briefings:
        if b.kind == BriefingKind.NATIONAL:
            b.subject_name = _("Thailand (whole country)")  # type: ignore[attr-defined]  # for the templates: not a field
        else:
            b.subject_name = names.get((b.kind, b.subject), b.subject)  # type: ignore[attr-defined]  # for the templates: not a field
    return briefings


def briefings_for(*, user: User, limit: int = LIST_LIMIT) -> list[Briefing]:
    """The latest briefings the user may see — their own and their unit's — newest first."""
    rows = list(visible_briefings(user).select_related("requested_by").order_by("-queued_at", "-pk")[:limit])
    return mark_stale(with_subject_names(rows))


def _latest(
    rows: Iterable[dict[str, Any]],
    into: dict[tuple[str, int], dt.datetime],
    owner_keys: tuple[str, ...],
    year_key: str,
) -> None:
    """Fold aggregated rows (province code, cluster code, fiscal year, latest) into ``into``:
    (unit code, year) → the latest change of that unit's data in that year."""
    for row in rows:
        for key in owner_keys:
            code = row.get(key)
            if code:
                slot = (code, row[year_key])
                if into.get(slot) is None or row["latest"] > into[slot]:
                    into[slot] = row["latest"]


def last_changes(years: set[int]) -> dict[tuple[str, int], dt.datetime]:
    """(province or cluster code, fiscal year) → when its readiness or strategy data last changed: the
    latest change of its assessments, answers, review events, strategies, projects and strategy reviews
    (a strategy of a cluster counts for the cluster). Six grouped queries, whatever the amount of data."""
    latest: dict[tuple[str, int], dt.datetime] = {}
    readiness = [
        (Assessment.objects, "province__code", "round__fiscal_year", "updated_at"),
        (Answer.objects, "assessment__province__code", "assessment__round__fiscal_year", "updated_at"),
        (ReviewEvent.objects, "assessment__province__code", "assessment__round__fiscal_year", "at"),
    ]
    for manager, province, year, stamp in readiness:
        rows = (
            manager.filter(**{f"{year}__in": years})
            .values(p=F(province), y=F(year))
            .annotate(latest=Max(stamp))
        )
        _latest(rows, latest, ("p",), "y")
    strategies = [
        (Strategy.objects, "", "updated_at"),
        (Project.objects, "strategy__", "updated_at"),
        (StrategyReview.objects, "strategy__", "created_at"),
    ]
    for manager, via, stamp in strategies:
        rows = (
            manager.filter(**{f"{via}fiscal_year__in": years})
            .values(p=F(f"{via}province__code"), c=F(f"{via}cluster__code"), y=F(f"{via}fiscal_year"))
            .annotate(latest=Max(stamp))
        )
        _latest(rows, latest, ("p", "c"), "y")
    return latest


def mark_stale(briefings: list[Briefing]) -> list[Briefing]:
    """Give each briefing ``is_stale``: it is ready, and the data of its subject and year changed after it
    was rendered (ข้อมูลมีการเปลี่ยนแปลงหลังจัดทำเอกสารนี้). A fixed number of queries for any number of
    briefings. Conservative: a change the viewer's document would not show (another province's draft
    strategy in a planner's cluster briefing) marks it too — re-rendering then changes nothing."""
    done = [b for b in briefings if b.status == BriefingStatus.DONE and b.finished_at]
    for b in briefings:
        b.is_stale = False  # type: ignore[attr-defined]  # for the templates: not a field
    if not done:
        return briefings
    latest = last_changes({b.fiscal_year for b in done})
    members: dict[str, list[str]] = defaultdict(list)
    if any(b.kind == BriefingKind.CLUSTER for b in done):
        for code, cluster in Province.objects.filter(cluster__isnull=False).values_list(
            "code", "cluster__code"
        ):
            members[cluster].append(code)
    by_year: dict[int, dt.datetime] = {}
    for (_code, year), at in latest.items():
        by_year[year] = max(at, by_year.get(year, at))
    for b in done:
        changed: dt.datetime | None
        if b.kind == BriefingKind.NATIONAL:
            changed = by_year.get(b.fiscal_year)
        else:
            units = (
                [b.subject, *members.get(b.subject, [])] if b.kind == BriefingKind.CLUSTER else [b.subject]
            )
            stamps = [stamp for u in units if (stamp := latest.get((u, b.fiscal_year)))]
            changed = max(stamps) if stamps else None
        finished = b.finished_at  # set on every briefing in ``done``
        b.is_stale = changed is not None and finished is not None and changed > finished  # type: ignore[attr-defined]  # for the templates: not a field
    return briefings


def cover_logo() -> BriefingLogo | None:
    """The logo printed on briefings' covers: the newest active one, if an administrator uploaded any."""
    return BriefingLogo.objects.filter(active=True).exclude(image="").first()
