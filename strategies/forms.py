"""Forms of the strategies app: validate and normalise only; the services decide what is allowed."""

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from provinces.forms import ModelIdsField, NameOrderedModelIdsField
from provinces.models import Province
from provinces.thai import THAI_DIGITS
from readiness.models import Indicator

from .choices import FundingSource, PartnerSector, Pillar, ProjectStatus, WorkArea
from .matrix import QUADRANT_CHOICES
from .models import MAX_BUDGET
from .services import StrategyData

SCORE_CHOICES = [(str(i), str(i)) for i in range(5)]

# A Buddhist Era year is 543 more than the Christian Era one: anything below this was typed in C.E. (2026).
FIRST_BE_YEAR = 2400


def with_blank(choices) -> list:
    """A select that starts on "— choose —": the browser would otherwise pick the first option for the user."""
    return [("", _("— choose —")), *choices]


class Form(forms.Form):
    """A form that shows one problem per field: a value can break several rules at once (a 17-digit budget has
    too many digits and is over the limit), and two messages under one box say the same thing twice."""

    def full_clean(self):
        super().full_clean()
        for errors in self._errors.values():
            del errors[1:]


class BuddhistYearField(forms.IntegerField):
    """A fiscal year in the Buddhist Era. A Christian Era year gets a hint rather than a bare range error."""

    def __init__(self, **kwargs):
        super().__init__(min_value=2550, max_value=2700, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None and value < FIRST_BE_YEAR:
            raise forms.ValidationError(_("Use the Buddhist Era year (B.E.), e.g. 2570."), code="not_be")


class StrategyForm(Form):
    owner = forms.ChoiceField(
        label=_("owner"), choices=(), error_messages={"required": _("Choose the province or cluster.")}
    )
    fiscal_year = BuddhistYearField(label=_("fiscal year (B.E.)"))
    title_th = forms.CharField(label=_("title (Thai)"), max_length=500)
    title_en = forms.CharField(label=_("title (English)"), max_length=500, required=False)
    summary_th = forms.CharField(
        label=_("summary (Thai)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    summary_en = forms.CharField(
        label=_("summary (English)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    work_area = forms.ChoiceField(
        label=_("work area"), choices=with_blank(WorkArea.choices),
        error_messages={"required": _("Choose the work area.")},
    )  # fmt: skip
    pillar = forms.ChoiceField(
        label=_("ASEAN pillar"), choices=with_blank(Pillar.choices),
        error_messages={"required": _("Choose the ASEAN pillar.")},
    )  # fmt: skip
    builds_place = forms.BooleanField(label=_("builds Place"), required=False)
    builds_product = forms.BooleanField(label=_("builds Product"), required=False)
    builds_people = forms.BooleanField(label=_("builds People"), required=False)
    indicators = ModelIdsField(
        label=_("readiness indicators it builds (optional)"), queryset=Indicator.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, owners=(), criteria=None, indicators=None, fixed_owner=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {o.code: o for o in owners}
        owner_choices = [(code, str(o)) for code, o in self.owners.items()]
        # One possible owner is no choice at all; among several, the user picks.
        self.fields["owner"].choices = owner_choices if len(owner_choices) == 1 else with_blank(owner_choices)
        if fixed_owner:
            self.fields["owner"].disabled = True
        if indicators is not None:
            self.fields["indicators"].queryset = indicators
        self.criteria = criteria or {}
        for axis in self.criteria.values():
            for criterion in axis:
                self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                    label=criterion.name, help_text=criterion.help, choices=SCORE_CHOICES, coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _("A criterion is scored from 0 to 4."),
                                    "required": _("Score this criterion from 0 to 4.")},
                )  # fmt: skip

    # The draft's fields the similar-plans hint reads (strategies/similar.py), and when it asks again: while
    # the text is typed or pasted (after a pause: "input" also fires for a paste with the mouse and for a
    # Thai input method's composed letters, which "keyup" misses), and when the owner or fiscal year changes.
    SIMILAR_TEXT_FIELDS = ("title_th", "title_en", "summary_th", "summary_en")
    SIMILAR_CHOICE_FIELDS = ("owner", "fiscal_year")

    def watch_similar(self, url: str, *, strategy_pk: int | None = None, target: str = "#similar-plans"):
        """Have the text, owner and fiscal year fields post the draft to the hint (htmx) as they change."""
        common = {
            "hx-post": url,
            "hx-target": target,
            "hx-swap": "innerHTML",
            "hx-include": "closest form",
            # A newer draft replaces a request still under way: the hint always shows the latest text.
            "hx-sync": "closest form:replace",
        }
        if strategy_pk is not None:
            common["hx-vals"] = json.dumps({"strategy": strategy_pk})
        for name in self.SIMILAR_TEXT_FIELDS:
            self.fields[name].widget.attrs.update(common, **{"hx-trigger": "input changed delay:600ms"})
        for name in self.SIMILAR_CHOICE_FIELDS:
            trigger = "change" if name == "owner" else "change, input changed delay:600ms"
            self.fields[name].widget.attrs.update(common, **{"hx-trigger": trigger})

    def _criterion_fields(self, axis: str):
        return [self[f"criterion_{c.pk}"] for c in self.criteria.get(axis, [])]

    @property
    def asean_fields(self):
        return self._criterion_fields("asean")

    @property
    def national_fields(self):
        return self._criterion_fields("national")

    def clean_title_th(self):
        # CharField already refuses a NUL (provinces.text policy a), so nothing is left to strip here.
        return self.cleaned_data["title_th"].strip()

    def scores(self) -> dict[int, int]:
        return {
            int(k.removeprefix("criterion_")): v
            for k, v in self.cleaned_data.items()
            if k.startswith("criterion_")
        }

    def owner_object(self):
        return self.owners[self.cleaned_data["owner"]]

    def strategy_data(self) -> StrategyData:
        """What the services take, from the cleaned form."""
        c = self.cleaned_data
        return StrategyData(
            **{f: c[f] for f in TEXT_AND_CHOICE_FIELDS},
            indicator_ids=tuple(i.pk for i in c["indicators"]),
        )

    @staticmethod
    def initial_for(strategy, criteria_values) -> dict:
        """The edit form's starting values: the strategy's fields, the indicators it builds on and its scores
        (``criteria_values``: axis → [(criterion, value)]); an unscored criterion stays blank, so the user
        scores it rather than the form assuming 0."""
        return {
            "owner": strategy.owner.code,
            "fiscal_year": strategy.fiscal_year,
            **{f: getattr(strategy, f) for f in TEXT_AND_CHOICE_FIELDS},
            "indicators": list(strategy.indicators.all()),
            **{
                f"criterion_{c.pk}": str(v)
                for axis in criteria_values.values()
                for c, v in axis
                if v is not None
            },
        }


# The fields a strategy's form and StrategyData share one to one.
TEXT_AND_CHOICE_FIELDS = (
    "title_th", "title_en", "summary_th", "summary_en", "work_area", "pillar",
    "builds_place", "builds_product", "builds_people",
)  # fmt: skip


class BudgetField(forms.DecimalField):
    """Baht, accepting "1,500,000" and Thai digits."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(THAI_DIGITS).replace(",", "").replace(" ", "").strip()
        return super().to_python(value)


class ProjectForm(Form):
    title_th = forms.CharField(label=_("title (Thai)"), max_length=500)
    title_en = forms.CharField(label=_("title (English)"), max_length=500, required=False)
    lead_agency = forms.CharField(label=_("lead agency"), max_length=300)
    partners = forms.MultipleChoiceField(
        label=_("partner sectors"),
        choices=PartnerSector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget = BudgetField(
        label=_("budget (baht)"), min_value=Decimal(0), max_value=Decimal(MAX_BUDGET), max_digits=15, decimal_places=2,
        error_messages={"max_value": _("The budget is over 1 trillion baht; check the figure."),
                        "min_value": _("The budget cannot be negative.")},
    )  # fmt: skip
    funding_source = forms.ChoiceField(
        label=_("funding source"), choices=with_blank(FundingSource.choices),
        error_messages={"required": _("Choose the funding source.")},
    )  # fmt: skip
    start_fy = BuddhistYearField(label=_("start fiscal year"))
    end_fy = BuddhistYearField(label=_("end fiscal year"))
    provinces = NameOrderedModelIdsField(
        label=_("provinces where it runs or that benefit"), queryset=Province.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("status"), choices=ProjectStatus.choices, initial=ProjectStatus.PLANNED
    )
    kpi = forms.CharField(label=_("KPI"), max_length=300, required=False)
    kpi_target = forms.DecimalField(
        label=_("KPI target"), max_digits=15, decimal_places=2, required=False, min_value=Decimal(0),
        error_messages={"min_value": _("The KPI target cannot be negative.")},
    )  # fmt: skip
    kpi_actual = forms.DecimalField(
        label=_("KPI actual"), max_digits=15, decimal_places=2, required=False, min_value=Decimal(0),
        error_messages={"min_value": _("The KPI actual cannot be negative.")},
    )  # fmt: skip
    kpi_unit = forms.CharField(label=_("KPI unit"), max_length=50, required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["provinces"].queryset = provinces

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_fy") and cleaned.get("end_fy") and cleaned["end_fy"] < cleaned["start_fy"]:
            self.add_error("end_fy", _("A project cannot end before it starts."))
        return cleaned


class OverrideForm(Form):
    quadrant = forms.ChoiceField(
        label=_("quadrant"), choices=QUADRANT_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the quadrant.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for moving the strategy to another quadrant.")},
    )  # fmt: skip


class CommentForm(Form):
    text = forms.CharField(label=_("comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReturnForm(Form):
    text = forms.CharField(
        label=_("what must be revised"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what must be revised before returning the strategy.")},
    )  # fmt: skip


class ProgressForm(Form):
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("what was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
