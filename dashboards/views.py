"""The landing pages and the dashboards: each role's home, the province page (a planner's home), the national
map, the advisor's whole-country view and the secretariat's cluster view.

They compose the selectors of every app below them, which is why they live in an app of their own above
those apps; each page's query count is fixed."""

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from notifications.todo import todo_for
from provinces import selectors as provinces
from provinces.access import (
    get_cluster_for_user,
    get_province_for_user,
    is_nationwide,
    role_of,
    scope_of,
    visible_provinces,
)
from provinces.choices import Role
from provinces.fragments import page_body
from provinces.listing import export_response, list_page
from provinces.maps import MAP_ATTRIBUTION, MapStyle, thailand_svg
from provinces.parsing import parse_fiscal_year
from provinces.requests import SignedInRequest
from readiness import charts
from readiness import lists as readiness_lists
from readiness import selectors as readiness
from readiness.access import may_include_unapproved
from readiness.choices import Dimension
from readiness.map import MEASURES, readiness_map
from readiness.views import STAT_ROWS
from strategies.decision import selectors as decision
from strategies.matrix import QUADRANTS
from strategies.selectors import StrategyFilters, matrix_figure, quadrant_totals
from strategies.selectors import review_queue as strategy_review_queue


@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    """Each role lands where its work is: a planner on their province, a secretariat on its cluster, an
    advisor on the national dashboard; each of those pages leads with the user's to-do (notifications.todo)."""
    role = role_of(request.user)
    scope = scope_of(request.user)
    if role == Role.PLANNER and scope and scope.province:
        return redirect("province_detail", code=scope.province.code)
    if role == Role.SECRETARIAT and scope and scope.cluster:
        return redirect("cluster_dashboard", code=scope.cluster.code)
    if role in (Role.ADVISOR, Role.ADMIN):
        return redirect("national_dashboard")
    return render(request, "provinces/no_scope.html")


def _locator_map(province, members):
    styles = {m.code: MapStyle(fill="#9ec5fe", title=m.name) for m in members}
    styles[province.code] = MapStyle(fill="#0d6efd", title=province.name, css_class="current")
    return thailand_svg(styles, label=_("Location of %(name)s") % {"name": province.name}, width="100%")


