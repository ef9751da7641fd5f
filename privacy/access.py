"""Who may do what with other people's personal data. Everyone may read the notice and download their own."""

from django.contrib.auth.models import AnonymousUser, User

from provinces.access import role_of
from provinces.choices import Role


def may_manage_personal_data(user: User | AnonymousUser) -> bool:
    """Only administrators read the access log and anonymise accounts (never their own: services refuse it)."""
    return role_of(user) == Role.ADMIN
