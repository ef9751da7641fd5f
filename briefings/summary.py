"""The executive summary: five to eight key messages, and the decisions requested of the meeting.

Every message is read from what the document's own sections show (their contexts, built from the same
selectors, as the same viewer), so a number in the summary is the number in its section, and a strategy or a
province the viewer may not see cannot appear here when it does not appear there. Each message links to the
section it summarises; a section that is not in the document (not chosen, or without data) has no message.

The only queries of its own: the last briefing of the same subject (for "what changed since"), and the
strategies awaiting endorsement — both counted, through the viewer's access helpers.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from provinces.thai import format_baht
from readiness.choices import AssessmentStatus, Dimension
from readiness.deadlines import review_due_on
from readiness.scoring import rounded
from strategies.access import visible_strategies
from strategies.choices import StrategyStatus

from . import access
from .choices import BriefingKind, BriefingStatus
from .gather import BriefingData
from .models import Briefing
from .sections import Section

TOP_QUADRANT = "ก"  # high effect on ASEAN goals and on the national interest


@dataclass
class Message:
    """One line of the summary: its text (plain: the template escapes it) and the section it links to.
    ``figures`` keeps the numbers the text states, for tests and for whoever reuses the summary."""

    text: str
    anchor: str
    figures: dict = field(default_factory=dict)


def _score(value: float | None) -> str:
    return "–" if value is None else str(rounded(value))


def _baht(value, language: str) -> str:
    return format_baht(value, language)


def _find(sections: list[Section], key: str) -> Section | None:
    return next((s for s in sections if s.key == key), None)


# --- the key messages -------------------------------------------------------------------------------


def _readiness_messages(data: BriefingData, section: Section, threshold: float) -> list[Message]:
    labels = {d.value: str(d.label) for d in Dimension}
    out: list[Message] = []
    spreads = data.rollup.spreads
    if data.kind == BriefingKind.PROVINCE:
        values = data.rollup.rows[0].values if data.rollup.rows else {}
    else:
        values = {k: spreads[k].mean for k in labels}
    known = {k: v for k in labels if (v := values.get(k)) is not None}
    below = {k: v for k, v in known.items() if v < threshold}
    if not known:
        text = _("No readiness figures are available yet for this subject.")
    elif below:
        text = _("Dimensions below the threshold of %(threshold)s: %(items)s.") % {
            "threshold": _score(threshold),
            "items": ", ".join(f"{labels[k]} {_score(v)}" for k, v in below.items()),
        }
    else:
        text = _("Every dimension is at or above the threshold of %(threshold)s.") % {
            "threshold": _score(threshold)
        }
    out.append(Message(text, section.anchor, {"below": {k: rounded(v) for k, v in below.items()}}))
    if data.kind != BriefingKind.PROVINCE:
        approved, total = data.rollup.approved_count, len(data.rollup.rows)
        text = _("%(approved)s of %(total)s provinces have approved figures for FY %(year)s.") % {
            "approved": approved,
            "total": total,
            "year": data.round.fiscal_year,
        }
        out.append(Message(text, section.anchor, {"approved": approved, "provinces": total}))
    if data.kind != BriefingKind.PROVINCE and data.rollup.compared:
        lowest = {k: (p, spreads[k].min) for k in labels if (p := spreads[k].lagging) is not None}
        if lowest:
            text = _("Provinces with the lowest scores: %(items)s.") % {
                "items": "; ".join(
                    f"{labels[k]} — {p.name} ({_score(low)})" for k, (p, low) in lowest.items()
                )
            }
            figures = {"lowest": {k: (p.code, rounded(low)) for k, (p, low) in lowest.items()}}
            out.append(Message(text, section.anchor, figures))
    return out


def _strategy_message(data: BriefingData, section: Section) -> Message:
    strategies = [s for _letter, items in section.context["by_quadrant"] for s in items]
    top = [s for s in strategies if s.quadrant == TOP_QUADRANT]
    budget = sum((s.total_budget for s in top), Decimal(0))
    text = ngettext(
        "%(count)s strategy in quadrant ก (high effect on both axes), with projects of %(budget)s, "
        "out of %(all)s strategies.",
        "%(count)s strategies in quadrant ก (high effect on both axes), with projects of %(budget)s, "
        "out of %(all)s strategies.",
        len(top),
    ) % {"count": len(top), "budget": _baht(budget, data.spec.language), "all": len(strategies)}
    return Message(text, section.anchor, {"top": len(top), "budget": budget, "all": len(strategies)})


def _projects_message(data: BriefingData, section: Section) -> Message:
    funding = section.context["funding"]
    count = sum(f.count for f in funding)
    text = ngettext(
        "%(count)s project with a total budget of %(total)s.",
        "%(count)s projects with a total budget of %(total)s.",
        count,
    ) % {"count": count, "total": _baht(section.context["total"], data.spec.language)}
    if funding:
        largest = max(funding, key=lambda f: f.amount)
        text += " " + _("The largest source: %(source)s (%(amount)s).") % {
            "source": largest.source.label,
            "amount": _baht(largest.amount, data.spec.language),
        }
    return Message(text, section.anchor, {"projects": count, "total": section.context["total"]})


def _overlap_count(section: Section) -> int:
    if "rows" in section.context:  # the national summary: counts per cluster
        return sum(r.overlap_groups for r in section.context["rows"])
    return len(section.context["groups"])


def _decision_messages(data: BriefingData, section: Section) -> list[Message]:
    overlaps = _overlap_count(section)
    out = [
        Message(
            ngettext(
                "%(count)s group of overlapping strategies awaits a decision (merge or keep apart).",
                "%(count)s groups of overlapping strategies await a decision (merge or keep apart).",
                overlaps,
            )
            % {"count": overlaps}
            if overlaps
            else _("No overlapping strategies await a decision."),
            section.anchor,
            {"overlaps": overlaps},
        )
    ]
    if "rows" in section.context:
        flagged = sum(r.flagged for r in section.context["rows"])
        routes: Counter = Counter()
    else:
        flagged = len(section.context["flagged"])
        routes = Counter(
            str(f.flag.routes[0].choice.label) for f in section.context["flagged"] if f.flag.routes
        )
    if flagged:
        text = ngettext(
            "%(count)s project is beyond one province's budget.",
            "%(count)s projects are beyond one province's budget.",
            flagged,
        ) % {"count": flagged}
        if routes:
            text += " " + _("Proposed route: %(routes)s.") % {
                "routes": ", ".join(
                    ngettext("%(route)s for %(count)s project", "%(route)s for %(count)s projects", n)
                    % {"route": label, "count": n}
                    for label, n in routes.most_common()
                )
            }
        out.append(Message(text, section.anchor, {"flagged": flagged, "routes": dict(routes)}))
    else:
        out.append(Message(_("No project is beyond one province's budget."), section.anchor, {"flagged": 0}))
    return out


def _previous_briefing(data: BriefingData) -> Briefing | None:
    """The last finished briefing of the same subject and year made for the same view, if any."""
    return (
        Briefing.objects.filter(
            kind=data.spec.kind,
            subject=data.subject.code,
            fiscal_year=data.spec.fiscal_year,
            audience=access.audience_of(data.viewer, data.subject),
            status=BriefingStatus.DONE,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .only("finished_at")
        .first()
    )


def _changes_message(data: BriefingData, sections: list[Section]) -> Message | None:
    previous = _previous_briefing(data)
    if previous is None or previous.finished_at is None:  # a finished briefing has its time (the filter)
        return None
    since: dt.datetime = previous.finished_at
    assessments = sum(1 for r in data.rollup.rows if r.assessment and r.assessment.updated_at > since)
    strategies = sum(
        1 for s in (data.strategies.strategies if data.strategies else []) if s.updated_at > since
    )
    target = _find(sections, "changes") or _find(sections, "readiness") or _find(sections, "strategies")
    if target is None:
        return None
    from provinces.templatetags.thai import be_date

    text = _(
        "Since the last briefing (%(date)s): %(assessments)s assessments and %(strategies)s strategies changed."
    ) % {"date": be_date(since), "assessments": assessments, "strategies": strategies}
    return Message(text, target.anchor, {"assessments": assessments, "strategies": strategies})


# --- the decisions requested -----------------------------------------------------------------------


def _awaiting_endorsement(data: BriefingData) -> int:
    """Strategies of the subject proposed to the advisor and not yet decided, that the viewer may see."""
    qs = visible_strategies(data.viewer).filter(
        fiscal_year=data.spec.fiscal_year, status=StrategyStatus.PROPOSED
    )
    if data.kind == BriefingKind.PROVINCE:
        qs = qs.filter(province=data.subject.province)
    elif data.kind == BriefingKind.CLUSTER:
        qs = qs.filter(Q(cluster=data.subject.cluster) | Q(province__cluster=data.subject.cluster))
    return qs.count()


def _overdue(data: BriefingData, today: dt.date) -> int:
    """Assessments of the subject's provinces that are late: not submitted after the round closed, or
    submitted and waiting for the advisor past the review due date (readiness.deadlines)."""
    late = 0
    closed = today > data.round.closes_on
    for row in data.rollup.rows:
        a = row.assessment
        status = a.status if a else ""
        if a is not None and status == AssessmentStatus.SUBMITTED:
            due = review_due_on(a)
            late += bool(due and today > due)
        elif status != AssessmentStatus.APPROVED and closed:
            late += 1
    return late


def _decisions_requested(data: BriefingData, sections: list[Section]) -> list[Message]:
    out = []
    decision, strategies, readiness = (_find(sections, k) for k in ("decision", "strategies", "readiness"))
    if decision is not None and (overlaps := _overlap_count(decision)):
        out.append(
            Message(
                ngettext(
                    "Decide whether to merge %(count)s group of overlapping strategies.",
                    "Decide whether to merge %(count)s groups of overlapping strategies.",
                    overlaps,
                )
                % {"count": overlaps},
                decision.anchor,
                {"overlaps": overlaps},
            )
        )
    if strategies is not None and (waiting := _awaiting_endorsement(data)):
        out.append(
            Message(
                ngettext(
                    "%(count)s strategy awaits the advisor's endorsement.",
                    "%(count)s strategies await the advisor's endorsement.",
                    waiting,
                )
                % {"count": waiting},
                strategies.anchor,
                {"awaiting": waiting},
            )
        )
    if readiness is not None and (late := _overdue(data, timezone.localdate())):
        out.append(
            Message(
                ngettext(
                    "%(count)s assessment is overdue: follow it up.",
                    "%(count)s assessments are overdue: follow them up.",
                    late,
                )
                % {"count": late},
                readiness.anchor,
                {"overdue": late},
            )
        )
    return out


def summary_section(data: BriefingData, sections: list[Section]) -> Section | None:
    """The executive summary of ``sections`` (the document's other sections, already built)."""
    from strategies.decision.selectors import gap_threshold

    messages: list[Message] = []
    if readiness := _find(sections, "readiness"):
        messages += _readiness_messages(data, readiness, gap_threshold())
    if strategies := _find(sections, "strategies"):
        messages.append(_strategy_message(data, strategies))
    if projects := _find(sections, "projects"):
        messages.append(_projects_message(data, projects))
    if decision := _find(sections, "decision"):
        messages += _decision_messages(data, decision)
    if changed := _changes_message(data, sections):
        messages.append(changed)
    decisions = _decisions_requested(data, sections)
    if not messages and not decisions:
        return None
    return Section(
        key="summary",
        title=_("Executive summary"),
        template="briefings/pdf/summary.html",
        context={"messages": messages[:8], "decisions": decisions},
    )
