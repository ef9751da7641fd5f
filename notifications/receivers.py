"""The events the lower apps announce, turned into notifications (connected in NotificationsConfig.ready).

Each receiver names the people concerned (recipients.py) and calls notify(), which drops the actor and
anyone who may not open the object. A receiver runs inside the service's transaction, in a savepoint of its
own: when notification code fails, the error is logged and the user's action still goes through.
"""

import functools
import logging
from collections import defaultdict
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import receiver

from briefings import signals as briefing_signals
from briefings.models import Briefing
from provinces.models import Cluster, Province
from readiness import signals as readiness_signals
from readiness.models import Assessment, Round
from strategies import signals as strategy_signals
from strategies import similar
from strategies.models import Strategy

from . import links, recipients
from .access import may_open
from .choices import NotificationKind
from .mentions import mentioned_users
from .services import notify

logger = logging.getLogger(__name__)

EXCERPT = 200


def _safely(handler):
    """Run the receiver in a savepoint; log a failure instead of letting it undo the user's action."""

    @functools.wraps(handler)
    def run(sender, **kwargs):
        try:
            with transaction.atomic():
                handler(sender, **kwargs)
        except Exception:
            logger.exception("Notifications for %s (%s) failed; the action itself went through.",
                             handler.__name__, sender.__name__ if sender else "-")  # fmt: skip

    return run


def _round_of(fiscal_year: int) -> Round | None:
    """The readiness round of a strategy's fiscal year, so the inbox's round filter finds it too."""
    return Round.objects.filter(fiscal_year=fiscal_year).first()


# --- readiness --------------------------------------------------------------------------------------


@receiver(readiness_signals.assessment_submitted, sender=Assessment, dispatch_uid="notify_submitted")
@_safely
def on_assessment_submitted(sender, *, assessment: Assessment, by, **kwargs) -> None:
    notify(
        kind=NotificationKind.ASSESSMENT_SUBMITTED,
        recipients=recipients.assessment_reviewers(assessment),
        actor=by,
        target=assessment,
        round=assessment.round,
    )


@receiver(readiness_signals.assessment_returned, sender=Assessment, dispatch_uid="notify_returned")
@_safely
def on_assessment_returned(sender, *, assessment: Assessment, by, comment: str = "", **kwargs) -> None:
    notify(
        kind=NotificationKind.ASSESSMENT_RETURNED,
        recipients=recipients.assessment_owners(assessment),
        actor=by,
        target=assessment,
        params={"comment": (comment or "")[:EXCERPT]},
        round=assessment.round,
    )


@receiver(readiness_signals.assessment_approved, sender=Assessment, dispatch_uid="notify_approved")
@_safely
def on_assessment_approved(sender, *, assessment: Assessment, by, **kwargs) -> None:
    notify(
        kind=NotificationKind.ASSESSMENT_APPROVED,
        recipients=recipients.assessment_owners(assessment),
        actor=by,
        target=assessment,
        round=assessment.round,
    )


# --- strategies -------------------------------------------------------------------------------------


@receiver(strategy_signals.strategy_commented, sender=Strategy, dispatch_uid="notify_commented")
@_safely
def on_strategy_commented(sender, *, review, by, **kwargs) -> None:
    strategy = review.strategy
    url = f"{links.url_for(strategy)}#review-{review.pk}"
    params = {"excerpt": review.text[:EXCERPT]}
    fiscal_round = _round_of(strategy.fiscal_year)
    # Someone mentioned by name hears of it once, as a mention, even when they also take part.
    mentioned = mentioned_users(review.text, strategy)
    notify(kind=NotificationKind.MENTION, recipients=mentioned, actor=by, target=strategy, url=url,
           params=params, round=fiscal_round)  # fmt: skip
    told = {user.pk for user in mentioned}
    notify(
        kind=NotificationKind.COMMENT,
        recipients=[u for u in recipients.thread_participants(strategy) if u.pk not in told],
        actor=by,
        target=strategy,
        url=url,
        params=params,
        round=fiscal_round,
    )


@receiver(strategy_signals.quadrant_overridden, sender=Strategy, dispatch_uid="notify_override")
@_safely
def on_quadrant_overridden(sender, *, strategy: Strategy, by, quadrant: str, reason: str, **kwargs) -> None:
    notify(
        kind=NotificationKind.QUADRANT_OVERRIDE,
        recipients=recipients.strategy_owners(strategy),
        actor=by,
        target=strategy,
        params={"quadrant": quadrant, "reason": reason[:EXCERPT]},
        round=_round_of(strategy.fiscal_year),
    )


@receiver(strategy_signals.override_withdrawn, sender=Strategy, dispatch_uid="notify_override_withdrawn")
@_safely
def on_override_withdrawn(sender, *, strategy: Strategy, by, **kwargs) -> None:
    notify(
        kind=NotificationKind.OVERRIDE_WITHDRAWN,
        recipients=recipients.strategy_owners(strategy),
        actor=by,
        target=strategy,
        round=_round_of(strategy.fiscal_year),
    )


