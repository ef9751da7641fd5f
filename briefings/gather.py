"""The data of a briefing, gathered once: subject, round, scores and strategies, per kind of subject.

Gathering costs a fixed number of queries, however many provinces, answers or changes there are (a test
counts them): one province for a province briefing, the members for a cluster, all 77 for the nation.

A document is always made *for a viewer* — the user who requested it — and reads through the same
selectors and access rules as the pages that user would open: a subject they may not see is "no such
subject", and strategies (with their projects, budgets and advisors' notes) they would get a 404 for are
left out, the document saying how many.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from readiness import selectors as readiness
from readiness.models import Round
from readiness.selectors import KEYS, NationalRow, Rollup, ScoreRow, spread
from strategies.selectors import BriefingStrategies, briefing_strategies

from .access import Subject, may_include_unapproved, subject_for_user
from .spec import BriefingSpec


class BriefingDataError(Exception):
    """The briefing cannot be made from the data (unknown subject, no such round). The message is for users."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class BriefingData:
    """Everything the builders read, gathered once. ``rollup`` holds the subject's provinces (one for a
    province briefing, the members for a cluster, all 77 for the nation); ``national`` the cluster rows of a
    national briefing."""

    spec: BriefingSpec
    subject: Subject
    round: Round
    previous_round: Round | None
    rollup: Rollup
    viewer: User
    national: list[NationalRow] = field(default_factory=list)
    strategies: "BriefingStrategies | None" = None

    @property
    def hidden_strategies(self) -> int:
        return self.strategies.hidden if self.strategies else 0

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def include_unapproved(self) -> bool:
        return self.spec.include_unapproved


def _rollup_of(rows: list[ScoreRow]) -> Rollup:
    return Rollup(
        rows=rows,
        spreads={k: spread(rows, k) for k in KEYS},
        previous_spreads={k: spread(rows, k, previous=True) for k in KEYS},
    )


def gather(spec: BriefingSpec, *, viewer: User) -> BriefingData:
    """Load the data of a briefing as ``viewer`` may see it: subject, round, scores, strategies. A fixed
    number of queries for any subject. A subject the viewer may not see is no subject at all (as its page
    would be a 404), and unapproved figures need the same right as when requesting them."""
    subject = subject_for_user(viewer, spec.kind, spec.subject)
    if subject is None:
        raise BriefingDataError(_("There is no such province, cluster or country to brief on."))
    if spec.include_unapproved and not may_include_unapproved(viewer, subject):
        raise BriefingDataError(_("You may not include figures that are not yet approved for this subject."))
    round = readiness.rounds().filter(fiscal_year=spec.fiscal_year).first()
    if round is None:
        raise BriefingDataError(
            _("There is no readiness round for FY %(year)s.") % {"year": spec.fiscal_year}
        )
    include = spec.include_unapproved
    national: list[NationalRow] = []
    # The snapshots' answers too: the changes appendix compares them with the answers now. The subject's
    # unit is a province, a cluster or (the nation) none, as its kind says (access.py).
    if (province := subject.province) is not None:
        rollup = _rollup_of(
            readiness.score_rows([province], round, include_unapproved=include, snapshot_answers=True)
        )
    elif (cluster := subject.cluster) is not None:
        rollup = readiness.cluster_rollup(
            cluster=cluster, round=round, include_unapproved=include, snapshot_answers=True
        )
    else:
        national, rollup = readiness.national_rollup(
            round=round, include_unapproved=include, snapshot_answers=True
        )
    return BriefingData(
        spec=spec,
        subject=subject,
        round=round,
        previous_round=readiness.previous_round(round),
        rollup=rollup,
        viewer=viewer,
        national=national,
        strategies=briefing_strategies(
            user=viewer,
            fiscal_year=spec.fiscal_year,
            province=subject.province,
            cluster=subject.cluster,
            include_unapproved=include,
        ),
    )
