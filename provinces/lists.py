"""The province list's columns: how each sorts and what its export holds (see listing.py)."""

from django.utils.translation import gettext_lazy as _

from .listing import Column, Field, ListSpec


def _cluster_name(province) -> str:
    return province.cluster.name if province.cluster else ""


def _borders(province) -> str:
    return ", ".join(c.name for c in province.border_countries.all())


PROVINCE_LIST = ListSpec(
    columns=(
        Column("code", _("Code"), value=lambda p: p.code),
        Column("name", _("Province"), value=lambda p: p.name, text=True),
        # The region of the scheme the filter chose (the view sets ``shown_region``).
        Column("region", _("Region"), value=lambda p: p.shown_region.name, text=True),
        Column("cluster", _("Provincial cluster"), value=_cluster_name, text=True),
        Column("borders", _("Borders"), value=_borders, text=True),
        Column("coastal", _("Coastal"), value=lambda p: p.coastal, descending_first=True),
    ),
    default_sort="name",
    fields=(
        Field(_("Province code"), lambda p: p.code),
        Field(_("Thai name"), lambda p: p.name_th),
        Field(_("English name"), lambda p: p.name_en),
        Field(_("Region (four regions)"), lambda p: p.region4.name),
        Field(_("Region (six regions)"), lambda p: p.region6.name),
        Field(_("Provincial cluster"), _cluster_name),
        Field(_("Borders"), _borders),
        Field(_("Coastal"), lambda p: p.coastal),
    ),
    filename="provinces",
    per_page=100,  # every province on one page
)


def _lead_name(cluster) -> str:
    return cluster.lead_province.name if cluster.lead_province else ""


CLUSTER_LIST = ListSpec(
    columns=(
        Column("code", _("Code"), order=("code",)),
        Column("name", _("Provincial cluster"), thai=(("name_th", "name_en"),)),
        Column("lead", _("Lead province"), thai=(("lead_province__name_th", "lead_province__name_en"),)),
    ),
    default_sort="code",
    fields=(
        Field(_("Code"), lambda c: c.code),
        Field(_("Thai name"), lambda c: c.name_th),
        Field(_("English name"), lambda c: c.name_en),
        Field(_("Lead province"), _lead_name),
    ),
    filename="clusters",
    tiebreak=("code",),
)
