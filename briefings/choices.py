"""Choices of the briefings app. Each choice carries its label and the Bootstrap colour of its badge."""

from django.utils.translation import gettext_lazy as _

from provinces.choices import BadgeChoices

# The subject code of the national briefing (the whole country).
NATIONAL_SUBJECT = "TH"


class BriefingKind(BadgeChoices):
    """What a briefing is about: one province, one provincial cluster, or the whole country."""

    PROVINCE = "province", _("Province briefing")
    CLUSTER = "cluster", _("Cluster briefing")
    NATIONAL = "national", _("National briefing")

    __colours__ = {"province": "primary", "cluster": "success", "national": "dark"}


class BriefingStatus(BadgeChoices):
    """queued → running → done | failed; a failed job can be retried (→ queued)."""

    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")

    __colours__ = {"queued": "secondary", "running": "info", "done": "success", "failed": "danger"}


ACTIVE_STATUSES = (BriefingStatus.QUEUED, BriefingStatus.RUNNING)


class BriefingFormat(BadgeChoices):
    """The file: a PDF to print and forward, or a Word document to edit (the same content)."""

    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")

    __colours__ = {"pdf": "danger", "docx": "primary"}


FORMAT_FILES = {  # format → (file extension, content type)
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


class BriefingLanguage(BadgeChoices):
    """The language the document is written in (Thai is the default, as everywhere in the product)."""

    TH = "th", _("Thai")
    EN = "en", _("English")

    __colours__ = {"th": "light", "en": "light"}


class Classification(BadgeChoices):
    """How a briefing is classified, printed on every page when set (ระเบียบว่าด้วยการรักษาความลับ)."""

    GENERAL = "general", _("General")
    INTERNAL = "internal", _("For internal use")
    SECRET = "secret", _("Secret")

    __colours__ = {"general": "secondary", "internal": "warning", "secret": "danger"}
