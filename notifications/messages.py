"""The words of a notification, in the reader's language: what happened, who did it and to what.

Written when shown (never stored), from the kind, the params and the target. ``target`` is the object as the
reader may open it — None when they may not (or it is gone): the message then names the kind of object
only, never its title. Names, never codes; dates with B.E. years.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language, gettext, ngettext, pgettext

from briefings.choices import BriefingKind
from briefings.models import Briefing
from provinces import thai
from provinces.models import Cluster, Province
from readiness.models import Assessment
from strategies.models import OverlapVerdict, Project, Strategy

from .choices import NotificationKind
from .models import Notification


@dataclass(frozen=True)
class Message:
    text: str  # one sentence: what happened
    detail: str = ""  # the reader's own words quoted (a comment, a reason), if any


def _who(user) -> str:
    if user is None:
        return gettext("The system")
    return user.get_full_name() or user.username


def _date(value: str | None) -> str:
    """An ISO date from the params, as a B.E. date in the reader's language ("" when missing or bad)."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return ""
    return thai.format_date(day, get_language() or "th")


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _quoted(text: str) -> str:
    return f"“{text}”"


def _province(province: Province) -> str:
    """A province's name in a sentence: "จังหวัดเชียงใหม่" in Thai; Bangkok is no จังหวัด."""
    if province.is_bangkok:
        return province.name
    return pgettext("a province in a sentence", "%(name)s") % {"name": province.name}


def _assessment(target: models.Model | None, notification: Notification) -> str:
    if isinstance(target, Assessment):
        return gettext("the readiness assessment of %(province)s for FY %(year)s") % {
            "province": _province(target.province),
            "year": target.round.fiscal_year,
        }
    return gettext("a readiness assessment")


def _strategy(target: models.Model | None) -> str:
    if isinstance(target, Strategy):
        return gettext("the strategy %(title)s") % {"title": _quoted(target.title)}
    return gettext("a strategy")


def _project(target: models.Model | None) -> str:
    if isinstance(target, Project):
        return gettext("the project %(title)s") % {"title": _quoted(target.title)}
    return gettext("a project")


def _unit(target: models.Model | None) -> str:
    if isinstance(target, Province):
        return _province(target)
    if isinstance(target, Cluster):
        return target.name
    return gettext("a province or cluster")


def _province_assessment(target: models.Model | None, notification: Notification) -> str:
    """The assessment a reminder is about: the province's, for the notification's round."""
    year = notification.round.fiscal_year if notification.round_id and notification.round else None
    if isinstance(target, Province) and year:
        return gettext("the readiness assessment of %(province)s for FY %(year)s") % {
            "province": _province(target),
            "year": year,
        }
    if isinstance(target, Province):
        return gettext("the readiness assessment of %(province)s") % {"province": _province(target)}
    return gettext("a readiness assessment")


def _briefing(target: models.Model | None, subject_names: dict[str, str]) -> str:
    if isinstance(target, Briefing):
        subject = (
            gettext("the whole country")
            if target.kind == BriefingKind.NATIONAL
            else subject_names.get(target.subject, target.subject)
        )
        return gettext("the %(kind)s of %(subject)s for FY %(year)s") % {
            "kind": target.get_kind_display().lower()
            if get_language() == "en"
            else target.get_kind_display(),
            "subject": subject,
            "year": target.fiscal_year,
        }
    return gettext("a briefing")


def _days_left(days: int, date: str) -> str:
    if days > 1:
        return ngettext(
            "is due in %(days)s day, on %(date)s", "is due in %(days)s days, on %(date)s", days
        ) % {
            "days": days,
            "date": date,
        }
    if days == 1:
        return gettext("is due tomorrow, %(date)s") % {"date": date}
    if days == 0:
        return gettext("is due today, %(date)s") % {"date": date}
    return _overdue(-days, date)


def _overdue(days: int, date: str) -> str:
    if days <= 0:
        return gettext("is due today, %(date)s") % {"date": date}
    return ngettext(
        "is %(days)s day overdue (it was due on %(date)s)",
        "is %(days)s days overdue (it was due on %(date)s)",
        days,
    ) % {"days": days, "date": date}


