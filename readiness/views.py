"""Readiness views: thin — get the object for the user, validate the form, call a service, redirect."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from provinces.access import (
    find_cluster_for_user,
    get_cluster_for_user,
    get_province_for_user,
    require,
    role_of,
    scope_of,
    visible_provinces,
)
from provinces.choices import Role
from provinces.listing import export_response, list_page, status_filter, status_value
from provinces.parsing import parse_fiscal_year
from provinces.requests import SignedInRequest
from provinces.selectors import cluster_choices
from provinces.thai import thai_sorted

from . import charts, lists, selectors, services
from .access import (
    can_edit_assessment,
    can_review,
    get_answer_for_user,
    get_assessment_for_user,
    get_evidence_for_user,
    may_include_unapproved,
)
from .choices import AssessmentStatus, Dimension
from .deadlines import review_due_on
from .forms import AnswerForm, BulkApproveForm, EvidenceForm, ReturnForm
from .models import Assessment, Round


class HtmxRequest(SignedInRequest):
    """A signed-in request as django-htmx's middleware leaves it: ``htmx`` says what htmx sent, if anything."""

    htmx: HtmxDetails


def _round_or_404(fiscal_year: int) -> Round:
    round = selectors.round_of_year(fiscal_year)
    if round is None:
        raise Http404("round")
    return round


def _chosen_round(request: SignedInRequest) -> Round:
    raw = request.GET.get("fy", "")
    if raw:
        fiscal_year = parse_fiscal_year(raw)
        if fiscal_year is None:
            raise Http404("round")
        return _round_or_404(fiscal_year)
    round = selectors.current_round()
    if round is None:
        raise Http404("round")
    return round


# The spread lines under every roll-up table.
STAT_ROWS = [
    (gettext_lazy("Mean"), "mean"),
    (gettext_lazy("Minimum"), "min"),
    (gettext_lazy("Maximum"), "max"),
    (gettext_lazy("Lagging province"), "lagging"),
]


def _dimension_labels() -> dict[str, str]:
    return {d.value: str(d.label) for d in Dimension}


@require_GET
def readiness_home(request: SignedInRequest) -> HttpResponse:
    """Each role's way into readiness: the planner's assessment, the secretariat's cluster, the nation."""
    role, scope = role_of(request.user), scope_of(request.user)
    round = selectors.current_round()
    # A planner's scope has a province, a secretariat's a cluster (the scope's check constraint).
    if round and role == Role.PLANNER and scope and scope.province:
        return redirect("assessment_detail", code=scope.province.code, fiscal_year=round.fiscal_year)
    if role == Role.SECRETARIAT and scope and scope.cluster:
        return redirect("cluster_rollup", code=scope.cluster.code)
    if role in (Role.ADVISOR, Role.ADMIN):
        return redirect("national_rollup")
    raise Http404("readiness")


@require_GET
def about_method(request: SignedInRequest) -> HttpResponse:
    return render(request, "readiness/about_method.html", {"example": _worked_example()})


def _worked_example() -> dict:
    """The example on the method page is computed by the real formula, so the page cannot drift from it."""
    from . import scoring

    items = [("place", 2, 4), ("place", 1, 2), ("place", 1, None)]
    scores = scoring.compute(items)
    return {
        "items": items,
        "score": scores.score("place"),
        "completeness": scores.dimensions["place"].completeness,
    }


# --- the assessment page ------------------------------------------------------------------------


# The session key that carries a refused evidence file's reason across the redirect to the assessment page.
EVIDENCE_REFUSED = "readiness.evidence_refused"


def _editable(request, assessment: Assessment) -> bool:
    return services.editing_refusal(assessment, request.user) is None


