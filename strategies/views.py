"""Strategy views: thin — get the object for the user, validate the form, call a service, redirect."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from provinces.access import (
    find_cluster_for_user,
    get_cluster_for_user,
    get_province_for_user,
    is_nationwide,
    require,
    role_of,
    scope_of,
)
from provinces.choices import Role
from provinces.fragments import page_body
from provinces.listing import FORMATS, export_response, list_page, status_filter, status_value
from provinces.models import Cluster, Province
from provinces.parsing import parse_fiscal_year, parse_id
from provinces.selectors import cluster_choices
from provinces.text import without_nul
from provinces.thai import fiscal_year as fiscal_year_of
from readiness import charts as readiness_charts
from readiness import selectors as readiness
from readiness.choices import DIMENSIONS, Dimension

from . import lists, selectors, services, similar
from .access import (
    can_edit_strategy,
    can_import,
    can_own,
    can_review_strategies,
    get_project_for_user,
    get_strategy_for_user,
    owners_for_user,
)
from .choices import PartnerSector, Pillar, StrategyStatus, WorkArea
from .deadlines import strategy_review_due_on
from .decision.selectors import project_flags
from .forms import CommentForm, OverrideForm, ProgressForm, ProjectForm, ReturnForm, StrategyForm
from .matrix import LETTERS, QUADRANTS
from .models import Project, StrategyReview


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _current_fy() -> int:
    return fiscal_year_of(timezone.localdate())


def _filters(request: HttpRequest, **fixed) -> selectors.StrategyFilters:
    raw_fy = request.GET.get("fy", "")
    filters = selectors.StrategyFilters(
        fiscal_year=parse_fiscal_year(raw_fy),
        pillar=request.GET.get("pillar", "") if request.GET.get("pillar", "") in Pillar.values else "",
        work_area=request.GET.get("work_area", "")
        if request.GET.get("work_area", "") in WorkArea.values
        else "",
        status=request.GET.get("status", "")
        if request.GET.get("status", "") in StrategyStatus.values
        else "",
        quadrant=request.GET.get("quadrant", "") if request.GET.get("quadrant", "") in LETTERS else "",
    )
    for key, value in fixed.items():
        setattr(filters, key, value)
    return filters


def _filter_context(request: HttpRequest, filters) -> dict:
    return {
        "filters": filters,
        "fiscal_years": selectors.fiscal_years(),
        "pillars": Pillar.choices,
        "work_areas": WorkArea.choices,
        "statuses": StrategyStatus.choices,
        "letters": LETTERS,
        "querystring": request.GET.urlencode(),
    }


@require_GET
def strategy_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    code = request.GET.get("cluster", "")
    if code:
        filters.cluster = get_cluster_for_user(request.user, code)
    listing = list_page(
        request, selectors.strategies_for(user=request.user, filters=filters), lists.STRATEGY_LIST
    )
    if listing.export:
        return export_response(listing, lists.STRATEGY_LIST)
    return render(
        request,
        "strategies/strategy_list.html",
        {
            "listing": listing,
            "strategies": listing.rows,
            "can_create": bool(owners_for_user(request.user)),
            "can_import": can_import(request.user),
            "clusters": cluster_choices(user=request.user) if is_nationwide(request.user) else [],
            "cluster_code": code,
            "matrix_url": _matrix_url_for(request.user),
            **_filter_context(request, filters),
        },
    )


def _matrix_url_for(user) -> str:
    """Each role's own matrix: the planner's province, the secretariat's cluster, the nation."""
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER:
        return reverse("matrix_province", args=[scope.province.code])
    if role == Role.SECRETARIAT:
        return reverse("matrix_cluster", args=[scope.cluster.code])
    return reverse("matrix_national") if is_nationwide(user) else ""