@receiver(strategy_signals.strategy_reviewed, sender=Strategy, dispatch_uid="notify_strategy_reviewed")
@_safely
def on_strategy_reviewed(sender, *, strategy: Strategy, by, decision: str, text: str = "", **kwargs) -> None:
    notify(
        kind=NotificationKind.STRATEGY_RETURNED
        if decision == "returned"
        else NotificationKind.STRATEGY_ENDORSED,
        recipients=recipients.strategy_owners(strategy),
        actor=by,
        target=strategy,
        params={"comment": text[:EXCERPT]},
        round=_round_of(strategy.fiscal_year),
    )


@receiver(strategy_signals.overlap_decided, sender=Strategy, dispatch_uid="notify_overlap")
@_safely
def on_overlap_decided(sender, *, strategies: list[Strategy], decision: str, by, **kwargs) -> None:
    fiscal_round = _round_of(strategies[0].fiscal_year) if strategies else None
    for strategy in strategies:
        others = [s for s in strategies if s.pk != strategy.pk]
        for person in recipients.strategy_owners(strategy):
            # The other strategies' titles only as far as this person may open them.
            shown = "; ".join(s.title_th for s in others if may_open(person, s))
            notify(
                kind=NotificationKind.OVERLAP_DECISION,
                recipients=[person],
                actor=by,
                target=strategy,
                params={"verdict": decision, "other": shown[:EXCERPT]},
                round=fiscal_round,
            )


@receiver(strategy_signals.strategies_imported, sender=Strategy, dispatch_uid="notify_imported")
@_safely
def on_strategies_imported(sender, *, created: list[Strategy], changed: list[Strategy], by, **kwargs) -> None:
    # One notification per owning unit and person, with the unit's counts. Grouped by id: an import of
    # thousands of rows loads each unit once.
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: {"created": 0, "changed": 0})
    creators: dict[tuple[str, int], set[int]] = defaultdict(set)
    for key, group in (("created", created), ("changed", changed)):
        for strategy in group:
            where: tuple[str, int]
            if strategy.province_id:
                where = ("province", strategy.province_id)
            elif strategy.cluster_id:
                where = ("cluster", strategy.cluster_id)
            else:  # no owner: ruled out by the strategy_owned_by_province_xor_cluster constraint
                continue
            counts[where][key] += 1
            if strategy.created_by_id:
                creators[where].add(strategy.created_by_id)
    units: dict[str, Mapping[int, Province | Cluster]] = {
        "province": Province.objects.in_bulk([pk for kind, pk in counts if kind == "province"]),
        "cluster": Cluster.objects.in_bulk([pk for kind, pk in counts if kind == "cluster"]),
    }
    for (kind, pk), numbers in counts.items():
        unit = units[kind][pk]
        people = list(recipients.unit_people(unit))
        extra = creators[(kind, pk)] - {p.pk for p in people}
        if extra:
            people += list(User.objects.filter(is_active=True, pk__in=extra))
        notify(
            kind=NotificationKind.IMPORT_CHANGED,
            recipients=people,
            actor=by,
            target=unit,
            params=dict(numbers),
        )


SIMILAR_MAX = 10  # the most similar strategies whose owners are told of one save


@receiver(strategy_signals.strategy_text_saved, sender=Strategy, dispatch_uid="notify_similar_strategy")
@_safely
def on_strategy_text_saved(sender, *, strategy: Strategy, by, created: bool, **kwargs) -> None:
    """The owners of similar strategies of OTHER owners in the bucket (strategies.similar.similar_on_save:
    the finder's rule by words and stored vectors) hear of the new or re-worded strategy, each once per pair
    of strategies (the dedupe key) — and only those who may open it (notify() checks), never the actor."""
    matches = similar.similar_on_save(strategy)[:SIMILAR_MAX]
    if not matches:
        return
    fiscal_round = _round_of(strategy.fiscal_year)
    told: set[int] = set()
    for match in matches:
        theirs = match.strategy
        for person in recipients.strategy_owners(theirs):
            if person.pk in told:
                continue
            told.add(person.pk)
            notify(
                kind=NotificationKind.SIMILAR_STRATEGY,
                recipients=[person],
                actor=by,
                target=strategy,
                params={
                    "other": theirs.title_th[:EXCERPT] if may_open(person, theirs) else "",
                    "created": bool(created),
                    "how": match.kind,
                },
                round=fiscal_round,
                dedupe_key=f"similar:{strategy.pk}:{theirs.pk}",
            )


# --- briefings --------------------------------------------------------------------------------------


@receiver(briefing_signals.briefing_ready, sender=Briefing, dispatch_uid="notify_briefing_ready")
@_safely
def on_briefing_ready(sender, *, briefing: Briefing, **kwargs) -> None:
    notify(
        kind=NotificationKind.BRIEFING_READY,
        recipients=recipients.briefing_requester(briefing),
        target=briefing,
    )