def _assessment_context(request, assessment: Assessment, *, overrides: dict | None = None) -> dict:
    entry = selectors.assessment_entry(assessment=assessment)
    previous_scores = {}
    if entry["previous"] and entry["previous"].approved_snapshot_id:
        snap = entry["previous"].approved_snapshot
        previous_scores = {"place": snap.place, "product": snap.product, "people": snap.people}
    editable = _editable(request, assessment)
    # An approved assessment opens read-only: editing it reopens a draft, which the planner is told first
    # (the "edit" link, ``?edit=1``); a POST from that page is already past the warning.
    reopens = editable and assessment.status == AssessmentStatus.APPROVED
    if reopens and request.method != "POST" and request.GET.get("edit") != "1":
        editable = False
    return {
        "assessment": assessment,
        "province": assessment.province,
        "round": assessment.round,
        "editable": editable,
        "reopens_on_edit": reopens,
        "can_submit": editable and assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
        "can_review": can_review(request.user) and assessment.status == AssessmentStatus.SUBMITTED,
        "can_copy_forward": editable and entry["previous"] is not None and not entry["has_own_answers"],
        "chart": charts.dimension_bars(
            entry["scores"].as_dict(),
            previous_scores,
            labels=_dimension_labels(),
            title=_("Readiness of %(province)s, FY %(year)s")
            % {"province": assessment.province.name, "year": assessment.round.fiscal_year},
            previous_label=_("last round (approved)"),
            no_data_label=_("no answer yet"),
        ),
        "overrides": overrides or {},
        "rounds": selectors.rounds(),
        **entry,
    }


@require_GET
def assessment_detail(request: SignedInRequest, code: str, fiscal_year: int) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    round = _round_or_404(fiscal_year)
    assessment = selectors.assessment_of(province=province, round=round)
    if assessment is None:
        can_start = (
            can_edit_assessment(request.user, Assessment(province=province, round=round)) and round.is_open
        )
        return render(
            request,
            "readiness/assessment_missing.html",
            {"province": province, "round": round, "can_start": can_start, "rounds": selectors.rounds()},
        )
    # A refused evidence file (evidence_add redirected here): its reason shows at its form, once.
    refused = request.session.pop(EVIDENCE_REFUSED, None)
    overrides = None
    if isinstance(refused, dict) and refused.get("assessment") == assessment.pk:
        overrides = {refused.get("answer"): {"evidence_error": refused.get("message", "")}}
    return render(
        request,
        "readiness/assessment_detail.html",
        _assessment_context(request, assessment, overrides=overrides),
    )


@require_POST
def assessment_start(request: SignedInRequest, code: str, fiscal_year: int) -> HttpResponse:
    province = get_province_for_user(request.user, code)
    round = _round_or_404(fiscal_year)
    require(can_edit_assessment(request.user, Assessment(province=province, round=round)))
    try:
        services.assessment_start(province=province, round=round, by=request.user)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect("assessment_detail", code=province.code, fiscal_year=round.fiscal_year)


def _back(assessment: Assessment, anchor: str = "") -> HttpResponse:
    url = reverse("assessment_detail", args=[assessment.province.code, assessment.round.fiscal_year])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
