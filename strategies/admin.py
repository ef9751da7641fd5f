"""Admin of the strategies app.

Decision support (issue 7): administrators maintain the provinces' annual budget envelopes, and can look
at (or delete, to reopen) the overlap decisions that secretariats and advisors recorded."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetEnvelope, OverlapDecision


@admin.register(BudgetEnvelope)
class BudgetEnvelopeAdmin(SimpleHistoryAdmin):
    list_display = ["province", "fiscal_year", "amount"]
    list_filter = ["fiscal_year", "province__cluster"]
    list_editable = ["amount"]
    search_fields = ["province__code", "province__name_th", "province__name_en"]
    ordering = ["-fiscal_year", "province__code"]


@admin.register(OverlapDecision)
class OverlapDecisionAdmin(admin.ModelAdmin):
    list_display = ["strategy_a", "strategy_b", "decision", "merged_into", "by", "at"]
    list_filter = ["decision", "strategy_a__fiscal_year"]
    raw_id_fields = ["strategy_a", "strategy_b", "merged_into", "by"]
    readonly_fields = ["at"]
    search_fields = ["strategy_a__title_th", "strategy_b__title_th", "note"]
