"""Swedish dates, times and recurring meetings: the public face of handlers.dates."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.dates import (
    Ambiguous,
    WhenResult,
    describe_recurrence,
    describe_when,
    interpret_recurrence,
    interpret_when,
    parse_date,
    parse_recurrence,
    parse_when,
)
from handlers.dates.recurrence import RecurrenceRule, WorkingDayTrigger
from handlers.kernel.calendar import STOCKHOLM


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


SUN = at(2026, 11, 22, 10)  # "today" for the project: a Sunday in ISO week 47
EARLY = at(2026, 11, 22, 5)
MON = at(2026, 11, 23, 10)
THU = at(2026, 11, 26, 10)
DEC = at(2026, 12, 20, 10)

WHEN_TABLE: list[tuple[str, datetime, str | None]] = [
    # day and month, with and without a year and a time
    ("15 december 13:30", SUN, "2026-12-15T13:30:00+01:00"),
    ("15 december", SUN, "2026-12-15T09:00:00+01:00"),
    ("15 dec", SUN, "2026-12-15T09:00:00+01:00"),
    ("15 dec. 2027", SUN, "2027-12-15T09:00:00+01:00"),
    ("15:e december", SUN, "2026-12-15T09:00:00+01:00"),
    ("1:a maj", SUN, "2027-05-01T09:00:00+02:00"),
    ("15/12", SUN, "2026-12-15T09:00:00+01:00"),
    ("3/12", SUN, "2026-12-03T09:00:00+01:00"),
    ("3/12 kl 10", SUN, "2026-12-03T10:00:00+01:00"),
    ("2026-12-15", SUN, "2026-12-15T09:00:00+01:00"),
    ("2026-12-15 13:30", SUN, "2026-12-15T13:30:00+01:00"),
    ("2026-12-15T13:30", SUN, "2026-12-15T13:30:00+01:00"),
    ("15.12", SUN, "2026-12-15T09:00:00+01:00"),
    ("15.12.2026", SUN, "2026-12-15T09:00:00+01:00"),
    ("15-12-2026", SUN, "2026-12-15T09:00:00+01:00"),
    ("tisdag den 15 december kl 13.30", SUN, "2026-12-15T13:30:00+01:00"),
    ("Tisdag 15/12, kl. 13.30!", SUN, "2026-12-15T13:30:00+01:00"),
    ("den 15:e", SUN, "2026-12-15T09:00:00+01:00"),
    ("tisdag 15.12", SUN, "2026-12-15T09:00:00+01:00"),  # the weekday agrees: a date
    ("fredag 10.10", SUN, "2026-11-27T10:10:00+01:00"),  # 10 October is no Friday: a time
    ("mån 30/11", SUN, "2026-11-30T09:00:00+01:00"),
    ("3/12-26", SUN, "2026-12-03T09:00:00+01:00"),
    ("december 15", SUN, "2026-12-15T09:00:00+01:00"),  # left to dateparser
    ("jan 15 13:30", SUN, "2027-01-15T13:30:00+01:00"),  # left to dateparser
    # clock times
    ("kl 10", SUN, "2026-11-23T10:00:00+01:00"),  # 10:00 is not ahead any more: tomorrow
    ("kl. 10", SUN, "2026-11-23T10:00:00+01:00"),
    ("klockan 10", SUN, "2026-11-23T10:00:00+01:00"),
    ("10:30", SUN, "2026-11-22T10:30:00+01:00"),
    ("14.30", SUN, "2026-11-22T14:30:00+01:00"),
    ("kl 14.30", SUN, "2026-11-22T14:30:00+01:00"),
    ("kl 19", SUN, "2026-11-22T19:00:00+01:00"),
    ("kl 07", SUN, "2026-11-23T07:00:00+01:00"),
    ("kl 3", SUN, "2026-11-22T15:00:00+01:00"),
    ("kl 7", SUN, "2026-11-23T07:00:00+01:00"),
    ("kl 12", SUN, "2026-11-22T12:00:00+01:00"),
    ("halv tio", SUN, "2026-11-23T09:30:00+01:00"),
    ("halv tio", EARLY, "2026-11-22T09:30:00+01:00"),
    ("halv 10", EARLY, "2026-11-22T09:30:00+01:00"),
    ("kvart över två", SUN, "2026-11-22T14:15:00+01:00"),
    ("kvart i tre", SUN, "2026-11-22T14:45:00+01:00"),
    ("fem i halv tre", SUN, "2026-11-22T14:25:00+01:00"),
    ("fem över halv tre", SUN, "2026-11-22T14:35:00+01:00"),
    ("tio i fyra", SUN, "2026-11-22T15:50:00+01:00"),
    ("halv ett", SUN, "2026-11-22T12:30:00+01:00"),
    ("klockan tre", SUN, "2026-11-22T15:00:00+01:00"),
    ("kl 7 på morgonen", SUN, "2026-11-23T07:00:00+01:00"),
    ("kl 3 em", SUN, "2026-11-22T15:00:00+01:00"),
    ("ikväll kl 7", SUN, "2026-11-22T19:00:00+01:00"),
    ("idag kl 7", SUN, "2026-11-22T19:00:00+01:00"),  # 07:00 has passed
    # relative
    ("om 2 timmar", SUN, "2026-11-22T12:00:00+01:00"),
    ("om 45 minuter", SUN, "2026-11-22T10:45:00+01:00"),
    ("om en halvtimme", SUN, "2026-11-22T10:30:00+01:00"),
    ("om tre dagar", SUN, "2026-11-25T09:00:00+01:00"),
    ("om 3 dagar kl 14", SUN, "2026-11-25T14:00:00+01:00"),
    ("om en vecka", SUN, "2026-11-29T09:00:00+01:00"),
    ("om två veckor", SUN, "2026-12-06T09:00:00+01:00"),
    ("om en månad", SUN, "2026-12-22T09:00:00+01:00"),
    ("om en månad", at(2027, 1, 31, 10), "2027-02-28T09:00:00+01:00"),
    ("idag", SUN, "2026-11-22T09:00:00+01:00"),
    ("i dag kl 16", SUN, "2026-11-22T16:00:00+01:00"),
    ("imorgon", SUN, "2026-11-23T09:00:00+01:00"),
    ("i morgon kl 8", SUN, "2026-11-23T08:00:00+01:00"),
    ("i övermorgon", SUN, "2026-11-24T09:00:00+01:00"),
    ("övermorgon kl 13", SUN, "2026-11-24T13:00:00+01:00"),
    # weekdays
    ("måndag", SUN, "2026-11-23T09:00:00+01:00"),
    ("på torsdag", SUN, "2026-11-26T09:00:00+01:00"),
    ("torsdag kl 13", SUN, "2026-11-26T13:00:00+01:00"),
    ("nästa torsdag", SUN, "2026-11-26T09:00:00+01:00"),  # next week starts tomorrow
    ("nästa torsdag", MON, "2026-12-03T09:00:00+01:00"),
    ("torsdag nästa vecka", MON, "2026-12-03T09:00:00+01:00"),
    ("torsdag i nästa vecka kl 9", MON, "2026-12-03T09:00:00+01:00"),
    ("torsdag", THU, "2026-12-03T09:00:00+01:00"),  # said on a Thursday: in a week
    ("torsdag kl 8", THU, "2026-12-03T08:00:00+01:00"),
    ("fredag i veckan", MON, "2026-11-27T09:00:00+01:00"),
    # ISO weeks
    ("onsdag v. 50", SUN, "2026-12-09T09:00:00+01:00"),
    ("onsdag vecka 50", SUN, "2026-12-09T09:00:00+01:00"),
    ("onsdag v50 kl 10", SUN, "2026-12-09T10:00:00+01:00"),
    ("onsdag v. 53", SUN, "2026-12-30T09:00:00+01:00"),
    ("v. 50", SUN, "2026-12-07T09:00:00+01:00"),
    ("onsdag v. 47", SUN, "2027-11-24T09:00:00+01:00"),  # this year's week 47 is gone
    ("fredag v. 1", DEC, "2027-01-08T09:00:00+01:00"),
    # year rollover and "never the past"
    ("3/1", DEC, "2027-01-03T09:00:00+01:00"),
    ("2/1 kl 9", DEC, "2027-01-02T09:00:00+01:00"),
    ("20 december", DEC, "2026-12-20T09:00:00+01:00"),  # today is not the past
    ("19 december", DEC, "2027-12-19T09:00:00+01:00"),
    ("29 februari", at(2027, 3, 1, 10), "2028-02-29T09:00:00+01:00"),
    # DST: wall-clock times stay put, durations are real
    ("imorgon kl 10", at(2026, 10, 24, 12), "2026-10-25T10:00:00+01:00"),
    ("om 2 timmar", at(2026, 10, 25, 1, 30), "2026-10-25T02:30:00+01:00"),
    ("kl 13", at(2027, 3, 27, 14), "2027-03-28T13:00:00+02:00"),
    ("om 1 timme", at(2027, 3, 28, 1, 30), "2027-03-28T03:30:00+02:00"),
    ("söndag kl 02.30", at(2027, 3, 25, 12), "2027-03-28T03:30:00+02:00"),  # 02:30 skipped
    # not a date, or an impossible one
    ("30 februari", SUN, None),
    ("29 februari", SUN, None),  # neither 2026 nor 2027 has one
    ("31/4", SUN, None),
    ("kl 25", SUN, None),
    ("25:00", SUN, None),
    ("kl 10:75", SUN, None),
    ("2026-02-30", SUN, None),
    ("15/13", SUN, None),
    ("32 december", SUN, None),
    ("onsdag v. 54", SUN, None),
    ("hej", SUN, None),
    ("", SUN, None),
    ("   ", SUN, None),
    ("3", SUN, None),
    ("12", SUN, None),
    ("möte med Anna", SUN, None),
    ("1/12 15/12", SUN, None),
    ("om 2 timmar kl 10", SUN, None),
    ("nästa torsdag 15 december", SUN, None),
    ("imorgon 3/12", SUN, None),
    ("kl 10 kl 11", SUN, None),
    ("kl 10-11", SUN, "2026-11-23T10:00:00+01:00"),  # a range means its start (#13)
]


@pytest.mark.parametrize(("text", "now", "expected"), WHEN_TABLE)
def test_parse_when_table(text: str, now: datetime, expected: str | None) -> None:
    result = parse_when(text, now)
    assert (result.isoformat() if result else None) == expected
    if result is not None:
        assert result.tzinfo is STOCKHOLM


def test_table_is_wide() -> None:
    assert len(WHEN_TABLE) >= 60


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("3/12", SUN, date(2026, 12, 3)),
        ("15 december", SUN, date(2026, 12, 15)),
        ("nästa torsdag", MON, date(2026, 12, 3)),
        ("v. 50", SUN, date(2026, 12, 7)),
        ("onsdag v. 53", SUN, date(2026, 12, 30)),
        ("idag", SUN, date(2026, 11, 22)),
        ("igår", SUN, date(2026, 11, 21)),
        ("imorgon", at(2026, 11, 22, 23, 59), date(2026, 11, 23)),
        ("torsdag", THU, date(2026, 12, 3)),
        ("3/1", DEC, date(2027, 1, 3)),
        ("15.12", SUN, date(2026, 12, 15)),
        ("kl 10", SUN, None),  # a time is not a date
        ("halv tio", SUN, None),
        ("30 februari", SUN, None),
        ("1/12 15/12", SUN, None),
    ],
)
def test_parse_date(text: str, now: datetime, expected: date | None) -> None:
    assert parse_date(text, now) == expected


def test_now_in_utc_or_naive_is_read_as_stockholm() -> None:
    utc_now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # 09:00 in Stockholm
    assert parse_when("kl 10", utc_now) == at(2026, 11, 22, 10)
    assert parse_when("kl 10", datetime(2026, 11, 22, 9, 0)) == at(2026, 11, 22, 10)
    assert parse_date("idag", datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == date(2026, 11, 23)


# --- interpret_when: echoes and questions ---------------------------------------------------


def test_interpret_when_echoes_date_and_time() -> None:
    result = interpret_when("15 december 13:30", SUN)
    assert result == WhenResult(
        at(2026, 12, 15, 13, 30), True, "Tolkat som tisdag 15 december 2026 kl 13:30"
    )


def test_interpret_when_says_no_time_was_given() -> None:
    result = interpret_when("15/12", SUN)
    assert isinstance(result, WhenResult)
    assert result.has_time is False
    assert result.echo == "Tolkat som tisdag 15 december 2026"


def test_kl_7_asks_morning_or_evening() -> None:
    result = interpret_when("kl 7", EARLY)
    assert isinstance(result, Ambiguous)
    assert result.question == "Menar du 07:00 eller 19:00?"
    assert [c.value for c in result.candidates] == [at(2026, 11, 22, 7), at(2026, 11, 22, 19)]
    assert result.best.value == parse_when("kl 7", EARLY)


def test_kl_7_later_in_the_day_names_the_days() -> None:
    result = interpret_when("kl 7", SUN)
    assert isinstance(result, Ambiguous)
    assert result.question == (
        "Menar du måndag 23 november kl 07:00 eller söndag 22 november kl 19:00?"
    )


def test_halv_sju_prefers_the_evening_but_asks() -> None:
    result = interpret_when("halv sju", EARLY)
    assert isinstance(result, Ambiguous)
    assert [c.value.hour for c in result.candidates] == [18, 6]


def test_weekday_said_on_that_weekday_asks_today_or_next_week() -> None:
    result = interpret_when("torsdag", THU)
    assert isinstance(result, Ambiguous)
    assert result.question == "Menar du torsdag 3 december eller torsdag 26 november?"
    assert [c.value.date() for c in result.candidates] == [date(2026, 12, 3), date(2026, 11, 26)]


def test_weekday_today_with_a_passed_time_is_next_week() -> None:
    assert interpret_when("torsdag kl 8", THU) == WhenResult(
        at(2026, 12, 3, 8), True, "Tolkat som torsdag 3 december 2026 kl 08:00"
    )


def test_nasta_torsdag_on_a_monday_asks() -> None:
    result = interpret_when("nästa torsdag", MON)
    assert isinstance(result, Ambiguous)
    assert [c.value.date() for c in result.candidates] == [date(2026, 12, 3), date(2026, 11, 26)]
    assert interpret_when("nästa torsdag", SUN) == WhenResult(
        at(2026, 11, 26, 9), False, "Tolkat som torsdag 26 november 2026"
    )
    assert interpret_when("torsdag nästa vecka", MON) == WhenResult(
        at(2026, 12, 3, 9), False, "Tolkat som torsdag 3 december 2026"
    )


def test_day_dot_month_or_time() -> None:
    result = interpret_when("15.12", SUN)
    assert isinstance(result, Ambiguous)
    assert [(c.value, c.has_time) for c in result.candidates] == [
        (at(2026, 12, 15, 9), False),
        (at(2026, 11, 22, 15, 12), True),
    ]
    leading_zero = interpret_when("10.05", SUN)
    assert isinstance(leading_zero, Ambiguous)
    assert leading_zero.best.value == at(2026, 11, 22, 10, 5)
    assert isinstance(interpret_when("15.12 kl 10", SUN), WhenResult)
    assert isinstance(interpret_when("imorgon 15.12", SUN), WhenResult)


def test_weekday_that_does_not_match_the_date_asks() -> None:
    result = interpret_when("tisdag 16 december", SUN)
    assert isinstance(result, Ambiguous)
    assert result.question == "Menar du onsdag 16 december eller tisdag 15 december?"


def test_describe_when() -> None:
    assert describe_when(at(2026, 12, 15, 13, 30)) == "Tolkat som tisdag 15 december 2026 kl 13:30"
    assert describe_when(at(2026, 12, 15), has_time=False) == "Tolkat som tisdag 15 december 2026"
    utc = datetime(2026, 12, 15, 12, 30, tzinfo=UTC)
    assert describe_when(utc) == "Tolkat som tisdag 15 december 2026 kl 13:30"


# --- recurrence ------------------------------------------------------------------------------


def fire_times(trigger: Any, now: datetime, n: int) -> list[str]:
    """The first ``n`` fire times, as the scheduler asks: the clock is at each previous run."""
    times: list[str] = []
    previous = None
    for _ in range(n):
        previous = trigger.get_next_fire_time(previous, previous or now)
        assert previous is not None
        times.append(previous.isoformat())
    return times


RECURRENCE_TABLE: list[tuple[str, datetime, list[str]]] = [
    (
        "varje torsdag kl 13",
        SUN,
        ["2026-11-26T13:00:00+01:00", "2026-12-03T13:00:00+01:00", "2026-12-10T13:00:00+01:00"],
    ),
    (
        "varannan torsdag kl 13",
        SUN,
        [
            "2026-11-26T13:00:00+01:00",
            "2026-12-10T13:00:00+01:00",
            "2026-12-24T13:00:00+01:00",
            "2027-01-07T13:00:00+01:00",
        ],
    ),
    (
        "varannan måndag",
        SUN,
        ["2026-11-23T09:00:00+01:00", "2026-12-07T09:00:00+01:00", "2026-12-21T09:00:00+01:00"],
    ),
    (
        "var tredje vecka på måndag",
        SUN,
        ["2026-11-23T09:00:00+01:00", "2026-12-14T09:00:00+01:00", "2027-01-04T09:00:00+01:00"],
    ),
    (
        "var 3:e vecka på måndag kl 10",
        SUN,
        ["2026-11-23T10:00:00+01:00", "2026-12-14T10:00:00+01:00", "2027-01-04T10:00:00+01:00"],
    ),
    (
        "vardagar kl 9",
        at(2026, 12, 21, 8),
        [
            "2026-12-21T09:00:00+01:00",
            "2026-12-22T09:00:00+01:00",
            "2026-12-23T09:00:00+01:00",
            "2026-12-28T09:00:00+01:00",
            "2026-12-29T09:00:00+01:00",
            "2026-12-30T09:00:00+01:00",
            "2027-01-04T09:00:00+01:00",
            "2027-01-05T09:00:00+01:00",
            "2027-01-07T09:00:00+01:00",
        ],
    ),
    (
        "första tisdagen i månaden kl 10",
        SUN,
        [
            "2026-12-01T10:00:00+01:00",
            "2027-01-05T10:00:00+01:00",
            "2027-02-02T10:00:00+01:00",
            "2027-03-02T10:00:00+01:00",
            "2027-04-06T10:00:00+02:00",
        ],
    ),
    (
        "andra onsdagen i månaden",
        SUN,
        ["2026-12-09T09:00:00+01:00", "2027-01-13T09:00:00+01:00", "2027-02-10T09:00:00+01:00"],
    ),
    (
        "sista fredagen i månaden kl 15",
        SUN,
        ["2026-11-27T15:00:00+01:00", "2026-12-25T15:00:00+01:00", "2027-01-29T15:00:00+01:00"],
    ),
    (
        "varje månad den 15:e",
        SUN,
        ["2026-12-15T09:00:00+01:00", "2027-01-15T09:00:00+01:00", "2027-02-15T09:00:00+01:00"],
    ),
    (
        "den 15:e varje månad kl 14",
        SUN,
        ["2026-12-15T14:00:00+01:00", "2027-01-15T14:00:00+01:00", "2027-02-15T14:00:00+01:00"],
    ),
    (
        "den 31:a varje månad",
        SUN,
        ["2026-12-31T09:00:00+01:00", "2027-01-31T09:00:00+01:00", "2027-03-31T09:00:00+02:00"],
    ),
    (
        "varannan månad från 15 januari",
        SUN,
        ["2027-01-15T09:00:00+01:00", "2027-03-15T09:00:00+01:00", "2027-05-15T09:00:00+02:00"],
    ),
    (
        "var tredje månad från 2027-01-10 kl 13",
        SUN,
        [
            "2027-01-10T13:00:00+01:00",
            "2027-04-10T13:00:00+02:00",
            "2027-07-10T13:00:00+02:00",
            "2027-10-10T13:00:00+02:00",
            "2028-01-10T13:00:00+01:00",
        ],
    ),
    (
        "varannan torsdag kl 13 med start 3 december",
        SUN,
        ["2026-12-03T13:00:00+01:00", "2026-12-17T13:00:00+01:00", "2026-12-31T13:00:00+01:00"],
    ),
    (
        "med start 3 december varje torsdag kl 13",
        SUN,
        ["2026-12-03T13:00:00+01:00", "2026-12-10T13:00:00+01:00"],
    ),
    (
        "varje torsdag fr.o.m. 15 dec",
        SUN,
        ["2026-12-17T09:00:00+01:00", "2026-12-24T09:00:00+01:00"],
    ),
    (
        "första tisdagen varannan månad kl 10",
        SUN,
        ["2026-12-01T10:00:00+01:00", "2027-02-02T10:00:00+01:00", "2027-04-06T10:00:00+02:00"],
    ),
    (
        "varje måndag och torsdag kl 9.30",
        SUN,
        ["2026-11-23T09:30:00+01:00", "2026-11-26T09:30:00+01:00", "2026-11-30T09:30:00+01:00"],
    ),
    (
        "torsdagar kl halv tio",
        SUN,
        ["2026-11-26T09:30:00+01:00", "2026-12-03T09:30:00+01:00"],
    ),
    (
        "varje torsdag på eftermiddagen",
        SUN,
        ["2026-11-26T13:00:00+01:00", "2026-12-03T13:00:00+01:00"],
    ),
    (
        "varje dag kl 8",
        SUN,
        ["2026-11-23T08:00:00+01:00", "2026-11-24T08:00:00+01:00"],
    ),
    (
        "var fjortonde dag kl 8",
        SUN,
        ["2026-11-23T08:00:00+01:00", "2026-12-07T08:00:00+01:00"],
    ),
    (
        "var tredje månad",  # no day named: anchored on the next possible day
        SUN,
        ["2026-11-23T09:00:00+01:00", "2027-02-23T09:00:00+01:00", "2027-05-23T09:00:00+02:00"],
    ),
    # DST: the meeting keeps its wall-clock time across late October and late March
    (
        "varje torsdag kl 13",
        at(2026, 10, 15, 14),
        [
            "2026-10-22T13:00:00+02:00",
            "2026-10-29T13:00:00+01:00",
            "2026-11-05T13:00:00+01:00",
        ],
    ),
    (
        "varannan torsdag kl 13",
        at(2027, 3, 1, 10),
        [
            "2027-03-04T13:00:00+01:00",
            "2027-03-18T13:00:00+01:00",
            "2027-04-01T13:00:00+02:00",
        ],
    ),
    (
        "varje dag kl 8",
        at(2027, 3, 27, 0),
        ["2027-03-27T08:00:00+01:00", "2027-03-28T08:00:00+02:00", "2027-03-29T08:00:00+02:00"],
    ),
    (
        "varje dag kl 8",
        at(2026, 10, 24, 0),
        ["2026-10-24T08:00:00+02:00", "2026-10-25T08:00:00+01:00", "2026-10-26T08:00:00+01:00"],
    ),
    (
        "vardagar kl 9",
        at(2026, 10, 23, 10),
        ["2026-10-26T09:00:00+01:00", "2026-10-27T09:00:00+01:00"],
    ),
    (
        "varannan söndag kl 02.30",  # 28 March 02:30 does not exist: it moves to 03:30
        at(2027, 3, 27, 10),
        ["2027-03-28T03:30:00+02:00", "2027-04-11T02:30:00+02:00"],
    ),
    (
        "sista söndagen i månaden kl 10",
        at(2027, 2, 1, 10),
        ["2027-02-28T10:00:00+01:00", "2027-03-28T10:00:00+02:00", "2027-04-25T10:00:00+02:00"],
    ),
]


@pytest.mark.parametrize(("text", "now", "expected"), RECURRENCE_TABLE)
def test_recurrence_fire_times(text: str, now: datetime, expected: list[str]) -> None:
    trigger = parse_recurrence(text, now)
    assert trigger is not None
    assert fire_times(trigger, now, len(expected)) == expected


@pytest.mark.parametrize(("text", "now", "expected"), RECURRENCE_TABLE)
def test_rule_first_matches_trigger_and_survives_pickling(
    text: str, now: datetime, expected: list[str]
) -> None:
    rule = interpret_recurrence(text, now)
    assert rule is not None
    assert rule.first.isoformat() == expected[0]
    restored = pickle.loads(pickle.dumps(rule.trigger()))
    assert fire_times(restored, now, len(expected)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "torsdag kl 13",  # one date, not a series
        "den 15:e",
        "hej",
        "varje",
        "varje torsdag kl 25",
        "var femte månad första tisdagen",  # not expressible as a monthly pattern
        "varannan torsdag från 30 februari",
        "varje torsdag och varannan fredag",
        "varje vecka den 15:e",
        "vardagar på torsdag",
        "varannan måndag och torsdag",
        "varje torsdag från imorgon kl",
        "var 0:e vecka",
    ],
)
def test_not_a_recurrence(text: str) -> None:
    assert parse_recurrence(text, SUN) is None


@pytest.mark.parametrize(
    ("text", "echo"),
    [
        (
            "varannan torsdag kl 13",
            "Tolkat som varannan torsdag kl 13:00, första gången torsdag 26 november 2026",
        ),
        (
            "första tisdagen i månaden kl 10",
            "Tolkat som första tisdagen i månaden kl 10:00, första gången tisdag 1 december 2026",
        ),
        (
            "vardagar kl 9",
            "Tolkat som vardagar utom röda dagar kl 09:00, första gången måndag 23 november 2026",
        ),
        (
            "den 15:e varje månad",
            "Tolkat som den 15:e varje månad kl 09:00, första gången tisdag 15 december 2026",
        ),
        (
            "var tredje månad från 2027-01-10 kl 13",
            "Tolkat som den 10:e var tredje månad kl 13:00, första gången söndag 10 januari 2027",
        ),
        (
            "varje måndag och torsdag",
            "Tolkat som varje måndag och torsdag kl 09:00, första gången måndag 23 november 2026",
        ),
        (
            "sista fredagen varannan månad kl 15",
            "Tolkat som sista fredagen varannan månad kl 15:00, "
            "första gången fredag 27 november 2026",
        ),
    ],
)
def test_describe_recurrence(text: str, echo: str) -> None:
    rule = interpret_recurrence(text, SUN)
    assert rule is not None
    assert describe_recurrence(rule) == echo


def test_recurrence_without_time_says_so() -> None:
    rule = interpret_recurrence("varannan måndag", SUN)
    assert rule is not None and rule.has_time is False
    timed = interpret_recurrence("varannan måndag kl 13", SUN)
    assert timed is not None and timed.has_time is True


def test_recurrence_rule_is_plain_data() -> None:
    rule = interpret_recurrence("första tisdagen i månaden kl 10", SUN)
    assert rule == RecurrenceRule(
        unit="month",
        interval=1,
        at=at(2026, 1, 1, 10).time(),
        has_time=True,
        first=at(2026, 12, 1, 10),
        weekdays=(1,),
        nth=1,
        day_of_month=None,
    )


def test_working_day_trigger_skips_holidays_from_now() -> None:
    trigger = WorkingDayTrigger(9, 0, date(2026, 12, 24))
    assert trigger.get_next_fire_time(None, at(2026, 12, 20)) == at(2026, 12, 28, 9)
    assert trigger.get_next_fire_time(None, at(2026, 12, 28, 9, 1)) == at(2026, 12, 29, 9)


# --- properties ------------------------------------------------------------------------------

VOCABULARY = [
    "kl", "kl.", "10", "7", "13:30", "14.30", "15.12", "3/12", "31/4", "2026-12-15", "halv",
    "tio", "kvart", "över", "i", "två", "om", "timmar", "dagar", "en", "vecka", "v.", "50", "53",
    "idag", "imorgon", "övermorgon", "nästa", "torsdag", "måndagar", "den", "15:e", "december",
    "dec", "varje", "varannan", "var", "tredje", "3:e", "månad", "månaden", "första", "sista",
    "tisdagen", "från", "med start", "vardagar", "på", "em", "ikväll", "-", ":", "0", "99",
    # #13: named days, week phrases, ordinals, fractions, ranges, the past, recurrences
    "julafton", "dagen", "före", "efter", "midsommarafton", "påskdagen", "annandag påsk",
    "veckan", "förra", "i måndags", "tjugonde", "1,5", "½", "och", "timme", "13-14", "9–10",
    "mellan", "början", "av", "onsdag", "jämna", "udda", "veckor", "vardag", "2027", "sista",
]  # fmt: skip
PHRASES = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(VOCABULARY), max_size=7).map(" ".join),
)
NOWS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(tzinfo=STOCKHOLM)
)


def is_stockholm(value: datetime) -> bool:
    return value.tzinfo is STOCKHOLM and value.utcoffset() is not None


@settings(max_examples=300, deadline=None)
@given(text=PHRASES, now=NOWS)
def test_parse_when_never_raises(text: str, now: datetime) -> None:
    result = parse_when(text, now)
    assert result is None or is_stockholm(result)
    rich = interpret_when(text, now)
    if isinstance(rich, Ambiguous):
        assert len(rich.candidates) > 1 and rich.question.startswith("Menar du ")
        assert all(is_stockholm(c.value) for c in rich.candidates)
    assert (rich.best.value if isinstance(rich, Ambiguous) else rich and rich.value) == result


@settings(max_examples=300, deadline=None)
@given(text=PHRASES, now=NOWS)
def test_parse_recurrence_never_raises(text: str, now: datetime) -> None:
    trigger = parse_recurrence(text, now)
    if trigger is not None:
        first = trigger.get_next_fire_time(None, now)
        assert first is not None and is_stockholm(first) and first > now
        second = trigger.get_next_fire_time(first, first)
        assert second is not None and is_stockholm(second) and second > first


@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
    now=NOWS.filter(lambda d: d.year < 2098),
)
def test_day_slash_month_is_the_next_such_date(day: date, now: datetime) -> None:
    result = parse_date(f"{day.day}/{day.month}", now)
    today = now.date()
    candidates = []
    for year in (today.year, today.year + 1):
        try:
            candidates.append(date(year, day.month, day.day))
        except ValueError:
            continue
    expected = next((d for d in candidates if d >= today), None)
    assert result == expected


@given(hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_24_hour_time_is_within_a_day_ahead(hour: int, minute: int) -> None:
    result = parse_when(f"{hour:02d}:{minute:02d}", SUN)
    assert result is not None
    assert SUN < result <= SUN + timedelta(days=1)
    assert (result.hour, result.minute) == (hour, minute)
