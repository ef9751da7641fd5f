"""Server-rendered SVG charts for the readiness pages and their PDFs.

The charts are plain SVG strings — no JavaScript, no chart library — so that the very same markup works
in a browser page and in a WeasyPrint PDF. Two WeasyPrint facts shape the code:

* inline SVG does not inherit the page font, so every ``<text>`` names Sarabun itself (Thai needs it);
* there is no hover in a PDF, so what matters (values, the lagging province) is printed, and ``<title>``
  tooltips are only a bonus for the browser.

All user text goes through ``escape``; all numbers through ``_num`` (at most one decimal), which also
keeps the output deterministic and free of float noise such as ``190.00000000000003``.
"""

import unicodedata
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .choices import DIMENSION_HEX, DIMENSIONS
from .scoring import rounded

FONT = "Sarabun, sans-serif"
TEXT_COLOUR = "#212529"  # Bootstrap body colour
MUTED = "#6c757d"  # Bootstrap secondary text
GRID = "#dee2e6"  # Bootstrap border colour
LAGGING_RED = "#C00000"  # deep red: distinct from the vermilion of "people" in DIMENSION_HEX
TICKS = [0, 25, 50, 75, 100]

# Chart text is sized for its rendered size, not only for its viewBox: a chart drawn narrower than its viewBox
# shrinks its text with it. The spread chart is drawn at least MIN_RENDERED_WIDTH wide (app.css: it scrolls in
# its figure on a phone), so no label of it falls below SMALL_TEXT px there; the bars chart is compact (its
# viewBox about the width of a phone's card or a page's side column), so that it can stand in either.
SMALL_TEXT = 11  # the smallest text of a chart, in viewBox units (ticks, province names, keys)
WIDTH = 560
LABEL_COLUMN = 120  # room for the dimension names (Thai or English) on the left
PLOT_WIDTH = 380  # 0–100 maps onto this; 100 divides it evenly so 25/50/75 land on whole pixels
PLOT_LEFT = LABEL_COLUMN
PLOT_RIGHT = PLOT_LEFT + PLOT_WIDTH  # the rest, up to WIDTH, holds the value printed after a bar
MIN_RENDERED_WIDTH = WIDTH


# --- small helpers -------------------------------------------------------------------------------


def _num(value: float | Decimal) -> str:
    """Format a number with at most one decimal, rounded as on the pages (scoring.rounded): 31.25 → "31.3",
    50.0 → "50"."""
    shown = rounded(value)
    if shown == shown.to_integral_value():
        return str(int(shown))
    return str(shown)


def _x(value: float, left: float = PLOT_LEFT, width: float = PLOT_WIDTH) -> float:
    """The x of a 0–100 value on a plot; values outside the scale are pinned to its ends."""
    return left + max(0.0, min(100.0, float(value))) / 100 * width


def _attrs(attrs: dict[str, object]) -> str:
    """Render attributes; numbers via _num, text escaped. A trailing underscore is dropped (class_)."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, int | float) else escape(str(value))
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{shown}"')
    return " ".join(parts)


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    """A <text> that always names the font: WeasyPrint does not inherit it into inline SVG."""
    attrs = {"font_size": 12, "fill": TEXT_COLOUR, **attrs}
    return f"<text {_attrs({'x': x, 'y': y, 'font_family': FONT, **attrs})}>{escape(content)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, **attrs: object) -> str:
    return f"<line {_attrs({'x1': x1, 'y1': y1, 'x2': x2, 'y2': y2, **attrs})}/>"


def _titled(element: str, tooltip: str) -> str:
    """Give a self-closing element a <title> child: the tooltip a browser shows on hover."""
    name = element[1 : element.index(" ")]
    return f"{element[:-2]}><title>{escape(tooltip)}</title></{name}>"


def _text_width(content: str, font_size: float) -> float:
    """Estimate the width of a label in Sarabun, for collision checks only.

    Thai vowel and tone marks sit above/below their consonant (Unicode category Mn) and take no width;
    other glyphs of Sarabun are ≤ 0.6 em wide, so this errs on the wide (safe) side.
    """
    width = 0.0
    for char in content:
        if unicodedata.category(char) == "Mn":
            continue
        width += 0.25 if char == " " else 0.6
    return width * font_size


def _svg(
    width: float, height: float, title: str, body: list[str], desc: str = "", *, kind: str
) -> SafeString:
    """Wrap the parts in an accessible, responsive <svg>: aria-label + <title> (+ <desc> for the data)."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="readiness-chart" data-chart="{kind}">'
        f"<title>{escape(title)}</title>"
    )
    if desc:
        head += f"<desc>{escape(desc)}</desc>"
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 — every piece above is escaped


