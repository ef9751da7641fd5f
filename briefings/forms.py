"""The request form: validate and normalise only (the service decides what is allowed)."""

import unicodedata

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.parsing import parse_fiscal_year
from readiness import selectors as readiness

from . import access
from .choices import NATIONAL_SUBJECT, BriefingFormat, BriefingKind, BriefingLanguage, Classification
from .spec import Meeting, section_choices

MEETING_TEXT_MAX = 300
MEETING_FIELDS = ("meeting_name", "meeting_date", "meeting_venue", "classification", "prepared_by")


def plain_line(text: str) -> str:
    """One line of plain text for the cover: NFC, without control or format characters (direction
    overrides, zero-width marks, NUL…) — which would reorder or hide what prints — and single-spaced."""
    text = unicodedata.normalize("NFC", text or "")

    def kept(ch: str) -> str:
        if ch.isspace():  # tabs and line breaks (Cc, Zl, Zp) are spaces; other controls are dropped
            return " "
        return "" if unicodedata.category(ch) in ("Cc", "Cf") else ch

    return " ".join("".join(kept(ch) for ch in text).split())


class MeetingText(forms.CharField):
    """A meeting field: optional, at most MEETING_TEXT_MAX characters once cleaned, printed as text."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MEETING_TEXT_MAX, strip=True, **kwargs)

    def to_python(self, value):
        return plain_line(super().to_python(value))


def subject_value(kind: str, code: str) -> str:
    return f"{kind}:{code}"


def own_unit(user: User) -> str:
    """The form's default subject: the user's province, cluster, or the whole country."""
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER and scope and scope.province:
        return subject_value(BriefingKind.PROVINCE, scope.province.code)
    if role == Role.SECRETARIAT and scope and scope.cluster:
        return subject_value(BriefingKind.CLUSTER, scope.cluster.code)
    if role in (Role.ADVISOR, Role.ADMIN):
        return subject_value(BriefingKind.NATIONAL, NATIONAL_SUBJECT)
    return ""


class BriefingRequestForm(forms.Form):
    """One select holds the subject *and* its kind (grouped: country, clusters, provinces), so no script is
    needed to keep two fields consistent. The choices are what the user may request (the access rules) and
    the published rounds, so a valid form has resolved both: ``target`` (an access.Subject) and ``round`` are
    in cleaned_data, ready for the service. A subject that is not among the choices is ``out_of_scope``."""

    subject = forms.ChoiceField(label=_("Subject"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=BriefingLanguage.choices)
    file_format = forms.ChoiceField(
        label=_("File"),
        choices=BriefingFormat.choices,
        initial=BriefingFormat.PDF,
        required=False,  # a request without it (an older bookmark, a script) gets the PDF
        widget=forms.RadioSelect,
    )
    include_unapproved = forms.BooleanField(
        label=_("Include figures not yet approved (the document is marked DRAFT)"), required=False
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=section_choices,
        required=False,  # none ticked (or an older request without the field): every section
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A section without data for the subject is left out whether ticked or not."),
    )
    meeting_name = MeetingText(label=_("Meeting (optional)"))
    meeting_date = forms.DateField(label=_("Meeting date (optional)"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    meeting_venue = MeetingText(label=_("Venue (optional)"))
    classification = forms.ChoiceField(
        label=_("Classification (optional, printed on every page)"),
        choices=[("", _("not set")), *Classification.choices],
        required=False,
    )
    prepared_by = MeetingText(label=_("Prepared by (optional)"))

    def __init__(self, *args, user: User, prefill: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        subject_field, year_field = self.fields["subject"], self.fields["fiscal_year"]
        assert isinstance(subject_field, forms.ChoiceField) and isinstance(year_field, forms.ChoiceField)
        groups = access.subject_options(user)
        self.subjects = {subject_value(s.kind, s.code): s for _label, subjects in groups for s in subjects}
        subject_field.choices = [
            (label, [(subject_value(s.kind, s.code), s.name) for s in subjects]) for label, subjects in groups
        ]
        rounds = list(readiness.rounds())
        self.rounds = {r.fiscal_year: r for r in rounds}
        year_field.choices = [(r.fiscal_year, str(r.fiscal_year)) for r in rounds]
        if not self.is_bound:
            prefill = prefill or {}
            wanted = subject_value(str(prefill.get("kind", "")), str(prefill.get("subject", "")).upper())
            allowed = {value for _label, items in subject_field.choices for value, _name in items}
            self.initial["subject"] = wanted if wanted in allowed else own_unit(user)
            current = readiness.current_round()
            fy = parse_fiscal_year(prefill.get("fy"))
            years = {r.fiscal_year for r in rounds}
            self.initial["fiscal_year"] = fy if fy in years else (current.fiscal_year if current else None)
            self.initial["language"] = prefill.get("language") if prefill.get("language") == "en" else "th"
            self.initial["sections"] = [key for key, _label in section_choices()]

    @property
    def out_of_scope(self) -> bool:
        """The subject is missing, unknown or not the user's to ask about: a 404, as everywhere."""
        return self.has_error("subject")

    def clean(self):
        data = super().clean()
        data["target"] = self.subjects.get(data.get("subject") or "")
        data["round"] = self.rounds.get(data.get("fiscal_year"))
        data["file_format"] = data.get("file_format") or BriefingFormat.PDF
        data["sections"] = tuple(data.get("sections") or ())
        data["meeting"] = Meeting(
            name=data.get("meeting_name") or "",
            date=data.get("meeting_date"),
            venue=data.get("meeting_venue") or "",
            classification=data.get("classification") or "",
            prepared_by=data.get("prepared_by") or "",
        )
        return data
