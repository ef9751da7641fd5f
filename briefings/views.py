"""Briefing views: thin — check access, validate the form, call a service, redirect.

The file leaves only through ``briefing_download`` (access checked, sent as an attachment); the storage is
private and has no public URL.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from audit.choices import AccessAction
from audit.services import log_request
from provinces.requests import SignedInRequest

from . import selectors, services
from .access import get_briefing_for_user
from .forms import MEETING_FIELDS, BriefingRequestForm
from .models import Briefing


class HtmxRequest(SignedInRequest):
    """A signed-in request as django-htmx's middleware leaves it: ``htmx`` says what htmx sent, if anything."""

    htmx: HtmxDetails


def _sweep() -> None:
    """Rescue stuck jobs before showing them (cheap: one indexed query when there is nothing to do)."""
    services.briefing_sweep()


def _requested(request: SignedInRequest, briefing: Briefing, created: bool) -> HttpResponse:
    briefing.refresh_from_db()  # without a broker it was rendered in this very request
    if briefing.is_done:
        messages.success(request, _("The briefing is ready: download it below."))
    elif created:
        messages.success(request, _("The briefing is being prepared. It appears below when ready."))
    else:
        messages.info(request, _("The same briefing is already being prepared: follow it below."))
    return redirect(f"{request.path}#briefing-{briefing.pk}")


@require_http_methods(["GET", "POST"])
def briefing_list(request: SignedInRequest) -> HttpResponse:
    """The user's and their unit's briefings, and the request form (prefilled by ?kind=&subject=&fy=)."""
    _sweep()
    if request.method != "POST":
        form = BriefingRequestForm(user=request.user, prefill=request.GET)
    else:
        form = BriefingRequestForm(request.POST, user=request.user)
        if form.out_of_scope:
            raise Http404("briefing subject")
        if form.is_valid():
            data = form.cleaned_data
            request_options = {
                k: data[k] for k in ("language", "include_unapproved", "file_format", "sections", "meeting")
            }
            try:
                briefing, created = services.briefing_request(
                    subject=data["target"], round=data["round"], by=request.user, **request_options
                )
                return _requested(request, briefing, created)
            except services.BriefingError as exc:
                form.add_error(None, exc.message)
    context = {
        "form": form,
        "briefings": selectors.briefings_for(user=request.user),
        "meeting_fields": MEETING_FIELDS,
    }
    return render(request, "briefings/briefing_list.html", context, status=400 if form.errors else 200)


@require_GET
def briefing_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    _sweep()
    briefing = get_briefing_for_user(request.user, pk)
    return render(
        request,
        "briefings/briefing_detail.html",
        {"briefing": selectors.with_subject_names([briefing])[0]},
    )


@require_GET
def briefing_status(request: SignedInRequest, pk: int) -> HttpResponse:
    """The live status fragment: polled by htmx every 2 s while the job waits or runs; once it is done or
    failed the fragment has no trigger left, so polling stops."""
    _sweep()
    briefing = get_briefing_for_user(request.user, pk)
    return render(request, "briefings/_status.html", {"briefing": briefing})


@require_GET
def briefing_download(request: SignedInRequest, pk: int) -> FileResponse:
    briefing = get_briefing_for_user(request.user, pk)
    if not briefing.is_done:
        raise Http404("briefing file")
    try:
        handle = briefing.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("briefing file") from exc
    # A briefing names people (who reviewed, decided, overrode): each download goes to the access log.
    log_request(request, action=AccessAction.BRIEFING, description=briefing.download_name)
    response = FileResponse(
        handle, as_attachment=True, filename=briefing.download_name, content_type=briefing.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def briefing_retry(request: HtmxRequest, pk: int) -> HttpResponse:
    """Queue a failed briefing again. From the live status (htmx) the fragment is swapped in place and
    starts polling again; without JavaScript the form posts and the list is shown."""
    briefing = get_briefing_for_user(request.user, pk)
    error = None
    try:
        briefing = services.briefing_retry(briefing=briefing, by=request.user)
    except services.BriefingError as exc:
        error = exc.message
    if request.htmx:
        briefing.refresh_from_db()
        return render(request, "briefings/_status.html", {"briefing": briefing, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The briefing is being prepared again."))
    return redirect(f"{reverse('briefing_list')}#briefing-{briefing.pk}")


@require_POST
def briefing_rerender(request: SignedInRequest, pk: int) -> HttpResponse:
    """Prepare a briefing again with the same parameters (after its data changed); the list shows the new
    job. The old file is kept."""
    briefing = get_briefing_for_user(request.user, pk)
    try:
        again, created = services.briefing_rerender(briefing=briefing, by=request.user)
    except services.BriefingError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('briefing_list')}#briefing-{briefing.pk}")
    if created:
        messages.success(request, _("The briefing is being prepared again with the same choices."))
    else:
        messages.info(request, _("The same briefing is already being prepared: follow it below."))
    return redirect(f"{reverse('briefing_list')}#briefing-{again.pk}")
