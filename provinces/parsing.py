"""Whole numbers from a request (query strings, URL segments, form fields), parsed in one place.

``str.isdigit()`` accepts superscripts and circled digits (²  ①) that ``int()`` refuses, and ``int()`` itself
accepts the digits of every script (٣, १, １) and numbers of any size; a database column does not. So a number
from a request is ASCII or Thai digits only (what a Thai official types), and within bounds the caller names.
"""

import re

from .thai import THAI_DIGITS

# The largest id a BigAutoField (and a PostgreSQL bigint or SQLite integer) holds.
MAX_ID = 2**63 - 1
# Fiscal years (B.E.) that a request may name; anything else is no fiscal year at all.
MIN_FISCAL_YEAR = 2550
MAX_FISCAL_YEAR = 2700

_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)


def parse_int(text: object, *, minimum: int, maximum: int) -> int | None:
    """The whole number ``text`` spells (ASCII or Thai digits, an optional leading minus, surrounding
    white space ignored) if it lies within ``minimum``..``maximum``; otherwise None."""
    if not isinstance(text, str):
        return None
    text = text.strip().translate(THAI_DIGITS)
    if not _INTEGER.fullmatch(text):
        return None
    # Leading zeros aside, a number with more digits than the bounds is out of them: no int() of 10,000 digits.
    digits = text.lstrip("-").lstrip("0")
    if len(digits) > max(len(str(abs(minimum))), len(str(abs(maximum)))):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(text: object) -> int | None:
    """A database id (1 and up) from a request, or None."""
    return parse_int(text, minimum=1, maximum=MAX_ID)


def parse_fiscal_year(text: object) -> int | None:
    """A fiscal year (B.E.) from a request, or None."""
    return parse_int(text, minimum=MIN_FISCAL_YEAR, maximum=MAX_FISCAL_YEAR)
