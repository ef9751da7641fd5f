"""Choices of the strategies app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.utils.translation import gettext_lazy as _

from provinces.choices import BadgeChoices


class WorkArea(BadgeChoices):
    """The three areas of work of the 2013 briefing."""

    LAW_ENFORCEMENT = "law_enforcement", _("law enforcement")
    PUBLIC_SERVICE = "public_service", _("public service")
    DEVELOPMENT = "development", _("development administration")

    __colours__ = {"law_enforcement": "danger", "public_service": "info", "development": "success"}


class Pillar(BadgeChoices):
    """The three pillars of the ASEAN Community."""

    POLITICAL_SECURITY = "political_security", _("Political-Security Community")
    ECONOMIC = "economic", _("Economic Community")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-Cultural Community")

    __colours__ = {"political_security": "primary", "economic": "success", "socio_cultural": "warning"}


# Matrix point colours by pillar (Okabe–Ito, colour-blind safe), shared by the page and the PDF.
PILLAR_HEX = {"political_security": "#0072B2", "economic": "#009E73", "socio_cultural": "#E69F00"}


class StrategyStatus(BadgeChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    ENDORSED = "endorsed", _("endorsed by the advisor")
    RETURNED = "returned", _("returned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")

    __colours__ = {
        "draft": "secondary",
        "proposed": "info",
        "endorsed": "success",
        "returned": "danger",
        "in_progress": "primary",
        "done": "dark",
        "dropped": "light",
    }


STATUS_HEX = {
    "draft": "#6c757d",
    "proposed": "#0dcaf0",
    "endorsed": "#198754",
    "returned": "#dc3545",
    "in_progress": "#0d6efd",
    "done": "#212529",
    "dropped": "#adb5bd",
}


class Axis(BadgeChoices):
    ASEAN = "asean", _("effect on the ASEAN Community's goals")
    NATIONAL = "national", _("effect on the national interest")

    __colours__ = {"asean": "primary", "national": "danger"}


class EffectSource(BadgeChoices):
    CHECKLIST = "checklist", _("from the criteria checklist")
    ENTERED = "entered", _("entered directly (imported)")

    __colours__ = {"checklist": "success", "entered": "warning"}


class ReviewKind(BadgeChoices):
    COMMENT = "comment", _("comment")
    PROPOSED = "proposed", _("proposed for review")
    ENDORSED = "endorsed", _("endorsed")
    RETURNED = "returned", _("returned with comments")
    OVERRIDE = "override", _("quadrant overridden")
    OVERRIDE_WITHDRAWN = "override_withdrawn", _("override withdrawn")
    STATUS = "status", _("status changed")

    __colours__ = {
        "comment": "light",
        "proposed": "info",
        "endorsed": "success",
        "returned": "danger",
        "override": "warning",
        "override_withdrawn": "secondary",
        "status": "secondary",
    }


class FundingSource(BadgeChoices):
    CENTRAL = "central", _("central budget")
    PROVINCIAL = "provincial", _("provincial budget")
    CLUSTER = "cluster", _("cluster budget")
    LOCAL_GOVERNMENT = "local_government", _("local government (อปท.)")
    PRIVATE = "private", _("private sector")
    PPP = "ppp", _("public–private partnership (PPP)")

    __colours__ = {
        "central": "primary",
        "provincial": "info",
        "cluster": "success",
        "local_government": "warning",
        "private": "secondary",
        "ppp": "dark",
    }


class PartnerSector(BadgeChoices):
    GOVERNMENT = "government", _("government agencies")
    LOCAL_GOVERNMENT = "local_government", _("local administrative organisations (อปท.)")
    PRIVATE = "private", _("private sector")
    ACADEMIA = "academia", _("academia")
    CIVIL_SOCIETY = "civil_society", _("civil society")

    __colours__ = {}


class ProjectStatus(BadgeChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")

    __colours__ = {"planned": "secondary", "in_progress": "primary", "done": "success", "cancelled": "light"}
