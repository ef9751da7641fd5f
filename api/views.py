"""The read-only JSON API for other ministry systems (issue 8, item 4).

Every queryset starts from the web's access helpers (visible_provinces, visible_clusters, visible_strategies),
so a token sees exactly what its user sees on the web; out of scope is a 404, as on the web. Query counts per
page are fixed (select_related / prefetch / annotate; tests/api/test_queries.py asserts it).
"""

from django.db.models import Count, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from provinces.access import is_nationwide, is_searchable, visible_clusters, visible_provinces
from provinces.models import Province
from provinces.parsing import parse_id
from readiness import selectors
from readiness.access import may_include_unapproved, readable_assessments
from readiness.choices import AssessmentStatus, RoundStatus
from readiness.models import Answer, Round
from strategies.access import visible_strategies
from strategies.models import Project
from strategies.selectors import with_budget

from . import filters, serializers

FISCAL_YEAR_PATH = OpenApiParameter("fiscal_year", int, OpenApiParameter.PATH, description="e.g. 2570")


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve; the filters of ``filter_class`` are validated (400) before any query."""

    filter_class: type | None = None
    lookup_value_regex = r"[^/]+"  # checked in get_object: a malformed key is a 404, never a 500

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        qs = self.get_base_queryset()
        if self.action == "list" and self.filter_class:
            qs = filters.filtered(self.filter_class, self.request, qs)
        return qs

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not self.lookup_pattern_ok(value):
            raise NotFound()
        try:
            return super().get_object()
        except Http404:
            raise NotFound() from None  # DRF would pass on Django's English "No … matches the given query."

    def lookup_pattern_ok(self, value: str) -> bool:
        return is_searchable(value)


class NumericLookup:
    def lookup_pattern_ok(self, value: str) -> bool:
        return parse_id(value) is not None


class CodeLookup:
    lookup_field = "code"

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


@extend_schema_view(
    list=extend_schema(parameters=[filters.ProvinceFilters], summary="Provinces you may see"),
    retrieve=extend_schema(summary="One province by its ISO code"),
)
class ProvinceViewSet(CodeLookup, ReadOnlyViewSet):
    serializer_class = serializers.ProvinceSerializer
    filter_class = filters.ProvinceFilters

    def get_base_queryset(self):
        return (
            visible_provinces(self.request.user)
            .select_related("cluster", "region4", "region6")
            .prefetch_related("border_countries")
            .order_by("code")
        )


@extend_schema_view(
    list=extend_schema(summary="Provincial clusters you may see"),
    retrieve=extend_schema(summary="One cluster by its code"),
)
class ClusterViewSet(CodeLookup, ReadOnlyViewSet):
    serializer_class = serializers.ClusterSerializer

    def get_base_queryset(self):
        return (
            visible_clusters(self.request.user)
            .select_related("lead_province")
            .prefetch_related(Prefetch("provinces", queryset=Province.objects.order_by("code")))
            .order_by("code")
        )


@extend_schema_view(
    list=extend_schema(summary="Readiness rounds (not those in preparation)"),
    retrieve=extend_schema(summary="One round by its fiscal year", parameters=[FISCAL_YEAR_PATH]),
)
class RoundViewSet(NumericLookup, ReadOnlyViewSet):
    serializer_class = serializers.RoundSerializer
    lookup_field = "fiscal_year"

    def get_base_queryset(self):
        return selectors.rounds().annotate(indicator_count=Count("indicators")).order_by("-fiscal_year")


@extend_schema_view(
    list=extend_schema(parameters=[filters.AssessmentFilters], summary="Assessments with scores"),
    retrieve=extend_schema(summary="One assessment"),
)
class AssessmentViewSet(NumericLookup, ReadOnlyViewSet):
    """Assessments of the provinces you may open on the web, in whatever state they are; and the approved
    assessments of every other province, as their official figures only (see AssessmentSerializer)."""

    serializer_class = serializers.AssessmentSerializer
    filter_class = filters.AssessmentFilters

    def get_base_queryset(self):
        return (
            readable_assessments(self.request.user)
            .exclude(round__status=RoundStatus.DRAFT)
            .select_related("province", "round", "approved_snapshot")
            .defer("approved_snapshot__answers")
            .order_by("-round__fiscal_year", "province__code", "pk")
        )

    def get_serializer(self, *args, **kwargs):
        items = args[0] if args else kwargs.get("instance")
        if items is not None:
            items = items if isinstance(items, list) else [items]
            full = [a.pk for a in items if a.full]
            live = [a.pk for a in items if a.full and a.status != AssessmentStatus.APPROVED]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["live_scores"] = selectors.live_scores(live) if live else {}
            kwargs["context"]["answers"] = _answer_levels(full) if full else {}
        return super().get_serializer(*args, **kwargs)


def _answer_levels(assessment_ids: list[int]) -> dict[int, list[dict]]:
    """assessment id → its answers as the API prints them, in one query of plain rows: a page of 50
    assessments has 1,500 answers, and model instances (and their indicators) cost ten times as much."""
    levels: dict[int, list[dict]] = {pk: [] for pk in assessment_ids}
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids)
        .order_by("indicator__position", "indicator__code")
        .values_list("assessment_id", "indicator__code", "indicator__dimension", "level")
    )
    for assessment_id, code, dimension, level in rows:
        levels[assessment_id].append({"indicator": code, "dimension": dimension, "level": level})
    return levels


@extend_schema_view(
    list=extend_schema(parameters=[filters.StrategyFilters], summary="Strategies you may see"),
    retrieve=extend_schema(summary="One strategy"),
)
class StrategyViewSet(NumericLookup, ReadOnlyViewSet):
    serializer_class = serializers.StrategySerializer
    filter_class = filters.StrategyFilters

    def get_base_queryset(self):
        return with_budget(
            visible_strategies(self.request.user).select_related("province", "cluster")
        ).order_by("-fiscal_year", "cluster__code", "province__code", "pk")


@extend_schema_view(
    list=extend_schema(parameters=[filters.ProjectFilters], summary="Projects of strategies you may see"),
    retrieve=extend_schema(summary="One project"),
)
class ProjectViewSet(NumericLookup, ReadOnlyViewSet):
    serializer_class = serializers.ProjectSerializer
    filter_class = filters.ProjectFilters

    def get_base_queryset(self):
        user = self.request.user
        # Nation-wide users see every project: no semi-join with all strategies (the page's count would pay
        # for it over the whole table).
        projects = (
            Project.objects.all()
            if is_nationwide(user)
            else Project.objects.filter(strategy__in=visible_strategies(user))
        )
        return projects.prefetch_related(
            Prefetch("provinces", queryset=Province.objects.order_by("code"))
        ).order_by("strategy_id", "pk")


# --- roll-ups ---------------------------------------------------------------------------------------------


def _round(fiscal_year: int | None) -> Round:
    if fiscal_year is None:
        round = selectors.current_round()
        if round is None:
            raise NotFound(_("There is no open or closed round yet."))
        return round
    round = selectors.rounds().filter(fiscal_year=fiscal_year).first()
    if round is None:
        raise NotFound(_("There is no round for fiscal year %(year)s.") % {"year": fiscal_year})
    return round


def _values(values: dict) -> dict | None:
    return serializers.shown_scores(values) if values else None


def _spreads(spreads: dict) -> dict:
    return {
        key: {
            "mean": serializers.shown(s.mean),
            "min": serializers.shown(s.min),
            "max": serializers.shown(s.max),
            "lagging": s.lagging.code if s.lagging else None,
            "count": s.count,
        }
        for key, s in spreads.items()
    }


NOT_YOURS = _("You may not see unapproved figures here.")


@extend_schema(
    parameters=[filters.RollupFilters],
    responses=serializers.ClusterRollupSerializer,
    summary="A cluster's member provinces side by side, with the spread of each dimension",
)
class ClusterRollupView(APIView):
    def get(self, request: Request, code: str) -> Response:
        params = filters.validated(filters.RollupFilters, request)
        cluster = (
            visible_clusters(request.user).filter(code=code.upper()).first() if is_searchable(code) else None
        )
        if cluster is None:
            raise NotFound()
        round = _round(params.get("fiscal_year"))
        include = params["include_unapproved"]
        if include and not may_include_unapproved(request.user, cluster):
            raise PermissionDenied(NOT_YOURS)
        rollup = selectors.cluster_rollup(cluster=cluster, round=round, include_unapproved=include)
        data = {
            "cluster": cluster.code,
            "fiscal_year": round.fiscal_year,
            "include_unapproved": include,
            "approved_count": rollup.approved_count,
            "rows": [
                {
                    "province": row.province.code,
                    "official": row.official,
                    # Without unapproved figures, only an approved row says its status (drafts stay private).
                    "status": (row.status or None) if include or row.approved else None,
                    "values": _values(row.values),
                    "previous": _values(row.previous),
                }
                for row in rollup.rows
            ],
            "spread": _spreads(rollup.spreads),
            "previous_spread": _spreads(rollup.previous_spreads),
        }
        return Response(serializers.ClusterRollupSerializer(data).data)


@extend_schema(
    parameters=[filters.RollupFilters],
    responses=serializers.NationalRollupSerializer,
    summary="The clusters (and Bangkok) each with their spread, and the whole country's",
)
class NationalRollupView(APIView):
    def get(self, request: Request) -> Response:
        params = filters.validated(filters.RollupFilters, request)
        round = _round(params.get("fiscal_year"))
        include = params["include_unapproved"]
        if include and not may_include_unapproved(request.user, None):
            raise PermissionDenied(NOT_YOURS)
        clusters, nation = selectors.national_rollup(round=round, include_unapproved=include)
        data = {
            "fiscal_year": round.fiscal_year,
            "include_unapproved": include,
            "rows": [
                {
                    "cluster": row.cluster.code if row.cluster else None,
                    "province_count": len(row.rollup.rows),
                    "approved_count": row.rollup.approved_count,
                    "spread": _spreads(row.rollup.spreads),
                }
                for row in clusters
            ],
            "province_count": len(nation.rows),
            "approved_count": nation.approved_count,
            "spread": _spreads(nation.spreads),
            "previous_spread": _spreads(nation.previous_spreads),
        }
        return Response(serializers.NationalRollupSerializer(data).data)


@extend_schema(exclude=True)  # an index for people and clients finding their way, not an operation
class ApiRootView(APIView):
    """GET /api/: the list endpoints, the roll-ups, the schema and the docs, by absolute URL."""

    def get(self, request: Request) -> Response:
        names = ["province-list", "cluster-list", "round-list", "assessment-list", "strategy-list",
                 "project-list", "rollup-national", "schema", "docs"]  # fmt: skip
        return Response({name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names})
