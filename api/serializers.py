"""What the API returns. Read-only; codes (TH-50, N-UP1, 2570) identify provinces, clusters and rounds."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from provinces.models import Cluster, Province
from readiness.choices import DIMENSIONS, AssessmentStatus
from readiness.models import Assessment, Round
from readiness.scoring import rounded
from strategies.matrix import QUADRANT_CHOICES
from strategies.models import Project, Strategy

SCORE_KEYS = (*DIMENSIONS, "overall", "completeness")


def shown(value: float | None, digits: int = 1) -> float | None:
    """A figure rounded as the pages show it (readiness.scoring.rounded): 56.25 → 56.3."""
    figure = rounded(value, digits)
    return None if figure is None else float(figure)


def shown_scores(values: dict) -> dict:
    """Scores to one decimal, completeness (0–1) to two — the whole percentage the pages show."""
    return {key: shown(values.get(key), 2 if key == "completeness" else 1) for key in SCORE_KEYS}


class ProvinceSerializer(serializers.ModelSerializer):
    cluster = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region4 = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region6 = serializers.SlugRelatedField(slug_field="code", read_only=True)
    border_countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Province
        fields = [
            "code",
            "dopa_code",
            "name_th",
            "name_en",
            "name_en_alt",
            "cluster",
            "region4",
            "region6",
            "border_countries",
            "coastal",
        ]


class ClusterSerializer(serializers.ModelSerializer):
    lead_province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Cluster
        fields = ["code", "name_th", "name_en", "lead_province", "lead_confidence", "provinces"]


class RoundSerializer(serializers.ModelSerializer):
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Round
        fields = ["fiscal_year", "status", "opens_on", "closes_on", "indicator_count"]


class ScoresSerializer(serializers.Serializer):
    """Scores 0–100 per dimension and overall, to one decimal as the pages show them (null: not enough
    answers); completeness 0–1, to two decimals (the pages' whole percentage)."""

    place = serializers.FloatField(allow_null=True)
    product = serializers.FloatField(allow_null=True)
    people = serializers.FloatField(allow_null=True)
    overall = serializers.FloatField(allow_null=True)
    completeness = serializers.FloatField(allow_null=True)


class AnswerSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's code in the round's framework.")
    dimension = serializers.CharField()
    level = serializers.IntegerField(allow_null=True, help_text="1–5, or null when not answered.")


def _snapshot_scores(snapshot) -> dict:
    return shown_scores({key: getattr(snapshot, key) for key in SCORE_KEYS})


class AssessmentSerializer(serializers.ModelSerializer):
    """One province's assessment of one round.

    Whoever may open the assessment on the web (its planners, its cluster's secretariat, advisors and
    administrators) gets its state as it is: status, version, live scores while it is not approved, and the
    level of each indicator. Every other user with a role sees approved assessments only — their official
    (snapshot) scores, the same figures the national map and roll-ups show — without the answers."""

    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fiscal_year = serializers.IntegerField(source="round.fiscal_year", read_only=True)
    status = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    official = serializers.SerializerMethodField(
        help_text="True when the scores are the approved (official) figures; false for live figures."
    )
    scores = serializers.SerializerMethodField()
    approved_version = serializers.SerializerMethodField()
    approved_scores = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField(
        help_text="Level per indicator; null when you may not open this assessment."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "province",
            "fiscal_year",
            "status",
            "version",
            "official",
            "scores",
            "approved_version",
            "approved_scores",
            "answers",
        ]

    @staticmethod
    def _full(obj: Assessment) -> bool:
        return bool(getattr(obj, "full", False))  # readiness.access.readable_assessments

    def _official(self, obj: Assessment) -> bool:
        return not self._full(obj) or obj.status == AssessmentStatus.APPROVED

    @extend_schema_field(serializers.ChoiceField(choices=AssessmentStatus.choices))
    def get_status(self, obj: Assessment) -> str:
        return obj.status if self._full(obj) else AssessmentStatus.APPROVED

    def get_version(self, obj: Assessment) -> int:
        if self._full(obj):
            return obj.version
        snapshot = obj.approved_snapshot
        # Without full access only approved assessments are listed, and every approval leaves a snapshot.
        assert snapshot is not None
        return snapshot.version

    def get_official(self, obj: Assessment) -> bool:
        return self._official(obj)

    @extend_schema_field(ScoresSerializer(allow_null=True))
    def get_scores(self, obj: Assessment) -> dict | None:
        if self._official(obj):
            return _snapshot_scores(obj.approved_snapshot) if obj.approved_snapshot else None
        live = self.context["live_scores"].get(obj.pk)
        return shown_scores(live.as_dict()) if live else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_approved_version(self, obj: Assessment) -> int | None:
        return obj.approved_snapshot.version if obj.approved_snapshot else None

    @extend_schema_field(ScoresSerializer(allow_null=True))
    def get_approved_scores(self, obj: Assessment) -> dict | None:
        return _snapshot_scores(obj.approved_snapshot) if obj.approved_snapshot else None

    @extend_schema_field(AnswerSerializer(many=True, allow_null=True))
    def get_answers(self, obj: Assessment) -> list | None:
        if not self._full(obj):
            return None
        return self.context["answers"].get(obj.pk, [])  # loaded for the whole page by the view


class OverrideSerializer(serializers.Serializer):
    quadrant = serializers.ChoiceField(choices=QUADRANT_CHOICES)
    reason = serializers.CharField()


class StrategySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    cluster = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    dimensions = serializers.ListField(child=serializers.CharField(), read_only=True)
    computed_quadrant = serializers.ChoiceField(
        choices=QUADRANT_CHOICES, read_only=True, help_text="From the two effects (split at 50)."
    )
    quadrant = serializers.ChoiceField(
        choices=QUADRANT_CHOICES, read_only=True, help_text="The advisor's override if any, else computed."
    )
    override = serializers.SerializerMethodField()
    total_budget = serializers.DecimalField(
        max_digits=17, decimal_places=2, read_only=True, help_text="Sum of its projects' budgets, baht."
    )
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "fiscal_year",
            "province",
            "cluster",
            "external_ref",
            "title_th",
            "title_en",
            "status",
            "pillar",
            "work_area",
            "dimensions",
            "asean_effect",
            "national_effect",
            "effect_source",
            "computed_quadrant",
            "quadrant",
            "override",
            "total_budget",
            "project_count",
            "previous",
        ]

    @extend_schema_field(OverrideSerializer(allow_null=True))
    def get_override(self, obj: Strategy) -> dict | None:
        if not obj.override_quadrant:
            return None
        return {"quadrant": obj.override_quadrant, "reason": obj.override_reason}


