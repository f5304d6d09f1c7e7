"""Dates on wall time in Stockholm across both DST nights (a series at 02:30 meets once in
October, an hour later in March, with one agenda and one reminder each, the due job running
every minute through the night), and monthly series that meet weekends and röda dagar only
by the holiday rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.wiring import Bryggan, build
from handlers.dates import interpret_recurrence, is_working_day, swedish_holidays
from handlers.meetings.model import HolidayRule, OccurrenceState, PulseSeries, local
from handlers.meetings.occurrences import occurrences
from tests import support
from tests.handlers.meetings.pulse_support import Posts, at, say
from tests.support import Clock

NIGHT_CONFIG = (
    '[pulse]\nreminders = ["15 min före"]\nagenda_days_before = 0\nagenda_time = "02:00"\n'
)
"""One reminder 15 minutes before, and the agenda the same night at 02:00 (a time that
exists twice in October and not at all in March, like the meeting's)."""


@pytest.fixture
def night_app(database_url: str, clock: Clock) -> Iterator[Bryggan]:
    bryggan = build(support.test_config(database_url, NIGHT_CONFIG), clock)
    yield bryggan
    bryggan.database.engine.dispose()


def through_the_night(posts: Posts, start: datetime, end: datetime) -> list[tuple[str, str]]:
    """Run the due job every minute (in real time, so the repeated hour runs twice) and
    return each post with the Stockholm time it went out at."""
    seen: list[tuple[str, str]] = []
    moment = start.astimezone(UTC)
    while moment <= end:
        posts.run(moment)
        seen += [(f"{local(moment):%H:%M%z}", text) for text in posts.channel("kristianstad")]
        posts.clear()
        moment += timedelta(minutes=1)
    return seen


def test_a_series_in_the_repeated_hour_meets_once_in_october(
    night_app: Bryggan, clock: Clock
) -> None:
    clock.now = at(2026, 10, 19, 9, 0)
    say(night_app, "maria", "/puls ny varje söndag kl 02:30 enheter:kristianstad")
    posts = Posts(night_app, clock)
    posts.drain()  # the announcement of the new series
    posts.clear()
    seen = through_the_night(posts, at(2026, 10, 25, 0, 0), at(2026, 10, 25, 4, 30))
    assert [(when, text[0]) for when, text in seen] == [("02:00+0200", "📋"), ("02:15+0200", "⏰")]
    assert "söndag 25 oktober 2026 kl 02:30" in seen[0][1]
    assert "kl 02:30" in seen[1][1]
    assert "söndag 1 november 2026 kl 02:30" in say(night_app, "lisa", "/puls nästa")


def test_a_series_in_the_missing_hour_meets_an_hour_later_in_march(
    night_app: Bryggan, clock: Clock
) -> None:
    clock.now = at(2026, 3, 23, 9, 0)
    say(night_app, "maria", "/puls ny varje söndag kl 02:30 enheter:kristianstad")
    assert "söndag 29 mars 2026 kl 03:30" in say(night_app, "lisa", "/puls nästa")
    posts = Posts(night_app, clock)
    posts.drain()
    posts.clear()
    seen = through_the_night(posts, at(2026, 3, 29, 0, 0), at(2026, 3, 29, 5, 0))
    assert [(when, text[0]) for when, text in seen] == [
        ("03:00+0200", "📋"),
        ("03:00+0200", "📅"),  # påskdagen next Sunday is announced at the same moment
        ("03:15+0200", "⏰"),
    ]
    assert "söndag 29 mars 2026 kl 03:30" in seen[0][1]
    assert "påskdagen" in seen[1][1]
    assert "kl 03:30" in seen[2][1]


@pytest.mark.parametrize(
    "phrase",
    ["varje dag kl 02:30", "varannan dag kl 02:30", "sista söndagen i månaden kl 02:30"],
)
def test_every_kind_of_series_has_one_date_on_each_dst_night(phrase: str) -> None:
    for created, night, hour in (
        (at(2026, 10, 1), date(2026, 10, 25), 2),
        (at(2027, 3, 1), date(2027, 3, 28), 3),
    ):
        found = _dates(phrase, HolidayRule.SKIP, created, night, night + timedelta(days=1))
        on_night = [o for o in found if local(o.planned).date() == night]
        assert [local(o.planned).hour for o in on_night] == ([hour] if on_night else [])
        if phrase != "varannan dag kl 02:30":
            assert len(on_night) == 1


def _dates(phrase: str, rule: HolidayRule, created: datetime, first: date, last: date) -> list:  # type: ignore[type-arg]
    recurrence = interpret_recurrence(phrase, created)
    assert recurrence is not None
    series = PulseSeries(1, recurrence, phrase, (1,), rule, 1, created)
    start = datetime.combine(first, datetime.min.time(), tzinfo=local(created).tzinfo)
    end = datetime.combine(last, datetime.max.time(), tzinfo=local(created).tzinfo)
    return occurrences(series, [], start=start, end=end)


@pytest.mark.parametrize("day", [6, 15, 31])
def test_a_monthly_date_never_meets_on_a_weekend_or_holiday_when_skipped(day: int) -> None:
    found = _dates(
        f"den {day}:e varje månad kl 10",
        HolidayRule.SKIP,
        at(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    assert found
    for occurrence in found:
        planned = local(occurrence.planned).date()
        if is_working_day(planned):
            assert occurrence.state == OccurrenceState.PLANNED
        else:
            assert occurrence.state == OccurrenceState.HOLIDAY_SKIPPED and occurrence.start is None


def test_the_15th_on_a_saturday_and_a_sunday_skips_or_moves_to_monday() -> None:
    phrase, created = "den 15:e varje månad kl 10", at(2026, 12, 1)
    skipped = _dates(phrase, HolidayRule.SKIP, created, date(2027, 1, 1), date(2027, 12, 31))
    assert [(local(o.planned).month, o.holiday) for o in skipped if o.start is None] == [
        (5, "en lördag"),
        (8, "en söndag"),
    ]
    moved = _dates(phrase, HolidayRule.MOVE, created, date(2027, 1, 1), date(2027, 12, 31))
    starts = [local(o.start).date() for o in moved if o.start is not None]
    assert len(starts) == 12 and all(is_working_day(d) for d in starts)
    assert date(2027, 5, 17) in starts and date(2027, 8, 16) in starts


def test_the_6th_meets_holidays_by_name_and_moves_past_them() -> None:
    moved = _dates(
        "den 6:e varje månad kl 10",
        HolidayRule.MOVE,
        at(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    holidays = swedish_holidays(2027)
    by_month = {local(o.planned).month: o for o in moved}
    assert by_month[1].holiday == holidays[date(2027, 1, 6)]  # trettondedag jul, a Wednesday
    assert local(by_month[1].start).date() == date(2027, 1, 7)
    assert by_month[6].holiday == holidays[date(2027, 6, 6)]  # nationaldagen, a Sunday
    assert local(by_month[6].start).date() == date(2027, 6, 7)
    assert by_month[3].holiday == "en lördag" and local(by_month[3].start).date() == date(
        2027, 3, 8
    )


def test_a_weekly_series_on_saturdays_keeps_its_saturdays() -> None:
    found = _dates(
        "varje lördag kl 10", HolidayRule.SKIP, at(2026, 12, 1), date(2027, 3, 1), date(2027, 3, 31)
    )
    assert [o.state for o in found] == [OccurrenceState.PLANNED] * 4


def test_the_listing_says_why_a_monthly_date_is_skipped(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2027, 4, 20, 9, 0)
    reply = say(app, "maria", "/puls ny den 15:e varje månad kl 10 enheter:kristianstad")
    assert "lördag 15 maj 2027: blir inte av (en lördag)" in reply
    assert "Ett datum i månaden som är en lördag eller söndag blir inte heller av." in reply
    weekly = say(app, "maria", "/puls ny varje tisdag kl 10 enheter:kristianstad")
    assert "lördag eller söndag" not in weekly  # a weekly series keeps the day it was given