def answer_save(request: HtmxRequest, pk: int, answer_pk: int) -> HttpResponse:
    """Save one indicator: htmx autosave answers with a small status fragment; without JavaScript the
    page is redrawn (with the error or conflict in place) or we redirect back to the indicator."""
    assessment, answer = get_answer_for_user(request.user, pk, answer_pk)
    require(can_edit_assessment(request.user, assessment))
    form = AnswerForm(request.POST)
    error, conflict = _form_error(form), None
    if error is None:
        try:
            answer = services.answer_save(
                answer=answer,
                level=form.cleaned_data["level"],
                justification=form.cleaned_data["justification"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.StaleAnswer as exc:
            conflict = exc.current
        except services.WorkflowError as exc:
            error = exc.message
    if request.htmx:
        return _answer_fragment(request, assessment, answer, form, error=error, conflict=conflict)
    if error or conflict:
        assessment.refresh_from_db()
        overrides = {answer.pk: {"error": error, "conflict": conflict, "form": form.data}}
        context = _assessment_context(request, assessment, overrides=overrides)
        return render(request, "readiness/assessment_detail.html", context, status=409 if conflict else 400)
    messages.success(request, _("Saved: %(code)s") % {"code": answer.indicator.code})
    return _back(assessment, f"ind-{answer.indicator.code}")


def _form_error(form) -> str | None:
    """The form's errors as one message, or None when it is valid."""
    if form.is_valid():
        return None
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _answer_fragment(request, assessment, answer, form, *, error, conflict) -> HttpResponse:
    assessment.refresh_from_db()
    context = {
        "answer": answer,
        "assessment": assessment,
        "error": error,
        "conflict": conflict,
        "scores": selectors.dimension_completeness(assessment=assessment),
        "submitted": form.data,
    }
    # htmx swaps 2xx only; the fragment itself shows the error or the conflict.
    return render(request, "readiness/_answer_saved.html", context, status=200)


def _evidence_added(form, answer, by) -> str | None:
    """Add the form's file or link to the answer; the reason it was refused, or None."""
    try:
        if error := _form_error(form):
            return error
        data = form.cleaned_data
        if data["file"]:
            services.evidence_add_file(answer=answer, upload=data["file"], title=data["title"], by=by)
        else:
            services.evidence_add_link(answer=answer, url=data["url"], title=data["title"], by=by)
    except services.WorkflowError as exc:
        return exc.message
    return None


@require_POST
def evidence_add(request: HtmxRequest, pk: int, answer_pk: int) -> HttpResponse:
    assessment, answer = get_answer_for_user(request.user, pk, answer_pk)
    require(can_edit_assessment(request.user, assessment))
    error = _evidence_added(EvidenceForm(request.POST, request.FILES), answer, request.user)
    if request.htmx:
        # The evidence part of the card, with the new file or link, or with the reason at the form.
        assessment.refresh_from_db()
        override = {"evidence_error": error} if error else {"evidence_added": True}
        context = {
            "a": answer,
            "assessment": assessment,
            "editable": _editable(request, assessment),
            "override": override,
        }
        return render(request, "readiness/_evidence.html", context)
    if error:
        # Back to the assessment page (not left on this POST address), the reason at the indicator's form.
        messages.error(request, f"{answer.indicator.code}: {error}")
        request.session[EVIDENCE_REFUSED] = {
            "assessment": assessment.pk,
            "answer": answer.pk,
            "message": error,
        }
    else:
        messages.success(request, _("Evidence added to %(code)s") % {"code": answer.indicator.code})
    return _back(assessment, f"ind-{answer.indicator.code}")


@require_POST
def evidence_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk)
    assessment = get_assessment_for_user(request.user, evidence.answer.assessment_id)
    require(can_edit_assessment(request.user, assessment))
    code = evidence.answer.indicator.code
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
        messages.success(request, _("Evidence removed from %(code)s") % {"code": code})
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return _back(assessment, f"ind-{code}")


@require_GET
def evidence_download(request: SignedInRequest, pk: int) -> FileResponse:
    """Evidence files only ever leave through here: access checked, sent as an attachment."""
    evidence = get_evidence_for_user(request.user, pk)
    if not evidence.file:
        raise Http404("evidence")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("evidence file") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.filename, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _transition(request: SignedInRequest, pk: int, action) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        message = action(assessment)
        messages.success(request, message)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    return _back(assessment)


@require_POST
def assessment_copy_forward(request: SignedInRequest, pk: int) -> HttpResponse:
    def act(a):
        require(can_edit_assessment(request.user, a))
        count = services.assessment_copy_forward(assessment=a, by=request.user)
        return _(
            "%(count)s answers copied from last round. Check each one: they are marked until you save them."
        ) % {"count": count}

    return _transition(request, pk, act)


def _confirmed(request: SignedInRequest) -> bool:
    """A workflow step is asked first on a page of its own (no JavaScript needed); its button sends confirm=1."""
    return request.POST.get("confirm") == "1"


@require_POST
def assessment_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Without confirm=1: the confirmation page listing the unanswered indicators and the answers copied
    from last round that nobody has reviewed; with it: submit."""
    assessment = get_assessment_for_user(request.user, pk)
    require(can_edit_assessment(request.user, assessment))
    submittable = assessment.round.is_open and assessment.status in (
        AssessmentStatus.DRAFT,
        AssessmentStatus.RETURNED,
    )
    if submittable and not _confirmed(request):
        return render(
            request,
            "readiness/assessment_submit_confirm.html",
            {
                "assessment": assessment,
                "province": assessment.province,
                **selectors.submission_review(assessment=assessment),
            },
        )

    def act(a):
        services.assessment_submit(assessment=a, by=request.user)
        return _("The assessment was submitted for review.")

    return _transition(request, pk, act)


@require_POST
def assessment_approve(request: SignedInRequest, pk: int) -> HttpResponse:
    """An assessment below 100 % complete is approved only after a confirmation showing its completeness."""
    assessment = get_assessment_for_user(request.user, pk)
    require(can_review(request.user))
    if assessment.status == AssessmentStatus.SUBMITTED and not _confirmed(request):
        scores = selectors.dimension_completeness(assessment=assessment)
        if scores.completeness < 1:
            return render(
                request,
                "readiness/assessment_approve_confirm.html",
                {"assessment": assessment, "province": assessment.province, "scores": scores},
            )

    def act(a):
        services.assessment_approve(assessment=a, by=request.user)
        return _("The assessment was approved.")

    return _transition(request, pk, act)


@require_http_methods(["GET", "POST"])
def assessment_return(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET: the return form with a comment box per indicator; POST: return the assessment."""
    assessment = get_assessment_for_user(request.user, pk)
    require(can_review(request.user))
    indicators = selectors.round_indicators(assessment.round)
    # Bound on every POST, even an empty one (nothing filled in or ticked), so that it shows its errors.
    form = ReturnForm(request.POST if request.method == "POST" else None, indicators=indicators)
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assessment_return(
                    assessment=assessment,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    indicator_comments=form.indicator_comments(),
                )
                messages.success(
                    request, _("The assessment was returned to the province with your comments.")
                )
                return _back(assessment)
            except services.WorkflowError as exc:
                error = exc.message
        else:
            error = _("Please correct the comments below.")
    # Each comment box beside the answer it is about: the level with its rubric text, the justification.
    answers = selectors.answers_by_indicator(assessment)
    rows = [(i, answers.get(i.pk), form[f"indicator_{i.pk}"]) for i in indicators]
    return render(
        request,
        "readiness/assessment_return.html",
        {"assessment": assessment, "form": form, "rows": rows, "error": error},
        status=400 if error else 200,
    )


# --- roll-ups -----------------------------------------------------------------------------------


def asks_unapproved(request: SignedInRequest) -> bool:
    """The "including unapproved" switch (``?all=1``); whether it is allowed is access.may_include_unapproved."""
    return request.GET.get("all") == "1"


def _spread_chart(rows, title):
    return charts.cluster_spread(
        [{"code": r.province.code, "name": r.province.name, "values": r.values} for r in rows],
        labels=_dimension_labels(),
        title=title,
        mean_label=_("mean"),
        no_data_label=_("no approved data"),
    )


@require_GET
def cluster_rollup(request: SignedInRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    round = _chosen_round(request)
    may_include = may_include_unapproved(request.user, cluster)
    include = asks_unapproved(request) and may_include
    rollup = selectors.cluster_rollup(cluster=cluster, round=round, include_unapproved=include)
    rollup.rows = thai_sorted(rollup.rows, key=lambda r: r.province.name)  # by code for the API
    return render(
        request,
        "readiness/cluster_rollup.html",
        {
            "cluster": cluster,
            "round": round,
            "rounds": selectors.rounds(),
            "rollup": rollup,
            "include_unapproved": include,
            "may_include_unapproved": may_include,
            "dimensions": list(Dimension),
            "visible_ids": set(
                visible_provinces(request.user).filter(cluster=cluster).values_list("pk", flat=True)
            ),
            "chart": _spread_chart(
                rollup.rows,
                _("%(cluster)s, FY %(year)s") % {"cluster": cluster.name, "year": round.fiscal_year},
            ),
            "can_review": can_review(request.user),
            "stats": STAT_ROWS,
        },
    )


@require_GET
def national_rollup(request: SignedInRequest) -> HttpResponse:
    round = _chosen_round(request)
    may_include = may_include_unapproved(request.user, None)
    include = asks_unapproved(request) and may_include
    clusters, nation = selectors.national_rollup(round=round, include_unapproved=include)
    return render(
        request,
        "readiness/national_rollup.html",
        {
            "round": round,
            "rounds": selectors.rounds(),
            "clusters": clusters,
            "nation": nation,
            "include_unapproved": include,
            "may_include_unapproved": may_include,
            "dimensions": list(Dimension),
            "stats": STAT_ROWS,
        },
    )


# --- advisor review -----------------------------------------------------------------------------


def _queue_filters(request: SignedInRequest) -> dict:
    """The review queue's filters from the query string; a value that names nothing is ignored."""
    code = request.GET.get("cluster", "")
    return {
        "round": selectors.round_of_year(parse_fiscal_year(request.GET.get("fy", ""))),
        "cluster": find_cluster_for_user(request.user, code),
        "bangkok": code == "none",
        "statuses": status_filter(request.GET.get("status"), selectors.REVIEW_STATUSES),
    }


@require_GET
def review_queue(request: SignedInRequest) -> HttpResponse:
    """The advisor's queue, oldest submission first, filterable by round, cluster and status; submissions of
    rounds before the current one are marked."""
    if not can_review(request.user):
        raise Http404("review")
    filters = _queue_filters(request)
    listing = list_page(request, selectors.review_queue(user=request.user, **filters), lists.REVIEW_QUEUE)
    current = selectors.current_round()
    scores = selectors.live_scores([a.pk for a in listing.rows])
    for a in listing.rows:
        a.scores = scores[a.pk]
        a.earlier_round = current is not None and a.round.fiscal_year < current.fiscal_year
        a.due_on = review_due_on(a) if a.status == AssessmentStatus.SUBMITTED else None
    if listing.export:
        return export_response(listing, lists.REVIEW_QUEUE)
    return render(
        request,
        "readiness/review_queue.html",
        {
            "listing": listing,
            "filters": filters,
            "status": status_value(filters["statuses"]),
            "statuses": [AssessmentStatus(v) for v in selectors.REVIEW_STATUSES],
            "rounds": selectors.rounds(),
            "clusters": cluster_choices(user=request.user),
            "current_round": current,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def cluster_review(request: SignedInRequest, code: str) -> HttpResponse:
    """Side-by-side table of a cluster's assessments; an advisor bulk-approves the submitted ones."""
    cluster = get_cluster_for_user(request.user, code)
    if not can_review(request.user):
        raise Http404("review")
    round = _chosen_round(request)
    rollup, submitted = selectors.review_table(cluster=cluster, round=round)
    form = BulkApproveForm(request.POST if request.method == "POST" else None, choices=submitted)
    chosen, incomplete, asking = set(), [], False
    if request.method == "POST" and (error := _form_error(form)):
        messages.error(request, error)
    elif request.method == "POST":
        chosen = set(form.cleaned_data["assessments"])
        incomplete = selectors.incomplete_among(rollup, chosen)
        # Below 100 %: the same table, the choice kept, those provinces named above a confirm button.
        asking = bool(incomplete) and not _confirmed(request)
        if not asking and _bulk_approved(request, cluster, round, chosen):
            return redirect(f"{reverse('cluster_review', args=[cluster.code])}?fy={round.fiscal_year}")
    context = {
        "cluster": cluster, "round": round, "rounds": selectors.rounds(), "rollup": rollup, "submitted": submitted,
        "chosen": chosen, "incomplete": incomplete if asking else [], "dimensions": list(Dimension),
    }  # fmt: skip
    status = 400 if request.method == "POST" and not asking else 200
    return render(request, "readiness/cluster_review.html", context, status=status)


def _bulk_approved(request: SignedInRequest, cluster, round: Round, chosen: set[int]) -> bool:
    try:
        count = services.assessments_bulk_approve(
            cluster=cluster, round=round, assessment_ids=sorted(chosen), by=request.user
        )
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("%(count)s assessments approved.") % {"count": count})
    return True
