from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .access import get_cluster_for_user, get_province_for_user
from .listing import export_response, list_page
from .lists import CLUSTER_LIST, PROVINCE_LIST
from .maps import MAP_ATTRIBUTION, MapStyle, thailand_svg
from .requests import SignedInRequest
from .text import without_nul


@require_GET
def province_list(request: SignedInRequest) -> HttpResponse:
    # A NUL cannot be searched for and no name holds one: dropped, as the policy says for URL text.
    q = without_nul(request.GET.get("q", ""))[:100]
    region = without_nul(request.GET.get("region", ""))[:30]
    cluster = without_nul(request.GET.get("cluster", ""))[:10]
    provinces = selectors.province_search(user=request.user, q=q, region=region, cluster=cluster)
    # The region column shows the scheme the filter chose (the four-region one by default).
    scheme = "6" if region.startswith("r6:") else "4"
    for p in provinces:
        p.shown_region = p.region6 if scheme == "6" else p.region4  # type: ignore[attr-defined]  # for the table
    listing = list_page(request, provinces, PROVINCE_LIST)
    if listing.export:
        return export_response(listing, PROVINCE_LIST)
    return render(
        request,
        "provinces/province_list.html",
        {
            "listing": listing,
            "provinces": listing.rows,
            "q": q,
            "region": region,
            "region_scheme": scheme,
            "cluster": cluster,
            "regions": selectors.region_options(),
            "clusters": selectors.cluster_options(),
        },
    )


@require_GET
def province_history(request: SignedInRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    return render(
        request,
        "provinces/province_history.html",
        {"province": province, "tab": "history", "entries": selectors.province_history(province=province)},
    )


@require_GET
def cluster_list(request: SignedInRequest) -> HttpResponse:
    listing = list_page(request, selectors.clusters_for_user(user=request.user), CLUSTER_LIST)
    if listing.export:
        return export_response(listing, CLUSTER_LIST)
    return render(request, "provinces/cluster_list.html", {"listing": listing, "clusters": listing.rows})


@require_GET
def cluster_detail(request: SignedInRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    detail = selectors.cluster_detail(user=request.user, cluster=cluster)
    styles = {
        m.code: MapStyle(
            fill="#0d6efd" if m.pk == cluster.lead_province_id else "#6ea8fe",
            title=m.name,
            href=reverse("province_detail", args=[m.code]) if m.visible else "",
        )
        for m in detail["members"]
    }
    return render(
        request,
        "provinces/cluster_detail.html",
        {
            "cluster": cluster,
            "locator_map": thailand_svg(
                styles, label=_("Member provinces of %(name)s") % {"name": cluster.name}
            ),
            "map_attribution": MAP_ATTRIBUTION,
            **detail,
        },
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and docker compose: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
