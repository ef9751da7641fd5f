"""Template filters for Thai dates, fiscal years and money. Loaded as builtins in every template."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from provinces import thai

register = template.Library()


def _language() -> str:
    return get_language() or "th"


@register.filter
def be_date(value: dt.date | dt.datetime | None) -> str:
    """'25 พ.ย. 2569' (Thai) or '25 Nov 2569 BE' (English), in Bangkok time for datetimes."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_date(value, _language())


@register.filter
def be_date_long(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return thai.format_date(value, _language(), long=True)


@register.filter
def be_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai.format_date(local, _language())} {local:%H:%M}"


@register.filter
def be_year(value: dt.date | int | None) -> str:
    return "" if value is None else str(thai.be_year(value))


@register.filter
def fiscal_year(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return str(thai.fiscal_year(value))


@register.filter
def baht(value) -> str:
    return thai.format_baht(value, _language())


@register.filter
def baht_millions(value) -> str:
    """An amount in millions of baht with one decimal ("1,234.5"), for tables too narrow for whole amounts
    (the table says the unit)."""
    if value is None:
        return ""
    return f"{Decimal(value) / 1_000_000:,.1f}"


@register.filter
def who(user) -> str:
    """A person's name for "who did it": full name, else username, else an en dash (system or deleted user)."""
    if user is None:
        return "–"
    return user.get_full_name() or user.username