def describe(
    notification: Notification, target: models.Model | None, subject_names: dict[str, str] | None = None
) -> Message:
    """The message of a notification for its reader; ``target`` as the reader may open it, else None."""
    kind = notification.kind
    params = notification.params if isinstance(notification.params, dict) else {}
    actor = _who(notification.actor)
    K = NotificationKind
    if kind == K.ASSESSMENT_SUBMITTED:
        return Message(
            gettext("%(actor)s submitted %(assessment)s")
            % {"actor": actor, "assessment": _assessment(target, notification)}
        )
    if kind == K.ASSESSMENT_RETURNED:
        return Message(
            gettext("%(actor)s returned %(assessment)s with comments")
            % {"actor": actor, "assessment": _assessment(target, notification)},
            str(params.get("comment", "")),
        )
    if kind == K.ASSESSMENT_APPROVED:
        return Message(
            gettext("%(actor)s approved %(assessment)s")
            % {"actor": actor, "assessment": _assessment(target, notification)}
        )
    if kind == K.COMMENT:
        return Message(
            gettext("%(actor)s commented on %(strategy)s") % {"actor": actor, "strategy": _strategy(target)},
            str(params.get("excerpt", "")),
        )
    if kind == K.MENTION:
        return Message(
            gettext("%(actor)s mentioned you in a comment on %(strategy)s")
            % {"actor": actor, "strategy": _strategy(target)},
            str(params.get("excerpt", "")),
        )
    if kind == K.QUADRANT_OVERRIDE:
        return Message(
            gettext("%(actor)s placed %(strategy)s in quadrant %(quadrant)s")
            % {"actor": actor, "strategy": _strategy(target), "quadrant": str(params.get("quadrant", ""))},
            str(params.get("reason", "")),
        )
    if kind == K.OVERRIDE_WITHDRAWN:
        return Message(
            gettext("%(actor)s withdrew the quadrant change of %(strategy)s")
            % {"actor": actor, "strategy": _strategy(target)}
        )
    if kind == K.STRATEGY_ENDORSED:
        return Message(
            gettext("%(actor)s endorsed %(strategy)s") % {"actor": actor, "strategy": _strategy(target)},
            str(params.get("comment", "")),
        )
    if kind == K.STRATEGY_RETURNED:
        return Message(
            gettext("%(actor)s returned %(strategy)s with comments")
            % {"actor": actor, "strategy": _strategy(target)},
            str(params.get("comment", "")),
        )
    if kind == K.OVERLAP_DECISION:
        other = str(params.get("other", "") or "")
        other_text = (
            gettext("the strategy %(title)s") % {"title": _quoted(other)}
            if other
            else gettext("another strategy")
        )
        values = {"actor": actor, "strategy": _strategy(target), "other": other_text}
        if params.get("verdict") == OverlapVerdict.MERGED:
            text = gettext("%(actor)s merged %(strategy)s with %(other)s into a cluster strategy") % values
        else:
            text = gettext("%(actor)s decided that %(strategy)s and %(other)s do not overlap") % values
        return Message(text)
    if kind == K.SIMILAR_STRATEGY:
        other = str(params.get("other", "") or "")
        values = {
            "actor": actor,
            "strategy": _strategy(target),
            "other": gettext("your strategy %(title)s") % {"title": _quoted(other)}
            if other
            else gettext("one of your strategies"),
        }
        if params.get("created"):
            text = gettext("%(actor)s drafted %(strategy)s, which is similar to %(other)s") % values
        else:
            text = gettext("%(actor)s reworded %(strategy)s, which is now similar to %(other)s") % values
        return Message(text)
    if kind == K.IMPORT_CHANGED:
        created, changed = _int(params.get("created")), _int(params.get("changed"))
        return Message(
            gettext(
                "An import by %(actor)s changed the strategies of %(unit)s: %(created)s new, %(changed)s changed"
            )
            % {"actor": actor, "unit": _unit(target), "created": created, "changed": changed}
        )
    if kind == K.BRIEFING_READY:
        return Message(
            gettext("%(briefing)s is ready to download")
            % {"briefing": _capitalised(_briefing(target, subject_names or {}))}
        )
    if kind == K.REMINDER_ASSESSMENT_DUE:
        return Message(
            _capitalised(
                pgettext("reminder", "%(assessment)s %(when)s")
                % {
                    "assessment": _province_assessment(target, notification),
                    "when": _days_left(_int(params.get("days_left")), _date(params.get("closes_on"))),
                }
            )
        )
    if kind == K.REMINDER_ASSESSMENT_ESCALATION:
        days = _int(params.get("days_overdue"))
        return Message(
            _capitalised(
                ngettext(
                    "%(assessment)s is %(days)s working day overdue (it was due on %(date)s) and not yet submitted",
                    "%(assessment)s is %(days)s working days overdue (it was due on %(date)s) and not yet submitted",
                    days,
                )
                % {
                    "assessment": _province_assessment(target, notification),
                    "days": days,
                    "date": _date(params.get("closes_on")),
                }
            )
        )
    if kind == K.REMINDER_REVIEW_DUE:
        return Message(
            _capitalised(
                gettext("The review of %(assessment)s %(when)s")
                % {
                    "assessment": _assessment(target, notification),
                    "when": _overdue(_int(params.get("days_overdue")), _date(params.get("due_on"))),
                }
            )
        )
    if kind == K.REMINDER_STRATEGY_REVIEW_DUE:
        return Message(
            gettext("The review of %(strategy)s %(when)s")
            % {
                "strategy": _strategy(target),
                "when": _overdue(_int(params.get("days_overdue")), _date(params.get("due_on"))),
            }
        )
    if kind == K.REMINDER_PROGRESS_DUE:
        return Message(
            gettext(
                "The progress report of %(project)s for quarter %(quarter)s of FY %(year)s is due on %(date)s"
            )
            % {
                "project": _project(target),
                "quarter": _int(params.get("quarter")),
                "year": _int(params.get("fiscal_year")),
                "date": _date(params.get("due_on")),
            }
        )
    return Message(gettext("%(actor)s: %(kind)s") % {"actor": actor, "kind": notification.get_kind_display()})


def _capitalised(text: str) -> str:
    """English sentences start with a capital; Thai has none (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:] if text else text
