"""Choices of the readiness app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.utils.translation import gettext_lazy as _

from provinces.choices import BadgeChoices


class Dimension(BadgeChoices):
    """The three readiness dimensions of the 2013 briefing (Place / Product / People)."""

    PLACE = "place", _("Place")
    PRODUCT = "product", _("Product")
    PEOPLE = "people", _("People")

    __colours__ = {"place": "primary", "product": "success", "people": "warning"}


# The dimensions' keys in their order, for loops over scores, columns and charts (never a list of their own).
DIMENSIONS: tuple[str, ...] = tuple(Dimension.values)

# Chart colours, shared by pages and PDFs (colour-blind-safe Okabe–Ito hues).
DIMENSION_HEX = {"place": "#0072B2", "product": "#009E73", "people": "#D55E00"}


class RoundStatus(BadgeChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")

    __colours__ = {"draft": "secondary", "open": "success", "closed": "dark"}


class AssessmentStatus(BadgeChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for revision")
    APPROVED = "approved", _("approved")

    __colours__ = {"draft": "secondary", "submitted": "info", "returned": "danger", "approved": "success"}


class ReviewAction(BadgeChoices):
    CREATED = "created", _("started")
    COPIED_FORWARD = "copied_forward", _("copied last round's answers")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with comments")
    APPROVED = "approved", _("approved")
    REOPENED = "reopened", _("reopened by an edit after approval")

    __colours__ = {
        "created": "secondary",
        "copied_forward": "secondary",
        "submitted": "info",
        "returned": "danger",
        "approved": "success",
        "reopened": "warning",
    }


class EvidenceKind(BadgeChoices):
    FILE = "file", _("file")
    LINK = "link", _("link")

    __colours__ = {"file": "secondary", "link": "info"}
