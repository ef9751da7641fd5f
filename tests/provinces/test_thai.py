import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from provinces import thai


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2026, 9, 30), 2569),
        (dt.date(2026, 10, 1), 2570),
        (dt.date(2026, 12, 31), 2570),
        (dt.date(2027, 1, 1), 2570),
        (dt.date(2027, 9, 30), 2570),
        (dt.date(2027, 10, 1), 2571),
    ],
)
def test_it_names_the_fiscal_year_by_the_be_year_it_ends_in(day, fy):
    assert thai.fiscal_year(day) == fy


def test_it_gives_fiscal_year_2570_its_bounds():
    assert thai.fiscal_year_bounds(2570) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))


@pytest.mark.parametrize(
    ("day", "be"),
    [(dt.date(2026, 12, 31), 2569), (dt.date(2027, 1, 1), 2570), (dt.date(2026, 10, 1), 2569)],
)
def test_it_turns_the_year_over_on_1_january_not_1_october(day, be):
    assert thai.be_year(day) == be


def test_it_formats_dates_in_thai_and_english_with_be_years():
    assert thai.format_date(dt.date(2027, 1, 1)) == "1 ม.ค. 2570"
    assert thai.format_date(dt.date(2026, 10, 1), long=True) == "1 ตุลาคม 2569"
    assert thai.format_date(dt.date(2026, 12, 31), "en") == "31 Dec 2569 BE"


def test_it_formats_baht_with_thousands_separators():
    assert thai.format_baht(1234567) == "1,234,567 บาท"
    assert thai.format_baht(Decimal("2500.50")) == "2,500.50 บาท"
    assert thai.format_baht(1000, "en") == "1,000 baht"
    assert thai.format_baht(None) == "–"


def test_it_shows_datetimes_in_bangkok_time():
    # 31 Dec 2026 20:00 UTC is already 1 Jan 2027 in Bangkok: B.E. 2570.
    moment = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)
    with translation.override("th"):
        out = Template("{{ t|be_date }} / {{ t|be_datetime }} / {{ t|fiscal_year }}").render(
            Context({"t": moment})
        )
    assert out == "1 ม.ค. 2570 / 1 ม.ค. 2570 03:00 / 2570"
