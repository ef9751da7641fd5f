from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from provinces.parsing import parse_int

# A page past the last is a 404 anyway; the bound keeps int() and the OFFSET within reason.
MAX_PAGE = 10**9


class Pagination(PageNumberPagination):
    """50 items a page, up to 200 with ``?page_size=``. A malformed page or page size is a 400 (DRF would
    quietly fall back to the default size); a page past the end stays a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page != "last" and parse_int(page, minimum=1, maximum=MAX_PAGE) is None:
            errors[self.page_query_param] = [_("A page number is a whole number from 1.")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and parse_int(size, minimum=1, maximum=self.max_page_size) is None:
            errors[self.page_size_query_param] = [
                _("The page size is a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            ]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        page = request.query_params.get(self.page_query_param, "1")
        return page if page in self.last_page_strings else parse_int(page, minimum=1, maximum=MAX_PAGE)

    def get_page_size(self, request):
        size = parse_int(
            request.query_params.get(self.page_size_query_param), minimum=1, maximum=self.max_page_size
        )
        return size or self.page_size

    def get_schema_operation_parameters(self, view):
        """The bounds of both parameters, so that a schema-driven client knows what is a 400."""
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number from 1 (or `last`). A malformed number is a 400; a page past "
                "the last is a 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {self.max_page_size} (default {self.page_size}). "
                "Anything else is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