@require_http_methods(["GET", "POST"])
def strategy_create(request: HttpRequest) -> HttpResponse:
    owners = owners_for_user(request.user)
    if not owners:
        raise Http404("strategy")
    # A link may name the owner, the year and the text to start from (the hint's joint-strategy offer).
    fy = parse_fiscal_year(request.GET.get("fy", "")) or _current_fy()
    # Bound on every POST, even an empty one (nothing filled in or ticked), so that it shows its errors.
    form = StrategyForm(
        request.POST if request.method == "POST" else None,
        owners=owners,
        criteria=services.active_criteria(),
        indicators=selectors.indicators_for(fy),
        initial={
            "fiscal_year": fy,
            "owner": request.GET.get("owner") or (owners[0].code if len(owners) == 1 else ""),
            **similar.prefill(request.GET),
        },
    )
    form.watch_similar(reverse("strategy_similar"))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            strategy = services.strategy_create(
                owner=form.owner_object(),
                fiscal_year=form.cleaned_data["fiscal_year"],
                data=form.strategy_data(),
                scores=form.scores(),
                by=request.user,
            )
            messages.success(request, _("Strategy saved as a draft."))
            return redirect("strategy_detail", pk=strategy.pk)
        except services.InvalidField as exc:
            form.add_error(exc.field, exc.message)
        except services.WorkflowError as exc:
            error = exc.message
    status = 400 if request.method == "POST" else 200
    return render(request, "strategies/strategy_form.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy))
    page = selectors.strategy_page(strategy=strategy)
    form = StrategyForm(
        request.POST if request.method == "POST" else None,
        owners=[strategy.owner],
        criteria=services.active_criteria(),
        indicators=selectors.indicators_for(strategy.fiscal_year),
        initial=StrategyForm.initial_for(strategy, page.criteria),
        fixed_owner=True,
    )
    form.fields["fiscal_year"].disabled = True
    form.watch_similar(reverse("strategy_similar"), strategy_pk=strategy.pk)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_update(
                strategy=strategy, data=form.strategy_data(), scores=form.scores(), by=request.user
            )
            messages.success(request, _("Strategy saved."))
            return redirect("strategy_detail", pk=strategy.pk)
        except services.InvalidField as exc:
            form.add_error(exc.field, exc.message)
        except services.WorkflowError as exc:
            error = exc.message
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "strategies/strategy_form.html",
        {"form": form, "strategy": strategy, "error": error},
        status=status,
    )


def _draft_owner(request: HttpRequest, data) -> tuple[Province | Cluster | None, int, int | None]:
    """(owner, fiscal year, strategy being edited) of the draft the hint is asked about; 404 for a strategy
    or an owner the user may not write for. The owner is None while the form offers several and none is
    chosen yet."""
    if raw := data.get("strategy", ""):
        pk = parse_id(raw)
        if pk is None:
            raise Http404("strategy")
        strategy = get_strategy_for_user(request.user, pk)
        if not can_edit_strategy(request.user, strategy):
            raise Http404("strategy")
        return strategy.owner, strategy.fiscal_year, strategy.pk
    owners = {o.code: o for o in owners_for_user(request.user)}
    if not owners:
        raise Http404("owner")
    fy = parse_fiscal_year(data.get("fiscal_year", "")) or _current_fy()
    code = data.get("owner", "")
    if not code:
        return (next(iter(owners.values())) if len(owners) == 1 else None), fy, None
    owner = owners.get(code)
    if owner is None or not can_own(request.user, owner):
        raise Http404("owner")
    return owner, fy, None


@require_http_methods(["GET", "POST"])
def strategy_similar(request: HttpRequest) -> HttpResponse:
    """The similar-plans hint of the strategy form (an htmx fragment): strategies already in the draft
    owner's cluster this fiscal year that the overlap finder would report with the draft. The form posts
    the draft as it is typed; GET takes the same fields (a link, the benchmark)."""
    data = request.POST if request.method == "POST" else request.GET
    owner, fy, editing = _draft_owner(request, data)
    if owner is None:
        return render(request, "strategies/_similar_plans.html", {"choose_owner": True})
    draft = similar.Draft(
        owner=owner,
        fiscal_year=fy,
        title_th=similar.clean(data.get("title_th", ""), similar.MAX_TITLE),
        title_en=similar.clean(data.get("title_en", ""), similar.MAX_TITLE),
        summary_th=similar.clean(data.get("summary_th", ""), similar.MAX_SUMMARY),
        summary_en=similar.clean(data.get("summary_en", ""), similar.MAX_SUMMARY),
        pillar=data.get("pillar", "") if data.get("pillar", "") in Pillar.values else "",
        work_area=data.get("work_area", "") if data.get("work_area", "") in WorkArea.values else "",
        dimensions=frozenset(d for d in DIMENSIONS if data.get(f"builds_{d}")),
        editing=editing,
    )
    return render(
        request, "strategies/_similar_plans.html", {"hint": similar.hint(user=request.user, draft=draft)}
    )


