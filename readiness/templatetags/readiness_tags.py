"""Filters for readiness numbers: scores, signed changes, percentages, dictionary look-ups."""

from django import template

register = template.Library()


@register.filter
def score(value) -> str:
    """A 0–100 score with one decimal, or an en dash when there is none."""
    return "–" if value is None or value == "" else f"{float(value):.1f}"


@register.filter
def signed(value) -> str:
    """A change with its sign: +3.2, −1.0, or nothing."""
    if value is None:
        return ""
    return f"+{value:.1f}" if value > 0 else f"−{abs(value):.1f}" if value < 0 else "±0.0"


@register.filter
def percent(value) -> str:
    return "–" if value is None or value == "" else f"{float(value) * 100:.0f}%"


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