def _grid(
    top: float, bottom: float, left: float = PLOT_LEFT, width: float = PLOT_WIDTH, size: float = SMALL_TEXT
) -> list[str]:
    """Vertical gridlines at 0/25/50/75/100 with their tick labels under the plot."""
    parts = []
    for tick in TICKS:
        x = _x(tick, left, width)
        parts.append(_line(x, top, x, bottom, stroke=GRID, stroke_width=1))
        parts.append(_text(x, bottom + size + 3, str(tick), font_size=size, fill=MUTED, text_anchor="middle"))
    return parts


def _summary(values: dict[str, float | None], labels: dict[str, str], no_data_label: str) -> str:
    return ", ".join(
        f"{labels.get(key, key)} {no_data_label if (value := values.get(key)) is None else _num(value)}"
        for key in DIMENSIONS
    )


# --- chart 1: one province, three dimensions ------------------------------------------------------

# Compact: each dimension's name stands above its bar, so the bars take the whole width. Drawn about as
# wide as its viewBox (a phone's card, a page's side column; app.css caps it), its text keeps its size.
BARS_WIDTH = 320
BARS_LEFT = 10  # room for half of the "0" tick under the plot
BARS_PLOT = 260  # 0–100 maps onto this (2.6 units a point); the rest holds the value printed after a bar
BARS_RIGHT = BARS_LEFT + BARS_PLOT
BAR_LABEL_SIZE = 13
BAR_ROW = 46  # the name's line, then the bar
BAR_LABEL_BASELINE = 15
BAR_TOP = 22
BAR_HEIGHT = 16
PREVIOUS_COLOUR = TEXT_COLOUR


def dimension_bars(
    values: dict[str, float | None],
    previous: dict[str, float | None] | None = None,
    *,
    labels: dict[str, str],
    title: str,
    previous_label: str = "",
    no_data_label: str = "–",
) -> SafeString:
    """Horizontal 0–100 bars, one per dimension, with last round's score as a thin dark marker.

    ``values``/``previous`` map "place"/"product"/"people" to a score or None (no score: no bar, the
    no-data label instead). The legend entry for the marker appears only if some marker is drawn.
    """
    previous = previous or {}
    has_previous = any(previous.get(key) is not None for key in DIMENSIONS)
    top = 22 if has_previous else 0  # the legend takes a line above the rows
    bottom = top + BAR_ROW * len(DIMENSIONS)
    height = bottom + SMALL_TEXT + 8  # tick labels

    def x(value: float) -> float:
        return _x(value, BARS_LEFT, BARS_PLOT)

    parts: list[str] = []
    if has_previous:
        # At the top right, over the plot, where it reads as a key and not as a row.
        legend_x = BARS_RIGHT - _text_width(previous_label, SMALL_TEXT) - 8
        parts.append(_line(legend_x, 4, legend_x, 18, stroke=PREVIOUS_COLOUR, stroke_width=2))
        parts.append(
            _text(legend_x + 6, 15, previous_label, font_size=SMALL_TEXT, fill=MUTED, class_="legend")
        )
    parts += _grid(top + BAR_TOP - 4, bottom, BARS_LEFT, BARS_PLOT)

    for index, key in enumerate(DIMENSIONS):
        label = labels.get(key, key)
        row_top = top + index * BAR_ROW
        bar_top = row_top + BAR_TOP
        baseline = bar_top + BAR_HEIGHT / 2 + 4.5  # visually centres 13px text on the bar
        value, old = values.get(key), previous.get(key)
        parts.append(_text(BARS_LEFT, row_top + BAR_LABEL_BASELINE, label, font_size=BAR_LABEL_SIZE))

        # Text goes past the bar *and* past the marker, so the marker never strikes through it.
        after = max(x(value) if value is not None else BARS_LEFT, x(old) if old is not None else BARS_LEFT)
        if value is None:
            # After the marker where it fits; otherwise at the right end of the name's line.
            if after + 6 + _text_width(no_data_label, BAR_LABEL_SIZE) <= BARS_WIDTH:
                spot_x, spot_y, anchor = after + 6, baseline, None
            else:
                spot_x, spot_y, anchor = BARS_WIDTH, row_top + BAR_LABEL_BASELINE, "end"
            parts.append(
                _text(
                    spot_x,
                    spot_y,
                    no_data_label,
                    font_size=BAR_LABEL_SIZE,
                    fill=MUTED,
                    class_="no-data",
                    text_anchor=anchor,  # None: not written
                )
            )
        else:
            bar = {
                "x": BARS_LEFT,
                "y": bar_top,
                "width": x(value) - BARS_LEFT,
                "height": BAR_HEIGHT,
                "fill": DIMENSION_HEX[key],
                "class_": "bar",
                "data_dimension": key,
            }
            parts.append(_titled(f"<rect {_attrs(bar)}/>", f"{label} {_num(value)}"))
            parts.append(
                _text(
                    after + 5,
                    baseline,
                    _num(value),
                    font_size=BAR_LABEL_SIZE,
                    font_weight="bold",
                    class_="value",
                )
            )
        if old is not None:
            marker = _line(
                x(old),
                bar_top - 3,
                x(old),
                bar_top + BAR_HEIGHT + 3,
                stroke=PREVIOUS_COLOUR,
                stroke_width=2,
                class_="previous",
                data_dimension=key,
            )
            parts.append(_titled(marker, f"{previous_label} {_num(old)}"))

    desc = _summary(values, labels, no_data_label)
    if has_previous:
        desc += f" ({previous_label}: {_summary(previous, labels, no_data_label)})"
    return _svg(BARS_WIDTH, height, title, parts, desc, kind="bars")


