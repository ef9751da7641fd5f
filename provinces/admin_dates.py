"""Buddhist Era dates in the admin, in Bangkok time.

Django's admin formats a date column or a read-only date with the locale's format, which keeps the Gregorian
year ("1 พฤศจิกายน 2026" beside "ปีงบประมาณ (พ.ศ.)"). ``BEDatesAdmin`` shows such dates through the
templates' ``be_date`` / ``be_datetime`` filters instead: each date field named in ``list_display``, in
``readonly_fields``, or on a page the user may only view becomes a display function with the field's label
and sort order. Editable date inputs keep the ISO form the date widgets need.
"""

from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from provinces.templatetags.thai import be_date, be_datetime


class BEDatesAdmin(admin.ModelAdmin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._be_displays: dict[str, Callable] = {}

    def _be_display(self, name) -> Callable | None:
        """The display function for the date field ``name`` (one per field and admin, so the change form can
        match its fieldsets with its read-only fields), or None when ``name`` is not a date field."""
        if not isinstance(name, str):
            return None
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, models.DateField):  # DateTimeField is a DateField
            return None
        if name not in self._be_displays:
            render = be_datetime if isinstance(field, models.DateTimeField) else be_date

            @admin.display(description=field.verbose_name, ordering=name)
            def display(obj):
                value = getattr(obj, name)
                return self.get_empty_value_display() if value is None else render(value)

            display.__name__ = name  # the column's CSS class, as for the field itself
            self._be_displays[name] = display
        return self._be_displays[name]

    def _be(self, names):
        """``names`` (a list, or a fieldset's row of names) with each date field replaced by its display."""
        return [
            tuple(self._be(n)) if isinstance(n, (list, tuple)) else self._be_display(n) or n for n in names
        ]

    def get_list_display(self, request):
        return self._be(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._be(super().get_readonly_fields(request, obj))

    def get_exclude(self, request, obj=None):
        # A read-only date is shown by its display function; the form must still leave the field out.
        readonly_dates = [n for n in super().get_readonly_fields(request, obj) if self._be_display(n)]
        excluded = super().get_exclude(request, obj)
        return [*(excluded or []), *readonly_dates] if readonly_dates else excluded

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # A view-only page shows every field read-only (Django takes them from the fieldsets).
        return [(title, {**options, "fields": self._be(options["fields"])}) for title, options in fieldsets]
