"""The request form: validate and normalise only (the service decides what is allowed)."""

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.parsing import parse_fiscal_year
from readiness import selectors as readiness

from . import access
from .choices import NATIONAL_SUBJECT, BriefingKind, BriefingLanguage


def subject_value(kind: str, code: str) -> str:
    return f"{kind}:{code}"


def own_unit(user: User) -> str:
    """The form's default subject: the user's province, cluster, or the whole country."""
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER:
        return subject_value(BriefingKind.PROVINCE, scope.province.code)
    if role == Role.SECRETARIAT:
        return subject_value(BriefingKind.CLUSTER, scope.cluster.code)
    if role in (Role.ADVISOR, Role.ADMIN):
        return subject_value(BriefingKind.NATIONAL, NATIONAL_SUBJECT)
    return ""


class BriefingRequestForm(forms.Form):
    """One select holds the subject *and* its kind (grouped: country, clusters, provinces), so no script is
    needed to keep two fields consistent. ``kind`` and ``subject`` are in cleaned_data."""

    subject = forms.ChoiceField(label=_("Subject"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=BriefingLanguage.choices)
    include_unapproved = forms.BooleanField(
        label=_("Include figures not yet approved (the document is marked DRAFT)"), required=False
    )

    def __init__(self, *args, user: User, prefill: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        groups = access.subject_options(user)
        self.fields["subject"].choices = [
            (label, [(subject_value(s.kind, s.code), s.name) for s in subjects]) for label, subjects in groups
        ]
        rounds = list(readiness.rounds())
        self.fields["fiscal_year"].choices = [(r.fiscal_year, str(r.fiscal_year)) for r in rounds]
        if not self.is_bound:
            prefill = prefill or {}
            wanted = subject_value(str(prefill.get("kind", "")), str(prefill.get("subject", "")).upper())
            allowed = {value for _label, items in self.fields["subject"].choices for value, _name in items}
            self.initial["subject"] = wanted if wanted in allowed else own_unit(user)
            current = readiness.current_round()
            fy = parse_fiscal_year(prefill.get("fy"))
            years = {r.fiscal_year for r in rounds}
            self.initial["fiscal_year"] = fy if fy in years else (current.fiscal_year if current else None)
            self.initial["language"] = prefill.get("language") if prefill.get("language") == "en" else "th"

    def clean(self):
        data = super().clean()
        kind, _sep, code = (data.get("subject") or "").partition(":")
        data["kind"], data["subject"] = kind, code
        return data
