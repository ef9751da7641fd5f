"""provinces.parsing: every whole number from a request is ASCII or Thai digits, within bounds, or nothing.
Its use in every view: tests/fuzz/test_hostile_numbers.py."""

import pytest

from provinces.parsing import MAX_ID, parse_fiscal_year, parse_id, parse_int

HUGE = str(10**30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2570", 2570),
        (" 2570 ", 2570),
        ("๒๕๗๐", 2570),
        ("0002570", 2570),
        ("-5", -5),
        ("²", None),
        ("①", None),
        ("٣", None),
        ("１", None),
        ("2570²", None),
        ("", None),
        ("-", None),
        ("+5", None),
        ("5.0", None),
        ("1_000", None),
        ("5\x00", None),
        (None, None),
        (["5"], None),
        ("9" * 5000, None),
        ("2701", None),
        ("-11", None),
    ],
)
def test_it_reads_ascii_and_thai_digits_within_bounds_only(text, expected):
    assert parse_int(text, minimum=-10, maximum=2700) == expected


def test_it_keeps_ids_and_fiscal_years_to_their_ranges():
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("0") is None
    assert parse_id(HUGE) is None
    assert parse_fiscal_year("๒๕๗๐") == 2570
    assert parse_fiscal_year("2549") is None
    assert parse_fiscal_year(HUGE) is None
