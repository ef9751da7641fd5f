"""Filters for readiness numbers: scores, signed changes, percentages, dictionary look-ups."""

from decimal import Decimal

from django import template

from readiness.scoring import rounded

register = template.Library()


@register.filter
def score(value: float | Decimal | str | None) -> str:
    """A 0–100 score with one decimal (rounded as everywhere, see scoring.rounded), or an en dash."""
    # "" is what a template gives for a missing variable; a number's text reads as the number.
    return "–" if value is None or value == "" else str(rounded(float(value)))


@register.filter
def signed(value: float | Decimal | None) -> str:
    """A change with its sign: +3.2, −1.0, or nothing."""
    if value is None:
        return ""
    shown = rounded(value)
    return f"+{shown}" if shown > 0 else f"−{abs(shown)}" if shown < 0 else "±0.0"


@register.filter
def percent(value: float | Decimal | str | None) -> str:
    """A share 0–1 as a whole percentage; the API gives the same share to two decimals."""
    return "–" if value is None or value == "" else f"{rounded(float(value), 2) * 100:.0f}%"


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return getattr(mapping, key, None)


@register.filter
def change_of(obj, key: str):
    """``row|change_of:"overall"`` — the change against last round, for rows and roll-ups alike."""
    return obj.change(key)
