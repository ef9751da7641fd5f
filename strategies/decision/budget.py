"""Budget reach: is a project beyond what one province can fund, and which routes could fund it instead?

A project is flagged when its budget is above BUDGET_REACH_SHARE (default 0.5) of the owner's annual
development budget envelope — strictly above: exactly half is still within reach — or above
BUDGET_REACH_ABSOLUTE baht when that setting is given (either condition flags). The owner's envelope is
the owning province's for the strategy's fiscal year (the latest earlier year's when that year has none);
for a cluster's own strategy it is the LARGEST envelope among the member provinces: a cluster project is
beyond one province's reach when even the best-funded member could not carry it alone.

Routes, in the order the 2013 briefing recommends them:
1. the cluster budget — when two or more member provinces of the owner's cluster are among the provinces
   where the project runs or that benefit (a cluster plan must span more than one province);
2. co-investment by local government (อปท.);
3. private investment;
4. a public–private partnership — when the budget reaches PPP_THRESHOLD (default 5,000 million baht, the
   project size from which Thailand's PPP Act applies).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from strategies.choices import FundingSource

DEFAULT_SHARE = 0.5
DEFAULT_PPP_THRESHOLD = Decimal(5_000_000_000)


@dataclass(frozen=True)
class ReachSettings:
    share: Decimal = Decimal(str(DEFAULT_SHARE))
    absolute: Decimal | None = None
    ppp_threshold: Decimal = DEFAULT_PPP_THRESHOLD


def reach_settings() -> ReachSettings:
    absolute = getattr(settings, "BUDGET_REACH_ABSOLUTE", None)
    return ReachSettings(
        share=Decimal(str(getattr(settings, "BUDGET_REACH_SHARE", DEFAULT_SHARE))),
        absolute=Decimal(str(absolute)) if absolute else None,
        ppp_threshold=Decimal(str(getattr(settings, "PPP_THRESHOLD", DEFAULT_PPP_THRESHOLD))),
    )


@dataclass(frozen=True)
class Route:
    code: str  # a FundingSource value
    reason: str

    @property
    def choice(self) -> FundingSource:
        return FundingSource(self.code)


@dataclass
class Flag:
    """A project beyond one province's reach, with the routes suggested for it."""

    project_id: int
    budget: Decimal
    funding_source: str
    envelope: Decimal | None  # the envelope compared against
    envelope_province: str  # whose envelope (a province code), "" when none
    limit: Decimal | None  # the budget above which a project is flagged
    routes: list[Route] = field(default_factory=list)

    @property
    def share_of_envelope(self) -> float | None:
        return float(self.budget / self.envelope) if self.envelope else None

    @property
    def needs_integrated_funding(self) -> bool:
        """Still planned on the province's own budget: nobody has arranged the integrated funding yet."""
        return self.funding_source == FundingSource.PROVINCIAL

    @property
    def funding_choice(self) -> FundingSource:
        return FundingSource(self.funding_source)


def limit_for(envelope: Decimal | None, reach: ReachSettings) -> Decimal | None:
    """The budget above which a project is beyond one province's reach (the lower of the two limits)."""
    limits = []
    if envelope:
        limits.append(envelope * reach.share)
    if reach.absolute:
        limits.append(reach.absolute)
    return min(limits) if limits else None


def assess(
    *,
    project_id: int,
    budget: Decimal,
    funding_source: str,
    envelope: Decimal | None,
    envelope_province: str = "",
    cluster_members_benefiting: int = 0,
    reach: ReachSettings | None = None,
) -> Flag | None:
    """The flag of one project, or None when one province can fund it (or nothing tells: no envelope and
    no absolute limit)."""
    reach = reach or ReachSettings()
    limit = limit_for(envelope, reach)
    if limit is None or budget <= limit:
        return None
    routes = []
    if cluster_members_benefiting >= 2:
        routes.append(
            Route(
                FundingSource.CLUSTER,
                _("%(n)s member provinces of the cluster share the benefit.")
                % {"n": cluster_members_benefiting},
            )
        )
    routes.append(
        Route(
            FundingSource.LOCAL_GOVERNMENT,
            _("Provincial and municipal administrations (อปท.) can co-invest in what serves their area."),
        )
    )
    routes.append(Route(FundingSource.PRIVATE, _("Firms that gain from the project can invest in it.")))
    if budget >= reach.ppp_threshold:
        routes.append(
            Route(
                FundingSource.PPP,
                _("At %(threshold)s million baht or more, the PPP Act applies.")
                % {"threshold": f"{reach.ppp_threshold / 1_000_000:,.0f}"},
            )
        )
    return Flag(
        project_id=project_id,
        budget=budget,
        funding_source=funding_source,
        envelope=envelope,
        envelope_province=envelope_province,
        limit=limit,
        routes=routes,
    )
