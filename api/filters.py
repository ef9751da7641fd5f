"""Query-string filters of the API, validated before they reach a query: a malformed value is a 400 with a
message per parameter, never a 500. A well-formed value that matches nothing (or nothing the user may see)
simply gives an empty list. Unknown parameters are ignored, as everywhere in DRF."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from provinces.parsing import MAX_ID, parse_int
from provinces.selectors import region_q
from strategies.matrix import LETTERS, QUADRANTS, SPLIT

# The messages reuse the models' own wording (already translated in locale/th).
FISCAL_YEAR_MESSAGE = _("The fiscal year is a Buddhist Era year, e.g. 2570.")
CLUSTER_MESSAGE = _("A cluster code looks like N-UP1 or C-MET.")
PROVINCE_MESSAGE = _("A province code is TH- followed by two digits, e.g. TH-50.")
QUADRANT_MESSAGE = _("The quadrant is one of ก ข ค ง (or a b c d).")
BOOLEAN_MESSAGE = _("Give true or false (or 1 or 0).")
# Descriptions in the OpenAPI schema (help_text, summaries) are English for developers and not translated;
# only the error messages a client receives go through gettext.
CLUSTER_PATTERN = r"^[A-Za-z]{1,4}(-[A-Za-z0-9]{1,5})?$"
PROVINCE_PATTERN = r"^[Tt][Hh]-[0-9]{2}$"

# Latin aliases of the Thai quadrant letters, for systems that cannot easily send Thai in a URL.
QUADRANT_ALIASES = {"a": "ก", "b": "ข", "c": "ค", "d": "ง"}


class BoundedIntegerField(serializers.IntegerField):
    """DRF's IntegerField reading the number as every view does (provinces.parsing: ASCII or Thai digits within
    min_value..max_value); DRF's own would take any script's digits (٢٥٧٠)."""

    def to_internal_value(self, data):
        value = parse_int(data, minimum=self.min_value, maximum=self.max_value)
        if value is None:
            self.fail("invalid")
        return value


def fiscal_year_field(**kwargs) -> serializers.IntegerField:
    messages = dict.fromkeys(("invalid", "max_value", "min_value", "max_string_length"), FISCAL_YEAR_MESSAGE)
    kwargs.setdefault("help_text", FISCAL_YEAR_MESSAGE)
    return BoundedIntegerField(min_value=2550, max_value=2700, error_messages=messages, **kwargs)


class UpperRegexField(serializers.RegexField):
    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


def cluster_field(help_text=None) -> serializers.RegexField:
    return UpperRegexField(
        CLUSTER_PATTERN,
        required=False,
        max_length=10,
        error_messages={"invalid": CLUSTER_MESSAGE, "max_length": CLUSTER_MESSAGE},
        help_text=help_text or "A provincial cluster's code, e.g. N-UP1.",
    )


def province_field(help_text=None) -> serializers.RegexField:
    return UpperRegexField(
        PROVINCE_PATTERN,
        required=False,
        max_length=5,
        error_messages={"invalid": PROVINCE_MESSAGE, "max_length": PROVINCE_MESSAGE},
        help_text=help_text or "A province's ISO 3166-2 code, e.g. TH-50.",
    )


def validated(filter_class: type[serializers.Serializer], request) -> dict:
    """The filters of this request, or a 400 naming each bad parameter."""
    serializer = filter_class(data=request.query_params)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return dict(serializer.validated_data)


def filtered(filter_class: type[serializers.Serializer], request, qs: QuerySet) -> QuerySet:
    return filter_class().apply(qs, validated(filter_class, request))


class ProvinceFilters(serializers.Serializer):
    cluster = cluster_field()
    region = serializers.RegexField(
        r"^([Rr]?[46]:)?[A-Za-z]{1,30}$",
        required=False,
        error_messages={
            "invalid": _("A region is a scheme and a code such as r6:central, or a code such as north.")
        },
        help_text="A region of one scheme: r4:north, r4:central, r4:northeast, r4:south (four regions) or r6:north, "
        "r6:northeast, r6:central, r6:east, r6:west, r6:south (six regions). A bare code means the four-region "
        "scheme (east and west: the six-region one).",
    )

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        if "cluster" in data:
            qs = qs.filter(cluster__code=data["cluster"])
        if "region" in data:
            qs = qs.filter(region_q(data["region"]))
        return qs


class AssessmentFilters(serializers.Serializer):
    fiscal_year = fiscal_year_field(required=False)
    province = province_field()
    cluster = cluster_field()

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        if "fiscal_year" in data:
            qs = qs.filter(round__fiscal_year=data["fiscal_year"])
        if "province" in data:
            qs = qs.filter(province__code=data["province"])
        if "cluster" in data:
            qs = qs.filter(province__cluster__code=data["cluster"])
        return qs


class RollupFilters(serializers.Serializer):
    fiscal_year = fiscal_year_field(
        required=False, help_text="Default: the open round, else the latest closed."
    )
    include_unapproved = serializers.BooleanField(
        required=False,
        default=False,
        error_messages={"invalid": BOOLEAN_MESSAGE},
        help_text=(
            "Live figures of assessments not yet approved: nation-wide users, and a cluster's secretariat "
            "for its own cluster; others get a 403."
        ),
    )


class StrategyFilters(serializers.Serializer):
    fiscal_year = fiscal_year_field(required=False)
    cluster = cluster_field("The cluster's own strategies and those of its member provinces, e.g. N-UP1.")
    province = province_field("Strategies of this province, e.g. TH-50.")
    quadrant = serializers.CharField(
        required=False,
        max_length=1,
        error_messages={"max_length": QUADRANT_MESSAGE},
        help_text="The quadrant shown (override if any, else computed): ก ข ค ง, or a b c d.",
    )

    def validate_quadrant(self, value: str) -> str:
        letter = QUADRANT_ALIASES.get(value.lower(), value)
        if letter not in LETTERS:
            raise ValidationError(QUADRANT_MESSAGE)
        return letter

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        if "fiscal_year" in data:
            qs = qs.filter(fiscal_year=data["fiscal_year"])
        if "province" in data:
            qs = qs.filter(province__code=data["province"])
        if "cluster" in data:
            qs = qs.filter(Q(cluster__code=data["cluster"]) | Q(province__cluster__code=data["cluster"]))
        if "quadrant" in data:
            q = QUADRANTS[data["quadrant"]]
            asean = Q(asean_effect__gte=SPLIT) if q.asean_high else Q(asean_effect__lt=SPLIT)
            national = Q(national_effect__gte=SPLIT) if q.national_high else Q(national_effect__lt=SPLIT)
            qs = qs.filter(Q(override_quadrant=q.letter) | (Q(override_quadrant="") & asean & national))
        return qs


class ProjectFilters(serializers.Serializer):
    strategy = BoundedIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value", "max_string_length"),
            _("A strategy is given by its id, a whole number."),
        ),
        help_text="The id of a strategy.",
    )
    fiscal_year = fiscal_year_field(required=False)

    def apply(self, qs: QuerySet, data: dict) -> QuerySet:
        if "strategy" in data:
            qs = qs.filter(strategy_id=data["strategy"])
        if "fiscal_year" in data:
            qs = qs.filter(strategy__fiscal_year=data["fiscal_year"])
        return qs
