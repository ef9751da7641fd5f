"""The map of Thailand as server-side SVG, one path per province, shared by pages and PDFs.

Source: "Map of Thailand" by Tae Noppakun Wongsrinoppakun, svg-maps project (@svg-maps/thailand 1.0.1),
CC BY 4.0 — the attribution (MAP_ATTRIBUTION) must appear wherever the map is shown or printed.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAP_DIR = Path(__file__).resolve().parent / "data" / "map"
VIEWBOX = (0, 0, 560, 1025)
MAP_ATTRIBUTION = (
    "Map of Thailand by Tae Noppakun Wongsrinoppakun (svg-maps, @svg-maps/thailand 1.0.1), CC BY 4.0"
)


@dataclass(frozen=True)
class MapShape:
    svg_id: str
    code: str | None  # ISO code; None for Songkhla Lake, which is not a province
    d: str


@cache
def shapes() -> tuple[MapShape, ...]:
    """The province outlines, read once per process from the project's copy of the map."""
    with (MAP_DIR / "thailand_svg_ids.csv").open(encoding="utf-8") as handle:
        codes = {row["svg_id"]: row["code"] for row in csv.DictReader(handle)}
    text = (MAP_DIR / "thailand.svg").read_text(encoding="utf-8")
    found = re.findall(r'<path\s+id="([a-z]+)".*?\sd="([^"]+)"', text, flags=re.S)
    return tuple(MapShape(svg_id, codes.get(svg_id), d) for svg_id, d in found)


@dataclass
class MapStyle:
    """How one province is drawn: fill colour, optional CSS class, tooltip title and link."""

    fill: str = "#dee2e6"
    css_class: str = ""
    title: str = ""
    href: str = ""
    cluster: str = ""  # the cluster code, so the page can highlight the hovered province's cluster


def thailand_svg(
    styles: dict[str, MapStyle],
    *,
    label: str,
    width: str = "100%",
    crop: tuple[float, float, float, float] | None = None,
    default: MapStyle | None = None,
    defs: str = "",
) -> SafeString:
    """Render the map. ``styles`` is keyed by ISO code; provinces without a style use ``default``."""
    default = default or MapStyle()
    x, y, w, h = crop or VIEWBOX
    # With links inside, the map is a group of them (an "img" must not hold focusable children, WCAG 4.1.2).
    role = "group" if any(s.href for s in (*styles.values(), default)) else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" width="{escape(width)}" '
        f'role="{role}" aria-label="{escape(label)}" class="thailand-map">',
        f"<title>{escape(label)}</title>",
        f"<defs>{defs}</defs>" if defs else "",
    ]
    for shape in shapes():
        if shape.code is None:
            parts.append(f'<path d="{shape.d}" fill="#cfe2ff" stroke="#adb5bd" stroke-width="0.4"/>')
            continue
        style = styles.get(shape.code, default)
        path = (
            f'<path d="{shape.d}" fill="{escape(style.fill)}" stroke="#ffffff" stroke-width="0.6" '
            f'data-code="{shape.code}" data-cluster="{escape(style.cluster)}" class="province {escape(style.css_class)}">'
            f"<title>{escape(style.title)}</title></path>"
        )
        if style.href:
            # A link makes the province reachable and operable by keyboard; its name is the path's title.
            path = f'<a href="{escape(style.href)}" aria-label="{escape(style.title)}">{path}</a>'
        parts.append(path)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated value above is escaped
