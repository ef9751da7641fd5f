"""Working days: Monday to Friday except Thai public holidays (the ``holidays`` package's Thailand calendar,
which includes the substitution days the cabinet declares) and the ministry holidays administrators add
(``Holiday`` rows). Deadlines are counted in calendar days; lateness that triggers an escalation is counted
in working days, so a long weekend does not escalate a province that could not have acted."""

import datetime
from functools import lru_cache

import holidays

from .models import Holiday

_SATURDAY = 5


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("TH", years=year))


def ministry_holidays(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The ministry holidays from ``start`` to ``end`` inclusive (one query)."""
    return set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def _is_working(day: datetime.date, extra: set[datetime.date]) -> bool:
    return day.weekday() < _SATURDAY and day not in _public_holidays(day.year) and day not in extra


def is_working_day(day: datetime.date) -> bool:
    """Whether civil servants work on ``day``."""
    return _is_working(day, ministry_holidays(day, day))


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day`` (before it for a negative ``n``); ``day`` itself for 0."""
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    current = day
    while remaining:
        # Ministry holidays a window at a time (one query per window, however long the count).
        window_end = current + step * (remaining * 3 + 30)
        extra = ministry_holidays(min(current, window_end), max(current, window_end))
        while remaining and current != window_end:
            current += step
            if _is_working(current, extra):
                remaining -= 1
    return current


def working_days_between(
    start: datetime.date, end: datetime.date, *, ministry: set[datetime.date] | None = None
) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``):
    how many working days late something due on ``start`` is on ``end``. ``ministry``: the ministry holidays
    of the span if the caller read them already (``ministry_holidays``), to count many spans in one query."""
    if end <= start:
        return 0
    extra = ministry_holidays(start, end) if ministry is None else ministry
    days = (end - start).days
    return sum(_is_working(start + datetime.timedelta(days=i), extra) for i in range(1, days + 1))


class WorkingDayCounter:
    """Working days overdue on ``today`` for many due dates, reading the ministry holidays once (a page
    lists many deadlines; its query count must not grow with them)."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        # A year back, read at once: one query whatever the page lists (an older deadline reads more).
        self._since = today - datetime.timedelta(days=366)
        self._ministry = ministry_holidays(self._since, today)

    def overdue(self, due_on: datetime.date) -> int:
        if due_on >= self.today:
            return 0
        if due_on < self._since:
            self._since = due_on
            self._ministry = ministry_holidays(due_on, self.today)
        return working_days_between(due_on, self.today, ministry=self._ministry)
