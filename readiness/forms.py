"""Forms of the readiness app: validate and normalise only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from provinces.thai import THAI_DIGITS

from .models import LEVELS

LEVEL_CHOICES = [("", _("not answered"))] + [(str(level), str(level)) for level in LEVELS]


class LevelField(forms.TypedChoiceField):
    """A level 1–5 or blank; "5 " and Thai digits ("๕") are read as 5."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().translate(THAI_DIGITS)
        return super().to_python(value)


class AnswerForm(forms.Form):
    level = LevelField(
        label=_("level"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("The level must be between 1 and 5, or blank.")},
    )
    justification = forms.CharField(
        label=_("justification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The justification is limited to %(limit_value)d characters.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EvidenceForm(forms.Form):
    """A file or a link (one of them), with an optional title."""

    file = forms.FileField(label=_("file"), required=False)
    url = forms.CharField(label=_("link"), required=False, max_length=1000)
    title = forms.CharField(label=_("title"), required=False, max_length=300)

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool((cleaned.get("url") or "").strip())
        if has_file == has_url:
            raise forms.ValidationError(_("Attach a file or give a link (one of the two)."))
        cleaned["url"] = (cleaned.get("url") or "").strip()
        return cleaned


class ReturnForm(forms.Form):
    """An overall comment plus an optional comment per indicator (fields ``indicator_<id>``)."""

    comment = forms.CharField(
        label=_("overall comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.code} {indicator.name}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def indicator_comments(self) -> dict[int, str]:
        return {
            int(name.removeprefix("indicator_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("indicator_") and value
        }


class BulkApproveForm(forms.Form):
    assessments = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        required=True,
        error_messages={"required": _("Choose at least one submitted assessment.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].choices = [(str(pk), str(pk)) for pk in choices]
