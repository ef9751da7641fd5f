"""Decision support pages: a cluster's tab (overlaps, budget reach, gaps) and the advisors' national summary.
Thin: the user's scope decides (out of scope → 404, visible but not theirs to decide → 403), selectors compute."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from provinces.access import get_cluster_for_user, is_nationwide, require
from provinces.errors import WorkflowError
from provinces.fragments import page_body
from provinces.parsing import parse_fiscal_year
from readiness.choices import Dimension

from . import selectors as strategy_selectors
from .decision import selectors, services
from .decision.forms import OverlapDecisionForm


def _fiscal_year(request: HttpRequest) -> int:
    return parse_fiscal_year(request.GET.get("fy")) or strategy_selectors.default_fiscal_year()


def _years(current: int) -> list[int]:
    return sorted({*strategy_selectors.fiscal_years(), current}, reverse=True)


@require_GET
def decision_cluster(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    fiscal_year = _fiscal_year(request)
    needs_only = request.GET.get("funding") == "needs"

    def context() -> dict:
        return {
            "cluster": cluster,
            "page": selectors.cluster_decision(
                user=request.user, cluster=cluster, fiscal_year=fiscal_year, needs_only=needs_only
            ),
            "fiscal_year": fiscal_year,
            "fiscal_years": _years(fiscal_year),
            "needs_only": needs_only,
            "can_decide": services.can_decide_overlaps(request.user, cluster),
            "dimensions": {d.value: d.label for d in Dimension},
            "overlap_threshold": selectors.overlap_threshold(),
            "meaning_threshold": selectors.semantic_threshold(),
            "gap_threshold": selectors.gap_threshold(),
            "measured": selectors.finder_measured(),
        }

    body = page_body(
        request, "decision_cluster", template="strategies/_decision_cluster_body.html", context=context,
        parts=(selectors.settings_key(),),
    )  # fmt: skip
    return render(request, "strategies/decision_cluster.html", {"cluster": cluster, "body": body})


@require_POST
def decision_overlap_decide(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    require(services.can_decide_overlaps(request.user, cluster))
    form = OverlapDecisionForm(request.POST)
    fiscal_year = _fiscal_year(request) if not form.is_valid() else form.cleaned_data["fy"]
    back = reverse("decision_cluster", args=[cluster.code]) + f"?fy={fiscal_year}#overlaps"
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        saved = services.overlap_decide(
            cluster=cluster,
            fiscal_year=data["fy"],
            strategy_ids=data["strategy"],
            decision=data["decision"],
            merged_into_id=data["merged_into"],
            note=data["note"],
            by=request.user,
        )
        messages.success(
            request,
            _("Decision recorded for %(n)s pair(s); they will not be reported again.") % {"n": len(saved)},
        )
    except WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(back)


# The national summary's columns: (sort key, heading).
NATIONAL_COLUMNS = [
    ("cluster", gettext_lazy("Provincial cluster")),
    ("strategies", gettext_lazy("Strategies")),
    ("overlap_groups", gettext_lazy("Overlap groups")),
    ("overlapping_strategies", gettext_lazy("Strategies in them")),
    ("flagged", gettext_lazy("Projects beyond one province")),
    ("needs_integrated_funding", gettext_lazy("Needing integrated funding")),
    ("uncovered", gettext_lazy("Uncovered gaps")),
    ("misdirected", gettext_lazy("Possibly misdirected")),
]


def _sort_headers(sort: str) -> list[dict]:
    """Each column's heading and the sort its link asks for. The first click sorts counts high to low (what
    an advisor looks for), names A–Z."""
    headers = []
    for key, label in NATIONAL_COLUMNS:
        if key == "cluster":
            following = "-cluster" if sort == "cluster" else "cluster"
        else:
            following = key if sort == f"-{key}" else f"-{key}"
        headers.append(
            {"key": key, "label": label, "active": sort.lstrip("-") == key, "descending": sort == f"-{key}",
             "next": following}
        )  # fmt: skip
    return headers


@require_GET
def decision_national(request: HttpRequest) -> HttpResponse:
    if not is_nationwide(request.user):
        raise Http404("decision support")
    fiscal_year = _fiscal_year(request)
    sort = request.GET.get("sort", "cluster")
    if sort.lstrip("-") not in selectors.SORT_KEYS:
        sort = "cluster"

    def context() -> dict:
        rows = selectors.national_summary(fiscal_year=fiscal_year, sort=sort)
        return {
            "rows": rows,
            "headers": _sort_headers(sort),
            "sort": sort,
            "fiscal_year": fiscal_year,
            "fiscal_years": _years(fiscal_year),
            "totals": selectors.national_totals(rows),
            "record": selectors.decision_record(fiscal_year=fiscal_year),
        }

    body = page_body(
        request, "decision_national", template="strategies/_decision_national_body.html", context=context,
        parts=(selectors.settings_key(),),
    )  # fmt: skip
    return render(request, "strategies/decision_national.html", {"body": body})
