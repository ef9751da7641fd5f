"""Lists of every app: one page of rows, the sort, the page links and the CSV/XLSX export of the whole list.

A list names its sortable columns (``Column``) and its export columns (``Field``) once, in a ``ListSpec``. The
page number, the sort (``sort=key`` or ``sort=-key``) and the list's own filters all live in the query string,
so a page is bookmarkable and works without JavaScript; ``export=csv`` or ``export=xlsx`` on the same address
returns every row of the filtered, sorted list — the rows the pages show, not only the current page.

Names sort in Thai dictionary order (``thai.thai_sort_key``), which SQL cannot do with the databases' default
collations. A column of a long list names stored sort keys (``keys``: ``thai.thai_sort_text``, kept by the
model), and SQL sorts by them a page at a time, whatever the size of the list. Names of related rows (``thai``:
a strategy's owner, an assessment's province) are ranked here — the provinces and clusters are a few dozen
rows — and SQL sorts the list by that rank. Otherwise (a name of the row itself, on a short list) only the ids
and names of the rows are read and sorted here, then the page's rows are fetched by id.

Whatever a request puts in ``page`` or ``sort`` (other scripts' digits, NUL, 10**30, an unknown key) is
ignored: the first page, the list's default order.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import english_active, localized
from .parsing import parse_int
from .thai import format_date, thai_sort_key
from .workbooks import safe_text

ROWS_PER_PAGE = 50
MAX_PAGE = 10**6
FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Sarabun"
# Query keys that belong to the list machinery, not to the list's filters.
OWN_KEYS = ("page", "sort", "export")


@dataclass(frozen=True)
class Column:
    """A sortable column. On a queryset it sorts by ``order`` (model fields; "-" flips them) or, for names,
    by ``keys`` (stored sort keys) or by ``thai``: pairs of (Thai field, English field), the first pair whose
    Thai field has a value giving the row's name in the active language. On a list of objects ``value`` gives
    the sort value of a row."""

    key: str
    label: Any
    order: tuple[str, ...] = ()
    thai: tuple[tuple[str, str], ...] = ()
    # Stored sort keys in Thai dictionary order (thai.thai_sort_text) for the (Thai, English) interface: SQL
    # sorts by them.
    keys: tuple[str, str] | None = None
    value: Callable[[Any], Any] | None = None
    text: bool = False  # ``value`` is a name: sorted in Thai dictionary order
    descending_first: bool = False  # dates and scores: the first click shows the largest first


@dataclass(frozen=True)
class Field:
    """One column of the export: its (Thai) header and the cell value of a row."""

    header: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListSpec:
    columns: tuple[Column, ...]
    default_sort: str  # a column key, "-" first for descending
    fields: tuple[Field, ...] = ()
    filename: str = "list"
    per_page: int = ROWS_PER_PAGE
    tiebreak: tuple[str, ...] = ("pk",)  # a stable order inside equal values (a queryset's fields)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def stored_keys(self) -> tuple[str, ...]:
        return tuple(k for c in self.columns for k in c.keys or ())


@dataclass(frozen=True)
class Header:
    label: Any
    href: str
    aria_sort: str  # "ascending" / "descending" on the sorted column, "" elsewhere


@dataclass(frozen=True)
class PageLink:
    number: int
    href: str
    current: bool


@dataclass
class Listing:
    """What a list page renders: ``rows`` (this page's, or every row when ``export`` is asked for)."""

    rows: list
    total: int
    sort: str
    headers: dict[str, Header]
    export: str = ""
    page: Page | None = None
    pages: list[PageLink | None] = field(default_factory=list)  # None: a gap ("…")
    previous_href: str = ""
    next_href: str = ""
    export_hrefs: dict[str, str] = field(default_factory=dict)

    @property
    def first_index(self) -> int:
        return self.page.start_index() if self.page else (1 if self.rows else 0)

    @property
    def last_index(self) -> int:
        return self.page.end_index() if self.page else len(self.rows)


def _href(query: QueryDict, **changes: object) -> str:
    q = query.copy()
    for key in OWN_KEYS:
        q.pop(key, None)
    for key, value in changes.items():
        if value not in ("", None):
            q[key] = str(value)
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else "?"


def status_filter(raw: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The statuses a list's status filter names: one of ``allowed``, "all" of them, or else the first
    (the list's default)."""
    if raw == "all":
        return allowed
    return (raw,) if isinstance(raw, str) and raw in allowed else allowed[:1]


def status_value(statuses: tuple[str, ...]) -> str:
    """The filter's value for the form: one status, or "all"."""
    return statuses[0] if len(statuses) == 1 else "all"


def _chosen_sort(spec: ListSpec, raw: object) -> tuple[Column, bool]:
    text = raw if isinstance(raw, str) else ""
    column = spec.column(text.removeprefix("-")) if text and len(text) <= 40 else None
    if column is None:
        column = spec.column(spec.default_sort.removeprefix("-"))
        text = spec.default_sort
    assert column is not None, "the default sort names a column"
    return column, text.startswith("-")


def _thai_text(row: tuple) -> str:
    for i in range(0, len(row), 2):
        if row[i] is not None:
            return localized(row[i], row[i + 1] or "")
    return ""


class _ById:
    """A queryset in an order computed here (a list of ids): slicing it fetches only those rows."""

    def __init__(self, qs: QuerySet, ids: list[int]):
        self.qs, self.ids = qs, ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # what Paginator asks a queryset-like list for
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        found = {row.pk: row for row in self.qs.filter(pk__in=ids)} if ids else {}
        rows = [found[i] for i in ids if i in found]
        return rows if isinstance(index, slice) else rows[0]


def _ordered(rows, spec: ListSpec, column: Column, descending: bool, whole: bool):
    """The rows in the chosen order: a queryset or something a Paginator slices cheaply."""
    if not isinstance(rows, QuerySet):
        value: Callable[[Any], Any] = column.value or (lambda row: None)
        if column.keys and column.value is None:
            key_field = _key_field(column.keys)

            def value(row: Any) -> Any:
                return getattr(row, key_field, None)

        def sort_key(row: Any) -> Any:
            return thai_sort_key(str(value(row))) if column.text else value(row)

        blank = [r for r in rows if value(r) in (None, "")]
        present = sorted((r for r in rows if value(r) not in (None, "")), key=sort_key, reverse=descending)
        return present + blank  # blanks last, whichever the direction
    if column.keys:
        key = F(_key_field(column.keys))
        return rows.order_by(key.desc() if descending else key.asc(), *spec.tiebreak)
    if column.thai:
        paths = [p for pair in column.thai for p in pair]
        if whole:  # every row is read anyway: sort the rows themselves
            named = [(r, _thai_text(tuple(_path_value(r, p) for p in paths))) for r in rows]
            named.sort(key=lambda rn: thai_sort_key(rn[1]), reverse=descending)
            return [r for r, _name in named]
        ranked = _rank_of_related(rows.model, column.thai)
        if ranked is not None:  # names of a few related rows: sorted here, the list by their rank in SQL
            rank = ranked.desc(nulls_last=True) if descending else ranked.asc(nulls_last=True)
            return rows.order_by(rank, *spec.tiebreak)
        pairs = list(rows.order_by(*spec.tiebreak).values_list("pk", *paths))
        pairs.sort(key=lambda row: thai_sort_key(_thai_text(row[1:])), reverse=descending)
        return _ById(rows, [row[0] for row in pairs])
    # Flip the fields written with a leading "-" (they sort against the column's direction).
    order = []
    for name in column.order:
        against = name.startswith("-")
        bare = name.removeprefix("-")
        down = descending != against
        if not _nullable(rows.model, bare):  # as the column's index sorts it: LIMIT reads the index
            order.append(F(bare).desc() if down else F(bare).asc())
        else:
            order.append(F(bare).desc(nulls_last=True) if down else F(bare).asc(nulls_last=True))
    return rows.order_by(*order, *spec.tiebreak)


def _nullable(model, path: str) -> bool:
    """Whether the field at ``path`` may be NULL (an annotation, or a path through a nullable relation,
    counts as nullable: blanks go last whichever the direction)."""
    try:
        for part in path.split("__"):
            field = model._meta.get_field(part)
            if field.null:
                return True
            if field.is_relation:
                model = field.related_model
    except Exception:  # an annotation, not a field
        return True
    return False


# A related table of at most this many rows (provinces, clusters) is read whole to rank its names.
MAX_RANKED_RELATED = 500


def _rank_of_related(model, thai: tuple[tuple[str, str], ...]):
    """When every name of the column is a field of a related row (``province__name_th``), the rank of each
    related row's name in Thai dictionary order (the first pair that has one, as ``_thai_text`` reads it), as
    one SQL expression: the related tables are small and read whole, and the list — thousands of strategies —
    is then sorted and sliced by the database, a page at a time. None when a name is not of that kind or a
    related table is too large: then the names of every row are read and sorted here."""
    from django.db.models import Case, IntegerField, Value, When

    named: list[tuple[str, str, int]] = []  # (name, relation path, related pk)
    for th, en in thai:
        relation, _sep, th_field = th.rpartition("__")
        en_relation, _sep, en_field = en.rpartition("__")
        if not relation or relation != en_relation:
            return None
        related = model
        try:
            for part in relation.split("__"):
                related = related._meta.get_field(part).related_model
        except Exception:  # not a relation
            return None
        if related is None:
            return None
        found = list(related.objects.values_list("pk", th_field, en_field)[: MAX_RANKED_RELATED + 1])
        if len(found) > MAX_RANKED_RELATED:
            return None
        for pk, name_th, name_en in found:
            if name_th:
                named.append((localized(name_th, name_en or ""), relation, pk))
    named.sort(key=lambda n: thai_sort_key(n[0]))
    whens = [When(**{relation: pk}, then=Value(i)) for i, (_name, relation, pk) in enumerate(named)]
    return Case(*whens, default=Value(None), output_field=IntegerField()) if whens else Value(None)


def _key_field(keys: tuple[str, str]) -> str:
    return keys[1] if english_active() else keys[0]


def _path_value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def list_page(request: HttpRequest, rows, spec: ListSpec) -> Listing:
    """The page of ``rows`` (a queryset or a list) that the request asks for, sorted as it asks, with the
    header links; with ``export=csv|xlsx`` every row instead, for ``export_response``."""
    query = request.GET
    column, descending = _chosen_sort(spec, query.get("sort"))
    sort = f"-{column.key}" if descending else column.key
    export = query.get("export", "")
    export = export if export in FORMATS else ""
    if isinstance(rows, QuerySet) and spec.stored_keys:
        # Only SQL sorts by them: not read (rows as wide as a title each, in every sort of the list).
        rows = rows.defer(*spec.stored_keys)
    ordered = _ordered(rows, spec, column, descending, whole=bool(export))
    headers = {}
    for c in spec.columns:
        if c.key == column.key:
            target = c.key if descending else f"-{c.key}"
            aria = "descending" if descending else "ascending"
        else:
            target, aria = (f"-{c.key}" if c.descending_first else c.key), ""
        headers[c.key] = Header(c.label, _href(query, sort=target), aria)
    listing = Listing(rows=[], total=0, sort=sort, headers=headers, export=export)
    listing.export_hrefs = {f: _href(query, sort=sort, export=f) for f in FORMATS}
    if export:
        listing.rows = list(ordered)
        listing.total = len(listing.rows)
        return listing
    number = parse_int(query.get("page", "1"), minimum=1, maximum=MAX_PAGE) or 1
    paginator = Paginator(ordered, spec.per_page)
    page = paginator.get_page(number)  # beyond the last page: the last page
    listing.page = page
    listing.rows = list(page.object_list)
    listing.total = paginator.count
    listing.pages = [
        None
        if n == Paginator.ELLIPSIS
        else PageLink(int(n), _href(query, sort=sort, page=n), n == page.number)
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    if page.has_previous():
        listing.previous_href = _href(query, sort=sort, page=page.previous_page_number())
    if page.has_next():
        listing.next_href = _href(query, sort=sort, page=page.next_page_number())
    return listing


# --- export --------------------------------------------------------------------------------------


def _cell(value: object) -> object:
    """Numbers stay numbers; everything else is neutralised text (no formula, no control character)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_text(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value)
        return f"{format_date(local)} {local:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, int | float | Decimal):
        # Whole numbers without a trailing ".0", so that the CSV and the workbook show the same figure.
        return int(value) if value == int(value) else float(value)
    return safe_text(value)


def export_table(rows: list, fields: Sequence[Field]) -> tuple[list[str], list[list[object]]]:
    """The header and the cells of an export, in Thai (the ministry's files are Thai whatever the screen)."""
    with translation.override("th"):
        header = [safe_text(str(f.header)) for f in fields]
        body = [[_cell(f.value(row)) for f in fields] for row in rows]
    return header, body


def export_response(listing: Listing, spec: ListSpec) -> HttpResponse:
    header, body = export_table(listing.rows, spec.fields)
    if listing.export == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(body)
        # A BOM, so that Excel reads the file as UTF-8 and shows Thai.
        response = HttpResponse(
            ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        # Write-only: rows stream out (no per-cell bookkeeping), which keeps a national export fast. Every text
        # cell went through safe_text, so none starts like a formula.
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(safe_text(spec.filename)[:31])
        for i, text in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, min(60, len(text) + 4))
        ws.freeze_panes = "A2"
        heading = []
        for text in header:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = Font(name=FONT, bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
            heading.append(cell)
        ws.append(heading)
        for values in body:
            ws.append(values)
        content = io.BytesIO()
        wb.save(content)
        response = HttpResponse(content.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}.{listing.export}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
