"""The ก ข ค ง matrix as server-side SVG, shared by the matrix pages and the PDF briefings.

x = effect on the ASEAN Community's goals, y = effect on the national interest, both 0–100, split at 50
(strategies.matrix). A point's area grows with the strategy's total project budget; its colour shows the
pillar or the status. Points that would overlap are spread on a small spiral around their position, so each
stays visible and clickable. A carried-forward strategy shows an arrow from last year's position; an advisor's
override shows the computed position faintly with an arrow to the quadrant the advisor chose.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .matrix import QUADRANTS, SPLIT

FONT = 'font-family="Sarabun, sans-serif"'
W, H = 640, 560
LEFT, TOP, PLOT_W, PLOT_H = 78, 34, 532, 458
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
# Beyond this many points (a nation's year has 400) the movement and override arrows would criss-cross into a
# tangle and full-size points would cover each other: the arrows are left out (the legend says how to see
# them) and the points shrink with the square root of the crowd.
CROWD = 60


@dataclass
class MatrixPoint:
    pk: int
    title: str
    owner: str
    asean: float  # computed effects
    national: float
    quadrant: str  # shown quadrant (override or computed)
    overridden: bool
    budget: float
    colour: str
    href: str
    previous: tuple[float, float] | None = None  # last year's (asean, national)
    number: int | None = None  # on paper: the point's number in the key table beneath


def _x(asean: float) -> float:
    return LEFT + max(0.0, min(100.0, asean)) / 100 * PLOT_W


def _y(national: float) -> float:
    return TOP + (1 - max(0.0, min(100.0, national)) / 100) * PLOT_H


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shown_position(p: MatrixPoint) -> tuple[float, float]:
    """Effects where the point is drawn: its own, or, when overridden, mirrored into the chosen quadrant."""
    if not p.overridden:
        return p.asean, p.national
    q = QUADRANTS[p.quadrant]

    def mirror(value: float, high: bool) -> float:
        return (
            value if (value >= SPLIT) == high else 100 - value if value != SPLIT else (75.0 if high else 25.0)
        )

    return mirror(p.asean, q.asean_high), mirror(p.national, q.national_high)


def matrix_svg(
    points: list[MatrixPoint],
    *,
    title: str,
    x_label: str,
    y_label: str,
    high: str,
    low: str,
    quadrant_notes: dict[str, str],
    legend: list[tuple[str, str]],
    budget_label: str,
    draggable: bool = False,
    crowded_note: str = "",
) -> SafeString:
    max_budget = max((p.budget for p in points), default=0) or 1
    crowded = len(points) > CROWD
    size = max(0.4, math.sqrt(CROWD / len(points))) if crowded else 1.0
    notes = [budget_label, crowded_note] if crowded and crowded_note else [budget_label]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H + 10 + 18 * ((len(legend) + 1) // 2 + len(notes))}" width="100%" '
        # Points are links: a group of them, not an "img" (which must not hold focusable children, WCAG 4.1.2).
        f'role="{"group" if points else "img"}" aria-label="{escape(title)}" class="strategy-matrix"'
        + (' data-draggable="true"' if draggable else "")
        + f' data-left="{LEFT}" data-top="{TOP}" data-plot-w="{PLOT_W}" data-plot-h="{PLOT_H}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#6c757d"/></marker></defs>',
    ]
    # Quadrants: tinted backgrounds, big letters, a short note.
    mid_x, mid_y = _x(SPLIT), _y(SPLIT)
    tints = {"ก": "#e8f5e9", "ข": "#e3f2fd", "ค": "#fff8e1", "ง": "#f5f5f5"}
    for letter, q in QUADRANTS.items():
        x0 = mid_x if q.asean_high else LEFT
        y0 = TOP if q.national_high else mid_y
        w = (LEFT + PLOT_W - mid_x) if q.asean_high else (mid_x - LEFT)
        h = (mid_y - TOP) if q.national_high else (TOP + PLOT_H - mid_y)
        out.append(
            f'<rect x="{_f(x0)}" y="{_f(y0)}" width="{_f(w)}" height="{_f(h)}" fill="{tints[letter]}" class="quadrant" data-quadrant="{letter}"/>'
        )
        lx = x0 + w - 14 if q.asean_high else x0 + 14
        anchor = "end" if q.asean_high else "start"
        out.append(
            f'<text x="{_f(lx)}" y="{_f(y0 + 44)}" {FONT} font-size="40" font-weight="bold" fill="#adb5bd" '
            f'text-anchor="{anchor}">{letter}</text>'
        )
        note = quadrant_notes.get(letter, "")
        if note:
            out.append(
                f'<text x="{_f(lx)}" y="{_f(y0 + 62)}" {FONT} font-size="11" fill="#6c757d" text-anchor="{anchor}">{escape(note)}</text>'
            )
    # Frame, split lines, axes.
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT_W}" height="{PLOT_H}" fill="none" stroke="#495057"/>'
    )
    out.append(
        f'<line x1="{_f(mid_x)}" y1="{TOP}" x2="{_f(mid_x)}" y2="{TOP + PLOT_H}" stroke="#495057" stroke-dasharray="4 3"/>'
    )
    out.append(
        f'<line x1="{LEFT}" y1="{_f(mid_y)}" x2="{LEFT + PLOT_W}" y2="{_f(mid_y)}" stroke="#495057" stroke-dasharray="4 3"/>'
    )
    for tick in (0, 25, 50, 75, 100):
        out.append(
            f'<text x="{_f(_x(tick))}" y="{TOP + PLOT_H + 14}" {FONT} font-size="11" fill="#6c757d" text-anchor="middle">{tick}</text>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{_f(_y(tick) + 3)}" {FONT} font-size="11" fill="#6c757d" text-anchor="end">{tick}</text>'
        )
    out.append(
        f'<text x="{LEFT + 4}" y="{TOP + PLOT_H + 30}" {FONT} font-size="11" fill="#495057">← {escape(low)}</text>'
    )
    out.append(
        f'<text x="{LEFT + PLOT_W - 4}" y="{TOP + PLOT_H + 30}" {FONT} font-size="11" fill="#495057" text-anchor="end">{escape(high)} →</text>'
    )
    out.append(
        f'<text x="{_f(LEFT + PLOT_W / 2)}" y="{TOP + PLOT_H + 32}" {FONT} font-size="13" font-weight="bold" fill="#212529" text-anchor="middle">{escape(x_label)}</text>'
    )
    # The y-axis title stands horizontally above the axis: rotated SVG text does not survive printing
    # (the PDF typesets chart text as HTML, see briefings.printed_charts).
    out.append(
        f'<text x="{LEFT - 40}" y="{TOP - 10}" {FONT} font-size="13" font-weight="bold" fill="#212529">↑ {escape(y_label)}</text>'
    )
    out.append(
        f'<text x="{LEFT - 24}" y="{TOP + 14}" {FONT} font-size="11" fill="#495057" text-anchor="end">{escape(high)}</text>'
    )
    out.append(
        f'<text x="{LEFT - 24}" y="{TOP + PLOT_H - 4}" {FONT} font-size="11" fill="#495057" text-anchor="end">{escape(low)}</text>'
    )

    # Spread points that share (almost) the same spot on a small spiral.
    placed: dict[tuple[int, int], int] = {}
    layers_back, layers_front = [], []
    for p in sorted(points, key=lambda p: -p.budget):  # big ones first, small ones on top
        sa, sn = _shown_position(p)
        key = (round(sa / 3), round(sn / 3))
        n = placed.get(key, 0)
        placed[key] = n + 1
        px, py = _x(sa), _y(sn)
        if n:
            r = 9 * size * math.sqrt(n)
            px += r * math.cos(n * GOLDEN_ANGLE)
            py += r * math.sin(n * GOLDEN_ANGLE)
        radius = (5 + 12 * math.sqrt(max(p.budget, 0) / max_budget)) * size
        # Inside the frame, whatever the spiral or an effect of 0 or 100 would do: a point past the axes
        # reads as a value the scale does not have.
        px = min(max(px, LEFT + radius), LEFT + PLOT_W - radius)
        py = min(max(py, TOP + radius), TOP + PLOT_H - radius)
        if p.previous and not crowded:
            layers_back.append(
                f'<line x1="{_f(_x(p.previous[0]))}" y1="{_f(_y(p.previous[1]))}" x2="{_f(px)}" y2="{_f(py)}" '
                f'stroke="#6c757d" stroke-width="1.2" marker-end="url(#arrow)" class="movement"/>'
            )
            layers_back.append(
                f'<circle cx="{_f(_x(p.previous[0]))}" cy="{_f(_y(p.previous[1]))}" r="3" fill="#adb5bd"/>'
            )
        if p.overridden and not crowded:  # in a crowd the red ring alone marks the advisor's choice
            cx, cyy = _x(p.asean), _y(p.national)
            layers_back.append(
                f'<circle cx="{_f(cx)}" cy="{_f(cyy)}" r="{_f(radius)}" fill="none" stroke="{escape(p.colour)}" '
                f'stroke-dasharray="3 2" opacity="0.6" class="computed"/>'
            )
            layers_back.append(
                f'<line x1="{_f(cx)}" y1="{_f(cyy)}" x2="{_f(px)}" y2="{_f(py)}" stroke="#dc3545" stroke-width="1.2" '
                f'stroke-dasharray="4 2" marker-end="url(#arrow)" class="override-arrow"/>'
            )
        label = f"{p.title} — {p.owner} · {p.quadrant}"
        layers_front.append(
            f'<a href="{escape(p.href)}" class="matrix-point" data-id="{p.pk}" data-quadrant="{p.quadrant}" '
            f'aria-label="{escape(label)}">'
            f'<circle cx="{_f(px)}" cy="{_f(py)}" r="{_f(radius)}" fill="{escape(p.colour)}" fill-opacity="0.85" '
            f'stroke="{"#dc3545" if p.overridden else "#ffffff"}" stroke-width="{2 if p.overridden else 1}"/>'
            + (
                # Beside the point rather than in it: a small point cannot hold two digits.
                f'<text x="{_f(px + radius + 1.5)}" y="{_f(py + 3.5)}" {FONT} font-size="9" font-weight="bold" '
                f'fill="#212529" class="point-number">{p.number}</text>'
                if p.number is not None
                else ""
            )
            + f"<title>{escape(label)}</title></a>"
        )
    out.extend(layers_back)
    out.extend(layers_front)

    # Legend below the plot: colours, then the size key.
    y0 = H + 4
    for i, (colour, text) in enumerate(legend):
        lx = LEFT + (i % 2) * 270  # two columns: Thai pillar names are long
        ly = y0 + (i // 2) * 18
        out.append(f'<circle cx="{lx + 6}" cy="{ly}" r="6" fill="{escape(colour)}"/>')
        out.append(
            f'<text x="{lx + 16}" y="{ly + 4}" {FONT} font-size="11" fill="#212529">{escape(text)}</text>'
        )
    ly = y0 + ((len(legend) + 1) // 2) * 18
    for i, note in enumerate(notes):
        out.append(
            f'<text x="{LEFT}" y="{ly + 4 + 18 * i}" {FONT} font-size="11" fill="#6c757d" class="matrix-note">{escape(note)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every interpolated text is escaped above


def strategy_matrix(
    strategies,
    *,
    title: str,
    colour_by: str = "pillar",
    draggable: bool = False,
    links: bool = True,
    numbers: dict[int, int] | None = None,
) -> SafeString:
    """The matrix of these strategies (annotated with ``total_budget``), labelled in the active language.
    One place for the page and the PDF, so both show the same picture. ``numbers`` (strategy id → number)
    labels points for a printed key, where a reader cannot hover over a point to learn what it is."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .choices import PILLAR_HEX, STATUS_HEX, Pillar, StrategyStatus

    palette = PILLAR_HEX if colour_by == "pillar" else STATUS_HEX
    points = [
        MatrixPoint(
            pk=s.pk,
            title=s.title,
            owner=str(s.owner),
            asean=s.asean_effect,
            national=s.national_effect,
            quadrant=s.quadrant,
            overridden=bool(s.override_quadrant),
            budget=float(s.total_budget),
            colour=palette[s.pillar if colour_by == "pillar" else s.status],
            href=reverse("strategy_detail", args=[s.pk]) if links else f"#strategy-{s.pk}",
            previous=(s.previous.asean_effect, s.previous.national_effect)
            if s.previous_id and s.previous
            else None,
            number=(numbers or {}).get(s.pk),
        )
        for s in strategies
    ]
    legend = (
        [(PILLAR_HEX[v], str(label)) for v, label in Pillar.choices]
        if colour_by == "pillar"
        else [(STATUS_HEX[v], str(label)) for v, label in StrategyStatus.choices]
    )
    return matrix_svg(
        points,
        title=title,
        x_label=_("Effect on the ASEAN Community's goals"),
        y_label=_("Effect on the national interest"),
        high=_("high"),
        low=_("low"),
        quadrant_notes={"ก": _("do first"), "ง": _("deprioritise")},
        legend=legend,
        budget_label=_(
            "Point size: total project budget. Arrows: movement since last year; red: advisor's override."
        ),
        crowded_note=_(
            "More than %(n)s strategies: the arrows are left out, a red ring marks the advisor's override. "
            "Filter by cluster or quadrant to see the arrows."
        )
        % {"n": CROWD},
        draggable=draggable,
    )
