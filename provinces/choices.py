"""Choices of the provinces app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeChoices(models.TextChoices):
    """TextChoices whose members know their badge colour (``__colours__`` maps value → Bootstrap colour)."""

    @property
    def colour(self) -> str:
        # Read by name: each subclass sets its own map, and a dunder name is never an enum member.
        colours: dict[str, str] = getattr(type(self), "__colours__", {})
        return colours.get(self.value, "secondary")


class Role(BadgeChoices):
    PLANNER = "planner", _("Provincial planner")
    SECRETARIAT = "secretariat", _("Cluster secretariat")
    ADVISOR = "advisor", _("Ministry advisor")
    ADMIN = "admin", _("Administrator")

    __colours__ = {"planner": "primary", "secretariat": "success", "advisor": "warning", "admin": "dark"}


class RegionScheme(BadgeChoices):
    FOUR = "4", _("Four-region scheme (administration and statistics)")
    SIX = "6", _("Six-region geographic scheme")

    __colours__ = {"4": "info", "6": "secondary"}


class LeadConfidence(BadgeChoices):
    CONFIRMED = "confirmed", _("confirmed")
    PROBABLE = "probable", _("probable")
    UNVERIFIED = "unverified", _("unverified")
    UNKNOWN = "unknown", _("unknown")

    __colours__ = {
        "confirmed": "success",
        "probable": "info",
        "unverified": "warning",
        "unknown": "secondary",
    }
