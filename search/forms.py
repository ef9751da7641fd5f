"""The search box's input: one query, cut into search terms; anything that cannot be searched is a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from provinces.parsing import parse_int

from .choices import DocumentKind
from .text import MAX_QUERY_CHARS, Query, parse_query

MAX_PAGE = 10_000


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "required": _("Type a word to search for."),
            "max_length": _("The search text is too long: at most %(limit_value)d characters."),
            "null_characters_not_allowed": _("The search text contains a character that cannot be searched."),
        },
    )
    # The kind shown page by page, and the page: anything else (NUL included) is the overview, page 1.
    type = forms.Field(required=False)
    page = forms.Field(required=False)

    def clean_q(self) -> Query:
        query = parse_query(self.cleaned_data["q"])
        if query is None:
            raise forms.ValidationError(
                _("The search text has no letters or digits to search for."), code="no_words"
            )
        return query

    def clean_type(self) -> DocumentKind | None:
        value = self.cleaned_data["type"]
        return DocumentKind(value) if value in DocumentKind.values else None

    def clean_page(self) -> int:
        return parse_int(self.cleaned_data["page"], minimum=1, maximum=MAX_PAGE) or 1
