"""The statistics figures on the seeded set, against hand-counted answers: the DST week,
ISO week 53, quarter and month boundaries, medians and 90th percentiles, and the change
against the previous equal period. Runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.wiring import Bryggan
from handlers.dates.periods import Period, iso_week, month, quarter, week_boundaries, year_period
from handlers.kernel.model import Direction
from handlers.statistics.command import statistics_queries
from handlers.statistics.report import Report, Scope, Tally, build_report
from tests.statistics_seed import NOW, hours, seed_questions

V, F = Direction.VARD_TILL_FK, Direction.FK_TILL_VARD


@pytest.fixture
def seeded(app: Bryggan) -> Bryggan:
    seed_questions(app)
    return app


def report(app: Bryggan, period: Period, scope: Scope | None = None, now: datetime = NOW) -> Report:
    with app.stores() as store:
        return build_report(
            statistics_queries(store),
            scope=scope or Scope(),
            period=period,
            now=now,
            units=store.units(),
            categories=store.categories(),
            unit_lookup=lambda unit_id: store.unit(unit_id=unit_id),
        )


def unit_ids(app: Bryggan) -> dict[str, int]:
    with app.stores() as store:
        return {u.slug: u.id for u in store.units()}


def test_the_dst_week_counts_local_days_and_real_hours(seeded: Bryggan) -> None:
    week = iso_week(2026, 43)
    assert week is not None
    assert (week.end - week.start).total_seconds() == 169 * 3600  # the extra autumn hour
    figures = report(seeded, week)
    now = figures.current
    # #13 (Mon 00:30 CEST, Sunday in UTC) belongs here; #3 (Mon 26 Oct 00:30 CET) does not.
    assert now.total == Tally(asked=5, handled=3, open=2)
    assert now.by_category == {
        "arbetsformaga": Tally(1, 0, 1),
        "sgi_formaner": Tally(2, 2, 0),
        "prognos": Tally(1, 0, 1),
        "komplettering": Tally(1, 1, 0),
    }
    assert now.by_direction == {V: Tally(4, 3, 1), F: Tally(1, 0, 1)}
    ids = unit_ids(seeded)
    assert now.by_unit == {
        ids["kristianstad"]: Tally(3, 2, 1),
        ids["hassleholm"]: Tally(1, 1, 0),
        ids["lund"]: Tally(1, 0, 1),
    }
    # #1 was asked 01:30 CEST and claimed 03:30 CET: three real hours, not two.
    assert hours(now.times.first_response.median) == 1.5
    assert hours(now.times.first_response.p90) == 2.7
    assert now.times.first_response.count == 4
    assert (hours(now.times.answer.median), hours(now.times.answer.p90)) == (5, 20.2)
    assert figures.previous.total == Tally(1, 1, 0)  # W42: #14 only
    assert not figures.partial


def test_week_53_spans_new_year(seeded: Bryggan) -> None:
    week = iso_week(2026, 53)
    assert week is not None and week.label == "v. 53 2026 (28 dec–3 jan)"
    figures = report(seeded, week)
    assert figures.current.total == Tally(4, 4, 0)  # #6 #7 #8 #9, not #10 (Mon 4 Jan 00:15)
    assert figures.current.by_category == {
        "sgi_formaner": Tally(2, 2, 0),
        "regler": Tally(1, 1, 0),
        "komplettering": Tally(1, 1, 0),
    }
    times = figures.current.times
    assert (hours(times.first_response.median), hours(times.first_response.p90)) == (2.5, 7.9)
    assert (hours(times.answer.median), hours(times.answer.p90)) == (5, 22.8)
    assert figures.previous.total == Tally(1, 1, 0)  # W52: #15


def test_quarter_and_year_use_stockholm_midnight(seeded: Bryggan) -> None:
    figures = report(seeded, quarter(2026, 4))
    now = figures.current
    # #12 (1 Oct 00:30 CEST) is in; #11 (30 Sep 23:30) and #8 (1 Jan 00:30 CET) are out.
    assert now.total == Tally(asked=12, handled=10, open=2)
    assert now.by_direction == {V: Tally(8, 7, 1), F: Tally(4, 3, 1)}
    assert now.by_category["sgi_formaner"] == Tally(4, 4, 0)
    assert now.by_category["planering"] == Tally(2, 2, 0)
    assert (hours(now.times.first_response.median), hours(now.times.first_response.p90)) == (1, 3)
    assert (hours(now.times.answer.median), hours(now.times.answer.p90)) == (3, 12.8)
    assert now.times.answer.count == 9
    kristianstad = now.unit_times[unit_ids(seeded)["kristianstad"]]
    assert (hours(kristianstad.answer.median), hours(kristianstad.answer.p90)) == (3, 4.6)
    assert figures.previous.total == Tally(3, 3, 0)  # Q3: #11 #16 #17
    assert report(seeded, year_period(2026)).current.total.asked == 15
    assert report(seeded, year_period(2027)).current.total.asked == 4


def test_month_boundary_and_the_previous_month(seeded: Bryggan) -> None:
    november = report(seeded, month(2026, 11))
    assert november.current.total.asked == 1  # #18, 1 Nov 00:30 CET (31 Oct in UTC)
    assert november.previous.total.asked == 8  # October


def test_a_running_period_is_compared_with_the_same_part_of_the_previous(
    seeded: Bryggan,
) -> None:
    # Wednesday 28 Oct 2026 12:00: W44 so far (#3) against Mon 19 – Wed 21 Oct 12:00 of W43.
    now = datetime.fromisoformat("2026-10-28T12:00+01:00")
    week = iso_week(2026, 44)
    assert week is not None
    figures = report(seeded, week, now=now)
    assert figures.partial
    assert figures.current.total.asked == 1
    assert figures.previous.total.asked == 2  # #13 and #4, not #5 (Thu) or #1 #2 (Sun)


def test_scopes_restrict_units_and_askers(seeded: Bryggan) -> None:
    ids = unit_ids(seeded)
    both = Scope(unit_ids=(ids["kristianstad"], ids["hassleholm"]))
    assert report(seeded, quarter(2026, 4), both).current.total.asked == 10
    with seeded.stores() as store:
        karl = store.person_by_key(key="karl")
    assert karl is not None
    own = report(seeded, quarter(2026, 4), Scope(asker_id=karl.id))
    assert own.current.total == Tally(4, 3, 1)  # the FK→vård questions
    assert own.own_only and {u.slug for u in own.units} == {"kristianstad", "hassleholm", "lund"}


def test_buckets_by_stockholm_week_across_dst_and_week_53(seeded: Bryggan) -> None:
    last = iso_week(2026, 53)
    assert last is not None
    boundaries = week_boundaries(last, 12)
    assert len(boundaries) == 13 and boundaries[0] == iso_week(2026, 42).start  # type: ignore[union-attr]
    with seeded.stores() as store:
        rows = statistics_queries(store).statistics_buckets(
            scope=Scope(), boundaries=boundaries, by="direction"
        )
    per_week: dict[int, int] = {}
    for row in rows:
        per_week[row.bucket] = per_week.get(row.bucket, 0) + row.tally.asked
    assert per_week == {0: 1, 1: 5, 2: 2, 10: 1, 11: 4}


def test_overview_counts_open_and_overdue(seeded: Bryggan) -> None:
    with seeded.stores() as store:
        overview = statistics_queries(store).statistics_overview(scope=Scope(), today=NOW.date())
    assert (overview.since_start, overview.open, overview.overdue) == (19, 4, 2)


def test_an_empty_period_has_no_times(app: Bryggan) -> None:
    figures = report(app, quarter(2026, 4))
    assert figures.current.total == Tally()
    assert figures.current.times.answer.median is None
