"""Writes of decision support: a secretariat's or an advisor's decision on a group of overlapping strategies.
Checked here, in one transaction; a refused decision raises WorkflowError and changes nothing."""

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.errors import WorkflowError
from provinces.models import Cluster
from strategies import signals
from strategies.choices import ReviewKind
from strategies.models import OverlapDecision, OverlapVerdict, Strategy, StrategyReview

from .selectors import owner_code, shown_groups, strategies_in


def can_decide_overlaps(user: User | AnonymousUser, cluster: Cluster) -> bool:
    """The cluster's secretariat and the ministry's advisors decide on the cluster's overlaps."""
    role = role_of(user)
    if role == Role.ADVISOR:
        return True
    return role == Role.SECRETARIAT and scope_of(user).cluster_id == cluster.pk


def _name(s: Strategy) -> str:
    ref = f" ({s.external_ref})" if s.external_ref else ""
    return f"“{s.title}”{ref} — {s.owner.name}"


@transaction.atomic
def overlap_decide(
    *,
    cluster: Cluster,
    fiscal_year: int,
    strategy_ids: list[int],
    decision: str,
    by: User,
    merged_into_id: int | None = None,
    note: str = "",
) -> list[OverlapDecision]:
    """Record the decision for every pair of different owners among the strategies (a group as the finder
    reported it, or any part of it), and note it in each strategy's review thread. A pair decided before
    takes the new decision."""
    if not can_decide_overlaps(by, cluster):
        raise WorkflowError(_("Only the cluster's secretariat or a ministry advisor can decide on overlaps."))
    if decision not in OverlapVerdict.values:
        raise WorkflowError(_("Unknown decision."))
    ids = sorted(set(strategy_ids))
    strategies = list(strategies_in(fiscal_year=fiscal_year, clusters=[cluster]).filter(pk__in=ids))
    if len(ids) < 2 or len(strategies) != len(ids):
        raise WorkflowError(_("Choose at least two strategies of this cluster and fiscal year."))
    if len({owner_code(s) for s in strategies}) < 2:
        raise WorkflowError(_("An overlap is between strategies of different owners."))
    target = None
    if decision == OverlapVerdict.MERGED:
        target = (
            strategies_in(fiscal_year=fiscal_year, clusters=[cluster])
            .filter(pk=merged_into_id or 0, cluster=cluster)
            .first()
        )
        if target is None:
            raise WorkflowError(
                _("Strategies are merged into a strategy of the cluster itself, in the same fiscal year.")
            )
    elif merged_into_id:
        raise WorkflowError(_("“Not an overlap” names no strategy to merge into."))
    note = note.strip()[:2000]
    at = timezone.now()
    shown = shown_groups(cluster=cluster, fiscal_year=fiscal_year)
    values = {"decision": decision, "merged_into": target, "by": by, "at": at, "note": note}
    saved = []
    for i, a in enumerate(strategies):
        for b in strategies[i + 1 :]:
            if owner_code(a) == owner_code(b):
                continue
            # Deciding a pair again keeps what was true the first time: a decided pair is never shown again.
            row, _created = OverlapDecision.objects.update_or_create(
                strategy_a=a,
                strategy_b=b,
                defaults=values,
                create_defaults={**values, "shown_by_finder": any({a.pk, b.pk} <= g for g in shown)},
            )
            saved.append(row)
    for s in strategies:
        others = "; ".join(_name(o) for o in strategies if o.pk != s.pk)
        if target is None:
            text = _("Decision support: not an overlap with %(others)s.") % {"others": others}
        else:
            text = _(
                "Decision support: overlaps with %(others)s; merged into the cluster strategy %(target)s."
            ) % {
                "others": others,
                "target": _name(target),
            }
        if note:
            text += " " + _("Note: %(note)s") % {"note": note}
        StrategyReview.objects.create(strategy=s, kind=ReviewKind.COMMENT, author=by, text=text[:5000])
    signals.overlap_decided.send_robust(sender=Strategy, strategies=strategies, decision=decision, by=by)
    return saved
