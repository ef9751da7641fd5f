"""Where a notification leads: the page of its object, and the check that a stored link stays on this site."""

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from briefings.models import Briefing
from provinces.models import Cluster, Province
from provinces.text import has_nul
from readiness.models import Assessment
from strategies.models import Project, Strategy


def url_for(target: models.Model | None) -> str:
    """The path of the page that shows the object ("" when there is none)."""
    if target is None:
        return ""
    try:
        if isinstance(target, Assessment):
            return reverse(
                "assessment_detail",
                kwargs={"code": target.province.code, "fiscal_year": target.round.fiscal_year},
            )
        if isinstance(target, Strategy):
            return reverse("strategy_detail", kwargs={"pk": target.pk})
        if isinstance(target, Project):
            return reverse("strategy_detail", kwargs={"pk": target.strategy_id}) + f"#project-{target.pk}"
        if isinstance(target, Province):
            return reverse("province_detail", kwargs={"code": target.code})
        if isinstance(target, Cluster):
            return reverse("cluster_detail", kwargs={"code": target.code})
        if isinstance(target, Briefing):
            return reverse("briefing_detail", kwargs={"pk": target.pk})
    except NoReverseMatch:
        return ""
    get_absolute_url = getattr(target, "get_absolute_url", None)
    return get_absolute_url() if get_absolute_url else ""


def safe_local_url(url: str) -> str | None:
    """The link if it is a path on this site (no scheme, no host, no "//" or "\\" tricks); None otherwise."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")) or has_nul(url):
        return None
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False) else None
