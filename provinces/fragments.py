"""The rendered body of a heavy page, kept per viewer for as long as the data it was drawn from is unchanged.

The dashboards, matrices and decision-support pages compose many selectors; most requests for them are the
same viewer reloading unchanged data. ``page_body`` keys the body's HTML by the version of every watched
domain (``dataversion``: a database trigger moves it on every write), the viewer, the full URL, the htmx flag
and today's date (the to-do counts days), so a write anywhere those pages read from gives a fresh body on the
next request — no expiry stands in for correctness.

Only the page's own body is cached; the frame around it (the menu, the bell's unread count, messages, the
language switch) is rendered for every request. The one per-request value a body may contain, the CSRF
token of its forms, is rendered as a placeholder and put in on the way out, so a cached body never carries
another session's token.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .dataversion import cached

# Never produced by a real token (those are 64 letters and digits), so replacing it cannot touch page text.
CSRF_PLACEHOLDER = "csrf:placeholder:9f2c"


def page_body(
    request: HttpRequest,
    name: str,
    *,
    template: str,
    context: Callable[[], dict[str, Any]],
    parts: Sequence[Any] = (),
) -> SafeString:
    """The HTML of ``template`` rendered with ``context()`` — computed only when this viewer has not been
    given this page of this data yet. ``parts``: anything else the body depends on (settings, say)."""

    def render() -> str:
        return render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request)

    key = (
        request.user.pk,
        request.get_full_path(),
        request.headers.get("HX-Request") == "true",
        timezone.localdate(),
        *parts,
    )
    html = cached(f"body:{name}", domains=settings.DATA_VERSION_APPS, parts=key, compute=render)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered
