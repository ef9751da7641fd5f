"""The decision form of the overlap section (validate and normalise only; the service checks the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from provinces.parsing import MAX_ID, parse_id
from strategies.models import OverlapVerdict


class _Ids(forms.MultipleChoiceField):
    """A list of strategy ids; whether they belong together is the service's question."""

    default_error_messages = {
        "invalid_id": _("Choose at least two strategies of this cluster and fiscal year."),
        "required": _("Choose at least two strategies of this cluster and fiscal year."),
    }

    def to_python(self, value):
        ids = [parse_id(v) for v in super().to_python(value)]
        if None in ids:
            raise forms.ValidationError(self.error_messages["invalid_id"], code="invalid_id")
        return ids

    def valid_value(self, value) -> bool:
        return True


class OverlapDecisionForm(forms.Form):
    fy = forms.IntegerField(min_value=2550, max_value=2700)
    strategy = _Ids()
    decision = forms.ChoiceField(label=_("decision"), choices=OverlapVerdict.choices)
    merged_into = forms.IntegerField(label=_("merged into"), required=False, min_value=1, max_value=MAX_ID)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") != OverlapVerdict.MERGED:
            data["merged_into"] = None
        return data
