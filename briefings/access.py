"""Who may request, see and download briefings. Out of scope → 404, as everywhere in the product.

* A briefing may be requested by anyone who may see its subject: a province (visible province), a cluster
  (visible cluster), or the whole country (advisors and administrators only).
* A briefing job — its page, its live status and its file — is visible to the users who may see its
  subject, whoever requested it: a meeting's paper is shared within the unit.
* Figures not yet approved follow the readiness pages' rule: everyone who may open a province sees its own
  unapproved figures, but a cluster's unapproved figures are for its secretariat and the ministry only
  (never for a planner, who must not see other provinces' drafts). So a cluster briefing that includes
  unapproved figures can only be requested, and is only visible, to them.
* A document is made for the user who requested it, through the pages' own access rules (gather.py). The
  only partial view of a subject is a planner's of their cluster: the cluster's own strategies and their
  province's, not the other members' (strategies/access.py). So a briefing records its *audience* — ""
  for the whole subject, or the planner's province — and is shared only with users of the same audience
  (and the ministry, who see everything anyway); an identical request is reused only within it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from provinces.access import (
    is_nationwide,
    is_searchable,
    role_of,
    scope_of,
    visible_clusters,
    visible_provinces,
)
from provinces.choices import Role
from provinces.models import Cluster, Province
from provinces.thai import thai_sorted
from readiness import access as readiness_access

from .choices import NATIONAL_SUBJECT, BriefingKind
from .models import Briefing


@dataclass(frozen=True)
class Subject:
    """What a briefing is about, resolved: the kind, the code, and the province or cluster (None: nation)."""

    kind: str
    code: str
    unit: Province | Cluster | None

    @property
    def name(self) -> str:
        """The subject's name in the active language."""
        if self.unit is not None:
            return self.unit.name
        return gettext("Thailand (whole country)")

    @property
    def province(self) -> Province | None:
        """The province of a province briefing; None for a cluster or the nation."""
        return self.unit if isinstance(self.unit, Province) else None

    @property
    def cluster(self) -> Cluster | None:
        """The cluster of a cluster briefing; None for a province or the nation."""
        return self.unit if isinstance(self.unit, Cluster) else None


def _resolve(
    kind: str, code: str, provinces: QuerySet[Province], clusters: QuerySet[Cluster]
) -> Subject | None:
    code = (code or "").strip().upper()
    if not is_searchable(code) or not is_searchable(kind or ""):
        return None
    if kind == BriefingKind.PROVINCE:
        province = provinces.select_related("cluster").filter(code=code).first()
        return Subject(kind, code, province) if province else None
    if kind == BriefingKind.CLUSTER:
        cluster = clusters.select_related("lead_province").filter(code=code).first()
        return Subject(kind, code, cluster) if cluster else None
    if kind == BriefingKind.NATIONAL and code == NATIONAL_SUBJECT:
        return Subject(kind, code, None)
    return None


def subject_for_user(user: User | AnonymousUser, kind: str, code: str) -> Subject | None:
    """The subject if it exists and the user may see it (and so request a briefing on it)."""
    if kind == BriefingKind.NATIONAL and not is_nationwide(user):
        return None
    return _resolve(kind, code, visible_provinces(user), visible_clusters(user))


def may_include_unapproved(user: User | AnonymousUser, subject: Subject) -> bool:
    """May this user have figures not yet approved printed in a briefing on this subject? The pages' rule."""
    return readiness_access.may_include_unapproved(user, subject.unit)


def _planner_province(user: User | AnonymousUser) -> Province | None:
    """A planner's province; None for other roles, and for a planner no administrator has placed in one
    (who sees no province and no cluster at all)."""
    if role_of(user) != Role.PLANNER:
        return None
    scope = scope_of(user)
    return scope.province if scope is not None else None


def audience_of(user: User | AnonymousUser, subject: Subject) -> str:
    """Whose view of the subject a briefing for this user prints (see the module docstring)."""
    if subject.kind == BriefingKind.CLUSTER and (province := _planner_province(user)) is not None:
        return province.code
    return ""


def visible_briefings(user: User | AnonymousUser) -> QuerySet[Briefing]:
    """Briefings on subjects the user may see (see the module docstring for unapproved figures)."""
    if not user.is_authenticated:
        return Briefing.objects.none()
    if is_nationwide(user):
        return Briefing.objects.all()
    provinces = visible_provinces(user).values("code")
    clusters = Q(kind=BriefingKind.CLUSTER, subject__in=visible_clusters(user).values("code"))
    if (province := _planner_province(user)) is not None:
        clusters &= Q(includes_unapproved=False, audience=province.code)
    elif role_of(user) == Role.SECRETARIAT:
        clusters &= Q(audience="")
    else:
        return Briefing.objects.none()
    return Briefing.objects.filter(
        Q(kind=BriefingKind.PROVINCE, subject__in=provinces, audience="") | clusters
    )


def get_briefing_for_user(user: User | AnonymousUser, pk: int) -> Briefing:
    """The briefing if the user may see it; 404 otherwise (unknown or out of scope)."""
    briefing = visible_briefings(user).select_related("requested_by").filter(pk=pk).first()
    if briefing is None:
        raise Http404("briefing")
    return briefing


def may_see(user: User | AnonymousUser, briefing: Briefing) -> bool:
    return visible_briefings(user).filter(pk=briefing.pk).exists()


def subject_options(user: User | AnonymousUser) -> list[tuple[str, list[Subject]]]:
    """The subjects a user may request, grouped for the form: (group label, subjects). Three queries."""
    groups: list[tuple[str, list[Subject]]] = []
    if is_nationwide(user):
        groups.append((gettext("Whole country"), [Subject(BriefingKind.NATIONAL, NATIONAL_SUBJECT, None)]))
    clusters = [Subject(BriefingKind.CLUSTER, c.code, c) for c in visible_clusters(user).order_by("code")]
    if clusters:
        groups.append((gettext("Clusters"), clusters))
    provinces = [Subject(BriefingKind.PROVINCE, p.code, p) for p in thai_sorted(visible_provinces(user))]
    if provinces:
        groups.append((gettext("Provinces"), provinces))
    return groups
