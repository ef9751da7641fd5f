from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .access import get_cluster_for_user, get_province_for_user, role_of, scope_of
from .choices import Role
from .maps import MAP_ATTRIBUTION, MapStyle, thailand_svg


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: a planner on their province, a secretariat on its cluster."""
    role = role_of(request.user)
    scope = scope_of(request.user)
    if role == Role.PLANNER:
        return redirect("province_detail", code=scope.province.code)
    if role == Role.SECRETARIAT:
        return redirect("cluster_dashboard", code=scope.cluster.code)
    if role in (Role.ADVISOR, Role.ADMIN):
        return redirect("national_dashboard")
    return render(request, "provinces/no_scope.html")


@require_GET
def province_list(request: HttpRequest) -> HttpResponse:
    # NUL characters cannot be searched for (PostgreSQL refuses them); no name holds one.
    q = request.GET.get("q", "").replace("\x00", "")[:100]
    region = request.GET.get("region", "").replace("\x00", "")[:30]
    cluster = request.GET.get("cluster", "").replace("\x00", "")[:10]
    provinces = selectors.province_search(user=request.user, q=q, region=region, cluster=cluster)
    return render(
        request,
        "provinces/province_list.html",
        {
            "provinces": provinces,
            "q": q,
            "region": region,
            "cluster": cluster,
            "regions": selectors.region_options(),
            "clusters": selectors.cluster_options(),
        },
    )


def _locator_map(province, members):
    styles = {m.code: MapStyle(fill="#9ec5fe", title=m.name) for m in members}
    styles[province.code] = MapStyle(fill="#0d6efd", title=province.name, css_class="current")
    return thailand_svg(styles, label=_("Location of %(name)s") % {"name": province.name}, width="100%")


def _readiness_summary(province, user) -> dict:
    """The province page is the planner's home: what is due, the latest scores, the last changes."""
    from readiness import charts
    from readiness import selectors as readiness
    from readiness.access import may_include_unapproved
    from readiness.choices import Dimension

    round = readiness.current_round()
    if round is None:
        return {}
    # Its unapproved figures too, labelled so: everyone who may open the province page may see them.
    include = may_include_unapproved(user, province)
    row = readiness.score_rows([province], round, include_unapproved=include)[0]
    return {
        "readiness_round": round,
        "readiness_row": row,
        "readiness_chart": charts.dimension_bars(
            row.values,
            row.previous,
            labels={d.value: str(d.label) for d in Dimension},
            title=_("Readiness of %(province)s, FY %(year)s")
            % {"province": province.name, "year": round.fiscal_year},
            previous_label=_("last round"),
            no_data_label=_("no answer yet"),
        ),
        "due_items": readiness.due_items(province=province),
        "recent_changes": readiness.recent_changes(province=province),
    }


@require_GET
def province_detail(request: HttpRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    detail = selectors.province_detail(province=province)
    return render(
        request,
        "provinces/province_detail.html",
        {
            "province": province,
            "tab": "overview",
            "locator_map": _locator_map(province, detail["cluster_members"]),
            "map_attribution": MAP_ATTRIBUTION,
            **detail,
            **_readiness_summary(province, request.user),
        },
    )


@require_GET
def province_history(request: HttpRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    return render(
        request,
        "provinces/province_history.html",
        {"province": province, "tab": "history", "entries": selectors.province_history(province=province)},
    )


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "provinces/cluster_list.html", {"clusters": selectors.clusters_for_user(user=request.user)}
    )


@require_GET
def cluster_detail(request: HttpRequest, code: str) -> HttpResponse:
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
