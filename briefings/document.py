"""The document of a briefing: its sections numbered, with what the cover and every page print.

``document`` gathers the data (gather.py) for a viewer, runs the section builders (sections.py) and puts the
executive summary (summary.py) first; the PDF (rendering.py) and the DOCX (docx.py) are both laid out from it.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone, translation

from readiness.models import Round

from .access import Subject
from .choices import BriefingKind
from .gather import BriefingData, gather
from .sections import BUILDER_KEYS, SECTION_BUILDERS, Builder, Section
from .spec import BriefingSpec
from .summary import summary_section


@dataclass
class Document:
    spec: BriefingSpec
    subject: Subject
    subject_name: str
    round: Round
    previous_round: Round | None
    generated_at: dt.datetime
    sections: list[Section]
    is_draft: bool
    member_names: list[str]
    shows_map: bool = False  # a page with the map must print MAP_ATTRIBUTION in its footer


APPENDIX_LETTERS = {"th": "กขคงจฉชซฌญ", "en": "ABCDEFGHIJ"}


def build(data: BriefingData, builders: list[Builder] | None = None) -> Document:
    """Run the section builders over the data; number the sections that have something to show. The
    executive summary goes first and reads what the other sections show (summary.py)."""
    chosen = [b for b in (builders or SECTION_BUILDERS) if data.spec.wants(BUILDER_KEYS.get(b) or "")]
    sections = [s for builder in chosen if (s := builder(data)) is not None and data.spec.wants(s.key)]
    summary = summary_section(data, sections) if builders is None and data.spec.wants("summary") else None
    if summary is not None:
        sections.insert(0, summary)
    body = [s for s in sections if not s.appendix]
    for number, section in enumerate(body, start=1):
        section.number = str(number)
    letters = APPENDIX_LETTERS.get(data.spec.language, APPENDIX_LETTERS["en"])
    for letter, section in zip(letters, [s for s in sections if s.appendix], strict=False):
        section.number = letter
    members = [r.province.name for r in data.rollup.rows] if data.kind == BriefingKind.CLUSTER else []
    return Document(
        spec=data.spec,
        subject=data.subject,
        subject_name=data.subject.name,
        round=data.round,
        previous_round=data.previous_round,
        generated_at=timezone.localtime(),
        sections=body + [s for s in sections if s.appendix],
        is_draft=any(r.values and not r.official for r in data.rollup.rows)
        or bool(data.strategies and data.strategies.includes_unapproved),
        member_names=members,
        shows_map=any(s.key == "map" for s in sections),
    )


def document(spec: BriefingSpec, *, viewer: User) -> Document:
    """Gather and build for ``viewer``, in the briefing's language (names, labels and chart text follow it)."""
    with translation.override(spec.language):
        return build(gather(spec, viewer=viewer))
