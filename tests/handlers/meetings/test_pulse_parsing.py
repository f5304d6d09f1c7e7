"""Pure parts of pulse meetings: the subcommand and field grammar, reminder offsets, rules
stored as JSON, dates across DST, and the send/missed decision. Properties for every parser."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.dates import interpret_recurrence
from handlers.meetings.access import leading_number, split_series, take_fields
from handlers.meetings.commands import _ACTIONS, parse_pulse
from handlers.meetings.model import HolidayRule, PulseSeries, local, rule_from_json, rule_to_json
from handlers.meetings.occurrences import occurrences, planned_times
from handlers.meetings.reminders import (
    Decision,
    DueItem,
    DueKind,
    ReminderOffset,
    decide,
    parse_offset,
)
from tests.handlers.meetings.pulse_support import at

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ACTIONS = set(_ACTIONS.values()) | {"cancel", "unknown"}


@pytest.mark.parametrize(
    ("typed", "action", "rest"),
    [
        ("ny varannan torsdag kl 13", "new", "varannan torsdag kl 13"),
        ("Ställ in 24/12", "cancel", "24/12"),
        ("stall in 2 24/12", "cancel", "2 24/12"),
        ("NÄSTA 2", "next", "2"),
        ("anteckningar", "notes", ""),
        ("", "help", ""),
        ("dansa nu", "unknown", "nu"),
    ],
)
def test_subcommands(typed: str, action: str, rest: str) -> None:
    command = parse_pulse(typed)
    assert (command.action, command.rest) == (action, rest)


@given(st.text(max_size=80))
def test_any_text_is_some_subcommand(typed: str) -> None:
    assert parse_pulse(typed).action in ACTIONS


def test_fields_leave_clock_times_and_urls_in_their_place() -> None:
    fields, rest, unknown = take_fields(
        'varje torsdag kl 13:30 enheter:lund,arlöv länk:https://m.se/a?b=c namn:"AKTIV Lund"',
        {"enheter": "enheter", "lank": "länk", "namn": "namn"},
    )
    assert fields == {"enheter": "lund,arlöv", "länk": "https://m.se/a?b=c", "namn": "AKTIV Lund"}
    assert rest == "varje torsdag kl 13:30" and unknown == []


@given(st.text(max_size=80))
def test_taking_fields_never_invents_text(typed: str) -> None:
    fields, rest, _ = take_fields(typed, {"enheter": "enheter"})
    assert all(word in typed for word in rest.split())
    assert all(value in typed for value in fields.values())


def test_series_numbers() -> None:
    assert split_series("serie:2 Ny punkt") == ("2", "Ny punkt")
    assert split_series("Punkt om #3 och mer") == ("3", "Punkt om och mer")
    assert split_series("Punkt 3 nya utlåtanden") == (None, "Punkt 3 nya utlåtanden")
    assert leading_number("2 24/12") == ("2", "24/12")
    assert leading_number("24/12") == (None, "24/12")


@pytest.mark.parametrize(
    ("typed", "offset"),
    [
        ("dagen före 15:00", ReminderOffset(days=1, at=time(15, 0))),
        ("Dagen fore kl 9", ReminderOffset(days=1, at=time(9, 0))),
        ("2 dagar före 08.30", ReminderOffset(days=2, at=time(8, 30))),
        ("3 arbetsdagar före kl. 10", ReminderOffset(days=3, at=time(10, 0))),
        ("15 min före", ReminderOffset(minutes=15)),
        ("1 timme före", ReminderOffset(minutes=60)),
        ("2 timmar före", ReminderOffset(minutes=120)),
    ],
)
def test_reminder_offsets(typed: str, offset: ReminderOffset) -> None:
    assert parse_offset(typed) == offset


@pytest.mark.parametrize("typed", ["snart", "dagen före 25:00", "0 min före", "15 min efter", ""])
def test_bad_reminder_offsets(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(typed)


@given(st.text(max_size=40))
def test_offsets_parse_or_refuse(typed: str) -> None:
    try:
        offset = parse_offset(typed)
    except ValueError:
        return
    assert offset.due(at(2026, 11, 26, 13, 0)) < at(2026, 11, 26, 13, 0)


def test_a_day_before_reminder_for_a_monday_meeting_comes_on_friday() -> None:
    offset = ReminderOffset(days=1, at=time(15, 0))
    assert offset.due(at(2026, 11, 30, 13, 0)) == at(2026, 11, 27, 15, 0)


@pytest.mark.parametrize(
    "phrase",
    [
        "varannan torsdag kl 13",
        "första tisdagen i månaden kl 10",
        "var tredje månad",
        "vardagar kl 9",
        "jämna veckor onsdag kl 10",
        "udda veckor måndag och torsdag kl 9",
        "varannan vecka måndag och torsdag kl 9",
        "varje vardag kl 8.30",
    ],
)
def test_rules_survive_json(phrase: str) -> None:
    rule = interpret_recurrence(phrase, NOW)
    assert rule is not None
    assert rule_from_json(rule_to_json(rule)) == rule


def series(phrase: str, holiday_rule: HolidayRule = HolidayRule.SKIP) -> PulseSeries:
    rule = interpret_recurrence(phrase, NOW)
    assert rule is not None
    return PulseSeries(1, rule, phrase, (1,), holiday_rule, 1, NOW)


def test_dates_keep_their_wall_clock_time_across_dst() -> None:
    found = occurrences(
        series("varje torsdag kl 13"), [], start=at(2027, 3, 20), end=at(2027, 4, 5)
    )
    assert [local(o.planned).strftime("%d/%m %H:%M") for o in found] == [
        "25/03 13:00",
        "01/04 13:00",
    ]
    assert found[0].planned.hour == 12 and found[1].planned.hour == 11  # UTC moves, 13:00 stays


def test_an_ended_series_has_no_dates_from_its_end() -> None:
    ended = series("varje torsdag kl 13")
    ended = PulseSeries(**{**ended.__dict__, "ended_at": at(2026, 12, 4)})
    found = occurrences(ended, [], start=NOW, end=at(2027, 1, 31))
    assert [local(o.planned).day for o in found] == [26, 3]


def item(due: datetime, relevant_until: datetime | None = None) -> DueItem:
    return DueItem("k", DueKind.REMINDER, due, NOW - timedelta(days=30), relevant_until)


@pytest.mark.parametrize(
    ("late", "decision"),
    [
        (timedelta(minutes=-1), Decision.WAIT),
        (timedelta(0), Decision.SEND),
        (timedelta(hours=2), Decision.SEND),
        (timedelta(hours=2, minutes=1), Decision.MISSED),
    ],
)
def test_grace_window(late: timedelta, decision: Decision) -> None:
    due = at(2026, 11, 25, 15, 0)
    assert decide(item(due), due + late, timedelta(hours=2)) == decision


def test_a_reminder_after_the_meeting_started_is_missed() -> None:
    due = at(2026, 11, 26, 12, 45)
    start = at(2026, 11, 26, 13, 0)
    assert decide(item(due, start), start, timedelta(hours=2)) == Decision.MISSED


@pytest.mark.parametrize(
    "phrase",
    [
        "varje torsdag kl 13",
        "varannan torsdag kl 13",
        "första tisdagen i månaden kl 10",
        "den 15:e varje månad kl 9",
        "vardagar kl 9",
        "jämna veckor onsdag kl 10",
        "udda veckor",
        "varannan vecka måndag och torsdag kl 9",
        "var fjärde vecka tisdag och fredag kl 14",
    ],
)
def test_a_window_years_ahead_has_the_same_dates_as_walking_there(phrase: str) -> None:
    rule_series = series(phrase)
    start, end = at(2029, 3, 1), at(2029, 5, 1)
    walked = [t for t in planned_times(rule_series.rule, until=end) if t >= start]
    window = occurrences(rule_series, [], start=start, end=end)
    assert [o.planned for o in window] == walked and walked


def test_even_and_odd_weeks_follow_the_iso_week_number_across_week_53() -> None:
    # 2026 has a week 53 (28 December - 3 January): the odd weeks 53 and 1 follow each other.
    window = {"start": at(2026, 12, 1), "end": at(2027, 1, 25)}
    even = occurrences(series("jämna veckor onsdag kl 10"), [], **window)
    odd = occurrences(series("udda veckor onsdag kl 10"), [], **window)
    assert [local(o.planned).strftime("%d/%m") for o in even] == ["09/12", "23/12", "13/01"]
    assert [local(o.planned).strftime("%d/%m") for o in odd] == [
        "02/12",
        "16/12",
        "30/12",
        "06/01",
        "20/01",
    ]


def test_several_weekdays_every_other_week_keep_nine_oclock_across_the_spring_dst() -> None:
    found = occurrences(
        series("varannan vecka måndag och torsdag kl 9"),
        [],
        start=at(2027, 3, 15),
        end=at(2027, 4, 9),
    )
    # From the first date (Thursday 26 November 2026, week 48) every other week: 11 and 13.
    assert [local(o.planned).strftime("%a %d/%m %H:%M") for o in found] == [
        "Mon 15/03 09:00",
        "Thu 18/03 09:00",
        "Mon 29/03 09:00",
        "Thu 01/04 09:00",
    ]
    assert [o.planned.hour for o in found] == [8, 8, 7, 7]  # UTC moves, 09:00 stays
    assert found[2].holiday == "annandag påsk"


def test_every_working_day_skips_the_easter_holidays() -> None:
    found = occurrences(series("varje vardag kl 9"), [], start=at(2027, 3, 24), end=at(2027, 4, 1))
    assert [local(o.planned).day for o in found] == [24, 25, 30, 31, 1]  # not 26 or 29
