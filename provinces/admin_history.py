"""The admin's history pages in the reader's language: field and choice labels instead of stored codes, "–" for
an empty value (never "None" or "pk=None"), yes/no for booleans. Dates are Buddhist Era in Bangkok time (the
template templates/simple_history/object_history_list.html); so are the change lists' and read-only dates
(BEDatesAdmin)."""

from typing import Any

from django.db.models import ForeignKey
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_dates import BEDatesAdmin


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value) -> Any:
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):
            # A null foreign key comes back as a "deleted object" without a key.
            return "–" if value.pk is None else _("(deleted)")
        if value in (None, "") or (isinstance(field, ForeignKey) and value is None):
            return "–"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if field.choices and not field.many_to_many:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(BEDatesAdmin, SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)
