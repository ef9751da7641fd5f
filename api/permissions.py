"""Who may use the API: an authenticated user (token or session) whom an administrator has placed, i.e. who
has a role (provinces.access.role_of). What they then see is the web's scope, applied in each view's queryset."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from provinces.access import role_of


class HasScope(BasePermission):
    message = _("Your account has no role yet; ask an administrator to place you.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and role_of(request.user) is not None)
