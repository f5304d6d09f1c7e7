"""A series' dates, computed from its rule: the holiday rule and admins' changes applied.

Pure functions: the caller gives the window; nothing reads the clock or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger

from handlers.dates import RecurrenceRule, next_working_day, swedish_holidays
from handlers.kernel import STOCKHOLM, texts
from handlers.meetings.model import (
    HolidayRule,
    Occurrence,
    OccurrenceOverride,
    OccurrenceState,
    PulseSeries,
    local,
    utc,
)

MOVE_SLACK = timedelta(days=92)
"""How far an occurrence may have been moved and still be found in a window."""
_MAX_STEPS = 5000
_MAX_RETRIES = 120
"""Minutes `_next_after` steps past a trigger that answers the same time again (one hour
and more: the repeated hour)."""


def planned_times(
    rule: RecurrenceRule, *, until: datetime, since: datetime | None = None
) -> Iterable[datetime]:
    """The dates the rule plans up to `until` (from about `since` on), as UTC instants.

    Dates are wall-clock times in Stockholm, at most one a day. On the night the clocks go
    back (last Sunday of October) a time between 02:00 and 02:59 exists twice: the series
    meets once, at the first of them (summer time). On the night they go forward (last
    Sunday of March) that hour does not exist: the meeting moves an hour on (02:30 becomes
    03:30). A calendar-interval rule ("varannan torsdag") keeps its phase from its first
    date, so it is walked from there; the other triggers can start anywhere."""
    trigger = rule.trigger()
    start = datetime.combine(local(rule.first).date(), time(), tzinfo=STOCKHOLM)
    if since is not None and since > start and not isinstance(trigger, CalendarIntervalTrigger):
        start = since
    moment = trigger.get_next_fire_time(None, start)
    last_day: date | None = None
    for _ in range(_MAX_STEPS):
        if moment is None or moment > until:
            return
        day = local(moment).date()
        if day != last_day:  # the repeated hour: the second 02:30 is the same date again
            yield utc(moment)
        last_day = day
        moment = _next_after(trigger, moment)


def _next_after(trigger: BaseTrigger, moment: datetime) -> datetime | None:
    """The trigger's next time strictly after `moment`, asked from a second later counted in
    UTC, so that the repeated hour's fold is kept."""
    instant = moment.astimezone(UTC)  # compared in UTC: within one zone Python ignores fold
    # A cron trigger needs only `now`; given the previous time, APScheduler 3.11.0 answers the
    # repeated hour's second 02:30 again for any later `now`. The others step from it.
    previous = None if isinstance(trigger, CronTrigger) else moment
    for step in range(1, _MAX_RETRIES + 1):
        after = (instant + timedelta(minutes=step - 1, seconds=1)).astimezone(STOCKHOLM)
        following: datetime | None = trigger.get_next_fire_time(previous, after)
        if following is None or following.astimezone(UTC) > instant:
            return following
    return None  # a trigger that keeps answering the past: no more dates rather than a hang


def holiday_on(day: date) -> str | None:
    """The Swedish name of the holiday or afton on `day`, if any."""
    return swedish_holidays(day.year).get(day)


def day_off(series: PulseSeries, day: date) -> str | None:
    """Why `day` is no day for this series: a holiday or afton, or for a series on a date
    of the month ("den 15:e varje månad") a Saturday or Sunday; None on a working day.
    (A weekly series on a weekend day was chosen so and keeps it.)"""
    holiday = holiday_on(day)
    if holiday is None and series.rule.day_of_month is not None and day.weekday() >= 5:
        return texts.PULSE_WEEKEND[day.weekday()]
    return holiday


def _by_rule(series: PulseSeries, planned: datetime) -> Occurrence:
    holiday = day_off(series, local(planned).date())
    if holiday is None:
        return Occurrence(series.id, planned, planned, OccurrenceState.PLANNED)
    if series.holiday_rule == HolidayRule.SKIP:
        return Occurrence(series.id, planned, None, OccurrenceState.HOLIDAY_SKIPPED, holiday)
    day = next_working_day(local(planned).date())
    moved = datetime.combine(day, local(planned).time(), tzinfo=STOCKHOLM)
    return Occurrence(series.id, planned, utc(moved), OccurrenceState.HOLIDAY_MOVED, holiday)


def _apply(occurrence: Occurrence, override: OccurrenceOverride | None) -> Occurrence:
    if override is None:
        return occurrence
    state = OccurrenceState.CANCELLED if override.moved_to is None else OccurrenceState.MOVED
    start = utc(override.moved_to) if override.moved_to else None
    return Occurrence(
        occurrence.series_id,
        occurrence.planned,
        start,
        state,
        occurrence.holiday,
        changed_at=override.at,
    )


def occurrences(
    series: PulseSeries,
    overrides: Sequence[OccurrenceOverride],
    *,
    start: datetime,
    end: datetime,
) -> list[Occurrence]:
    """The series' dates whose actual (or planned, when called off) moment lies in
    [start, end], in time order; dates from the series' end on are gone."""
    changed = {utc(o.planned): o for o in overrides}
    found: list[Occurrence] = []
    for planned in planned_times(series.rule, until=end + MOVE_SLACK, since=start - MOVE_SLACK):
        if planned < start - MOVE_SLACK:
            continue
        if series.ended_at is not None and planned >= series.ended_at:
            break
        occurrence = _apply(_by_rule(series, planned), changed.get(planned))
        if start <= occurrence.shown <= end:
            found.append(occurrence)
    return sorted(found, key=lambda o: o.shown)


def upcoming(
    series: PulseSeries,
    overrides: Sequence[OccurrenceOverride],
    *,
    now: datetime,
    count: int,
    horizon: timedelta = timedelta(days=400),
) -> list[Occurrence]:
    """The next `count` dates from `now` on, called-off ones included (they are news too)."""
    return occurrences(series, overrides, start=now, end=now + horizon)[:count]


def last_held(
    series: PulseSeries,
    overrides: Sequence[OccurrenceOverride],
    *,
    now: datetime,
    lookback: timedelta = timedelta(days=400),
) -> Occurrence | None:
    """The most recent date that took place (or is under way) at `now`."""
    held = [
        o
        for o in occurrences(series, overrides, start=now - lookback, end=now)
        if o.start is not None
    ]
    return held[-1] if held else None


def find_on(
    series: PulseSeries,
    overrides: Sequence[OccurrenceOverride],
    *,
    day: date,
    now: datetime,
) -> Occurrence | None:
    """The coming date of the series on `day` (by actual date first, else planned date)."""
    window = occurrences(series, overrides, start=now - timedelta(days=1), end=now + MOVE_SLACK * 5)
    for occurrence in window:
        if occurrence.start is not None and local(occurrence.start).date() == day:
            return occurrence
    for occurrence in window:
        if local(occurrence.planned).date() == day:
            return occurrence
    return None