# --- chart 2: the spread of a cluster's (or the country's) provinces --------------------------------

LABEL_ALL_UP_TO = 12  # more provinces than this (national view): only the lagging one is named
NAME_SIZE = SMALL_TEXT
LANE_HEIGHT = 13
# Baselines of the lanes for province names, nearest the track first: above, below, then a second
# row above and below. A national chart only uses the first.
LANE_OFFSETS = [-9, 18, -9 - LANE_HEIGHT, 18 + LANE_HEIGHT]
NAME_GAP = 6  # minimum space between two names on one lane
MEAN_TICK = 8  # half-height of the mean marker
COLUMN_LEFT = 4  # left edge of the dimension names and means


def _place_names(names: list[tuple[float, str]], lanes: int) -> list[tuple[float, int] | None]:
    """Lay out names on lanes without overlap: for each (dot x, text), its (left x, lane) or None.

    Greedy, in the given order: each name takes the lane where it has to move least from being centred
    on its dot (ties → the nearer lane). A name that would run off the chart on every lane is left out —
    its dot still has a hover title. Names moved off their dot get a leader line (drawn by the caller).
    """
    lane_end = [float("-inf")] * lanes
    placed: list[tuple[float, int] | None] = []
    for x, text in names:
        width = _text_width(text, NAME_SIZE)
        wanted = min(max(x - width / 2, PLOT_LEFT - 4), WIDTH - width)  # keep clear of the left column
        best: tuple[float, float, int] | None = None
        for lane in range(lanes):
            left = max(wanted, lane_end[lane] + NAME_GAP)
            if left + width <= WIDTH and (best is None or left - wanted < best[0]):
                best = (left - wanted, left, lane)
        if best is None:
            placed.append(None)
            continue
        _, left, lane = best
        lane_end[lane] = left + width
        placed.append((left, lane))
    return placed


