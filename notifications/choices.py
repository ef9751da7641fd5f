"""Choices of the notifications app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.utils.translation import gettext_lazy as _

from provinces.choices import BadgeChoices


class NotificationKind(BadgeChoices):
    """What happened. The values are shared with the apps that announce the events: do not rename them."""

    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted")
    ASSESSMENT_RETURNED = "assessment_returned", _("Assessment returned")
    ASSESSMENT_APPROVED = "assessment_approved", _("Assessment approved")
    COMMENT = "comment", _("Comment")
    MENTION = "mention", _("Mention")
    QUADRANT_OVERRIDE = "quadrant_override", _("Quadrant changed by an advisor")
    OVERRIDE_WITHDRAWN = "override_withdrawn", _("Quadrant change withdrawn")
    STRATEGY_ENDORSED = "strategy_endorsed", _("Strategy endorsed")
    STRATEGY_RETURNED = "strategy_returned", _("Strategy returned")
    OVERLAP_DECISION = "overlap_decision", _("Overlap decision")
    IMPORT_CHANGED = "import_changed", _("Strategies changed by an import")
    SIMILAR_STRATEGY = "similar_strategy", _("Similar strategy in your cluster")
    BRIEFING_READY = "briefing_ready", _("Briefing ready")
    REMINDER_ASSESSMENT_DUE = "reminder_assessment_due", _("Reminder: assessment due")
    REMINDER_ASSESSMENT_ESCALATION = "reminder_assessment_escalation", _("Overdue assessment")
    REMINDER_REVIEW_DUE = "reminder_review_due", _("Reminder: review due")
    REMINDER_STRATEGY_REVIEW_DUE = "reminder_strategy_review_due", _("Reminder: strategy review due")
    REMINDER_PROGRESS_DUE = "reminder_progress_due", _("Reminder: progress report due")

    __colours__ = {
        "assessment_submitted": "info",
        "assessment_returned": "warning",
        "assessment_approved": "success",
        "comment": "primary",
        "mention": "primary",
        "quadrant_override": "warning",
        "override_withdrawn": "secondary",
        "strategy_endorsed": "success",
        "strategy_returned": "warning",
        "overlap_decision": "info",
        "import_changed": "secondary",
        "similar_strategy": "info",
        "briefing_ready": "success",
        "reminder_assessment_due": "warning",
        "reminder_assessment_escalation": "danger",
        "reminder_review_due": "warning",
        "reminder_strategy_review_due": "warning",
        "reminder_progress_due": "warning",
    }


class Delivery(BadgeChoices):
    """How a user wants a kind of notification mailed. In-app notifications are always kept."""

    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Do not send")

    __colours__ = {"immediate": "primary", "digest": "info", "off": "secondary"}
