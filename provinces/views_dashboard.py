"""The national map and the dashboards: the advisor's whole-country view, the secretariat's cluster view.

They compose the readiness and strategies selectors; each page's query count is fixed."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from readiness import selectors as readiness
from readiness.choices import AssessmentStatus, Dimension
from readiness.map import MEASURES, readiness_map
from readiness.models import Assessment
from readiness.views import STAT_ROWS
from strategies.access import visible_strategies
from strategies.charts import strategy_matrix
from strategies.choices import StrategyStatus
from strategies.decision import selectors as decision
from strategies.matrix import QUADRANTS
from strategies.selectors import StrategyFilters, quadrant_counts, strategies_for

from .access import get_cluster_for_user, is_nationwide, visible_provinces
from .maps import MAP_ATTRIBUTION
from .models import Province
from .parsing import parse_fiscal_year


def _map_context(request: HttpRequest, round) -> dict:
    measure = request.GET.get("by", "overall")
    if measure not in MEASURES:
        measure = "overall"
    rows = readiness.score_rows(list(Province.objects.select_related("cluster").order_by("code")), round)
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
        "round": round,
        "map_attribution": MAP_ATTRIBUTION,
    }


@require_GET
def national_map(request: HttpRequest) -> HttpResponse:
    """Everyone may see the approved national picture; links open only the provinces in the user's scope."""
    round = readiness.current_round()
    if round is None:
        raise Http404("round")
    raw = request.GET.get("fy", "")
    if raw:
        round = readiness.rounds().filter(fiscal_year=parse_fiscal_year(raw) or 0).first()
        if round is None:
            raise Http404("round")
    return render(
        request, "provinces/national_map.html", {**_map_context(request, round), "rounds": readiness.rounds()}
    )


@require_GET
def national_dashboard(request: HttpRequest) -> HttpResponse:
    if not is_nationwide(request.user):
        raise Http404("dashboard")
    round = readiness.current_round()
    if round is None:
        raise Http404("round")
    map_context = _map_context(request, round)
    # The map's rows are every province's approved figures: the roll-up reuses them (no second query).
    clusters, nation = readiness.national_rollup(round=round, rows=map_context["rows"])
    ranked = sorted(
        (c for c in clusters if c.cluster is not None),
        key=lambda c: (c.rollup.spreads["overall"].mean is None, -(c.rollup.spreads["overall"].mean or 0)),
    )
    strategies = visible_strategies(request.user).filter(fiscal_year=round.fiscal_year)
    return render(
        request,
        "provinces/dashboard_national.html",
        {
            **map_context,
            "ranked": ranked,
            "bangkok": next(c for c in clusters if c.cluster is None),
            "nation": nation,
            "submitted": Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, round=round).count(),
            "proposed": visible_strategies(request.user).filter(status=StrategyStatus.PROPOSED).count(),
            "quadrant_counts": quadrant_counts(strategies),
            "quadrants": QUADRANTS,
            "dimensions": list(Dimension),
        },
    )


@require_GET
def cluster_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    round = readiness.current_round()
    if round is None:
        raise Http404("round")
    rollup = readiness.cluster_rollup(cluster=cluster, round=round)
    strategies = list(
        strategies_for(
            user=request.user, filters=StrategyFilters(fiscal_year=round.fiscal_year, cluster=cluster)
        )
    )
    page = decision.cluster_decision(user=request.user, cluster=cluster, fiscal_year=round.fiscal_year)
    return render(
        request,
        "provinces/dashboard_cluster.html",
        {
            "cluster": cluster,
            "round": round,
            "rollup": rollup,
            "dimensions": list(Dimension),
            "visible_ids": set(
                visible_provinces(request.user).filter(cluster=cluster).values_list("pk", flat=True)
            ),
            "stats": STAT_ROWS,
            "matrix": strategy_matrix(
                strategies, title=_("Strategies of %(unit)s and its provinces") % {"unit": cluster.name}
            ),
            "quadrant_counts": quadrant_counts(strategies),
            "quadrants": QUADRANTS,
            "decision": page,
        },
    )