class ProjectSerializer(serializers.ModelSerializer):
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    partners = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "strategy",
            "title_th",
            "title_en",
            "lead_agency",
            "partners",
            "budget",
            "funding_source",
            "start_fy",
            "end_fy",
            "provinces",
            "status",
            "progress",
            "kpi",
            "kpi_target",
            "kpi_actual",
            "kpi_unit",
        ]


# --- roll-ups -----------------------------------------------------------------------------------------


APPROVED_COUNT_HELP = (
    "Provinces with approved figures (the latest approved version, also while a newer one is being "
    "revised): without include_unapproved, exactly the provinces counted in the spread."
)


class SpreadSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    lagging = serializers.CharField(
        allow_null=True,
        help_text="The province with the lowest value; null when fewer than two provinces have one.",
    )
    count = serializers.IntegerField(help_text="Provinces with a value.")


class SpreadsSerializer(serializers.Serializer):
    place = SpreadSerializer()
    product = SpreadSerializer()
    people = SpreadSerializer()
    overall = SpreadSerializer()


class RollupRowSerializer(serializers.Serializer):
    province = serializers.CharField()
    official = serializers.BooleanField(help_text="False when the values are not approved yet.")
    status = serializers.CharField(
        allow_null=True,
        help_text=(
            "The status shown with the values: 'approved' for official figures (also while a newer "
            "version is being revised); other statuses only with include_unapproved."
        ),
    )
    values = ScoresSerializer(allow_null=True)
    previous = ScoresSerializer(allow_null=True, help_text="Last round's values.")


class ClusterRollupSerializer(serializers.Serializer):
    cluster = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    include_unapproved = serializers.BooleanField()
    approved_count = serializers.IntegerField(help_text=APPROVED_COUNT_HELP)
    rows = RollupRowSerializer(many=True)
    spread = SpreadsSerializer()
    previous_spread = SpreadsSerializer()


class NationalClusterSerializer(serializers.Serializer):
    cluster = serializers.CharField(allow_null=True, help_text="null: Bangkok, outside the clusters.")
    province_count = serializers.IntegerField()
    approved_count = serializers.IntegerField(help_text=APPROVED_COUNT_HELP)
    spread = SpreadsSerializer()


class NationalRollupSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    include_unapproved = serializers.BooleanField()
    rows = NationalClusterSerializer(many=True)
    province_count = serializers.IntegerField()
    approved_count = serializers.IntegerField(help_text=APPROVED_COUNT_HELP)
    spread = SpreadsSerializer()
    previous_spread = SpreadsSerializer()
