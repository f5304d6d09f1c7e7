"""Swedish holidays and working-hour arithmetic."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.dates.holidays import (
    add_working_hours,
    is_working_day,
    next_working_day,
    swedish_holidays,
    working_hours_between,
)
from handlers.kernel.calendar import STOCKHOLM


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def test_holidays_2026_complete() -> None:
    assert swedish_holidays(2026) == {
        date(2026, 1, 1): "nyårsdagen",
        date(2026, 1, 6): "trettondedag jul",
        date(2026, 4, 3): "långfredagen",
        date(2026, 4, 5): "påskdagen",
        date(2026, 4, 6): "annandag påsk",
        date(2026, 5, 1): "första maj",
        date(2026, 5, 14): "Kristi himmelsfärdsdag",
        date(2026, 5, 24): "pingstdagen",
        date(2026, 6, 6): "nationaldagen",
        date(2026, 6, 19): "midsommarafton",
        date(2026, 6, 20): "midsommardagen",
        date(2026, 10, 31): "alla helgons dag",
        date(2026, 12, 24): "julafton",
        date(2026, 12, 25): "juldagen",
        date(2026, 12, 26): "annandag jul",
        date(2026, 12, 31): "nyårsafton",
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 3, 26), "långfredagen"),
        (date(2027, 3, 28), "påskdagen"),
        (date(2027, 3, 29), "annandag påsk"),
        (date(2027, 5, 6), "Kristi himmelsfärdsdag"),
        (date(2027, 5, 16), "pingstdagen"),
        (date(2027, 6, 25), "midsommarafton"),
        (date(2027, 6, 26), "midsommardagen"),
        (date(2027, 11, 6), "alla helgons dag"),
        (date(2027, 1, 6), "trettondedag jul"),
    ],
)
def test_holidays_2027(day: date, name: str) -> None:
    assert swedish_holidays(2027)[day] == name


def test_coinciding_holidays_share_a_date() -> None:
    # Easter 2008 fell on 23 March, so Ascension Day was 1 May.
    assert swedish_holidays(2008)[date(2008, 5, 1)] == "första maj och Kristi himmelsfärdsdag"


def test_returned_dict_is_a_copy() -> None:
    swedish_holidays(2026).clear()
    assert date(2026, 12, 25) in swedish_holidays(2026)


@given(st.integers(min_value=1953, max_value=2100))  # the years the package covers
def test_moving_saturdays_stay_in_their_windows(year: int) -> None:
    by_name = {name: day for day, name in swedish_holidays(year).items()}
    midsummer, all_saints = by_name["midsommardagen"], by_name["alla helgons dag"]
    assert midsummer.weekday() == 5 and date(year, 6, 20) <= midsummer <= date(year, 6, 26)
    assert by_name["midsommarafton"] == midsummer - timedelta(days=1)
    assert all_saints.weekday() == 5
    assert date(year, 10, 31) <= all_saints <= date(year, 11, 6)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 23), True),
        (date(2026, 12, 24), False),  # julafton, a Thursday
        (date(2026, 12, 31), False),  # nyårsafton
        (date(2026, 6, 19), False),  # midsommarafton
        (date(2026, 1, 6), False),
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 11, 23), True),
        (date(2026, 5, 14), False),  # Kristi himmelsfärdsdag
        (date(2026, 5, 15), True),  # the "klämdag" after it is still a working day
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 24)),
        (date(2026, 11, 27), date(2026, 11, 30)),
        (date(2026, 12, 23), date(2026, 12, 28)),
        (date(2026, 4, 2), date(2026, 4, 7)),  # past långfredag, Easter, annandag påsk
        (date(2026, 12, 30), date(2027, 1, 4)),  # past nyårsafton and nyårsdagen
        (date(2027, 1, 5), date(2027, 1, 7)),  # past trettondedag jul
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 27, 16), 2, at(2026, 11, 30, 9)),  # across a weekend
        (at(2026, 12, 23, 16), 2, at(2026, 12, 28, 9)),  # across jul and a weekend
        (at(2026, 6, 18, 15), 4, at(2026, 6, 22, 10)),  # across midsommar
        (at(2026, 11, 21, 12), 1, at(2026, 11, 23, 9)),  # starts on a Saturday
        (at(2026, 11, 23, 7), 1, at(2026, 11, 23, 9)),  # starts before opening
        (at(2026, 11, 23, 18), 1, at(2026, 11, 24, 9)),  # starts after closing
        (at(2026, 11, 23, 8), 9, at(2026, 11, 23, 17)),  # ends exactly at closing
        (at(2026, 11, 23, 8), 9.5, at(2026, 11, 24, 8, 30)),
        (at(2026, 11, 23, 10), 45, at(2026, 11, 30, 10)),  # one full working week
        (at(2026, 10, 23, 16), 2, at(2026, 10, 26, 9)),  # across the October DST change
        (at(2026, 11, 22, 12), 0, at(2026, 11, 22, 12)),
    ],
)
def test_add_working_hours(start: datetime, hours: float, expected: datetime) -> None:
    result = add_working_hours(start, hours)
    assert result.isoformat() == expected.isoformat()


def test_add_working_hours_with_custom_day() -> None:
    result = add_working_hours(at(2026, 11, 23, 14), 3, day_start=time(9), day_end=time(15))
    assert result == at(2026, 11, 24, 11)


def test_add_working_hours_accepts_utc() -> None:
    from datetime import UTC

    start = datetime(2026, 11, 27, 15, tzinfo=UTC)  # 16:00 in Stockholm
    assert add_working_hours(start, 2).isoformat() == "2026-11-30T09:00:00+01:00"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (at(2026, 11, 27, 16), at(2026, 11, 30, 9), 2.0),
        (at(2026, 12, 23, 16), at(2026, 12, 28, 9), 2.0),
        (at(2026, 11, 30, 9), at(2026, 11, 27, 16), -2.0),
        (at(2026, 11, 23, 10), at(2026, 11, 23, 12, 30), 2.5),
        (at(2026, 11, 23, 8), at(2026, 11, 30, 8), 45.0),
        (at(2026, 5, 11, 0), at(2026, 5, 18, 0), 36.0),  # Kristi himmelsfärdsvecka
        (at(2026, 11, 21, 0), at(2026, 11, 23, 0), 0.0),
    ],
)
def test_working_hours_between(a: datetime, b: datetime, expected: float) -> None:
    assert working_hours_between(a, b) == pytest.approx(expected)


def test_naive_datetimes_and_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_hours(datetime(2026, 11, 23, 9), 1)
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 11, 23, 9), -1)
    with pytest.raises(ValueError):
        working_hours_between(at(2026, 11, 23, 9), datetime(2026, 11, 24, 9))
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 11, 23, 9), 1, day_start=time(17), day_end=time(8))


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    minutes=st.integers(min_value=0, max_value=200 * 60),
)
def test_adding_then_measuring_round_trips(start: datetime, minutes: int) -> None:
    begin = start.replace(tzinfo=STOCKHOLM)
    end = add_working_hours(begin, minutes / 60)
    assert end >= begin
    assert working_hours_between(begin, end) == pytest.approx(minutes / 60, abs=1e-6)
    if minutes:
        local = end.astimezone(STOCKHOLM)
        assert is_working_day(local.date())
        assert time(8) < local.time() <= time(17)
