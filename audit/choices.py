"""Choices of the audit app. Each choice carries its label and the Bootstrap colour of its badge.

The audit app stands below every other app of the project (it imports only Django), so it cannot reuse
provinces' BadgeChoices; this is the same small pattern."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    """What kind of access to personal data an entry records."""

    USER_LIST = "user_list", _("Viewed the list of users")
    CONTACT_DETAILS = "contact_details", _("Viewed a user's contact details")
    EXPORT = "export", _("Exported personal data")
    BRIEFING = "briefing", _("Downloaded a briefing that names people")
    SELF_EXPORT = "self_export", _("Downloaded their own data")
    ANONYMISED = "anonymised", _("Anonymised a departed user")

    @property
    def colour(self) -> str:
        return _COLOURS.get(self.value, "secondary")


_COLOURS = {
    "user_list": "info",
    "contact_details": "primary",
    "export": "warning",
    "briefing": "warning",
    "self_export": "success",
    "anonymised": "dark",
}
