"""Swedish public holidays and working-hour arithmetic.

Public API:

- ``swedish_holidays(year)``: every day off in the year, date -> Swedish name. This is the
  public holidays (röda dagar) plus the de facto days off julafton, midsommarafton and
  nyårsafton, from the maintained ``holidays`` package (Sweden, categories PUBLIC and DE_FACTO,
  Sundays left out), which covers 1953-2100 (outside that, no day is off but the weekend).
  When two fall on one date (e.g. Kristi himmelsfärdsdag on första maj) the names are joined
  with " och ".
- ``is_working_day(d)``: a weekday that is neither a holiday nor one of those aftnar.
- ``next_working_day(d)``: the first working day strictly after ``d``.
- ``add_working_hours(start, hours)`` and ``working_hours_between(a, b)``: SLA arithmetic in
  working hours (default 08:00-17:00 Europe/Stockholm on working days).

Everything is pure: no clock is read here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from holidays.constants import DE_FACTO, PUBLIC
from holidays.countries.sweden import Sweden

from handlers.kernel import STOCKHOLM

_DAY_START = time(8, 0)
_DAY_END = time(17, 0)


def _name(package_name: str) -> str:
    """The package's "Juldagen" as Bryggan writes it in a sentence: "juldagen"."""
    return package_name if package_name.startswith("Kristi") else package_name.lower()


@lru_cache(maxsize=64)
def _holidays(year: int) -> tuple[tuple[date, str], ...]:
    calendar = Sweden(
        years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv"
    )
    return tuple(
        (day, " och ".join(_name(n) for n in calendar.get_list(day))) for day in sorted(calendar)
    )


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[date]:
    return frozenset(day for day, _ in _holidays(year))


def swedish_holidays(year: int) -> dict[date, str]:
    """All days off in ``year`` (röda dagar plus julafton, midsommarafton, nyårsafton)."""
    return dict(_holidays(year))


def is_working_day(d: date) -> bool:
    """True on Monday-Friday unless the day is a holiday or one of the aftnar."""
    return d.weekday() < 5 and d not in _days_off(d.year)


def next_working_day(d: date) -> date:
    """The first working day strictly after ``d``."""
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def _window(d: date, day_start: time, day_end: time) -> tuple[datetime, datetime]:
    """The working window of ``d`` as UTC instants."""
    start = datetime.combine(d, day_start, tzinfo=STOCKHOLM).astimezone(UTC)
    end = datetime.combine(d, day_end, tzinfo=STOCKHOLM).astimezone(UTC)
    return start, end


def _check(moment: datetime, day_start: time, day_end: time) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-hour arithmetic needs a timezone-aware datetime")
    if day_start >= day_end:
        raise ValueError("day_start must be before day_end")


def add_working_hours(
    start: datetime,
    hours: float,
    day_start: time = _DAY_START,
    day_end: time = _DAY_END,
) -> datetime:
    """The earliest moment at which ``hours`` working hours have passed since ``start``.

    Working time is ``day_start``-``day_end`` (Stockholm wall clock) on working days, so a
    deadline of 2 working hours set on a Friday at 16:00 falls on Monday at 09:00.
    """
    _check(start, day_start, day_end)
    if hours < 0:
        raise ValueError("hours must not be negative")
    remaining = timedelta(hours=hours)
    if not remaining:
        return start.astimezone(STOCKHOLM)
    cursor = start.astimezone(UTC)
    day = cursor.astimezone(STOCKHOLM).date()
    while True:
        if is_working_day(day):
            open_, close = _window(day, day_start, day_end)
            begin = max(cursor, open_)
            if begin <= close and remaining <= close - begin:
                return (begin + remaining).astimezone(STOCKHOLM)
            if begin < close:
                remaining -= close - begin
        day += timedelta(days=1)


def working_hours_between(
    a: datetime,
    b: datetime,
    day_start: time = _DAY_START,
    day_end: time = _DAY_END,
) -> float:
    """Working hours from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    _check(a, day_start, day_end)
    _check(b, day_start, day_end)
    if b < a:
        return -working_hours_between(b, a, day_start, day_end)
    total = timedelta()
    day = a.astimezone(STOCKHOLM).date()
    last = b.astimezone(STOCKHOLM).date()
    while day <= last:
        if is_working_day(day):
            open_, close = _window(day, day_start, day_end)
            begin, end = max(a, open_), min(b, close)
            if begin < end:
                total += end - begin
        day += timedelta(days=1)
    return total / timedelta(hours=1)
