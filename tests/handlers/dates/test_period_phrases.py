"""Statistics periods from Swedish phrases: ISO weeks (53 too), months, quarters, years and
ranges, in Stockholm time across DST; plus properties over generated input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.dates.period_phrases import parse_period, read_day
from handlers.dates.periods import (
    PeriodKind,
    comparison,
    iso_week,
    local_midnight,
    month_boundaries,
    previous,
    quarter,
    weeks_in_year,
)
from handlers.kernel.calendar import STOCKHOLM

# Sunday 22 November 2026, 12:00 in Stockholm (ISO week 47).
NOW = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)

PHRASES = {
    "denna vecka": (PeriodKind.WEEK, date(2026, 11, 16), date(2026, 11, 22)),
    "i veckan": (PeriodKind.WEEK, date(2026, 11, 16), date(2026, 11, 22)),
    "Förra veckan": (PeriodKind.WEEK, date(2026, 11, 9), date(2026, 11, 15)),
    "forra veckan": (PeriodKind.WEEK, date(2026, 11, 9), date(2026, 11, 15)),
    "vecka 53": (PeriodKind.WEEK, date(2026, 12, 28), date(2027, 1, 3)),  # 2025 had none
    "v. 53 2026": (PeriodKind.WEEK, date(2026, 12, 28), date(2027, 1, 3)),
    "v43": (PeriodKind.WEEK, date(2026, 10, 19), date(2026, 10, 25)),
    "2026-W01": (PeriodKind.WEEK, date(2025, 12, 29), date(2026, 1, 4)),
    "månad": (PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
    "denna månad": (PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
    "förra månaden": (PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31)),
    "oktober": (PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31)),
    "december": (PeriodKind.MONTH, date(2025, 12, 1), date(2025, 12, 31)),
    "feb 2024": (PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
    "2026-10": (PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31)),
    "kvartal": (PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
    "förra kvartalet": (PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30)),
    "kvartal 1": (PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
    "Q4 2025": (PeriodKind.QUARTER, date(2025, 10, 1), date(2025, 12, 31)),
    "2026Q4": (PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
    "kv 2 2026": (PeriodKind.QUARTER, date(2026, 4, 1), date(2026, 6, 30)),
    "fjärde kvartalet 2025": (PeriodKind.QUARTER, date(2025, 10, 1), date(2025, 12, 31)),
    "år": (PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
    "i år": (PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
    "förra året": (PeriodKind.YEAR, date(2025, 1, 1), date(2025, 12, 31)),
    "i fjol": (PeriodKind.YEAR, date(2025, 1, 1), date(2025, 12, 31)),
    "2024": (PeriodKind.YEAR, date(2024, 1, 1), date(2024, 12, 31)),
    "från 1/10 till 31/12": (PeriodKind.RANGE, date(2026, 10, 1), date(2026, 12, 31)),
    "2026-10-01–2026-12-31": (PeriodKind.RANGE, date(2026, 10, 1), date(2026, 12, 31)),
    "1 okt - 15 nov": (PeriodKind.RANGE, date(2026, 10, 1), date(2026, 11, 15)),
    "1/12 - 31/1": (PeriodKind.RANGE, date(2026, 12, 1), date(2027, 1, 31)),
    "från 1.9 till idag": (PeriodKind.RANGE, date(2026, 9, 1), date(2026, 11, 22)),
    "senaste 30 dagarna": (PeriodKind.RANGE, date(2026, 10, 24), date(2026, 11, 22)),
    "senaste 2 veckorna": (PeriodKind.RANGE, date(2026, 11, 9), date(2026, 11, 22)),
}


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_phrases(phrase: str) -> None:
    period = parse_period(phrase, NOW)
    assert period is not None
    assert (period.kind, period.first, period.last) == PHRASES[phrase]


@pytest.mark.parametrize(
    "phrase", ["", "blaha", "vecka 54", "v. 53 2025", "kvartal 5", "13/13", "31/12 - 1/1 2025"]
)
def test_not_a_period(phrase: str) -> None:
    assert parse_period(phrase, NOW) is None


def test_week_53_and_dst_weeks_in_utc() -> None:
    week = iso_week(2026, 53)
    assert week is not None
    assert week.start == datetime(2026, 12, 27, 23, 0, tzinfo=UTC)
    assert week.end == datetime(2027, 1, 3, 23, 0, tzinfo=UTC)
    autumn, spring = iso_week(2026, 43), iso_week(2026, 13)
    assert autumn is not None and spring is not None
    assert autumn.start == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)  # CEST midnight
    assert autumn.end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # CET midnight
    assert (spring.end - spring.start) == timedelta(hours=167)
    assert previous(week) == iso_week(2026, 52)
    assert previous(iso_week(2027, 1)) == week  # type: ignore[arg-type]


def test_labels() -> None:
    assert iso_week(2026, 53).label == "v. 53 2026 (28 dec–3 jan)"  # type: ignore[union-attr]
    assert iso_week(2026, 47).label == "v. 47 2026 (16–22 nov)"  # type: ignore[union-attr]
    assert quarter(2026, 4).label == "kvartal 4 2026"
    assert parse_period("oktober 2026", NOW).label == "oktober 2026"  # type: ignore[union-attr]
    assert parse_period("2026", NOW).label == "2026"  # type: ignore[union-attr]
    ranged = parse_period("1/12 - 31/1", NOW)
    assert ranged is not None and ranged.label == "1 dec 2026–31 jan 2027"


def test_a_running_week_compares_with_the_same_part_of_last_week() -> None:
    week = parse_period("denna vecka", NOW)
    assert week is not None
    current, before, partial = comparison(week, NOW)
    assert partial and current.end == NOW
    assert before.start == local_midnight(date(2026, 11, 9))
    assert before.end == datetime(2026, 11, 15, 11, 0, tzinfo=UTC)  # Sunday 12:00 too


def test_month_boundaries_cut_a_quarter() -> None:
    months = month_boundaries(quarter(2026, 4))
    assert [(m.first.month, m.last.day) for m in months] == [(10, 31), (11, 30), (12, 31)]


weeks = st.integers(2000, 2100).flatmap(
    lambda year: st.tuples(st.just(year), st.integers(1, weeks_in_year(year)))
)


@given(weeks)
def test_any_iso_week_is_a_stockholm_monday_to_monday(year_week: tuple[int, int]) -> None:
    year, number = year_week
    period = parse_period(f"v. {number} {year}", NOW)
    assert period is not None and period == iso_week(year, number)
    local = period.start.astimezone(STOCKHOLM)
    assert local.weekday() == 0 and (local.hour, local.minute) == (0, 0)
    assert (period.end - period.start).total_seconds() / 3600 in {167, 168, 169}
    assert previous(period).last + timedelta(days=1) == period.first


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_days_read_back_in_every_written_form(day: date) -> None:
    month_name = ["jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt",
                  "nov", "dec"][day.month - 1]  # fmt: skip
    for text in (
        day.isoformat(),
        f"{day.day}/{day.month} {day.year}",
        f"{day.day} {month_name} {day.year}",
    ):
        assert read_day(text, NOW.date()) == day


@given(st.text(max_size=40), st.datetimes(datetime(2001, 1, 1), datetime(2099, 1, 1)))
def test_parsing_never_raises_and_periods_are_ordered(text: str, when: datetime) -> None:
    period = parse_period(text, when.replace(tzinfo=UTC))
    if period is not None:
        assert period.first <= period.last and period.start < period.end
