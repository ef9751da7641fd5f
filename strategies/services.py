"""Writes of the strategies app. Every rule is checked here, in one transaction; a refused action raises
WorkflowError with a message for the user and changes nothing."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from provinces.errors import WorkflowError
from provinces.models import Cluster, Province

from . import embeddings, signals
from .access import can_edit_strategy, can_own, can_review_strategies
from .choices import (
    Axis,
    EffectSource,
    FundingSource,
    PartnerSector,
    Pillar,
    ProjectStatus,
    ReviewKind,
    StrategyStatus,
    WorkArea,
)
from .matrix import QUADRANTS
from .models import MAX_BUDGET, Criterion, CriterionScore, ProgressNote, Project, Strategy, StrategyReview

__all__ = ["InvalidField", "WorkflowError"]


class InvalidField(WorkflowError):
    """Refused input that belongs to one field: the form shows the message at that field, once."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


EDITABLE = (StrategyStatus.DRAFT, StrategyStatus.RETURNED)


def effect_from_scores(criteria: list[Criterion], values: dict[int, int]) -> float:
    """An axis's effect: Σ weight × score ÷ Σ weight × 4, on 0–100. Unscored criteria count as 0."""
    total = sum(Decimal(c.weight) * 4 for c in criteria)
    if not total:
        return 0.0
    return float(sum(Decimal(c.weight) * values.get(c.pk, 0) for c in criteria) / total * 100)


def active_criteria() -> dict[str, list[Criterion]]:
    criteria = list(Criterion.objects.filter(active=True).order_by("axis", "position", "code"))
    return {axis: [c for c in criteria if c.axis == axis] for axis in Axis.values}


@dataclass
class StrategyData:
    """The fields a planner or secretariat fills in (validated by the form)."""

    title_th: str
    work_area: str
    pillar: str
    title_en: str = ""
    summary_th: str = ""
    summary_en: str = ""
    builds_place: bool = False
    builds_product: bool = False
    builds_people: bool = False
    indicator_ids: tuple[int, ...] = ()


def _check_data(data: StrategyData) -> None:
    if not data.title_th.strip():
        raise InvalidField("title_th", _("A strategy needs a Thai title."))
    if data.work_area not in WorkArea.values:
        raise InvalidField("work_area", _("Unknown work area."))
    if data.pillar not in Pillar.values:
        raise InvalidField("pillar", _("Unknown ASEAN pillar."))


def _apply(strategy: Strategy, data: StrategyData) -> None:
    for name in ("title_th", "title_en", "summary_th", "summary_en", "work_area", "pillar",
                 "builds_place", "builds_product", "builds_people"):  # fmt: skip
        value = getattr(data, name)
        setattr(strategy, name, value.strip() if isinstance(value, str) else value)


def _apply_scores(strategy: Strategy, scores: dict[int, int]) -> None:
    """Store the checklist and derive both effects from it."""
    criteria = active_criteria()
    known = {c.pk for axis in criteria.values() for c in axis}
    if set(scores) - known:
        raise WorkflowError(_("A score refers to an unknown criterion."))
    if any(not 0 <= v <= 4 for v in scores.values()):
        raise WorkflowError(_("A criterion is scored from 0 to 4."))
    CriterionScore.objects.filter(strategy=strategy).delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(strategy=strategy, criterion_id=k, value=v) for k, v in scores.items()
    )
    strategy.asean_effect = effect_from_scores(criteria[Axis.ASEAN], scores)
    strategy.national_effect = effect_from_scores(criteria[Axis.NATIONAL], scores)
    strategy.effect_source = EffectSource.CHECKLIST


def _log(
    strategy: Strategy, kind: str, by: User | None, text: str = "", reply_to: StrategyReview | None = None
):
    return StrategyReview.objects.create(
        strategy=strategy, kind=kind, author=by, text=text, reply_to=reply_to
    )


@transaction.atomic
def strategy_create(
    *, owner: Province | Cluster, fiscal_year: int, data: StrategyData, scores: dict[int, int], by: User
) -> Strategy:
    if not can_own(by, owner):
        raise WorkflowError(_("You can only draft strategies for your own province or cluster."))
    if not 2550 <= fiscal_year <= 2700:
        raise InvalidField("fiscal_year", _("The fiscal year is a Buddhist Era year, e.g. 2570."))
    _check_data(data)
    strategy = Strategy(fiscal_year=fiscal_year, created_by=by, **_owner_kwargs(owner))
    _apply(strategy, data)
    strategy._history_user = by
    strategy.save()
    _apply_scores(strategy, scores)
    strategy.save()
    strategy.indicators.set(_indicators(strategy, data.indicator_ids))
    embeddings.schedule([strategy.pk])
    _announce_text(strategy, by, created=True)
    return strategy


