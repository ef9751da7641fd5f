import datetime as dt

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from provinces.admin_dates import BEDatesAdmin
from provinces.admin_history import HistoryAdmin

from . import services
from .models import (
    SCORING_FIELDS,
    Answer,
    ApprovalSnapshot,
    Assessment,
    Evidence,
    FrameworkChange,
    Indicator,
    ReviewEvent,
    Round,
)

OPEN_ROUND_WARNING = gettext_lazy(
    "This round is open: provinces are answering it now. Changing a weight or a rubric changes the scores "
    "of every assessment not yet approved; the change is recorded and shown on those assessments."
)


def _record_framework_change(modeladmin, request, indicator: Indicator, before: dict) -> None:
    """Record a weight or rubric change made in an open round, and tell the administrator it was recorded."""
    change = services.framework_change_record(indicator=indicator, before=before, by=request.user)
    if change:
        modeladmin.message_user(
            request,
            _("%(code)s: the weight or rubric changed while the round is open. The change is recorded and "
              "shown on the assessments not yet approved.") % {"code": indicator.code},
            messages.WARNING,
        )  # fmt: skip


def _scoring_values(indicator_id: int | None) -> dict:
    if not indicator_id:
        return {}
    return Indicator.objects.filter(pk=indicator_id).values(*SCORING_FIELDS).first() or {}


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["position", "code", "dimension", "name_th", "weight"]
    extra = 0
    show_change_link = True


@admin.register(Round)
class RoundAdmin(HistoryAdmin):
    list_display = ["fiscal_year", "opens_on", "closes_on", "status"]
    list_filter = ["status"]
    inlines = [IndicatorInline]
    actions = ["create_next_round"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round = self.get_object(request, object_id)
        if request.method == "GET" and round is not None and round.is_open:
            self.message_user(request, OPEN_ROUND_WARNING, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        # The inline edits indicators' weights: record those of an open round like the indicator page does.
        before = {
            f.instance.pk: _scoring_values(f.instance.pk)
            for f in formset.forms
            if f.instance.pk and f.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for f in formset.forms:
            if f.instance.pk in before and isinstance(f.instance, Indicator):
                _record_framework_change(self, request, f.instance, before[f.instance.pk])

    @admin.action(description=gettext_lazy("Open the next fiscal year's round with a copy of this framework"))
    def create_next_round(self, request, queryset):
        for previous in queryset.order_by("-fiscal_year")[:1]:
            # Same calendar as the copied round, one year later; the administrator adjusts dates and opens it.
            try:
                new = services.round_create_next(
                    previous=previous,
                    opens_on=previous.opens_on.replace(year=previous.opens_on.year + 1),
                    closes_on=previous.closes_on.replace(year=previous.closes_on.year + 1)
                    if not (previous.closes_on.month == 2 and previous.closes_on.day == 29)
                    else previous.closes_on + dt.timedelta(days=365),
                )
            except services.WorkflowError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            self.message_user(
                request,
                _(
                    "Round FY %(year)s created in preparation with %(count)s indicators. Check the dates, then open it."
                )
                % {"year": new.fiscal_year, "count": new.indicators.count()},
            )


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["code", "name_th", "dimension", "weight", "round"]
    list_filter = ["round", "dimension"]
    search_fields = ["code", "name_th", "name_en"]
    fieldsets = [
        (None, {"fields": ["round", "dimension", "code", "position", "weight"]}),
        (gettext_lazy("Names"), {"fields": ["name_th", "name_en"]}),
        (
            gettext_lazy("Guidance"),
            {"fields": ["guidance_th", "guidance_en", "target_note_th", "target_note_en"]},
        ),
        (gettext_lazy("Rubric (Thai)"), {"fields": [f"rubric_{i}_th" for i in range(1, 6)]}),
        (
            gettext_lazy("Rubric (English)"),
            {"fields": [f"rubric_{i}_en" for i in range(1, 6)], "classes": ["collapse"]},
        ),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        indicator = self.get_object(request, object_id)
        if request.method == "GET" and indicator is not None and indicator.round.is_open:
            self.message_user(request, OPEN_ROUND_WARNING, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = _scoring_values(obj.pk) if change else {}
        super().save_model(request, obj, form, change)
        if change:
            _record_framework_change(self, request, obj, before)


@admin.register(FrameworkChange)
class FrameworkChangeAdmin(BEDatesAdmin):
    """The record of weight and rubric changes in open rounds: written by the indicator pages, read here."""

    list_display = ["round", "indicator", "changed_by", "changed_at"]
    list_filter = ["round"]
    list_select_related = ["round", "indicator", "changed_by"]
    readonly_fields = ["round", "indicator", "changes", "changed_by", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(HistoryAdmin):
    """Read-mostly: the workflow runs through the app's pages and services, not the admin."""

    list_display = ["province", "round", "status", "version", "updated_at"]
    list_filter = ["round", "status", "province__cluster"]
    search_fields = ["province__name_th", "province__name_en", "province__code"]
    readonly_fields = ["province", "round", "status", "version", "submitted_at", "approved_snapshot"]
    list_select_related = ["province", "round"]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(BEDatesAdmin):
    list_display = ["assessment", "action", "by", "at"]
    list_filter = ["action"]
    list_select_related = ["assessment__province", "assessment__round", "by"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Answer, HistoryAdmin)
admin.site.register(Evidence, HistoryAdmin)
admin.site.register(ApprovalSnapshot, BEDatesAdmin)
