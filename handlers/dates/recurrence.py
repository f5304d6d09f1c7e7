"""Recurring meetings as Swedes write them, turned into APScheduler 3.11 triggers.

The second half of ``handlers.dates.moments``, which re-exports the functions. A phrase is read into
its parts by ``handlers.dates.recurrence_grammar`` (on the clock and date grammar of
``handlers.dates.words``); this module checks that they make one coherent series, finds its first
occurrence and builds its trigger. Public API:

- ``interpret_recurrence(text, now) -> RecurrenceRule | None``: the rule and its first occurrence.
- ``parse_recurrence(text, now) -> BaseTrigger | None``: the rule's trigger.
- ``recurrence_start(text, now) -> date | None``: the day a start clause names; a start that
  has passed ("från förra måndagen") makes ``interpret_recurrence`` None, and this says why.
- ``describe_recurrence(rule) -> str``: "Tolkat som varannan torsdag kl 13:00, första gången
  torsdag 26 november 2026".
- ``RecurrenceRule``: frozen, plain data (so it can be stored and rebuilt); ``rule.trigger()``.
- ``WorkingDayTrigger``: "vardagar", i.e. Monday-Friday except röda dagar and aftnar.
- ``WeeksTrigger``: several weekdays every n-th week ("varannan vecka måndag och torsdag").

Even and odd weeks are ISO week numbers, so after a year with week 53 "udda veckor" meets in
week 53 and again in week 1.

Grammar: "varje torsdag kl 13", "varannan torsdag", "var tredje vecka på måndag", "var 3:e
vecka", "torsdagar", "varje måndag och torsdag", "måndagar och torsdagar", "varannan vecka
måndag och torsdag", "jämna veckor onsdag", "udda veckor", "vardagar kl 9", "varje vardag",
"varje dag", "första tisdagen i månaden", "sista fredagen i månaden", "den 15:e varje månad",
"varje månad den 15:e", "varannan månad", "var tredje månad", plus a start anywhere: "från 15
januari", "med start 3 december", "fr.o.m. 2027-01-10". Without a weekday or day of month the
series is anchored on its first day: the start date, else the next possible day. Without a time
it runs at 09:00 (``has_time`` False); an ambiguous time ("kl 7") takes the likelier reading.

Every trigger runs in Europe/Stockholm on wall-clock time (CronTrigger, CalendarIntervalTrigger),
so a 13:00 meeting stays at 13:00 across the DST changes in March and October. A time in the
hour skipped in March fires an hour later; in the hour repeated in October the cron triggers fire
twice, and ``handlers.meetings.occurrences.planned_times`` keeps the first (one date a day).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger

from handlers.dates.holidays import is_working_day
from handlers.dates.moments import day_text
from handlers.dates.readings import _at, _local
from handlers.dates.recurrence_grammar import (
    _NTH,
    _ORDINALS,
    Unit,
    _clock,
    _scan,
    _Series,
    _split_start,
)
from handlers.dates.words import _normalize
from handlers.kernel import STOCKHOLM, WEEKDAY_NAMES

_ECHO = "Tolkat som {pattern} kl {at:%H:%M}, första gången {first}"
_NTH_TEXT = {n: word for word, n in _NTH.items()}
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_NTH = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}


@dataclass(frozen=True)
class RecurrenceRule:
    """A recurring series: every ``interval`` ``unit``s at ``at``, first at ``first``.

    ``weekdays`` (Monday = 0) are the days of a weekly series or the weekday of an ``nth``
    weekday of the month (1-4, or -1 for the last); ``day_of_month`` is for monthly series.
    """

    unit: Unit
    interval: int
    at: time
    has_time: bool
    first: datetime
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    day_of_month: int | None = None

    def trigger(self) -> BaseTrigger:
        """The APScheduler trigger that fires on this series, from ``first`` on."""
        return _trigger(self)


class WorkingDayTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires at a wall-clock time on Swedish working days (no weekends, röda dagar, aftnar)."""

    def __init__(self, hour: int, minute: int, start_date: date) -> None:
        self.at = time(hour, minute)
        self.start_date = start_date

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The next working day's ``at`` after the previous fire time (or from ``now``)."""
        if previous_fire_time is not None:
            day = _local(previous_fire_time).date() + timedelta(days=1)
        else:
            day = max(self.start_date, _local(now).date())
        for _ in range(31):
            moment = _at(day, self.at)
            if is_working_day(day) and (previous_fire_time is not None or moment >= now):
                return moment
            day += timedelta(days=1)
        return None

    def __repr__(self) -> str:
        return f"WorkingDayTrigger(at='{self.at:%H:%M}', start_date='{self.start_date}')"


class WeeksTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires at a wall-clock time on ``weekdays`` of every ``weeks``-th week from ``start_date``'s
    week on (CalendarIntervalTrigger keeps only one weekday)."""

    def __init__(
        self, weeks: int, weekdays: tuple[int, ...], hour: int, minute: int, start_date: date
    ) -> None:
        self.weeks = weeks
        self.weekdays = weekdays
        self.at = time(hour, minute)
        self.start_date = start_date
        self._first_monday = start_date - timedelta(days=start_date.weekday())

    def _fires_on(self, day: date) -> bool:
        weeks = (day - self._first_monday).days // 7
        return day >= self.start_date and weeks % self.weeks == 0 and day.weekday() in self.weekdays

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The next planned day's ``at`` after the previous fire time (or from ``now``)."""
        if previous_fire_time is not None:
            day = _local(previous_fire_time).date() + timedelta(days=1)
        else:
            day = max(self.start_date, _local(now).date())
        for _ in range(7 * self.weeks + 7):
            moment = _at(day, self.at)
            if self._fires_on(day) and (previous_fire_time is not None or moment >= now):
                return moment
            day += timedelta(days=1)
        return None

    def __repr__(self) -> str:
        return (
            f"WeeksTrigger(weeks={self.weeks}, weekdays={self.weekdays}, at='{self.at:%H:%M}', "
            f"start_date='{self.start_date}')"
        )