def _readiness_summary(province, user) -> dict:
    """The province page is the planner's home: what is due, the latest scores, the last changes."""
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
def province_detail(request: SignedInRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    scope = scope_of(request.user)
    # The planner's home: their own to-do leads it (not shown to others who open the province).
    own = role_of(request.user) == Role.PLANNER and scope is not None and scope.province_id == province.pk

    def context() -> dict:
        detail = provinces.province_detail(province=province)
        return {
            "province": province,
            "tab": "overview",
            "locator_map": _locator_map(province, detail["cluster_members"]),
            "map_attribution": MAP_ATTRIBUTION,
            **detail,
            **_readiness_summary(province, request.user),
            "todo": todo_for(request.user) if own else None,
        }

    body = page_body(request, "province", template="provinces/_province_detail_body.html", context=context)
    return render(
        request,
        "provinces/province_detail.html",
        {"province": province, "body": body, "map_attribution": MAP_ATTRIBUTION},
    )


def _map_context(request: SignedInRequest, round) -> dict:
    measure = request.GET.get("by", "overall")
    if measure not in MEASURES:
        measure = "overall"
    picture = readiness.national_picture(round=round)
    rows = picture.rows
    labels = {
        "overall": _("Overall readiness"),
        "cluster": _("Provincial clusters"),
        **{d.value: str(d.label) for d in Dimension},
    }
    svg, legend = readiness_map(
        rows,
        measure=measure,
        visible=set(visible_provinces(request.user).values_list("pk", flat=True)),
        label=_("Map of Thailand: %(measure)s, FY %(year)s (approved figures)")
        % {"measure": labels[measure], "year": round.fiscal_year},
    )
    return {
        "map": svg,
        "legend": legend,
        "measure": measure,
        "measures": [(m, labels[m]) for m in MEASURES],
        "rows": rows,
        "map_listing": list_page(request, rows, readiness_lists.MAP_TABLE),
        "round": round,
        "map_attribution": MAP_ATTRIBUTION,
        "picture": picture,
    }


@require_GET
def national_map(request: SignedInRequest) -> HttpResponse:
    """Everyone may see the approved national picture; links open only the provinces in the user's scope."""
    round = readiness.current_round()
    if round is None:
        raise Http404("round")
    raw = request.GET.get("fy", "")
    if raw:
        round = readiness.round_of_year(parse_fiscal_year(raw))
        if round is None:
            raise Http404("round")
    context = _map_context(request, round)
    if context["map_listing"].export:
        return export_response(context["map_listing"], readiness_lists.MAP_TABLE)
    return render(
        request, "provinces/national_map.html", {**context, "rounds": readiness.rounds(), "map_export": True}
    )


@require_GET
def national_dashboard(request: SignedInRequest) -> HttpResponse:
    if not is_nationwide(request.user):
        raise Http404("dashboard")
    round = readiness.current_round()
    if round is None:
        raise Http404("round")

    def context() -> dict:
        map_context = _map_context(request, round)
        # The map's rows are every province's approved figures, computed with the roll-ups (one cached picture).
        clusters, nation = map_context["picture"].clusters, map_context["picture"].nation
        ranked = sorted(
            (c for c in clusters if c.cluster is not None),
            key=lambda c: (
                c.rollup.spreads["overall"].mean is None,
                -(c.rollup.spreads["overall"].mean or 0),
            ),
        )
        return {
            **map_context,
            "ranked": ranked,
            "bangkok": next(c for c in clusters if c.cluster is None),
            "nation": nation,
            # The review queue's own selector: the card's count is the count of the queue it opens.
            "submitted": readiness.review_queue(user=request.user, round=round).count(),
            "proposed": strategy_review_queue(user=request.user).count(),
            "quadrant_counts": quadrant_totals(user=request.user, fiscal_year=round.fiscal_year),
            "quadrants": QUADRANTS,
            "dimensions": list(Dimension),
            "todo": todo_for(request.user),
        }

    body = page_body(
        request, "dashboard_national", template="provinces/_dashboard_national_body.html", context=context
    )
    return render(
        request, "provinces/dashboard_national.html", {"body": body, "map_attribution": MAP_ATTRIBUTION}
    )


def _is_own_cluster(user: User, cluster) -> bool:
    """The secretariat's home is its cluster's dashboard: its to-do leads it."""
    scope = scope_of(user)
    return role_of(user) == Role.SECRETARIAT and scope is not None and scope.cluster_id == cluster.pk


@require_GET
def cluster_dashboard(request: SignedInRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    round = readiness.current_round()
    if round is None:
        raise Http404("round")

    def context() -> dict:
        figure = matrix_figure(
            user=request.user,
            filters=StrategyFilters(fiscal_year=round.fiscal_year, cluster=cluster),
            title=_("Strategies of %(unit)s and its provinces") % {"unit": cluster.name},
        )
        return {
            "cluster": cluster,
            "round": round,
            "rollup": readiness.cluster_rollup(cluster=cluster, round=round),
            "dimensions": list(Dimension),
            "visible_ids": set(
                visible_provinces(request.user).filter(cluster=cluster).values_list("pk", flat=True)
            ),
            "stats": STAT_ROWS,
            "matrix": figure.svg,
            "quadrant_counts": figure.counts,
            "quadrants": QUADRANTS,
            "decision": decision.cluster_decision(
                user=request.user, cluster=cluster, fiscal_year=round.fiscal_year
            ),
            "todo": todo_for(request.user) if _is_own_cluster(request.user, cluster) else None,
        }

    body = page_body(
        request, "dashboard_cluster", template="provinces/_dashboard_cluster_body.html", context=context,
        parts=(decision.settings_key(),),
    )  # fmt: skip
    return render(request, "provinces/dashboard_cluster.html", {"cluster": cluster, "body": body})
