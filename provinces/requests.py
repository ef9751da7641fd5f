"""The request type of views behind the login (for the type checker)."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class SignedInRequest(HttpRequest):
    """What a view behind LoginRequiredMiddleware gets: only signed-in users come through, so ``user`` is a
    User, never an AnonymousUser."""

    user: User
