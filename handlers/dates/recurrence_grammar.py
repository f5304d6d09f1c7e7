"""Reading a recurring-meeting phrase into its parts: the series, the start and the time.

``_scan`` finds what repeats ("varannan torsdag", "första tisdagen i månaden", "vardagar") as
a ``_Series``; ``_split_start`` cuts out a start clause ("från 15 januari") and reads its date;
``_clock`` reads the time of day in what is left. Nothing here is checked for coherence or
resolved against the calendar: ``handlers.dates.recurrence`` turns the parts into a
``RecurrenceRule`` and its trigger. The clock, weekday and date words are those of
``handlers.dates.words``, so a time reads the same in a one-off and a recurring meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Literal

from handlers.dates.readings import DEFAULT_TIME, _readings, _times
from handlers.dates.words import _DAY_PARTS, _WEEKDAY, _WEEKDAYS, _extract, _flexible, _rx
from handlers.dates.words import _FILLERS as _DATE_FILLERS

Unit = Literal["day", "week", "month", "workday", "even_week", "odd_week"]
"""How a series repeats; "even_week" and "odd_week" are every even or odd ISO week."""

_ORDINALS = {
    "annan": 2, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7,
    "åttonde": 8, "nionde": 9, "tionde": 10, "elfte": 11, "tolfte": 12, "fjortonde": 14,
}  # fmt: skip
_NTH = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "sista": -1}
_FILLERS = frozenset({"på", "och", "i", "den", "-", "–"})


@dataclass
class _Series:
    interval: int | None = None
    unit: Unit | None = None
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    day_of_month: int | None = None
    recurring: bool = False
    conflicts: int = 0
    every_weekday: bool = False  # "varannan måndag": the interval was said of one weekday

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
    (
        _rx(r"(?:(?:i|under)\s+|varje\s+)?(?P<parity>jämna|jämn|udda)\s+veck(?:or|orna|a)"),
        "parity",
    ),
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
    if kind == "parity":
        series.set(unit="odd_week" if m["parity"] == "udda" else "even_week", interval=1)
    elif kind == "workday":
        series.set(unit="workday", interval=1)
    elif kind == "daily":
        series.set(unit="day", interval=1)
    elif kind == "every_unit":
        series.set(unit=_UNITS[m["unit"]], interval=_every(m))
    elif kind == "every_weekday":
        series.set(unit="week", interval=_every(m))
        series.weekdays += (_weekday(m),)
        series.every_weekday = True
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
    """What repeats in ``s``, and the words left over (the time of day, if any)."""
    series = _Series()
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(s):
            _apply(series, kind, m)
        s = pattern.sub(" ", s)
    return series, " ".join(w for w in s.split() if w not in _FILLERS)