@require_GET
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    page = selectors.strategy_page(strategy=strategy)
    editable = can_edit_strategy(request.user, strategy)
    reviewer = can_review_strategies(request.user)
    # Other clusters' practice: for advisors and administrators, who see every cluster.
    practice = (
        selectors.practice_elsewhere(user=request.user, strategy=strategy)
        if is_nationwide(request.user)
        else None
    )
    return render(
        request,
        "strategies/strategy_detail.html",
        {
            "strategy": strategy,
            "page": page,
            "practice": practice,
            "flags": project_flags(page.projects),
            "partner_labels": dict(PartnerSector.choices),
            "editable": editable,
            "reviewer": reviewer,
            "can_comment": editable or reviewer,
            "quadrants": QUADRANTS,
            "override_form": OverrideForm(initial={"quadrant": strategy.quadrant}),
            "comment_form": CommentForm(),
            "return_form": ReturnForm(),
            "progress_form": ProgressForm(),
            "status_moves": [
                StrategyStatus(s) for s, sources in services.OWNER_MOVES.items() if strategy.status in sources
            ],
        },
    )


def _act(request: HttpRequest, strategy, action, success: str) -> HttpResponse:
    try:
        action()
        messages.success(request, success)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect("strategy_detail", pk=strategy.pk)


@require_POST
def strategy_propose(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy))
    return _act(request, strategy, lambda: services.strategy_propose(strategy=strategy, by=request.user),
                _("The strategy was proposed to the advisor."))  # fmt: skip


@require_POST
def strategy_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_review_strategies(request.user))
    # An optional note, taken as typed: NUL characters (which PostgreSQL cannot store) are dropped.
    text = without_nul(request.POST.get("text", ""))[:5000]
    return _act(request, strategy, lambda: services.strategy_endorse(strategy=strategy, by=request.user, text=text),
                _("The strategy was endorsed."))  # fmt: skip


@require_POST
def strategy_return(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_review_strategies(request.user))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("strategy_detail", pk=strategy.pk)
    return _act(request, strategy, lambda: services.strategy_return(strategy=strategy, by=request.user, text=form.cleaned_data["text"]),
                _("The strategy was returned with your comments."))  # fmt: skip


@require_POST
def strategy_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy))
    status = request.POST.get("status", "")
    return _act(request, strategy, lambda: services.strategy_set_status(strategy=strategy, status=status, by=request.user),
                _("Status changed."))  # fmt: skip


@require_POST
def strategy_comment(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy) or can_review_strategies(request.user))
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("strategy_detail", pk=strategy.pk)
    reply_to = None
    if form.cleaned_data["reply_to"]:
        reply_to = get_object_or_404(StrategyReview, pk=form.cleaned_data["reply_to"], strategy=strategy)
    return _act(request, strategy, lambda: services.strategy_comment(strategy=strategy, by=request.user, text=form.cleaned_data["text"], reply_to=reply_to),
                _("Comment added."))  # fmt: skip


