"""Render a briefing synchronously, for operators, scripts and the benchmark.

    python manage.py render_briefing --as somchai --kind cluster --subject N-UP1 --fiscal-year 2570 \
        --out briefing.pdf   (or --format docx --out briefing.docx; --sections summary,readiness)

It goes through the very same pipeline as the background job (rendering.briefing_file: gather the data,
build the sections, WeasyPrint with the safe URL fetcher) but creates no job row; it only wants the bytes and
the time it took. Like every briefing, the document is made for a user: ``--as`` names whose view it prints
(an administrator's for everything; a planner's to see exactly what that planner would get). There is no
default, so that nobody prints another province's drafts by leaving an option out. Without --fiscal-year the
current round is used.

The meeting options (--meeting-name, --meeting-date, --venue, --classification, --prepared-by) are cleaned by
the request form's own fields, so the command line accepts exactly what the form accepts.
"""

import time
from pathlib import Path

from django import forms
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from briefings.choices import NATIONAL_SUBJECT, BriefingFormat, BriefingKind, BriefingLanguage, Classification
from briefings.forms import MEETING_FIELDS, BriefingRequestForm
from briefings.gather import BriefingDataError
from briefings.rendering import briefing_file
from briefings.spec import SECTION_KEYS, BriefingSpec, Meeting, parse_sections
from readiness import selectors as readiness

# The request form's meeting fields themselves (not copies of their rules): a form of just those fields.
MeetingForm = type(
    "MeetingForm", (forms.Form,), {name: BriefingRequestForm.base_fields[name] for name in MEETING_FIELDS}
)
# Option name -> form field.
MEETING_OPTIONS = {
    "meeting_name": "meeting_name",
    "meeting_date": "meeting_date",
    "venue": "meeting_venue",
    "classification": "classification",
    "prepared_by": "prepared_by",
}


def meeting_from_options(options: dict) -> Meeting:
    """The Meeting the options ask for, cleaned as the request form cleans it; CommandError otherwise."""
    form = MeetingForm({field: options.get(option) or "" for option, field in MEETING_OPTIONS.items()})
    if not form.is_valid():
        labels = {field: "--" + option.replace("_", "-") for option, field in MEETING_OPTIONS.items()}
        problems = []
        for field, errors in form.errors.items():
            problem = f"{labels.get(field, field)}: {' '.join(errors)}"
            if field == "classification":
                problem += " " + _("The choices are: %(choices)s") % {
                    "choices": ", ".join(Classification.values)
                }
            problems.append(problem)
        raise CommandError("; ".join(problems))
    data = form.cleaned_data
    return Meeting(
        name=data.get("meeting_name") or "",
        date=data.get("meeting_date"),
        venue=data.get("meeting_venue") or "",
        classification=data.get("classification") or "",
        prepared_by=data.get("prepared_by") or "",
    )


class Command(BaseCommand):
    help = "Render a briefing (PDF or Word) synchronously (no job, no worker) and write it to --out."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="the user whose view the document prints (an administrator's: everything)",
        )
        parser.add_argument("--kind", required=True, choices=BriefingKind.values)
        parser.add_argument("--subject", default="", help="TH-50, N-UP1, or TH for the national briefing")
        parser.add_argument("--fiscal-year", type=int, help="B.E., e.g. 2570 (default: the current round)")
        parser.add_argument("--language", default=BriefingLanguage.TH, choices=BriefingLanguage.values)
        parser.add_argument(
            "--include-unapproved",
            action="store_true",
            help="print figures not yet approved (the document is marked DRAFT)",
        )
        parser.add_argument(
            "--format", dest="file_format", default=BriefingFormat.PDF, choices=BriefingFormat.values
        )
        parser.add_argument(
            "--sections",
            default="",
            help="the sections to print, comma-separated (default: all): " + ", ".join(SECTION_KEYS),
        )
        parser.add_argument("--out", required=True, help="the file to write (.pdf or .docx)")
        parser.add_argument("--meeting-name", default="", help="the meeting, printed on the cover")
        parser.add_argument("--meeting-date", default="", help="YYYY-MM-DD, as the request form takes it")
        parser.add_argument("--venue", default="", help="where the meeting is held")
        parser.add_argument(
            "--classification",
            default="",
            help="printed on every page: " + ", ".join(Classification.values) + " (default: none)",
        )
        parser.add_argument("--prepared-by", default="", help="who prepared the briefing")

    def handle(
        self,
        *args,
        username,
        kind,
        subject,
        fiscal_year,
        language,
        include_unapproved,
        file_format,
        sections,
        out,
        **options,
    ):
        meeting = meeting_from_options(options)  # before anything is rendered or written
        try:
            chosen = parse_sections(sections)
        except ValueError as exc:
            raise CommandError(
                f"Unknown section(s): {exc}. The sections are: {', '.join(SECTION_KEYS)}"
            ) from None
        viewer = User.objects.filter(username=username, is_active=True).first()
        if viewer is None:
            raise CommandError(f"There is no active user {username!r}")
        subject = (subject or (NATIONAL_SUBJECT if kind == BriefingKind.NATIONAL else "")).upper()
        if not subject:
            raise CommandError("--subject is required for province and cluster briefings")
        if fiscal_year is None:
            current = readiness.current_round()
            if current is None:
                raise CommandError("There is no open or closed readiness round; give --fiscal-year")
            fiscal_year = current.fiscal_year
        spec = BriefingSpec(kind, subject, fiscal_year, language, include_unapproved, chosen, meeting)
        started = time.perf_counter()
        try:
            result = briefing_file(spec, file_format=file_format, viewer=viewer)
        except BriefingDataError as exc:
            raise CommandError(exc.message) from exc
        Path(out).write_bytes(result.content)
        pages = f"{result.pages} pages, " if result.pages else ""
        self.stdout.write(
            f"{out}: {pages}{len(result.content):,} bytes, "
            f"{time.perf_counter() - started:.2f} s{' (DRAFT)' if result.is_draft else ''}"
        )
