"""Choices of the search app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.utils.translation import gettext_lazy as _

from provinces.choices import BadgeChoices


class DocumentKind(BadgeChoices):
    """What a search result is, in the order the results page shows the groups."""

    PROVINCE = "province", _("Provinces")
    CLUSTER = "cluster", _("Provincial clusters")
    STRATEGY = "strategy", _("Strategies")
    PROJECT = "project", _("Projects")
    INDICATOR = "indicator", _("Indicators")
    COMMENT = "comment", _("Comments")

    __colours__ = {
        "province": "primary",
        "cluster": "success",
        "strategy": "warning",
        "project": "info",
        "indicator": "secondary",
        "comment": "dark",
    }


# The model each indexed row comes from (a document's ``source``); comments come from three.
PROVINCE = "provinces.province"
CLUSTER = "provinces.cluster"
STRATEGY = "strategies.strategy"
PROJECT = "strategies.project"
INDICATOR = "readiness.indicator"
STRATEGY_COMMENT = "strategies.strategyreview"
ASSESSMENT_COMMENT = "readiness.reviewevent"
INDICATOR_COMMENT = "readiness.reviewcomment"
SOURCES = (
    PROVINCE,
    CLUSTER,
    STRATEGY,
    PROJECT,
    INDICATOR,
    STRATEGY_COMMENT,
    ASSESSMENT_COMMENT,
    INDICATOR_COMMENT,
)
# The kind of every source's documents (search/services.py writes them so): a kind is searched source by
# source, each through its own index (migration 0003).
KIND_OF_SOURCE = {
    PROVINCE: DocumentKind.PROVINCE,
    CLUSTER: DocumentKind.CLUSTER,
    STRATEGY: DocumentKind.STRATEGY,
    PROJECT: DocumentKind.PROJECT,
    INDICATOR: DocumentKind.INDICATOR,
    STRATEGY_COMMENT: DocumentKind.COMMENT,
    ASSESSMENT_COMMENT: DocumentKind.COMMENT,
    INDICATOR_COMMENT: DocumentKind.COMMENT,
}