def cluster_spread(
    rows: list[dict],
    *,
    labels: dict[str, str],
    title: str,
    mean_label: str,
    no_data_label: str = "–",
) -> SafeString:
    """One 0–100 track per dimension: a dot per province, the min–max range, the mean, the laggard in red.

    ``rows`` are ``{"code": "TH-50", "name": "เชียงใหม่", "values": {"place": 62.5, ...}}``; a province
    without a value for a dimension simply has no dot on that track. The lagging province (lowest value,
    ties broken by code so the output is stable; only when two or more have a value) is red and always
    named with its value; the others are named only while there are at most LABEL_ALL_UP_TO rows, and as
    far as the lanes allow.
    """
    label_all = len(rows) <= LABEL_ALL_UP_TO
    lanes = len(LANE_OFFSETS) if label_all else 1
    # Many dots (national view) are drawn smaller and lighter, so that their density shows.
    radius, opacity = (5, 0.85) if label_all else (3.5, 0.6)
    # Room above the track for the upper lanes; below it for the lower lanes, and at least for the mean
    # printed in the left column under the dimension name.
    above = -min(LANE_OFFSETS[:lanes]) + NAME_SIZE + 2
    below = max(*LANE_OFFSETS[:lanes], 16) + 6
    band = above + below
    top = 4
    bottom = top + band * len(DIMENSIONS)

    parts: list[str] = _grid(top, bottom)
    summary: list[str] = []
    for index, key in enumerate(DIMENSIONS):
        label = labels.get(key, key)
        track_y = top + index * band + above
        dots = sorted(
            (float(row["values"][key]), str(row.get("code", "")), str(row.get("name", "")))
            for row in rows
            if row.get("values", {}).get(key) is not None
        )  # ascending value, ties by code: dots[0] is the lagging province

        # The left column is left-aligned so the mean's key (below) can sit exactly before its text.
        parts.append(_text(COLUMN_LEFT, track_y - 2, label, font_weight="bold"))
        parts.append(_line(PLOT_LEFT, track_y, PLOT_RIGHT, track_y, stroke="#adb5bd", stroke_width=1))
        if not dots:
            parts.append(_text(PLOT_LEFT + 6, track_y - 5, no_data_label, fill=MUTED, class_="no-data"))
            summary.append(f"{label}: {no_data_label}")
            continue

        # The mean, printed under the dimension name after a small copy of the marker on the track.
        mean = sum(value for value, _, _ in dots) / len(dots)
        mean_text = f"{mean_label} {_num(mean)}"
        key_x = COLUMN_LEFT + 1
        parts.append(_line(key_x, track_y + 6, key_x, track_y + 16, stroke=TEXT_COLOUR, stroke_width=2))
        parts.append(
            _text(key_x + 6, track_y + 15, mean_text, font_size=SMALL_TEXT, fill=MUTED, class_="mean")
        )

        low, high = dots[0], dots[-1]
        compared = len(dots) > 1  # one province alone lags behind nobody
        summary.append(f"{label}: {mean_text}, {low[2]} {_num(low[0])} – {high[2]} {_num(high[0])}")
        parts.append(
            _line(
                _x(low[0]),
                track_y,
                _x(high[0]),
                track_y,
                stroke=DIMENSION_HEX[key],
                stroke_width=4,
                stroke_opacity=0.35,
                stroke_linecap="round",
                class_="range",
            )
        )

        # Names, left to right; the laggard comes first and so always gets the lane nearest its dot.
        named = dots if label_all else dots[:1]
        texts = [f"{name} {_num(value)}" if i == 0 else name for i, (value, _, name) in enumerate(named)]
        xs = [_x(value) for value, _, _ in named]
        spots = _place_names(list(zip(xs, texts, strict=True)), lanes)
        for i, (x, text, spot) in enumerate(zip(xs, texts, spots, strict=True)):
            if spot is None:
                continue
            left, lane = spot
            baseline = track_y + LANE_OFFSETS[lane]
            width = _text_width(text, NAME_SIZE)
            if not left <= x <= left + width:
                # The name had to move off its dot: a leader line, to the name's near edge, shows its dot.
                end_y = baseline + 2 if LANE_OFFSETS[lane] < 0 else baseline - NAME_SIZE + 1
                parts.append(
                    _line(x, track_y, min(max(x, left), left + width), end_y, stroke=MUTED, stroke_width=0.8)
                )
            lagging = i == 0 and compared
            parts.append(
                _text(
                    left,
                    baseline,
                    text,
                    font_size=NAME_SIZE,
                    fill=LAGGING_RED if lagging else TEXT_COLOUR,
                    font_weight="bold" if lagging else None,
                    class_="lagging-name" if lagging else "name",
                )
            )

        # Dots after lines and names so nothing covers them; the laggard last, on top of the others.
        for position in [*range(len(dots) - 1, 0, -1), 0]:
            value, code, name = dots[position]
            lagging = position == 0 and compared
            dot = {
                "cx": _x(value),
                "cy": track_y,
                "r": radius + 1 if lagging else radius,
                "fill": LAGGING_RED if lagging else DIMENSION_HEX[key],
                "fill_opacity": 1 if lagging else opacity,
                "stroke": "#ffffff",
                "stroke_width": 1,
                "class_": "dot lagging" if lagging else "dot",
                "data_code": code,
                "data_dimension": key,
            }
            parts.append(_titled(f"<circle {_attrs(dot)}/>", f"{name} {_num(value)}"))

        # The mean on top of everything: a dark tick with a white halo, thin enough not to hide dots.
        mean_x, tick_top, tick_bottom = _x(mean), track_y - MEAN_TICK, track_y + MEAN_TICK
        parts.append(_line(mean_x, tick_top, mean_x, tick_bottom, stroke="#ffffff", stroke_width=4))
        marker = _line(
            mean_x,
            tick_top,
            mean_x,
            tick_bottom,
            stroke=TEXT_COLOUR,
            stroke_width=2,
            class_="mean-marker",
            data_dimension=key,
        )
        parts.append(_titled(marker, mean_text))

    return _svg(WIDTH, bottom + SMALL_TEXT + 9, title, parts, "; ".join(summary), kind="spread")


