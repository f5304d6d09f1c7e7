"""Dates and times as people really type them (#13): named days, week phrases in any order,
ordinal days, fractions of hours, time ranges and past phrases, each read against several
reference times (a plain Monday, year end with week 53, both DST nights, Easter, midsommar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from handlers.dates import (
    Ambiguous,
    WhenResult,
    interpret_when,
    parse_date,
    parse_when,
    swedish_holidays,
)
from handlers.kernel import STOCKHOLM

NOV = datetime(2026, 11, 30, 10, 0, tzinfo=STOCKHOLM)  # a Monday
YEAR_END = datetime(2026, 12, 30, 14, 0, tzinfo=STOCKHOLM)  # Wednesday of week 53
SPRING = datetime(2027, 3, 28, 1, 30, tzinfo=STOCKHOLM)  # påskdagen, clocks go 02:00 -> 03:00
AUTUMN = datetime(2026, 10, 25, 1, 45, tzinfo=STOCKHOLM)  # clocks go 03:00 -> 02:00
EASTER = datetime(2027, 3, 24, 10, 0, tzinfo=STOCKHOLM)  # Wednesday before Easter
MIDSUMMER = datetime(2027, 6, 24, 16, 0, tzinfo=STOCKHOLM)  # the day before midsommarafton


def reading(text: str, now: datetime) -> WhenResult:
    result = interpret_when(text, now)
    assert isinstance(result, WhenResult), (text, result)
    return result


def when(text: str, now: datetime) -> str:
    """The moment as ISO text, with " (dag)" when no time was typed."""
    result = reading(text, now)
    return result.value.isoformat() + ("" if result.has_time else " (dag)")


NAMED_DAYS: list[tuple[str, datetime, str]] = [
    ("julafton", NOV, "2026-12-24T09:00:00+01:00 (dag)"),
    ("Julafton kl 11", NOV, "2026-12-24T11:00:00+01:00"),
    ("julafton kl 11", YEAR_END, "2027-12-24T11:00:00+01:00"),
    ("juldagen", NOV, "2026-12-25T09:00:00+01:00 (dag)"),
    ("annandag jul", NOV, "2026-12-26T09:00:00+01:00 (dag)"),
    ("julafton 2027", NOV, "2027-12-24T09:00:00+01:00 (dag)"),
    ("nyårsafton", YEAR_END, "2026-12-31T09:00:00+01:00 (dag)"),
    ("nyårsdagen kl 10", YEAR_END, "2027-01-01T10:00:00+01:00"),
    ("dagen efter nyårsafton", YEAR_END, "2027-01-01T09:00:00+01:00 (dag)"),
    ("dagen före julafton", YEAR_END, "2027-12-23T09:00:00+01:00 (dag)"),
    ("trettondedag jul", YEAR_END, "2027-01-06T09:00:00+01:00 (dag)"),
    ("trettondagen", YEAR_END, "2027-01-06T09:00:00+01:00 (dag)"),
    ("trettondagsafton", YEAR_END, "2027-01-05T09:00:00+01:00 (dag)"),
    ("skärtorsdagen", EASTER, "2027-03-25T09:00:00+01:00 (dag)"),
    ("skärtorsdag kl 13", EASTER, "2027-03-25T13:00:00+01:00"),
    ("långfredagen", EASTER, "2027-03-26T09:00:00+01:00 (dag)"),
    ("påskafton", EASTER, "2027-03-27T09:00:00+01:00 (dag)"),
    ("påskdagen", SPRING, "2027-03-28T09:00:00+02:00 (dag)"),
    ("annandag påsk kl 9", SPRING, "2027-03-29T09:00:00+02:00"),
    ("dagen efter påskdagen", EASTER, "2027-03-29T09:00:00+02:00 (dag)"),
    ("dagen innan långfredagen", EASTER, "2027-03-25T09:00:00+01:00 (dag)"),
    ("valborg", EASTER, "2027-04-30T09:00:00+02:00 (dag)"),
    ("valborgsmässoafton kl 15", EASTER, "2027-04-30T15:00:00+02:00"),
    ("första maj", EASTER, "2027-05-01T09:00:00+02:00 (dag)"),
    ("kristi himmelsfärd", EASTER, "2027-05-06T09:00:00+02:00 (dag)"),
    ("Kristi himmelsfärdsdag", EASTER, "2027-05-06T09:00:00+02:00 (dag)"),
    ("nationaldagen", EASTER, "2027-06-06T09:00:00+02:00 (dag)"),
    ("midsommarafton", EASTER, "2027-06-25T09:00:00+02:00 (dag)"),
    ("midsommarafton", MIDSUMMER, "2027-06-25T09:00:00+02:00 (dag)"),
    ("dagen före midsommarafton", MIDSUMMER, "2027-06-24T09:00:00+02:00 (dag)"),
    ("dagen efter midsommardagen", MIDSUMMER, "2027-06-27T09:00:00+02:00 (dag)"),
    ("midsommardagen kl 12", MIDSUMMER, "2027-06-26T12:00:00+02:00"),
    ("alla helgons dag", AUTUMN, "2026-10-31T09:00:00+01:00 (dag)"),
]


@pytest.mark.parametrize(("text", "now", "expected"), NAMED_DAYS)
def test_holidays_and_named_days(text: str, now: datetime, expected: str) -> None:
    assert when(text, now) == expected


def test_a_named_day_is_echoed_as_its_date() -> None:
    assert reading("julafton kl 11", NOV).echo == "Tolkat som torsdag 24 december 2026 kl 11:00"


@pytest.mark.parametrize("text", ["midsommar", "annandagen", "nyår", "dagen före", "julafton 1850"])
def test_words_that_name_no_single_day_are_not_guessed(text: str) -> None:
    assert interpret_when(text, NOV) is None


WEEKS: list[tuple[str, datetime, str]] = [
    ("nästa vecka onsdag", NOV, "2026-12-09T09:00:00+01:00 (dag)"),
    ("nästa vecka på onsdag kl 10", NOV, "2026-12-09T10:00:00+01:00"),
    ("onsdag nästa vecka", NOV, "2026-12-09T09:00:00+01:00 (dag)"),
    ("onsdag i nästa vecka", NOV, "2026-12-09T09:00:00+01:00 (dag)"),
    ("onsdag veckan efter nästa", NOV, "2026-12-16T09:00:00+01:00 (dag)"),
    ("onsdag om två veckor", NOV, "2026-12-16T09:00:00+01:00 (dag)"),
    ("torsdag denna vecka", NOV, "2026-12-03T09:00:00+01:00 (dag)"),
    ("v. 3 mån kl 9", NOV, "2027-01-18T09:00:00+01:00"),
    ("måndag v3", NOV, "2027-01-18T09:00:00+01:00 (dag)"),
    ("tis v.2", NOV, "2027-01-12T09:00:00+01:00 (dag)"),
    ("Mån v 1", YEAR_END, "2027-01-04T09:00:00+01:00 (dag)"),
    ("fredag v. 53", YEAR_END, "2027-01-01T09:00:00+01:00 (dag)"),
    ("nästa vecka fredag", YEAR_END, "2027-01-08T09:00:00+01:00 (dag)"),
    ("fredag nästa vecka kl 9", EASTER, "2027-04-02T09:00:00+02:00"),
]


@pytest.mark.parametrize(("text", "now", "expected"), WEEKS)
def test_week_phrases_in_any_order(text: str, now: datetime, expected: str) -> None:
    assert when(text, now) == expected


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("onsdag veckan efter", "Menar du onsdag 9 december eller onsdag 16 december?"),
        ("i början av nästa vecka", "Menar du måndag 7 december eller tisdag 8 december?"),
        ("i slutet av nästa vecka", "Menar du torsdag 10 december eller fredag 11 december?"),
        (
            "i mitten av nästa vecka",
            "Menar du tisdag 8 december, onsdag 9 december eller torsdag 10 december?",
        ),
    ],
)
def test_a_week_phrase_with_two_readings_is_a_question(text: str, question: str) -> None:
    result = interpret_when(text, NOV)
    assert isinstance(result, Ambiguous)
    assert result.question == question


MONTH_DAYS: list[tuple[str, datetime, str]] = [
    ("första december", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("första december kl 10", NOV, "2026-12-01T10:00:00+01:00"),
    ("1:a december", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("den 1:a", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("den första", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("den tjugonde", NOV, "2026-12-20T09:00:00+01:00 (dag)"),
    ("den tjugo första", NOV, "2026-12-21T09:00:00+01:00 (dag)"),
    ("den tjugoförsta kl 10", NOV, "2026-12-21T10:00:00+01:00"),
    ("tjugofjärde december", NOV, "2026-12-24T09:00:00+01:00 (dag)"),
    ("sista december", NOV, "2026-12-31T09:00:00+01:00 (dag)"),
    ("sista december", YEAR_END, "2026-12-31T09:00:00+01:00 (dag)"),
    ("sista februari", NOV, "2027-02-28T09:00:00+01:00 (dag)"),
    ("sista februari 2028", NOV, "2028-02-29T09:00:00+01:00 (dag)"),
    ("den sista", NOV, "2026-11-30T09:00:00+01:00 (dag)"),
    ("den sista", YEAR_END, "2026-12-31T09:00:00+01:00 (dag)"),
    ("1 dec.", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("1 DEC", NOV, "2026-12-01T09:00:00+01:00 (dag)"),
    ("1 Dec. kl 9", NOV, "2026-12-01T09:00:00+01:00"),
    ("3 jan", YEAR_END, "2027-01-03T09:00:00+01:00 (dag)"),
    ("tredje januari", YEAR_END, "2027-01-03T09:00:00+01:00 (dag)"),
    ("Trettioförsta januari", YEAR_END, "2027-01-31T09:00:00+01:00 (dag)"),
    ("femte april", EASTER, "2027-04-05T09:00:00+02:00 (dag)"),
]


@pytest.mark.parametrize(("text", "now", "expected"), MONTH_DAYS)
def test_month_days_in_words_and_ordinals(text: str, now: datetime, expected: str) -> None:
    assert when(text, now) == expected


@pytest.mark.parametrize("text", ["trettionde februari", "den trettioförsta april"])
def test_an_ordinal_day_the_month_lacks_is_refused(text: str) -> None:
    assert interpret_when(text, NOV) is None


FRACTIONS: list[tuple[str, datetime, str]] = [
    ("om 1,5 timme", NOV, "2026-11-30T11:30:00+01:00"),
    ("om 1.5 timmar", NOV, "2026-11-30T11:30:00+01:00"),
    ("om 1½ timme", NOV, "2026-11-30T11:30:00+01:00"),
    ("om en och en halv timme", NOV, "2026-11-30T11:30:00+01:00"),
    ("om halvannan timme", NOV, "2026-11-30T11:30:00+01:00"),
    ("om två och en halv timme", NOV, "2026-11-30T12:30:00+01:00"),
    ("om 2,25 timmar", NOV, "2026-11-30T12:15:00+01:00"),
    ("om en halvtimme", NOV, "2026-11-30T10:30:00+01:00"),
    ("om en halv timme", NOV, "2026-11-30T10:30:00+01:00"),
    ("om ½ timme", NOV, "2026-11-30T10:30:00+01:00"),
    ("om en kvart", NOV, "2026-11-30T10:15:00+01:00"),
    ("om tre kvart", NOV, "2026-11-30T10:45:00+01:00"),
    ("om 90 minuter", NOV, "2026-11-30T11:30:00+01:00"),
    ("om 1,5 timme", YEAR_END, "2026-12-30T15:30:00+01:00"),
    ("om 1,5 timme", SPRING, "2027-03-28T04:00:00+02:00"),  # 90 real minutes across the gap
    ("om en kvart", SPRING, "2027-03-28T01:45:00+01:00"),
    ("om 1,5 timme", AUTUMN, "2026-10-25T02:15:00+01:00"),  # the second 02:15
    ("om tre kvart", AUTUMN, "2026-10-25T02:30:00+02:00"),  # the first 02:30
]


@pytest.mark.parametrize(("text", "now", "expected"), FRACTIONS)
def test_decimals_and_fractions_of_hours(text: str, now: datetime, expected: str) -> None:
    assert when(text, now) == expected


@pytest.mark.parametrize("text", ["om 1,5 dag", "om 0,5 vecka", "om 1,5 månad", "om 1,25 min"])
def test_a_fraction_that_is_no_whole_minute_or_day_is_refused_not_guessed(text: str) -> None:
    assert interpret_when(text, NOV) is None


@given(
    now=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31)),
    halves=st.integers(min_value=0, max_value=199),
    comma=st.booleans(),
)
def test_half_hours_are_exactly_that_many_minutes_later(
    now: datetime, halves: int, comma: bool
) -> None:
    moment = now.replace(tzinfo=UTC, second=0, microsecond=0)
    number = f"{halves // 2}{',' if comma else '.'}{5 if halves % 2 else 0}"
    found = parse_when(f"om {number} timmar", moment)
    assert found is not None
    assert found - moment == timedelta(minutes=30 * halves)


RANGES: list[tuple[str, datetime, str, str]] = [
    ("kl 13-14", NOV, "2026-11-30T13:00:00+01:00", "14:00"),
    ("kl 13–14", NOV, "2026-11-30T13:00:00+01:00", "14:00"),
    ("13.00–14.00", NOV, "2026-11-30T13:00:00+01:00", "14:00"),
    ("13:00 - 14:30", NOV, "2026-11-30T13:00:00+01:00", "14:30"),
    ("i morgon 13.00-14.00", NOV, "2026-12-01T13:00:00+01:00", "14:00"),
    ("torsdag 9–10", NOV, "2026-12-03T09:00:00+01:00", "10:00"),
    ("mellan 9 och 10", NOV, "2026-12-01T09:00:00+01:00", "10:00"),
    ("kl 11-1", NOV, "2026-11-30T11:00:00+01:00", "13:00"),
    ("3/12 kl 13-14", NOV, "2026-12-03T13:00:00+01:00", "14:00"),
    ("julafton 10-12", NOV, "2026-12-24T10:00:00+01:00", "12:00"),
    ("nyårsafton kl 13-15", YEAR_END, "2026-12-31T13:00:00+01:00", "15:00"),
    ("påskdagen 9-10", SPRING, "2027-03-28T09:00:00+02:00", "10:00"),
    ("torsdag 8.30-9.15", MIDSUMMER, "2027-07-01T08:30:00+02:00", "09:15"),
]


@pytest.mark.parametrize(("text", "now", "start", "end"), RANGES)
def test_a_time_range_means_its_start_and_keeps_its_end(
    text: str, now: datetime, start: str, end: str
) -> None:
    result = reading(text, now)
    assert result.has_time and result.value.isoformat() == start
    assert result.end is not None and f"{result.end:%H:%M}" == end
    assert result.echo.endswith(f"kl {result.value:%H:%M}–{end}")


@pytest.mark.parametrize("text", ["kl 14-13", "9 och 10", "kl 13-25", "kl 10-11 kl 12"])
def test_a_range_that_cannot_be_read_is_refused(text: str) -> None:
    assert interpret_when(text, NOV) is None


@given(start=st.integers(min_value=0, max_value=22), length=st.integers(min_value=1, max_value=23))
def test_a_zero_padded_range_is_read_as_typed(start: int, length: int) -> None:
    end = min(start + length, 23)
    result = reading(f"i morgon kl {start:02d}:00-{end:02d}:30", NOV)
    assert (result.value.hour, result.end and result.end.hour) == (start, end)


PAST: list[tuple[str, datetime, str]] = [
    ("igår kl 10", NOV, "2026-11-29T10:00:00+01:00"),
    ("igår", NOV, "2026-11-29T09:00:00+01:00 (dag)"),
    ("i förrgår", NOV, "2026-11-28T09:00:00+01:00 (dag)"),
    ("förra måndagen", NOV, "2026-11-23T09:00:00+01:00 (dag)"),
    ("förra måndagen", EASTER, "2027-03-22T09:00:00+01:00 (dag)"),
    ("i måndags", NOV, "2026-11-23T09:00:00+01:00 (dag)"),
    ("i onsdags kl 14", NOV, "2026-11-25T14:00:00+01:00"),
    ("onsdag förra veckan", NOV, "2026-11-25T09:00:00+01:00 (dag)"),
    ("förra veckan onsdag", YEAR_END, "2026-12-23T09:00:00+01:00 (dag)"),
    ("i fredags", MIDSUMMER, "2027-06-18T09:00:00+02:00 (dag)"),
]


@pytest.mark.parametrize(("text", "now", "expected"), PAST)
def test_past_phrases_are_read_as_the_past_so_callers_can_refuse_them(
    text: str, now: datetime, expected: str
) -> None:
    assert when(text, now) == expected
    assert reading(text, now).value < now


@given(
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
    name=st.sampled_from(["julafton", "midsommarafton", "påskdagen", "nyårsafton", "valborg"]),
)
@example(today=date(2020, 1, 1), name="nyårsafton")  # "dagen efter nyårsafton" is today
def test_a_named_day_is_the_next_one_from_today(today: date, name: str) -> None:
    now = datetime.combine(today, datetime.min.time(), tzinfo=STOCKHOLM)
    day = parse_date(name, now)
    assert day is not None and today <= day < today + timedelta(days=400)
    if name == "valborg":
        assert (day.month, day.day) == (4, 30)
    else:
        assert swedish_holidays(day.year)[day] == name
    # No earlier one was skipped: asked yesterday, the answer is the same day or yesterday.
    yesterday = today - timedelta(days=1)
    assert parse_date(name, now - timedelta(days=1)) in {day, yesterday}
    after = parse_date(f"dagen efter {name}", now)
    assert after is not None and after >= today
    assert parse_date(name, now - timedelta(days=1)) == after - timedelta(days=1)
