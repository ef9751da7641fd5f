"""The decision form of the overlap section (validate and normalise only; the service checks the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from strategies.models import OverlapVerdict


class _Ids(forms.MultipleChoiceField):
    """A list of strategy ids; whether they belong together is the service's question."""

    def to_python(self, value):
        return [int(v) for v in super().to_python(value) if str(v).isdigit()]

    def valid_value(self, value) -> bool:
        return True


class OverlapDecisionForm(forms.Form):
    fy = forms.IntegerField(min_value=2550, max_value=2700)
    strategy = _Ids()
    decision = forms.ChoiceField(label=_("decision"), choices=OverlapVerdict.choices)
    merged_into = forms.IntegerField(label=_("merged into"), required=False, min_value=1)
    note = forms.CharField(label=_("note"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("decision") != OverlapVerdict.MERGED:
            data["merged_into"] = None
        return data
