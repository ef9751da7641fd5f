"""The readiness review queue's columns: how each sorts and what its export holds (see provinces.listing)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from provinces.listing import Column, Field, ListSpec

from .choices import Dimension
from .scoring import rounded

REVIEW_QUEUE = ListSpec(
    columns=(
        Column("waiting", _("Submitted"), order=("submitted_at",)),
        Column("province", _("Province"), thai=(("province__name_th", "province__name_en"),)),
        Column(
            "cluster",
            _("Provincial cluster"),
            thai=(("province__cluster__name_th", "province__cluster__name_en"),),
        ),
        Column("fy", _("Fiscal year"), order=("round__fiscal_year",), descending_first=True),
        Column("status", _("Status"), order=("status",)),
    ),
    default_sort="waiting",  # oldest first: the longest wait is reviewed first
    fields=(
        Field(_("Province code"), lambda a: a.province.code),
        Field(_("Province"), lambda a: a.province.name),
        Field(_("Provincial cluster"), lambda a: a.province.cluster.name if a.province.cluster else ""),
        Field(_("Fiscal year"), lambda a: a.round.fiscal_year),
        Field(_("Earlier round"), lambda a: a.earlier_round),
        Field(_("Status"), lambda a: a.get_status_display()),
        Field(_("Submitted"), lambda a: a.submitted_at),
        Field(_("Review due"), lambda a: a.due_on),
        Field(_("Overall"), lambda a: rounded(a.scores.overall)),
        Field(_("Completeness (%)"), lambda a: rounded(a.scores.completeness * 100, 0)),
    ),
    filename="readiness-review-queue",
)


def _value(key: str) -> Callable[[Any], float | None]:
    return lambda row: row.values.get(key)


def _rounded(key: str) -> Callable[[Any], Decimal | None]:
    return lambda row: rounded(row.values.get(key))


MAP_TABLE = ListSpec(
    columns=(
        Column("province", _("Province"), value=lambda r: r.province.name, text=True),
        Column(
            "cluster",
            _("Provincial cluster"),
            value=lambda r: r.province.cluster.name if r.province.cluster else "",
            text=True,
        ),
        *(Column(d.value, d.label, value=_value(d.value), descending_first=True) for d in Dimension),
        Column("overall", _("Overall"), value=_value("overall"), descending_first=True),
    ),
    default_sort="province",
    fields=(
        Field(_("Province code"), lambda r: r.province.code),
        Field(_("Province"), lambda r: r.province.name),
        Field(_("Provincial cluster"), lambda r: r.province.cluster.name if r.province.cluster else ""),
        *(Field(d.label, _rounded(d.value)) for d in Dimension),
        Field(_("Overall"), _rounded("overall")),
    ),
    filename="readiness-map",
    per_page=100,  # every province on one page, under the map
)