# --- trends over the rounds ------------------------------------------------------------------------

TREND_WIDTH, TREND_HEIGHT = 560, 300
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 44, 470, 28, 236
OVERALL_COLOUR = TEXT_COLOUR


def _trend_y(value: float) -> float:
    return TREND_BOTTOM - max(0.0, min(100.0, float(value))) / 100 * (TREND_BOTTOM - TREND_TOP)


def trend_lines(
    points: list[tuple[int, dict[str, float | None]]],
    *,
    labels: dict[str, str],
    title: str,
    overall_label: str,
    no_data_label: str,
) -> SafeString:
    """Each dimension's score (and the overall one, dashed) round by round: x the fiscal years in order,
    y 0–100. A round without a value leaves a gap in its line rather than a drop to zero; the last value of
    each line is printed at its end."""
    years = [fy for fy, _values in points]
    span = max(len(years) - 1, 1)
    xs = {fy: TREND_LEFT + i / span * (TREND_RIGHT - TREND_LEFT) for i, fy in enumerate(years)}
    if len(years) == 1:
        xs = {years[0]: (TREND_LEFT + TREND_RIGHT) / 2}
    body: list[str] = []
    for tick in TICKS:
        y = _trend_y(tick)
        body.append(_line(TREND_LEFT, y, TREND_RIGHT, y, stroke=GRID, stroke_width=1))
        body.append(
            _text(TREND_LEFT - 6, y + 4, str(tick), font_size=SMALL_TEXT, fill=MUTED, text_anchor="end")
        )
    for fy in years:
        body.append(
            _text(xs[fy], TREND_BOTTOM + 16, str(fy), font_size=SMALL_TEXT, fill=MUTED, text_anchor="middle")
        )
    colours = {**DIMENSION_HEX, "overall": OVERALL_COLOUR}
    ends: list[tuple[float, str, str]] = []
    for key in (*DIMENSIONS, "overall"):
        colour = colours[key]
        run: list[tuple[float, float]] = []
        runs = [run]
        for fy, values in points:
            value = values.get(key)
            if value is None:
                run = []
                runs.append(run)
                continue
            run.append((xs[fy], _trend_y(value)))
            body.append(
                _titled(
                    f"<circle {_attrs({'cx': xs[fy], 'cy': _trend_y(value), 'r': 3.5, 'fill': colour})}/>",
                    f"{labels.get(key, overall_label)} {fy}: {_num(value)}",
                )
            )
        for segment in runs:
            if len(segment) > 1:
                path = " ".join(f"{_num(x)},{_num(y)}" for x, y in segment)
                dash = "5 3" if key == "overall" else None
                body.append(
                    f"<polyline {_attrs({'points': path, 'fill': 'none', 'stroke': colour, 'stroke_width': 2.5, 'stroke_dasharray': dash, 'class_': f'trend trend-{key}'})}/>"
                )
        last = next(
            (values.get(key) for _fy, values in reversed(points) if values.get(key) is not None), None
        )
        if last is not None:
            ends.append((_trend_y(last), _num(last), colour))
    # The last values beside the right end, nudged apart so that close lines stay legible.
    placed: list[float] = []
    for y, text, colour in sorted(ends):
        y = max([y, *[p + 13 for p in placed if abs(p - y) < 13]])
        placed.append(y)
        body.append(
            _text(TREND_RIGHT + 8, y + 4, text, font_size=SMALL_TEXT, fill=colour, font_weight="bold")
        )
    # The key under the plot.
    x: float = TREND_LEFT
    for key in (*DIMENSIONS, "overall"):
        y = TREND_BOTTOM + 40
        body.append(
            _line(
                x,
                y - 4,
                x + 18,
                y - 4,
                stroke=colours[key],
                stroke_width=2.5,
                stroke_dasharray="5 3" if key == "overall" else None,
            )
        )
        label = labels.get(key, overall_label)
        body.append(_text(x + 24, y, label, font_size=SMALL_TEXT))
        x += 24 + _text_width(label, SMALL_TEXT) + 18
    if not ends:
        body.append(
            _text(
                (TREND_LEFT + TREND_RIGHT) / 2,
                TREND_TOP + 60,
                no_data_label,
                fill=MUTED,
                text_anchor="middle",
            )
        )
    desc = "; ".join(
        f"{fy}: "
        + ", ".join(
            f"{labels.get(k, overall_label)} {'–' if (value := v.get(k)) is None else _num(value)}"
            for k in (*DIMENSIONS, "overall")
        )
        for fy, v in points
    )
    return _svg(TREND_WIDTH, TREND_HEIGHT, title, body, desc, kind="trend")
