"""Notification views: thin — the inbox (filters, mark read), opening one, preferences, unsubscribe."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from provinces.parsing import parse_id, parse_int
from provinces.requests import SignedInRequest

from . import selectors, services, unsubscribing
from .choices import Delivery, NotificationKind

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> dict:
    """The inbox's filters from the query string; anything unknown is no filter at all."""
    kind = request.GET.get("kind", "")
    return {
        "kind": kind if kind in NotificationKind.values else "",
        "unread": request.GET.get("unread") == "1",
        "round_id": parse_id(request.GET.get("round")),
    }


def _back_to_inbox(request: HttpRequest) -> str:
    """The inbox with the filters the form came from (only the known ones, re-encoded)."""
    filters = {k: v for k, v in _filters(request).items() if v}
    query = {
        "kind": filters.get("kind", ""),
        "unread": "1" if filters.get("unread") else "",
        "round": filters.get("round_id") or "",
    }
    page = parse_int(request.GET.get("page"), minimum=2, maximum=10**6)
    if page:
        query["page"] = page
    query = {k: v for k, v in query.items() if v}
    return reverse("notification_inbox") + (f"?{urlencode(query)}" if query else "")


@require_GET
def inbox(request: SignedInRequest) -> HttpResponse:
    filters = _filters(request)
    paginator = Paginator(selectors.inbox(request.user, **filters), PAGE_SIZE)
    number = parse_int(request.GET.get("page"), minimum=1, maximum=10**6) or 1
    page = paginator.get_page(number)
    base = {
        "kind": filters["kind"],
        "unread": "1" if filters["unread"] else "",
        "round": filters["round_id"] or "",
    }
    base = {k: v for k, v in base.items() if v}

    def href(n: int) -> str:
        return "?" + urlencode({**base, "page": n}) if n > 1 else ("?" + urlencode(base) if base else "?")

    return render(
        request,
        "notifications/inbox.html",
        {
            "items": selectors.items(request.user, list(page.object_list)),
            "page": page,
            "previous_href": href(page.previous_page_number()) if page.has_previous() else "",
            "next_href": href(page.next_page_number()) if page.has_next() else "",
            "filters": filters,
            "kinds": list(NotificationKind),
            "rounds": selectors.rounds_in_inbox(request.user),
            "unread_total": selectors.unread_count(request.user),
            "query": urlencode(base),
        },
    )


@require_GET
def open_notification(request: SignedInRequest, pk: int) -> HttpResponse:
    """Mark it read and go to its object — only to a page of this site the user may still open."""
    notification = selectors.get_notification_for_user(request.user, pk)
    if notification is None:
        raise Http404("notification")
    services.mark_read(user=request.user, notification=notification)
    item = selectors.items(request.user, [notification])[0]
    if item.url is None:
        messages.info(request, _("The object of this notification can no longer be opened."))
        return redirect("notification_inbox")
    return redirect(item.url)


@require_POST
def mark_read(request: SignedInRequest, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for_user(request.user, pk)
    if notification is None:
        raise Http404("notification")
    services.mark_read(user=request.user, notification=notification)
    return redirect(_back_to_inbox(request))


@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_back_to_inbox(request))


@require_http_methods(["GET", "POST"])
def preferences(request: SignedInRequest) -> HttpResponse:
    """How each kind is mailed: at once, in the daily digest, or not at all (in-app notifications stay)."""
    if request.method == "POST":
        invalid = [
            kind
            for kind in NotificationKind
            if request.POST.get(f"delivery-{kind.value}", Delivery.IMMEDIATE) not in Delivery.values
        ]
        if invalid:
            messages.error(request, _("Choose one of the offered options for every kind of notification."))
        else:
            for kind in NotificationKind:
                services.set_delivery(
                    user=request.user,
                    kind=kind,
                    delivery=request.POST.get(f"delivery-{kind.value}", Delivery.IMMEDIATE),
                )
            messages.success(request, _("Your mail preferences are saved."))
            return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "preferences": selectors.preferences(request.user),
            "deliveries": list(Delivery),
            "has_email": bool(request.user.email),
        },
        status=400 if request.method == "POST" else 200,
    )


# No session and no CSRF cookie: the signed token is the proof, and mail clients that honour
# List-Unsubscribe-Post (RFC 8058) post it without ever having seen the page.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click unsubscribe link of a mail: GET asks to confirm, POST applies (mail clients that
    honour List-Unsubscribe-Post send the POST themselves). A tampered or unknown link changes nothing."""
    found = unsubscribing.read_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, kind = found
    if request.method == "POST":
        services.set_delivery(user=user, kind=kind, delivery=Delivery.OFF)
        return render(request, "notifications/unsubscribe_done.html", {"kind": NotificationKind(kind)})
    return render(
        request, "notifications/unsubscribe_confirm.html", {"kind": NotificationKind(kind), "token": token}
    )