@require_POST
def strategy_carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy))
    try:
        new = services.strategy_carry_forward(strategy=strategy, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("strategy_detail", pk=strategy.pk)
    messages.success(request, _("Carried forward to FY %(year)s as a draft.") % {"year": new.fiscal_year})
    return redirect("strategy_detail", pk=new.pk)


@require_http_methods(["GET", "POST"])
def strategy_override(request: HttpRequest, pk: int) -> HttpResponse:
    """The no-JavaScript way to move a strategy to another quadrant (the matrix's drag does the same POST)."""
    strategy = get_strategy_for_user(request.user, pk)
    require(can_review_strategies(request.user))
    form = OverrideForm(
        request.POST if request.method == "POST" else None, initial={"quadrant": strategy.quadrant}
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_override(
                strategy=strategy,
                quadrant=form.cleaned_data["quadrant"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(
                request,
                _("The strategy now stands in quadrant %(q)s.") % {"q": form.cleaned_data["quadrant"]},
            )
            return redirect(
                request.POST.get("next")
                if _safe_next(request)
                else reverse("strategy_detail", args=[strategy.pk])
            )
        except services.WorkflowError as exc:
            error = exc.message
    return render(
        request, "strategies/strategy_override.html", {"strategy": strategy, "form": form, "error": error, "quadrants": QUADRANTS},
        status=400 if error or form.errors else 200,
    )  # fmt: skip


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    # A path on this site only: anything else (even "a b") would be taken by redirect() as a view name.
    return target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    )


@require_POST
def strategy_override_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user(request.user, pk)
    require(can_review_strategies(request.user))
    return _act(request, strategy, lambda: services.strategy_override_withdraw(strategy=strategy, by=request.user),
                _("Override withdrawn: the quadrant follows the criteria again."))  # fmt: skip


def _queue_filters(request: HttpRequest) -> dict:
    """The review queue's filters from the query string; a value that names nothing is ignored."""
    return {
        "fiscal_year": parse_fiscal_year(request.GET.get("fy", "")),
        "cluster": find_cluster_for_user(request.user, request.GET.get("cluster", "")),
        "statuses": status_filter(request.GET.get("status"), selectors.REVIEW_STATUSES),
    }


@require_http_methods(["GET", "POST"])
def strategy_review_queue(request: HttpRequest) -> HttpResponse:
    """The advisor's queue, oldest proposal first, filterable by round, cluster and status; ticked strategies
    are endorsed together (POST)."""
    if not can_review_strategies(request.user):
        raise Http404("review")
    if request.method == "POST":
        return _bulk_endorse(request)
    filters = _queue_filters(request)
    listing = list_page(request, selectors.review_queue(user=request.user, **filters), lists.REVIEW_QUEUE)
    if listing.export:
        return export_response(listing, lists.REVIEW_QUEUE)
    current = readiness.current_round()
    for s in listing.rows:
        s.earlier_round = current is not None and s.fiscal_year < current.fiscal_year
        s.due_on = strategy_review_due_on(s)
    return render(
        request,
        "strategies/review_queue.html",
        {
            "listing": listing,
            "filters": filters,
            "status": status_value(filters["statuses"]),
            "statuses": [StrategyStatus(v) for v in selectors.REVIEW_STATUSES],
            "fiscal_years": selectors.fiscal_years(),
            "clusters": cluster_choices(user=request.user),
            "today": timezone.localdate(),
        },
    )


def _bulk_endorse(request: HttpRequest) -> HttpResponse:
    """Endorse every ticked strategy, all or none: an id the advisor may not endorse (not waiting for review,
    not visible, not a number) refuses the whole request and changes nothing."""
    back = reverse("strategy_review_queue") + (f"?{request.GET.urlencode()}" if request.GET else "")
    raw = request.POST.getlist("strategy")[:1000]
    ids = {parse_id(v) for v in raw}
    if not raw:
        messages.error(request, _("Tick the strategies to endorse first."))
        return redirect(back)
    chosen = selectors.waiting_for_review(user=request.user, ids={i for i in ids if i})
    if None in ids or len(chosen) != len(ids):
        messages.error(
            request, _("Some of the ticked strategies are not waiting for your review; nothing was endorsed.")
        )
        return redirect(back)
    try:
        services.strategies_endorse(strategies=chosen, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        ngettext("%(n)s strategy was endorsed.", "%(n)s strategies were endorsed.", len(chosen))
        % {"n": len(chosen)},
    )
    return redirect(back)


# --- projects ------------------------------------------------------------------------------------


def _project_data(form: ProjectForm) -> services.ProjectData:
    c = form.cleaned_data
    return services.ProjectData(
        title_th=c["title_th"], title_en=c["title_en"], lead_agency=c["lead_agency"], partners=tuple(c["partners"]),
        budget=c["budget"], funding_source=c["funding_source"], start_fy=c["start_fy"], end_fy=c["end_fy"],
        province_ids=tuple(p.pk for p in c["provinces"]), status=c["status"], kpi=c["kpi"],
        kpi_target=c["kpi_target"], kpi_actual=c["kpi_actual"], kpi_unit=c["kpi_unit"],
    )  # fmt: skip


def _project_form(request, strategy, project: Project | None) -> HttpResponse:
    require(can_edit_strategy(request.user, strategy))
    initial = {"start_fy": strategy.fiscal_year, "end_fy": strategy.fiscal_year}
    if project:
        initial = {f: getattr(project, f) for f in ("title_th", "title_en", "lead_agency", "partners", "budget", "funding_source",
                                                   "start_fy", "end_fy", "status", "kpi", "kpi_target", "kpi_actual", "kpi_unit")}  # fmt: skip
        initial["provinces"] = list(project.provinces.all())
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        provinces=selectors.project_provinces(strategy),
        initial=initial,
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(
                strategy=strategy, project=project, data=_project_data(form), by=request.user
            )
            messages.success(request, _("Project saved."))
            return redirect(reverse("strategy_detail", args=[strategy.pk]) + "#projects")
        except services.InvalidField as exc:
            form.add_error(exc.field, exc.message)
        except services.WorkflowError as exc:
            error = exc.message
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "strategies/project_form.html",
        {"form": form, "strategy": strategy, "project": project, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(request, get_strategy_for_user(request.user, pk), None)


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    return _project_form(request, project.strategy, project)


@require_POST
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    require(can_edit_strategy(request.user, project.strategy))
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            services.project_progress(project=project, progress=form.cleaned_data["progress"], note=form.cleaned_data["note"],
                                      on=form.cleaned_data["on"], by=request.user)  # fmt: skip
            messages.success(request, _("Progress recorded."))
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("strategy_detail", args=[project.strategy_id]) + f"#project-{project.pk}")


# --- the matrix ----------------------------------------------------------------------------------


def _matrix_page(
    request: HttpRequest, *, title: str, filters, readiness_of: dict, readiness_title: str, unit=None
) -> HttpResponse:
    if filters.fiscal_year is None:
        filters.fiscal_year = selectors.default_fiscal_year()
    reviewer = can_review_strategies(request.user)

    def listing():
        # The table beneath: a page of the same strategies at a time, sortable and exportable like the list.
        return list_page(
            request, selectors.strategies_for(user=request.user, filters=filters), lists.STRATEGY_LIST
        )

    if request.GET.get("export") in FORMATS:
        return export_response(listing(), lists.STRATEGY_LIST)

    def context() -> dict:
        colour_by = "status" if request.GET.get("colour") == "status" else "pillar"
        figure = selectors.matrix_figure(
            user=request.user, filters=filters, title=title, colour_by=colour_by, draggable=reviewer
        )
        page = listing()
        return {
            "title": title,
            "matrix": figure.svg,
            "listing": page,
            "strategies": page.rows,
            "counts": figure.counts,
            "quadrants": QUADRANTS,
            "readiness_chart": _readiness_chart(readiness_title, **readiness_of),
            "readiness_title": readiness_title,
            "colour_by": colour_by,
            "unit": unit,
            "reviewer": reviewer,
            "clusters": cluster_choices(user=request.user) if unit is None else [],
            **_filter_context(request, filters),
        }

    body = page_body(request, "matrix", template="strategies/_matrix_body.html", context=context)
    return render(request, "strategies/matrix.html", {"body": body, "reviewer": reviewer})


def _readiness_chart(title: str, **unit):
    """Mean official (approved) readiness of a province, a cluster's members or the nation (no ``unit``) in
    the current round beside last round's: what a strategy must be judged against."""
    round = readiness.current_round()
    rollup = readiness.official_rollup(round=round, **unit) if round else None
    return readiness_charts.dimension_bars(
        {k: rollup.spreads[k].mean for k in DIMENSIONS} if rollup else {},
        {k: rollup.previous_spreads[k].mean for k in DIMENSIONS} if rollup else {},
        labels={d.value: str(d.label) for d in Dimension},
        title=title,
        previous_label=_("last round"),
        no_data_label=_("no approved data"),
    )


@require_GET
def matrix_province(request: HttpRequest, code: str) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    filters = _filters(request, province=province)
    return _matrix_page(
        request,
        title=_("Strategies of %(unit)s") % {"unit": province.name},
        filters=filters,
        readiness_of={"province": province},
        readiness_title=_("Readiness of %(unit)s (approved)") % {"unit": province.name},
        unit=province,
    )


@require_GET
def matrix_cluster(request: HttpRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    filters = _filters(request, cluster=cluster)
    return _matrix_page(
        request,
        title=_("Strategies of %(unit)s and its provinces") % {"unit": cluster.name},
        filters=filters,
        readiness_of={"cluster": cluster},
        readiness_title=_("Readiness of %(unit)s: mean of the approved provinces") % {"unit": cluster.name},
        unit=cluster,
    )


@require_GET
def matrix_national(request: HttpRequest) -> HttpResponse:
    if not is_nationwide(request.user):
        raise Http404("matrix")
    filters = _filters(request)
    code = request.GET.get("cluster", "")
    if code:
        filters.cluster = get_cluster_for_user(request.user, code)
    return _matrix_page(
        request,
        title=_("Strategies of all provinces and clusters"),
        filters=filters,
        readiness_of={},
        readiness_title=_("National readiness: mean of the approved provinces"),
    )
