"""What a briefing request asks for: the subject, the year, the language, the sections and the meeting.

``BriefingSpec`` holds the same facts whether a job, a test or the command line asks; SECTION_KEYS (with
their labels, ``section_choices``) are the sections a request may choose, ``parse_sections`` reads a stored or
typed choice of them. Nothing here reads the database: gather.py loads what the spec names.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import Classification


@dataclass(frozen=True)
class Meeting:
    """The meeting a briefing is for, printed on the cover (all optional; plain text, escaped when printed).
    ``classification`` (a Classification value) is printed on every page when set."""

    name: str = ""
    date: dt.date | None = None
    venue: str = ""
    classification: str = ""
    prepared_by: str = ""

    def __bool__(self) -> bool:
        return any([self.name, self.date, self.venue, self.classification, self.prepared_by])

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label) if self.classification else ""


@dataclass(frozen=True)
class BriefingSpec:
    """What to render: the same facts whether a job, a test or the command line asks."""

    kind: str
    subject: str
    fiscal_year: int
    language: str = "th"
    include_unapproved: bool = False
    sections: tuple[str, ...] = ()  # SECTION_KEYS chosen, in document order; empty: every section
    meeting: Meeting = field(default_factory=Meeting)

    @classmethod
    def of(cls, briefing) -> "BriefingSpec":
        return cls(
            kind=briefing.kind,
            subject=briefing.subject,
            fiscal_year=briefing.fiscal_year,
            language=briefing.language,
            include_unapproved=briefing.includes_unapproved,
            sections=parse_sections(briefing.sections),
            meeting=Meeting(
                name=briefing.meeting_name,
                date=briefing.meeting_date,
                venue=briefing.meeting_venue,
                classification=briefing.classification,
                prepared_by=briefing.prepared_by,
            ),
        )

    @property
    def options_key(self) -> str:
        """A digest of the chosen sections and the meeting ("" when neither is chosen): with the other
        facts, what makes two requests identical."""
        if not self.sections and not self.meeting:
            return ""
        m = self.meeting
        raw = json.dumps(
            [list(self.sections), m.name, m.date.isoformat() if m.date else "", m.venue, m.classification,
             m.prepared_by],
            ensure_ascii=False,
        )  # fmt: skip
        return hashlib.sha256(raw.encode()).hexdigest()

    def wants(self, key: str) -> bool:
        """Whether the section ``key`` was chosen ("" — a section outside the choice — always is)."""
        return not self.sections or not key or key in self.sections


def section_choices() -> list[tuple[str, str]]:
    """The sections a request may choose, in document order: (key, label). A section without data for the
    subject (a map in a province briefing, say) is simply absent, chosen or not."""
    return [
        ("summary", _("Executive summary")),
        ("readiness", _("Readiness for the ASEAN Community")),
        ("trends", _("Trends over the years")),
        ("map", _("Map of readiness")),
        ("provinces", _("Member provinces")),
        ("cluster", _("Within the provincial cluster")),
        ("strategies", _("Strategies on the ASEAN-goal × national-interest matrix")),
        ("projects", _("Projects and budgets")),
        ("decision", _("Decision support")),
        ("clusters", _("The provincial clusters and Bangkok")),
        ("changes", _("What changed since the last approved version")),
    ]


SECTION_KEYS = ("summary", "readiness", "trends", "map", "provinces", "cluster", "strategies", "projects", "decision",
                "clusters", "changes")  # fmt: skip


def parse_sections(value: str | list | tuple | None) -> tuple[str, ...]:
    """A stored or typed choice of sections ("readiness,strategies") as SECTION_KEYS in document order; ()
    for every section (an empty choice, or all of them). Raises ValueError naming the unknown ones."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    wanted = {str(i).strip().lower() for i in items if str(i).strip()}
    unknown = wanted - set(SECTION_KEYS)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    chosen = tuple(k for k in SECTION_KEYS if k in wanted)
    return () if set(chosen) == set(SECTION_KEYS) else chosen
