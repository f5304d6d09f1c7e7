"""Reading an absence's period: weekdays and weeks mean the coming ones, a reversed range is
refused instead of becoming almost a year, and the turn of the year reads as people mean it.
Pure: `now` is given."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.kernel import UserError
from handlers.questions.absence_period import read_absence_period

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
DECEMBER_20 = datetime(2026, 12, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "typed", "start", "end"),
    [
        (THURSDAY, "måndag fredag", date(2026, 11, 30), date(2026, 12, 4)),
        (THURSDAY, "mån–fre", date(2026, 11, 30), date(2026, 12, 4)),
        (THURSDAY, "fredag tisdag", date(2026, 11, 27), date(2026, 12, 1)),
        (THURSDAY, "idag-fredag", date(2026, 11, 26), date(2026, 11, 27)),
        (MONDAY, "7/12-11/12", date(2026, 12, 7), date(2026, 12, 11)),
        (MONDAY, "7.12-11.12", date(2026, 12, 7), date(2026, 12, 11)),
        (MONDAY, "7 dec - 11 dec", date(2026, 12, 7), date(2026, 12, 11)),
        (MONDAY, "2026-12-07–2026-12-11", date(2026, 12, 7), date(2026, 12, 11)),
        (MONDAY, "från 7/12 till 11/12", date(2026, 12, 7), date(2026, 12, 11)),
        (MONDAY, "v. 51", date(2026, 12, 14), date(2026, 12, 20)),
        (MONDAY, "vecka 51–52", date(2026, 12, 14), date(2026, 12, 27)),
        (MONDAY, "v 48", date(2026, 11, 23), date(2026, 11, 29)),
        (DECEMBER_20, "v. 53-1", date(2026, 12, 28), date(2027, 1, 10)),
        (DECEMBER_20, "v. 2", date(2027, 1, 11), date(2027, 1, 17)),
        (DECEMBER_20, "28/12 3/1", date(2026, 12, 28), date(2027, 1, 3)),
        (DECEMBER_20, "15/12 22/12", date(2026, 12, 15), date(2026, 12, 22)),
        (MONDAY, "1/12 28/2", date(2026, 12, 1), date(2027, 2, 28)),
    ],
)
def test_periods_mean_the_coming_days(now: datetime, typed: str, start: date, end: date) -> None:
    assert read_absence_period(typed, now) == (start, end)


@pytest.mark.parametrize(
    ("now", "typed", "expected"),
    [
        (MONDAY, "11/12 7/12", "Slutdatumet 7 dec ligger före startdatumet 11 dec."),
        (MONDAY, "1/12 20/11", "Slutdatumet 20 nov ligger före startdatumet 1 dec."),
        (DECEMBER_20, "3/1 28/12", "Slutdatumet 28 dec ligger före startdatumet 3 jan."),
        (MONDAY, "2026-12-11 2026-12-07", "ligger före startdatumet"),
        (MONDAY, "10/11 15/11", "Frånvaron 10 nov–15 nov har redan passerat."),
        (MONDAY, "i morgon", "Ange frånvaron som"),
        (MONDAY, "v. 54", "Ange frånvaron som"),
    ],
)
def test_reversed_past_and_unreadable_periods_are_refused(
    now: datetime, typed: str, expected: str
) -> None:
    with pytest.raises(UserError) as refused:
        read_absence_period(typed, now)
    assert expected in refused.value.text
