from django.http import HttpRequest

from .access import role_of, scope_of


def scope(request: HttpRequest) -> dict:
    """The user's role and unit for the header, on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_scope": scope_of(user), "user_role": role_of(user)}
