"""The search page: the query's results the user may see, grouped by kind, the matched words marked."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from provinces.text import without_nul

from . import selectors
from .forms import SearchForm
from .text import MAX_QUERY_CHARS, highlight, snippet


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)  # no query yet: the empty page, without a message
    results = None
    if form.is_valid():
        query, data = form.cleaned_data["q"], form.cleaned_data
        results = selectors.search(user=request.user, query=query, kind=data["type"], page=data["page"])
        terms = results.query.highlight_terms  # the query as searched: with the words like a typo's
        for group in results.shown:
            for document in group.documents:
                link = selectors.link(document, request.user)
                title = highlight(document.title, terms)
                body = snippet(document.body, terms)
                document.link = link  # type: ignore[attr-defined]  # for the template: not a field
                document.marked_title = title  # type: ignore[attr-defined]  # for the template: not a field
                document.marked_body = body  # type: ignore[attr-defined]  # for the template: not a field
    # What the box shows again: never a NUL, never more than a long query.
    typed = without_nul(request.GET.get("q", ""))[: MAX_QUERY_CHARS * 2]
    return render(request, "search/results.html", {"form": form, "q": typed, "results": results})
