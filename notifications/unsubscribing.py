"""The signed one-click unsubscribe link of a mail: it names one user and one kind, and only this site can
make one (django.core.signing with the SECRET_KEY); a changed character makes it worthless."""

from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

from provinces.text import has_nul

from .choices import NotificationKind

SALT = "notifications.unsubscribe"


def make_token(user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=SALT, compress=False)


def unsubscribe_path(user: User, kind: str) -> str:
    return reverse("notification_unsubscribe", kwargs={"token": make_token(user, kind)})


def read_token(token: str) -> tuple[User, str] | None:
    """(user, kind) of a genuine token for an active user and a known kind; None for anything else."""
    if len(token) > 500 or has_nul(token):
        return None
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in NotificationKind.values:
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, data["k"]) if user else None