class WallClockIntervalTrigger(CalendarIntervalTrigger):  # type: ignore[misc]
    """APScheduler's CalendarIntervalTrigger, except that a time in the hour skipped in
    March moves an hour on (02:30 is 03:30) instead of dropping the date, as the cron
    triggers do; the series keeps its phase either way."""

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The date after the previous fire time (the start date first) at the wall time."""
        if previous_fire_time is None:
            day = self.start_date
        else:
            day = self._after(previous_fire_time.astimezone(self.timezone).date())
        if self.end_date and day > self.end_date:
            return None
        return _at(day, self._time.replace(tzinfo=None))

    def _after(self, day: date) -> date:
        year, month = day.year, day.month
        while True:  # a month without the day (31 April) is passed over, as upstream
            month += self.months
            year += self.years + (month - 1) // 12
            month = (month - 1) % 12 + 1
            try:
                return date(year, month, day.day) + timedelta(self.days + self.weeks * 7)
            except ValueError:
                continue


_PARITY = {"even_week": 0, "odd_week": 1}


def _matches(rule: RecurrenceRule, day: date) -> bool:
    if rule.unit == "workday":
        return is_working_day(day)
    if rule.unit in _PARITY:
        parity = day.isocalendar().week % 2 == _PARITY[rule.unit]
        return parity and (not rule.weekdays or day.weekday() in rule.weekdays)
    if rule.nth is not None:
        if day.weekday() not in rule.weekdays:
            return False
        if rule.nth == -1:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == rule.nth
    if rule.day_of_month is not None:
        return day.day == rule.day_of_month
    return not rule.weekdays or day.weekday() in rule.weekdays


def _first(rule: RecurrenceRule, earliest: date, now: datetime) -> RecurrenceRule | None:
    """The rule with its first occurrence, and an anchor (weekday or day) where none was named.

    A first date in the hour skipped in March is kept, an hour later (02:30 is 03:30)."""
    for offset in range(400):
        day = earliest + timedelta(days=offset)
        moment = _at(day, rule.at)
        if moment > now and _matches(rule, day):
            anchored = replace(rule, first=moment)
            if rule.unit in {"week", *_PARITY} and not rule.weekdays:
                anchored = replace(anchored, weekdays=(day.weekday(),))
            if rule.unit == "month" and rule.nth is None and rule.day_of_month is None:
                anchored = replace(anchored, day_of_month=day.day)
            return anchored
    return None


def _rule(series: _Series, at: time, has_time: bool, now: datetime) -> RecurrenceRule | None:
    """Check that the parts make one coherent series and fill in what the phrase implies."""
    unit = series.unit or ("month" if series.day_of_month else "week")
    interval = 1 if series.interval is None else series.interval
    weekdays = tuple(sorted(set(series.weekdays)))
    if series.conflicts or not series.recurring or not 1 <= interval <= 99:
        return None
    if unit in {"day", "workday"} and (weekdays or series.day_of_month):
        return None
    if unit in {"week", *_PARITY} and (series.day_of_month or series.nth is not None):
        return None
    if series.every_weekday and interval > 1 and len(weekdays) > 1:
        return None  # "varannan måndag och torsdag": is every other said of both? Refuse.
    if unit == "month":
        if series.nth is not None and (len(weekdays) != 1 or series.day_of_month):
            return None
        if series.nth is None and weekdays:
            return None
        if series.nth is not None and 12 % interval:
            return None
        if series.day_of_month is not None and not 1 <= series.day_of_month <= 31:
            return None
    return RecurrenceRule(
        unit=unit,
        interval=interval,
        at=at,
        has_time=has_time,
        first=now,
        weekdays=weekdays,
        nth=series.nth,
        day_of_month=series.day_of_month,
    )


def _trigger(rule: RecurrenceRule) -> BaseTrigger:
    start = rule.first.date()
    hour, minute = rule.at.hour, rule.at.minute
    if rule.unit == "workday":
        return WorkingDayTrigger(hour, minute, start)
    cron = {"hour": hour, "minute": minute, "timezone": STOCKHOLM, "start_date": _at(start, time())}
    if rule.unit in _PARITY:
        days = ",".join(_CRON_DAYS[d] for d in rule.weekdays)
        return CronTrigger(week=f"{2 - _PARITY[rule.unit]}-53/2", day_of_week=days, **cron)
    if rule.unit == "week" and rule.interval > 1 and len(rule.weekdays) > 1:
        return WeeksTrigger(rule.interval, rule.weekdays, hour, minute, start)
    if rule.nth is not None:
        months = [m for m in range(1, 13) if (m - start.month) % rule.interval == 0]
        month = "*" if rule.interval == 1 else ",".join(map(str, months))
        day = f"{_CRON_NTH[rule.nth]} {_CRON_DAYS[rule.weekdays[0]]}"
        return CronTrigger(month=month, day=day, **cron)
    if rule.interval == 1 and rule.unit == "week":
        return CronTrigger(day_of_week=",".join(_CRON_DAYS[d] for d in rule.weekdays), **cron)
    if rule.interval == 1 and rule.unit == "month":
        return CronTrigger(day=rule.day_of_month, **cron)
    if rule.interval == 1:
        return CronTrigger(**cron)
    size = {"day": "days", "week": "weeks", "month": "months"}[rule.unit]
    return WallClockIntervalTrigger(
        **{size: rule.interval}, hour=hour, minute=minute, start_date=start, timezone=STOCKHOLM
    )


# --- public API ------------------------------------------------------------------------------


def interpret_recurrence(text: str, now: datetime) -> RecurrenceRule | None:
    """The series ``text`` describes, with its first occurrence after ``now``, or None."""
    now = _local(now)
    s = _normalize(text)
    if not s or len(s) > 120:
        return None
    try:
        split = _split_start(s, now)
        if split is None:
            return None
        rest, start = split
        series, left = _scan(rest)
        clock = _clock(left)
        if clock is None:
            return None
        rule = _rule(series, *clock, now)
        if rule is None or (start is not None and start < now.date()):
            return None
        return _first(rule, start or now.date(), now)
    except (ValueError, OverflowError):
        return None


def recurrence_start(text: str, now: datetime) -> date | None:
    """The day a start clause names ("från 15 januari", "fr.o.m. 2026-01-10"), or None.

    ``interpret_recurrence`` refuses a start that has passed; the caller can say why with this."""
    now = _local(now)
    s = _normalize(text)
    if not s or len(s) > 120:
        return None
    split = _split_start(s, now)
    return None if split is None else split[1]


def parse_recurrence(text: str, now: datetime) -> BaseTrigger | None:
    """An APScheduler trigger whose fire times from ``now`` follow ``text``, or None."""
    rule = interpret_recurrence(text, now)
    return rule.trigger() if rule else None


def _every_text(interval: int) -> str:
    if interval == 1:
        return "varje"
    if interval == 2:
        return "varannan"
    words = {n: word for word, n in _ORDINALS.items() if word != "annan"}
    return f"var {words[interval]}" if interval in words else f"var {_ordinal(interval)}"


def _ordinal(n: int) -> str:
    return f"{n}:a" if n % 10 in {1, 2} and n % 100 not in {11, 12} else f"{n}:e"


def _pattern_text(rule: RecurrenceRule) -> str:
    every = _every_text(rule.interval)
    names = [WEEKDAY_NAMES[d] for d in rule.weekdays]
    if rule.unit == "workday":
        return "vardagar utom röda dagar"
    if rule.unit == "day":
        return f"{every} dag"
    if rule.unit in _PARITY:
        listed = " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return f"varje {listed} i {'jämna' if rule.unit == 'even_week' else 'udda'} veckor"
    if rule.unit == "week":
        listed = " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return (
            f"{every} {listed}"
            if rule.interval == 1 or len(names) == 1
            else f"{every} vecka {listed}"
        )
    if rule.nth is not None:
        where = "i månaden" if rule.interval == 1 else f"{every} månad"
        return f"{_NTH_TEXT[rule.nth]} {names[0]}en {where}"
    return f"den {_ordinal(rule.day_of_month or 1)} {every} månad"


def describe_recurrence(rule: RecurrenceRule) -> str:
    """The Swedish echo: "Tolkat som varannan torsdag kl 13:00, första gången torsdag ..."."""
    first = day_text(_local(rule.first).date())
    return _ECHO.format(pattern=_pattern_text(rule), at=rule.at, first=first)
