"""Writes of the access log: one entry per access to personal data.

``log_access`` takes what the caller knows; ``log_request`` fills the user, the path and the client address
from the request. The client address is the one login throttling keys on (AXES_CLIENT_IP_CALLABLE, the
project's trusted-proxy reading of X-Forwarded-For), so that the two logs agree and a client cannot write
its own address into either; named by a setting because this app imports nothing of the project.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .choices import AccessAction
from .models import AccessLogEntry

_FIELD_LIMIT = 500


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as login throttling sees it, or REMOTE_ADDR without such a setting."""
    reader = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    if isinstance(reader, str):
        reader = import_string(reader)
    address = reader(request) if callable(reader) else request.META.get("REMOTE_ADDR")
    return address or None


def _clip(text: str) -> str:
    # The one copy of provinces.text.without_nul: the access log imports nothing of the project.
    return text.replace("\x00", "")[:_FIELD_LIMIT]


@transaction.atomic
def log_access(
    *,
    user: User | AnonymousUser | None,
    action: AccessAction | str,
    description: str,
    path: str = "",
    subject: User | None = None,
    ip_address: str | None = None,
) -> AccessLogEntry:
    """Record that ``user`` accessed personal data (``subject``'s, when it is one person's)."""
    return AccessLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=AccessAction(action),
        subject=subject,
        description=_clip(description),
        path=_clip(path),
        ip_address=ip_address,
    )


def log_request(
    request: HttpRequest,
    *,
    action: AccessAction | str,
    description: str,
    subject: User | None = None,
) -> AccessLogEntry:
    """``log_access`` for the request's user, path and client address."""
    return log_access(
        user=request.user,
        action=action,
        description=description,
        path=request.get_full_path(),
        subject=subject,
        ip_address=client_ip(request),
    )