def _announce_text(strategy: Strategy, by: User, *, created: bool) -> None:
    """Tell listeners (the similar-strategy notification) of a new or re-worded strategy once committed."""
    transaction.on_commit(
        lambda: signals.strategy_text_saved.send_robust(
            sender=Strategy, strategy=strategy, by=by, created=created
        )
    )


def _owner_kwargs(owner: Province | Cluster) -> dict:
    return (
        {"province": owner, "cluster": None}
        if isinstance(owner, Province)
        else {"province": None, "cluster": owner}
    )


def _indicators(strategy: Strategy, ids) -> list:
    from readiness.models import Indicator

    return list(Indicator.objects.filter(pk__in=ids)) if ids else []


def _locked(strategy: Strategy) -> Strategy:
    return (
        Strategy.objects.select_for_update(of=("self",))
        .select_related("province", "cluster")
        .get(pk=strategy.pk)
    )


@transaction.atomic
def strategy_update(*, strategy: Strategy, data: StrategyData, scores: dict[int, int], by: User) -> Strategy:
    strategy = _locked(strategy)
    if not can_edit_strategy(by, strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can change this strategy."))
    if strategy.status not in EDITABLE:
        raise WorkflowError(
            _("Only a draft or returned strategy can be edited; this one is %(status)s.")
            % {"status": strategy.get_status_display()}
        )
    _check_data(data)
    text_before = embeddings.text_of(strategy)
    _apply(strategy, data)
    _apply_scores(strategy, scores)
    strategy._history_user = by
    strategy.save()
    strategy.indicators.set(_indicators(strategy, data.indicator_ids))
    embeddings.schedule([strategy.pk])  # the task re-encodes only if the title or summary changed
    if embeddings.text_of(strategy) != text_before:
        _announce_text(strategy, by, created=False)
    return strategy


@transaction.atomic
def strategy_propose(*, strategy: Strategy, by: User) -> Strategy:
    """draft / returned → proposed, for the advisor's review."""
    strategy = _locked(strategy)
    if not can_edit_strategy(by, strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can propose this strategy."))
    if strategy.status not in EDITABLE:
        raise WorkflowError(_("Only a draft or returned strategy can be proposed."))
    return _set_status(strategy, StrategyStatus.PROPOSED, ReviewKind.PROPOSED, by)


def _set_status(strategy: Strategy, status: str, kind: str, by: User, text: str = "") -> Strategy:
    strategy.status = status
    strategy._history_user = by
    strategy.save(update_fields=["status", "updated_at"])
    _log(strategy, kind, by, text)
    return strategy


@transaction.atomic
def strategy_endorse(*, strategy: Strategy, by: User, text: str = "") -> Strategy:
    strategy = _locked(strategy)
    if not can_review_strategies(by):
        raise WorkflowError(_("Only ministry advisors can endorse a strategy."))
    if strategy.status != StrategyStatus.PROPOSED:
        raise WorkflowError(_("Only a proposed strategy can be endorsed."))
    strategy = _set_status(strategy, StrategyStatus.ENDORSED, ReviewKind.ENDORSED, by, text.strip())
    signals.strategy_reviewed.send_robust(
        sender=Strategy, strategy=strategy, by=by, decision="endorsed", text=text.strip()
    )
    return strategy


@transaction.atomic
def strategies_endorse(*, strategies: list[Strategy], by: User) -> int:
    """Endorse these strategies together, all or none: one that cannot be endorsed refuses them all."""
    for strategy in strategies:
        strategy_endorse(strategy=strategy, by=by)
    return len(strategies)


@transaction.atomic
def strategy_return(*, strategy: Strategy, by: User, text: str) -> Strategy:
    strategy = _locked(strategy)
    if not can_review_strategies(by):
        raise WorkflowError(_("Only ministry advisors can return a strategy."))
    if strategy.status != StrategyStatus.PROPOSED:
        raise WorkflowError(_("Only a proposed strategy can be returned."))
    if not text.strip():
        raise WorkflowError(_("Say what must be revised before returning the strategy."))
    strategy = _set_status(strategy, StrategyStatus.RETURNED, ReviewKind.RETURNED, by, text.strip())
    signals.strategy_reviewed.send_robust(
        sender=Strategy, strategy=strategy, by=by, decision="returned", text=text.strip()
    )
    return strategy


# Moves the owner makes after endorsement.
OWNER_MOVES = {
    StrategyStatus.IN_PROGRESS: {StrategyStatus.ENDORSED},
    StrategyStatus.DONE: {StrategyStatus.IN_PROGRESS},
    StrategyStatus.DROPPED: {
        StrategyStatus.DRAFT,
        StrategyStatus.RETURNED,
        StrategyStatus.ENDORSED,
        StrategyStatus.IN_PROGRESS,
    },
}


@transaction.atomic
def strategy_set_status(*, strategy: Strategy, status: str, by: User, text: str = "") -> Strategy:
    strategy = _locked(strategy)
    if not can_edit_strategy(by, strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can change the status."))
    if strategy.status not in OWNER_MOVES.get(status, set()):
        raise WorkflowError(
            _("A strategy that is %(current)s cannot become %(new)s.")
            % {
                "current": strategy.get_status_display(),
                "new": StrategyStatus(status).label if status in StrategyStatus.values else status,
            }
        )
    return _set_status(
        strategy, status, ReviewKind.STATUS, by, text.strip() or str(StrategyStatus(status).label)
    )


@transaction.atomic
def strategy_comment(
    *, strategy: Strategy, by: User, text: str, reply_to: StrategyReview | None = None
) -> StrategyReview:
    """Anyone who may see the strategy and works on it (its owner's people, advisors) may comment."""
    if not (can_edit_strategy(by, strategy) or can_review_strategies(by)):
        raise WorkflowError(_("Only the strategy's owners and advisors take part in its review."))
    if not text.strip():
        raise WorkflowError(_("A comment cannot be empty."))
    if reply_to is not None and reply_to.strategy_id != strategy.pk:
        raise WorkflowError(_("You can only reply within the same strategy."))
    review = _log(strategy, ReviewKind.COMMENT, by, text.strip(), reply_to)
    signals.strategy_commented.send_robust(sender=Strategy, review=review, by=by)
    return review


@transaction.atomic
def strategy_override(*, strategy: Strategy, quadrant: str, reason: str, by: User) -> Strategy:
    """An advisor places the strategy in another quadrant. A reason is required; it goes in the history."""
    strategy = _locked(strategy)
    if not can_review_strategies(by):
        raise WorkflowError(_("Only ministry advisors can override a quadrant."))
    if quadrant not in QUADRANTS:
        raise WorkflowError(_("Unknown quadrant."))
    if not reason.strip():
        raise WorkflowError(_("Give a reason for moving the strategy to another quadrant."))
    if quadrant == strategy.computed_quadrant:
        raise WorkflowError(
            _("The strategy is already in quadrant %(q)s by its criteria; withdraw the override instead.")
            % {"q": quadrant}
        )
    strategy.override_quadrant = quadrant
    strategy.override_reason = reason.strip()
    strategy.override_by = by
    strategy.override_at = timezone.now()
    strategy._history_user = by
    strategy._change_reason = reason.strip()[:100]
    strategy.save()
    _log(strategy, ReviewKind.OVERRIDE, by, f"{strategy.computed_quadrant} → {quadrant}: {reason.strip()}")
    signals.quadrant_overridden.send_robust(
        sender=Strategy, strategy=strategy, by=by, quadrant=quadrant, reason=reason.strip()
    )
    return strategy


@transaction.atomic
def strategy_override_withdraw(*, strategy: Strategy, by: User) -> Strategy:
    strategy = _locked(strategy)
    if not can_review_strategies(by):
        raise WorkflowError(_("Only ministry advisors can withdraw an override."))
    if not strategy.override_quadrant:
        raise WorkflowError(_("This strategy has no override."))
    old = strategy.override_quadrant
    strategy.override_quadrant, strategy.override_reason = "", ""
    strategy.override_by, strategy.override_at = None, None
    strategy._history_user = by
    strategy.save()
    _log(strategy, ReviewKind.OVERRIDE_WITHDRAWN, by, f"{old} → {strategy.computed_quadrant}")
    signals.override_withdrawn.send_robust(sender=Strategy, strategy=strategy, by=by)
    return strategy


@transaction.atomic
def strategy_carry_forward(*, strategy: Strategy, by: User) -> Strategy:
    """A copy for the next fiscal year, linked to this one, as a draft with the same checklist."""
    if not can_edit_strategy(by, strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can carry this strategy forward."))
    if strategy.carried_forward.exists():
        raise WorkflowError(_("This strategy has already been carried forward."))
    new = Strategy.objects.get(pk=strategy.pk)
    new.pk = None
    new.fiscal_year = strategy.fiscal_year + 1
    new.previous = strategy
    new.status = StrategyStatus.DRAFT
    new.external_ref = ""
    new.override_quadrant, new.override_reason, new.override_by, new.override_at = "", "", None, None
    new.created_by = by
    new._history_user = by
    new.save()
    CriterionScore.objects.bulk_create(
        CriterionScore(strategy=new, criterion_id=s.criterion_id, value=s.value)
        for s in strategy.criterion_scores.all()
    )
    new.indicators.set(strategy.indicators.all())
    return new


# --- projects ----------------------------------------------------------------------------------


@dataclass
class ProjectData:
    title_th: str
    lead_agency: str
    budget: Decimal
    funding_source: str
    start_fy: int
    end_fy: int
    province_ids: tuple[int, ...] = ()
    title_en: str = ""
    partners: tuple[str, ...] = ()
    status: str = ProjectStatus.PLANNED
    kpi: str = ""
    kpi_target: Decimal | None = None
    kpi_actual: Decimal | None = None
    kpi_unit: str = ""


def _check_project(strategy: Strategy, data: ProjectData) -> list[Province]:
    if not data.title_th.strip():
        raise InvalidField("title_th", _("A project needs a Thai title."))
    if not data.lead_agency.strip():
        raise InvalidField("lead_agency", _("Name the lead agency."))
    if data.budget is None or data.budget < 0:
        raise InvalidField("budget", _("The budget cannot be negative."))
    if data.budget > MAX_BUDGET:
        raise InvalidField("budget", _("The budget is over 1 trillion baht; check the figure."))
    if data.funding_source not in FundingSource.values:
        raise InvalidField("funding_source", _("Unknown funding source."))
    if set(data.partners) - set(PartnerSector.values):
        raise InvalidField("partners", _("Unknown partner sector."))
    if data.end_fy < data.start_fy:
        raise InvalidField("end_fy", _("A project cannot end before it starts."))
    if not (2550 <= data.start_fy <= 2700 and 2550 <= data.end_fy <= 2700):
        raise InvalidField("start_fy", _("Fiscal years are Buddhist Era years, e.g. 2570."))
    if data.status not in ProjectStatus.values:
        raise InvalidField("status", _("Unknown project status."))
    if data.kpi_target is not None and data.kpi_target < 0:
        raise InvalidField("kpi_target", _("The KPI target cannot be negative."))
    if data.kpi_actual is not None and data.kpi_actual < 0:
        raise InvalidField("kpi_actual", _("The KPI actual cannot be negative."))
    provinces = list(Province.objects.filter(pk__in=data.province_ids))
    if strategy.cluster_id:
        if any(p.cluster_id != strategy.cluster_id for p in provinces):
            raise InvalidField("provinces", _("A cluster project runs in the cluster's member provinces."))
        if len(provinces) < 2:
            raise InvalidField(
                "provinces",
                _(
                    "A cluster's project must cover at least two member provinces: cluster plans are for work whose "
                    "scope or benefit spans more than one province."
                ),
            )
    elif not provinces:
        provinces = [strategy.province]
    return provinces


@transaction.atomic
def project_save(
    *, strategy: Strategy, data: ProjectData, by: User, project: Project | None = None
) -> Project:
    if not can_edit_strategy(by, strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can change its projects."))
    if strategy.status in (StrategyStatus.DONE, StrategyStatus.DROPPED):
        raise WorkflowError(_("The strategy is closed: its projects can no longer change."))
    provinces = _check_project(strategy, data)
    project = project or Project(strategy=strategy)
    if project.strategy_id != strategy.pk:
        raise WorkflowError(_("This project belongs to another strategy."))
    for name in ("title_th", "title_en", "lead_agency", "budget", "funding_source", "start_fy", "end_fy",
                 "status", "kpi", "kpi_target", "kpi_actual", "kpi_unit"):  # fmt: skip
        value = getattr(data, name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    project.partners = sorted(set(data.partners))
    project._history_user = by
    project.save()
    project.provinces.set(provinces)
    return project


@transaction.atomic
def project_progress(
    *, project: Project, progress: int, note: str, by: User, on: dt.date | None = None
) -> ProgressNote:
    if not can_edit_strategy(by, project.strategy):
        raise WorkflowError(_("Only the owner's planners or secretariat can report progress."))
    if not 0 <= progress <= 100:
        raise WorkflowError(_("Progress is between 0 and 100 per cent."))
    if not note.strip():
        raise WorkflowError(_("Write what was done."))
    project.progress = progress
    if progress > 0 and project.status == ProjectStatus.PLANNED:
        project.status = ProjectStatus.IN_PROGRESS
    if progress == 100:
        project.status = ProjectStatus.DONE
    project._history_user = by
    project.save(update_fields=["progress", "status", "updated_at"])
    return ProgressNote.objects.create(
        project=project, on=on or timezone.localdate(), progress=progress, note=note.strip(), author=by
    )
