"""Reads of the provinces app. Querysets are built so that a page's query count does not grow with data."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .access import visible_clusters, visible_provinces
from .choices import RegionScheme
from .models import Cluster, Country, Province, Region
from .reference import REGIONS
from .thai import thai_sorted


def region_value(region: Region) -> str:
    """The filter value naming a region *with its scheme* ("r6:central"): the four- and six-region schemes
    share codes (ภาคกลาง of one is not ภาคกลาง of the other), so a bare code would mix them."""
    return f"r{region.scheme}:{region.code}"


def region_q(value: str) -> Q:
    """The provinces of the region a filter value names, in that region's scheme only (none for an unknown
    region). A bare code, as in links from before the schemes were told apart, means the four-region scheme,
    or the six-region one for the codes only it has (east, west)."""
    scheme, sep, code = value.strip().lower().partition(":")
    if sep:
        scheme = scheme.removeprefix("r")
    else:
        code = scheme
        scheme = next((s for s, c in REGIONS if c == code), "")  # REGIONS lists the four-region scheme first
    if (scheme, code) not in REGIONS:
        return Q(pk__in=[])
    return Q(region4__code=code) if scheme == RegionScheme.FOUR else Q(region6__code=code)


def province_search(*, user: User, q: str = "", region: str = "", cluster: str = "") -> list[Province]:
    """Every province (reference data is public inside the ministry), filtered, in name order, with
    ``visible`` set on each row so that the list links only to pages the user may open."""
    provinces = Province.objects.select_related("region4", "region6", "cluster").prefetch_related(
        "border_countries"
    )
    if q := q.strip():
        provinces = provinces.filter(
            Q(name_th__icontains=q)
            | Q(name_en__icontains=q)
            | Q(name_en_alt__icontains=q)
            | Q(code__iexact=q)
        )
    if region.strip():
        provinces = provinces.filter(region_q(region))
    if cluster == "none":
        provinces = provinces.filter(cluster__isnull=True)
    elif cluster:
        provinces = provinces.filter(cluster__code=cluster)
    visible = set(visible_provinces(user).values_list("pk", flat=True))
    rows = thai_sorted(provinces)
    for province in rows:
        province.visible = province.pk in visible  # type: ignore[attr-defined]  # the template links it or not
    return rows


def region_options() -> list[Region]:
    """The regions grouped by scheme (four, then six), each scheme's by name; ``value`` is the filter value."""
    regions = thai_sorted(Region.objects.all())
    regions.sort(key=lambda r: r.scheme)  # stable: keeps the name order inside each scheme
    for region in regions:
        region.value = region_value(region)  # type: ignore[attr-defined]  # the filter's value
    return regions


def cluster_options() -> QuerySet[Cluster]:
    return Cluster.objects.order_by("code")


def cluster_choices(*, user: User) -> list[Cluster]:
    """The clusters the user may see, for a filter's drop-down: in Thai dictionary order."""
    return thai_sorted(visible_clusters(user))


def province_detail(*, province: Province) -> dict[str, Any]:
    """What the province page shows besides the province itself."""
    neighbours = []
    if province.cluster_id:
        neighbours = thai_sorted(
            Province.objects.filter(cluster_id=province.cluster_id).exclude(pk=province.pk)
        )
    return {
        "border_countries": list(province.border_countries.all()),
        "cluster_members": neighbours,
    }


def cluster_detail(*, user: User, cluster: Cluster) -> dict[str, Any]:
    """Members (with their borders), the lead province and the ASEAN neighbours the cluster borders."""
    members = thai_sorted(
        cluster.provinces.select_related("region4").prefetch_related(
            Prefetch("border_countries", queryset=Country.objects.order_by("code"))
        )
    )
    visible = set(visible_provinces(user).filter(cluster=cluster).values_list("pk", flat=True))
    countries: dict[str, dict] = {}
    for member in members:
        member.visible = member.pk in visible  # type: ignore[attr-defined]  # the template links it or not
        for country in member.border_countries.all():
            countries.setdefault(country.code, {"country": country, "provinces": []})["provinces"].append(
                member
            )
    return {
        "members": members,
        "neighbours": thai_sorted(countries.values(), key=lambda n: n["country"].name),
        "coastal_count": sum(1 for m in members if m.coastal),
    }


def clusters_for_user(*, user: User) -> QuerySet[Cluster]:
    return visible_clusters(user).select_related("lead_province").order_by("code")


@dataclass
class HistoryEntry:
    """One change: who, when, and each field's (label, old, new) value."""

    when: Any
    who: Any
    kind: str
    changes: list[tuple[str, Any, Any]]
    reason: str


def _display(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "–" if value in (None, "") else value


def history_entries(
    records: list, fields: list[str], resolve: dict[str, Callable] | None = None
) -> list[HistoryEntry]:
    """Turn simple-history records (oldest first) into readable entries, newest first, comparing each
    record with the one before. ``resolve`` maps a foreign-key field to a function from id to object.

    Done in Python over one query's rows: simple-history's ``prev_record`` would cost a query per entry.
    """
    resolve = resolve or {}
    entries = []
    previous = None
    for record in records:
        meta = record.instance_type._meta
        changes: list[tuple[str, Any, Any]] = []
        for name in fields:
            field = meta.get_field(name)
            new, old = getattr(record, field.attname), getattr(previous, field.attname, None)
            if previous is not None and old != new:
                if name in resolve:
                    old, new = resolve[name](old), resolve[name](new)
                changes.append((field.verbose_name, _display(old), _display(new)))
        if previous is None or changes or record.history_type != "~":
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind=record.get_history_type_display(),
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record
    entries.reverse()
    return entries


PROVINCE_HISTORY_FIELDS = ["name_th", "name_en", "name_en_alt", "cluster", "coastal", "region4", "region6"]


def province_history(*, province: Province) -> list[HistoryEntry]:
    records = list(province.history.select_related("history_user").order_by("history_date", "history_id"))
    # Clusters and regions by name, not id: one query each, whatever the length of the history.
    clusters = {c.pk: c for c in Cluster.objects.all()}
    regions = {r.pk: r for r in Region.objects.all()}
    return history_entries(
        records,
        PROVINCE_HISTORY_FIELDS,
        resolve={"cluster": clusters.get, "region4": regions.get, "region6": regions.get},
    )
