"""The readiness charts, made printable: the same SVG, with its text typeset by WeasyPrint's HTML engine.

WeasyPrint draws SVG ``<text>`` code point by code point (Kozea/WeasyPrint#2249, still open in v70): Thai
vowel and tone marks are then laid out on their own — a final tone mark disappears ("พื้นที่" prints as
"พื้นที"), stacked marks collide. HTML text is shaped whole by Pango and HarfBuzz and comes out right.

So ``printable`` keeps the chart's shapes as SVG and moves each ``<text>`` out into an absolutely
positioned HTML span at the very same place (x, baseline, anchor, size, weight, colour), over a chart of a
known printed width. The picture is the page's chart; only who typesets its words differs. Text and
attribute values are unescaped and escaped again, and only known attributes with validated values are
carried over, so nothing from the SVG can become markup or CSS.
"""

import contextlib
import contextvars
import html
import re
from collections.abc import Iterator

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Sarabun's vertical metrics (hhea, units per em 1000): ascender 1068, descender −232. With line-height
# 1.3 the line box is exactly the font's content area, so the baseline lies ASCENT em below the span's top.
ASCENT = 1.068
LINE_HEIGHT = 1.3
ANCHOR_BOX_MM = 120  # width of the box a middle- or end-anchored text is aligned in

_TEXT = re.compile(r"<text\s([^>]*)>(.*?)</text>", re.S)
_ATTR = re.compile(r'([a-zA-Z_:][-\w:.]*)="([^"]*)"')
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_WIDTH = re.compile(r'\swidth="[^"]*"')
_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _span(attrs: dict[str, str], content: str, scale: float) -> str:
    try:
        x, y = float(attrs["x"]), float(attrs["y"])
        size = float(attrs.get("font-size", "12"))
    except (KeyError, ValueError):
        return ""
    font_mm = size * scale
    top = y * scale - ASCENT * font_mm
    anchor = attrs.get("text-anchor", "start")
    if anchor == "middle":
        left, align = x * scale - ANCHOR_BOX_MM / 2, "center"
    elif anchor == "end":
        left, align = x * scale - ANCHOR_BOX_MM, "right"
    else:
        left, align = x * scale, "left"
    weight = attrs.get("font-weight", "")
    weight = "700" if weight == "bold" else weight if _NUMBER.match(weight) else "400"
    fill = attrs.get("fill", "")
    style = [
        f"left: {_mm(left)}",
        f"top: {_mm(top)}",
        f"font-size: {_mm(font_mm)}",
        f"line-height: {LINE_HEIGHT}",
        f"font-weight: {weight}",
        f"text-align: {align}",
    ]
    if anchor in ("middle", "end"):
        style.append(f"width: {_mm(ANCHOR_BOX_MM)}")
    if _COLOUR.match(fill):
        style.append(f"color: {fill}")
    css_class = " ".join(c for c in html.unescape(attrs.get("class", "")).split() if re.match(r"^[\w-]+$", c))
    text = escape(html.unescape(content))
    return f'<span class="chart-text {css_class}" style="{"; ".join(style)}">{text}</span>'


# While a Word document is being made (collect()), each chart's original SVG is kept, and its printed
# figure says which one it is (data-chart): the DOCX shows the same picture, rendered as an image.
_collected: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "collected_charts", default=None
)


@contextlib.contextmanager
def collect() -> Iterator[list[str]]:
    """Within the block, every chart made printable is also recorded, in order, as its original SVG."""
    charts: list[str] = []
    token = _collected.set(charts)
    try:
        yield charts
    finally:
        _collected.reset(token)


def printable(svg: str, *, width_mm: float) -> SafeString:
    """The chart at ``width_mm`` wide: its SVG without text, and the text as HTML spans placed over it."""
    viewbox = _VIEWBOX.search(svg)
    if viewbox is None:
        raise ValueError("a chart needs a viewBox starting at 0 0")
    view_width, view_height = float(viewbox[1]), float(viewbox[2])
    scale = width_mm / view_width
    spans: list[str] = []

    def lift(match: re.Match) -> str:
        spans.append(_span(dict(_ATTR.findall(match[1])), match[2], scale))
        return ""

    shapes = _TEXT.sub(lift, svg)
    head, _, rest = shapes.partition(">")  # size the root <svg> itself in mm
    head = _WIDTH.sub("", head, count=1) + f' width="{_mm(width_mm)}" height="{_mm(view_height * scale)}"'
    collected = _collected.get()
    index = ""
    if collected is not None:
        index = f' data-chart="{len(collected)}"'
        collected.append(svg)
    return mark_safe(  # noqa: S308 — the SVG comes from readiness.charts (escaped there); spans escaped above
        f'<div class="printed-chart"{index} style="width: {_mm(width_mm)}; height: {_mm(view_height * scale)}">'
        f"{head}>{rest}{''.join(spans)}</div>"
    )
