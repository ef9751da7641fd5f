"""Thai calendar and money helpers: Buddhist Era years, the Thai fiscal year, baht.

The Buddhist Era (พ.ศ.) is the Common Era + 543. The Thai government fiscal year runs from 1 October to
30 September and is named by the B.E. year in which it ends: FY 2570 = 1 Oct 2026 – 30 Sep 2027.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from .text import without_nul

BE_OFFSET = 543
# Thai digits ๐–๙ to ASCII, for numbers typed in Thai (str.translate table).
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
ENGLISH_MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def be_year(value: dt.date | int) -> int:
    """The Buddhist Era year of a date (or of a C.E. year)."""
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def fiscal_year(value: dt.date) -> int:
    """The Thai fiscal year (B.E.) a date falls in: October starts the next fiscal year."""
    return be_year(value) + (1 if value.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a Thai fiscal year given by its B.E. name."""
    ce_end = fy_be - BE_OFFSET
    return dt.date(ce_end - 1, 10, 1), dt.date(ce_end, 9, 30)


def format_date(value: dt.date | dt.datetime | None, language: str = "th", long: bool = False) -> str:
    """A date with its B.E. year: '1 ต.ค. 2569' in Thai, '1 Oct 2569 BE' in English."""
    if value is None:
        return ""
    if language.startswith("en"):
        return f"{value.day} {ENGLISH_MONTHS_SHORT[value.month - 1]} {be_year(value)} BE"
    months = THAI_MONTHS if long else THAI_MONTHS_SHORT
    return f"{value.day} {months[value.month - 1]} {be_year(value)}"


def format_baht(value: int | float | Decimal | None, language: str = "th") -> str:
    """Thai baht with thousands separators; satang only when there are any."""
    if value is None:
        return "–"
    amount = Decimal(value)
    text = f"{amount:,.2f}" if amount != amount.to_integral_value() else f"{amount:,.0f}"
    return f"{text} baht" if language.startswith("en") else f"{text} บาท"


# Thai dictionary order, after PyThaiNLP's ``pythainlp.util.collate``: a leading vowel (เ แ โ ใ ไ) is written
# before its consonant but read after it, so เชียงใหม่ files under ช and แม่ฮ่องสอน under ม; tone marks (and
# ็ ์) do not decide the order unless the letters are the same. Thai code points then follow the dictionary.
_TONE_MARKS = re.compile("[\u0e47-\u0e4c]")
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
# thai_sort_text's separator: the key drops it (and NUL, the only character below it), which decide nothing.
_SEPARATOR = "\x01"
# A stored key is at most this long: 600 characters of at most 4 bytes stay below PostgreSQL's limit for a
# b-tree entry (2,704 bytes). A 500-character Thai or English title gives 501; only a title whose casefold
# is longer (a few scripts) is cut, and then ties with one alike in its first 600.
SORT_TEXT_CHARS = 600


def thai_sort_key(text: str) -> tuple[str, str]:
    """A sort key in Thai dictionary order for Thai text, and case-insensitive alphabetical order for
    English text (so one key serves both interface languages)."""
    text = without_nul(str(text)).replace(_SEPARATOR, "").strip().casefold()
    letters = _LEADING_VOWEL.sub(r"\2\1", _TONE_MARKS.sub("", text))
    return letters, "".join(_TONE_MARKS.findall(text))


def thai_sort_text(text: str) -> str:
    """``thai_sort_key`` as one string whose code-point order is the key's order, for a database column
    that SQL sorts (byte order: PostgreSQL's "C" collation, SQLite's default; UTF-8 keeps code-point order).
    The letters, a separator below every letter (so "กา" comes before "กาก" whatever follows), the marks."""
    letters, marks = thai_sort_key(text)
    return (letters + _SEPARATOR + marks)[:SORT_TEXT_CHARS]


def thai_sorted[T](items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` sorted by the text ``key`` gives (default: ``str``, which for provinces, clusters and regions
    is the name in the active language), in Thai dictionary order. SQL cannot do this order with the
    databases' default collations, so short lists of names are sorted here, after the query; long ones sort
    in SQL by a stored ``thai_sort_text`` (strategy titles)."""
    return sorted(items, key=lambda item: thai_sort_key(key(item)))
