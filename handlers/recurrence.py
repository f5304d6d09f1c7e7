"""Recurring meetings as Swedes write them, turned into APScheduler 3.11 triggers.

The second half of ``handlers.dates`` (it reuses that module's clock and date grammar); the
functions are re-exported there. Public API:

- ``interpret_recurrence(text, now) -> RecurrenceRule | None``: the rule and its first occurrence.
- ``parse_recurrence(text, now) -> BaseTrigger | None``: the rule's trigger.
- ``describe_recurrence(rule) -> str``: "Tolkat som varannan torsdag kl 13:00, första gången
  torsdag 26 november 2026".
- ``RecurrenceRule``: frozen, plain data (so it can be stored and rebuilt); ``rule.trigger()``.
- ``WorkingDayTrigger``: "vardagar", i.e. Monday-Friday except röda dagar and aftnar.

Grammar: "varje torsdag kl 13", "varannan torsdag", "var tredje vecka på måndag", "var 3:e
vecka", "torsdagar", "varje måndag och torsdag", "vardagar kl 9", "varje dag", "första tisdagen
i månaden", "sista fredagen i månaden", "den 15:e varje månad", "varje månad den 15:e", "varannan
månad", "var tredje månad", plus a start anywhere: "från 15 januari", "med start 3 december",
"fr.o.m. 2027-01-10". Without a weekday or day of month the series is anchored on its first day:
the start date, else the next possible day. Without a time it runs at 09:00 (``has_time`` False);
an ambiguous time ("kl 7") takes the likelier reading.

Every trigger runs in Europe/Stockholm on wall-clock time (CronTrigger, CalendarIntervalTrigger),
so a 13:00 meeting stays at 13:00 across the DST changes in March and October.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger

from handlers.dates import (
    _DAY_PARTS,
    _WEEKDAY,
    _WEEKDAY_NAMES,
    _WEEKDAYS,
    DEFAULT_TIME,
    STOCKHOLM,
    _at,
    _extract,
    _flexible,
    _local,
    _normalize,
    _readings,
    _rx,
    _times,
    day_text,
)
from handlers.dates import _FILLERS as _DATE_FILLERS
from handlers.holidays import is_working_day

Unit = Literal["day", "week", "month", "workday"]

_ECHO = "Tolkat som {pattern} kl {at:%H:%M}, första gången {first}"
_ORDINALS = {
    "annan": 2, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7,
    "åttonde": 8, "nionde": 9, "tionde": 10, "elfte": 11, "tolfte": 12, "fjortonde": 14,
}  # fmt: skip
_NTH = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "sista": -1}
_NTH_TEXT = {n: word for word, n in _NTH.items()}
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_NTH = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
_FILLERS = frozenset({"på", "och", "i", "den", "-", "–"})


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


# --- grammar ---------------------------------------------------------------------------------


@dataclass
class _Series:
    interval: int | None = None
    unit: Unit | None = None
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    day_of_month: int | None = None
    recurring: bool = False
    conflicts: int = 0

    def set(self, **values: object) -> None:
        """Fill slots; naming one twice differently ("varje ... varannan") is a conflict."""
        self.recurring = True
        for name, value in values.items():
            if getattr(self, name) not in (None, value):
                self.conflicts += 1
            setattr(self, name, value)


def _every(m: re.Match[str]) -> int:
    word, number = m["every"], m["n"]
    if word in {"varannan", "vartannat"}:
        return 2
    if number:
        return int(number) if number.isdigit() else _ORDINALS[number]
    return 1


def _weekday(m: re.Match[str]) -> int:
    return _WEEKDAYS[m["wd"] or m["wdabbr"]]


_EVERY = rf"(?P<every>varje|varannan|vartannat|var)(?:\s+(?P<n>\d{{1,2}}|{'|'.join(_ORDINALS)})"
_EVERY += r"(?::?[ae])?)?\s+"
_UNITS: dict[str, Unit] = {"dag": "day", "vecka": "week", "månad": "month"}


_MON_FRI = r"mån(?:dag)?(?:ar)?\s*(?:-|–|till)\s*fre(?:dag)?(?:ar)?"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_rx(rf"(?:varje\s+|alla\s+)?vardag(?:ar|en)?|{_MON_FRI}"), "workday"),
    (_rx(r"dagligen|alla dagar"), "daily"),
    (_rx(rf"{_EVERY}(?P<unit>dag|vecka|månad)(?:en|s)?"), "every_unit"),
    (_rx(rf"{_EVERY}(?:{_WEEKDAY})"), "every_weekday"),
    (_rx(rf"(?P<nth>{'|'.join(_NTH)}|[1-4]:?[ae])\s+(?:{_WEEKDAY})"), "nth"),
    (_rx(r"i\s+(?:varje\s+)?månad(?:en)?|månadsvis|per månad"), "monthly"),
    (_rx(r"den\s+(?P<d>\d{1,2})(?::?[ae])?"), "day_of_month"),
    (_rx(rf"(?:{_WEEKDAY})"), "weekday"),
)


def _apply(series: _Series, kind: str, m: re.Match[str]) -> None:
    if kind == "workday":
        series.set(unit="workday", interval=1)
    elif kind == "daily":
        series.set(unit="day", interval=1)
    elif kind == "every_unit":
        series.set(unit=_UNITS[m["unit"]], interval=_every(m))
    elif kind == "every_weekday":
        series.set(unit="week", interval=_every(m))
        series.weekdays += (_weekday(m),)
    elif kind == "nth":
        nth = _NTH.get(m["nth"]) or int(m["nth"][0])
        series.set(unit="month", nth=nth)
        series.weekdays += (_weekday(m),)
    elif kind == "monthly":
        series.set(unit="month")
    elif kind == "day_of_month":
        day = int(m["d"])
        series.conflicts += series.day_of_month not in (None, day)
        series.day_of_month = day
    else:
        series.weekdays += (_weekday(m),)
        if m[0].endswith(("ar", "arna")):
            series.set()


_START = re.compile(
    r"(?<!\w)(?:med start|med början|från och med|fr\.?\s?o\.?\s?m\.?|från|startar|börjar"
    r"|första gången)\s+"
)


def _split_start(s: str, now: datetime) -> tuple[str, date | None] | None:
    """Remove a start clause ("från 15 januari"); None when its date cannot be read."""
    m = _START.search(s)
    if m is None:
        return s, None
    words = s[m.end() :].split()
    for n in range(min(5, len(words)), 0, -1):
        if words[n - 1] in _DATE_FILLERS:
            continue
        readings = _readings(" ".join(words[:n]), now)
        if readings and readings[0].has_date and not readings[0].has_time:
            rest = s[: m.start()] + " " + " ".join(words[n:])
            return rest, readings[0].value.date()
    return None


def _clock(s: str) -> tuple[time, bool] | None:
    """The time of day in what is left of the phrase; None if anything else is left."""
    parts, left = _extract(s)
    if left or parts.conflicts:
        return None
    if parts.day_or_clock is not None and parts.clock is None:
        a, b = parts.day_or_clock
        parts = replace(parts, day_or_clock=None, clock=(a, int(b), _flexible(str(a))))
    others = (parts.date, parts.relative_day, parts.offset, parts.day_of_month, parts.week)
    if parts.weekday is not None or any(x is not None for x in others):
        return None
    times = _times(parts)
    if times is None:
        return None
    if times:
        return times[0], True
    return (time(_DAY_PARTS[parts.day_part]) if parts.day_part else DEFAULT_TIME), False


def _scan(s: str) -> tuple[_Series, str]:
    series = _Series()
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(s):
            _apply(series, kind, m)
        s = pattern.sub(" ", s)
    return series, " ".join(w for w in s.split() if w not in _FILLERS)


def _matches(rule: RecurrenceRule, day: date) -> bool:
    if rule.unit == "workday":
        return is_working_day(day)
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
    """The rule with its first occurrence, and an anchor (weekday or day) where none was named."""
    for offset in range(400):
        day = earliest + timedelta(days=offset)
        moment = _at(day, rule.at)
        if moment > now and moment.time() == rule.at and _matches(rule, day):
            anchored = replace(rule, first=moment)
            if rule.unit == "week" and not rule.weekdays:
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
    if unit == "week" and (series.day_of_month or (interval > 1 and len(weekdays) > 1)):
        return None
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
    return CalendarIntervalTrigger(
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
        if rule is None:
            return None
        return _first(rule, max(start or now.date(), now.date()), now)
    except (ValueError, OverflowError):
        return None


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
    names = [_WEEKDAY_NAMES[d] for d in rule.weekdays]
    if rule.unit == "workday":
        return "vardagar utom röda dagar"
    if rule.unit == "day":
        return f"{every} dag"
    if rule.unit == "week":
        listed = " och ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return f"{every} {listed}"
    if rule.nth is not None:
        where = "i månaden" if rule.interval == 1 else f"{every} månad"
        return f"{_NTH_TEXT[rule.nth]} {names[0]}en {where}"
    return f"den {_ordinal(rule.day_of_month or 1)} {every} månad"


def describe_recurrence(rule: RecurrenceRule) -> str:
    """The Swedish echo: "Tolkat som varannan torsdag kl 13:00, första gången torsdag ..."."""
    first = day_text(_local(rule.first).date())
    return _ECHO.format(pattern=_pattern_text(rule), at=rule.at, first=first)
