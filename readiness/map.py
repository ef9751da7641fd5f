"""The national readiness map: a choropleth of the provinces' official (approved) scores, or of the clusters.
(A draft briefing's map also colours unapproved figures, and says so.)

The map itself is provinces.maps (the licensed svg-maps outline, one path per province); this module only
decides each province's colour, title and link, and the legend. Classes follow the rubric's quarters —
below 25, 25–50, 50–75, 75 and above — so a colour reads the same in every round and dimension. Provinces
without approved data are hatched grey and said so; colour is never the only carrier: every path has a
title, and the page prints the same numbers in a table.
"""

from dataclasses import dataclass
from typing import overload

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from provinces.maps import MapStyle, thailand_svg

from .choices import DIMENSIONS
from .scoring import rounded
from .selectors import ScoreRow

BREAKS = [0, 25, 50, 75, 100]
PALETTE = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"]  # light to dark: low to high readiness
NO_DATA = "url(#no-data)"
NO_DATA_PATTERN = (
    '<pattern id="no-data" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#e9ecef"/><line x1="0" y1="0" x2="0" y2="6" stroke="#adb5bd" stroke-width="2"/>'
    "</pattern>"
)
# Eighteen clusters, eighteen distinguishable colours (Tableau 20 without its greys).
CLUSTER_COLOURS = [
    "#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd",
    "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5",
]  # fmt: skip
MEASURES = ["overall", *DIMENSIONS, "cluster"]


@dataclass
class LegendItem:
    colour: str
    label: str
    count: int


@overload
def class_of(value: float) -> int: ...
@overload
def class_of(value: None) -> None: ...


def class_of(value: float | None) -> int | None:
    """0–3 for the four classes, None for no data."""
    if value is None:
        return None
    for index, upper in enumerate(BREAKS[1:]):
        if value < upper:
            return index
    return len(PALETTE) - 1


def readiness_map(
    rows: list[ScoreRow], *, measure: str, visible: set[int], label: str
) -> tuple[SafeString, list[LegendItem]]:
    """The map of these rows' figures. Rows with unapproved figures (a view that includes them) are
    coloured too, and their titles and the legend say so."""
    includes_unapproved = any(r.values and not r.official for r in rows)
    no_data_label = _("no answer yet") if includes_unapproved else _("no approved data")
    styles: dict[str, MapStyle] = {}
    counts = [0] * len(PALETTE)
    no_data = 0
    cluster_codes = sorted({c.code for r in rows if (c := r.province.cluster) is not None})
    cluster_colour = {code: CLUSTER_COLOURS[i % len(CLUSTER_COLOURS)] for i, code in enumerate(cluster_codes)}
    for row in rows:
        p, cluster = row.province, row.province.cluster
        cluster_name = cluster.name if cluster is not None else _("no cluster")
        value = row.values.get(measure) if measure != "cluster" else None
        if measure == "cluster":
            fill = cluster_colour.get(cluster.code, "#6c757d") if cluster is not None else "#6c757d"
            title = f"{p.name} — {cluster_name}"
        elif value is None:
            fill, no_data = NO_DATA, no_data + 1
            title = f"{p.name} — {cluster_name} — {no_data_label}"
        else:
            index = class_of(float(rounded(value)))  # the class of the number shown: 24.96 reads 25.0
            counts[index] += 1
            fill = PALETTE[index]
            title = f"{p.name} — {cluster_name} — {rounded(value)}"
            if not row.official:
                title += f" ({_('unapproved')})"
        styles[p.code] = MapStyle(
            fill=fill,
            title=title,
            href=reverse("province_detail", args=[p.code]) if p.pk in visible else "",
            cluster=cluster.code if cluster is not None else "",
        )
    svg = thailand_svg(styles, label=label, defs=NO_DATA_PATTERN)
    if measure == "cluster":
        # Named as people know them; the code is for machines (and the province titles carry the name too).
        clusters = [c for r in rows if (c := r.province.cluster) is not None]
        names = {c.code: c.name for c in clusters}
        legend = [
            LegendItem(cluster_colour[code], names[code], sum(1 for c in clusters if c.code == code))
            for code in cluster_codes
        ]
    else:
        legend = [
            LegendItem(
                PALETTE[i],
                f"{BREAKS[i]}–{BREAKS[i + 1]}" if i < len(PALETTE) - 1 else f"≥ {BREAKS[i]}",
                counts[i],
            )
            for i in range(len(PALETTE))
        ]
        legend.append(LegendItem("#e9ecef", no_data_label, no_data))
    return svg, legend
