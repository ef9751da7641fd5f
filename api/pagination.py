from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """50 items a page, up to 200 with ``?page_size=``. A malformed page or page size is a 400 (DRF would
    quietly fall back to the default size); a page past the end stays a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page != "last" and not (page.isascii() and page.isdigit() and int(page) >= 1):
            errors[self.page_query_param] = [_("A page number is a whole number from 1.")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (
            size.isascii() and size.isdigit() and 1 <= int(size) <= self.max_page_size
        ):
            errors[self.page_size_query_param] = [
                _("The page size is a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            ]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)
