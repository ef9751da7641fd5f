"""Admin of the strategies app.

Decision support (issue 7): administrators maintain the provinces' annual budget envelopes, and can look
at (or delete, to reopen) the overlap decisions that secretariats and advisors recorded."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from provinces.admin_dates import BEDatesAdmin
from provinces.admin_history import HistoryAdmin

from .access import can_edit_strategy, can_own
from .models import BudgetEnvelope, Criterion, OverlapDecision, Project, Strategy


@admin.register(BudgetEnvelope)
class BudgetEnvelopeAdmin(HistoryAdmin):
    list_display = ["province", "fiscal_year", "amount"]
    list_filter = ["fiscal_year", "province__cluster"]
    list_editable = ["amount"]
    search_fields = ["province__code", "province__name_th", "province__name_en"]
    ordering = ["-fiscal_year", "province__code"]


@admin.register(OverlapDecision)
class OverlapDecisionAdmin(BEDatesAdmin):
    list_display = ["strategy_a", "strategy_b", "decision", "merged_into", "shown_by_finder", "by", "at"]
    list_filter = ["decision", "shown_by_finder", "strategy_a__fiscal_year"]
    raw_id_fields = ["strategy_a", "strategy_b", "merged_into", "by"]
    readonly_fields = ["at"]
    search_fields = ["strategy_a__title_th", "strategy_b__title_th", "note"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The checklist behind the matrix: administrators edit names, help texts, weights and which are active.
    Changing a weight changes the effects of strategies saved afterwards (they are stored at save time)."""

    list_display = ["code", "axis", "name_th", "weight", "active", "position"]
    list_editable = ["weight", "active", "position"]
    list_filter = ["axis", "active"]


class OwnerChecked:
    """Django's admin is a write path too: a strategy or project changes here only if ``can_own`` lets the
    user change its owner's strategies, as on every page — model permissions alone are not enough."""

    @staticmethod
    def _strategy(obj) -> Strategy:
        return obj if isinstance(obj, Strategy) else obj.strategy

    def _may_change(self, request, obj) -> bool:
        return obj is None or can_edit_strategy(request.user, self._strategy(obj))

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # The form may name a new owner (or move a project): the user must own that one as well.
        owner = self._strategy(obj).owner
        if owner is None or not can_own(request.user, owner):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset) -> None:
        # The "delete selected" action asks has_delete_permission without an object.
        if not all(self._may_change(request, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class ProjectInline(admin.TabularInline):
    model = Project
    fields = [
        "title_th",
        "lead_agency",
        "budget",
        "funding_source",
        "start_fy",
        "end_fy",
        "status",
        "progress",
    ]
    extra = 0
    show_change_link = True


@admin.register(Strategy)
class StrategyAdmin(OwnerChecked, HistoryAdmin):
    """Read and correct strategies; the review workflow itself runs through the app's pages."""

    list_display = ["title_th", "province", "cluster", "fiscal_year", "status", "override_quadrant",
                    "updated_at"]  # fmt: skip
    list_filter = ["fiscal_year", "status", "pillar", "work_area", "cluster"]
    search_fields = ["title_th", "title_en", "external_ref"]
    list_select_related = ["province", "cluster"]
    raw_id_fields = ["previous", "indicators"]
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(OwnerChecked, HistoryAdmin):
    list_display = ["title_th", "strategy", "budget", "funding_source", "status", "progress"]
    list_filter = ["funding_source", "status"]
    search_fields = ["title_th", "lead_agency"]
    list_select_related = ["strategy", "strategy__province", "strategy__cluster"]
