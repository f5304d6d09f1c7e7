"""Dates and times as Swedish users type them, read in Europe/Stockholm.

Public API (pure functions; the caller injects ``now``, nothing here reads the clock):

- ``parse_when(text, now) -> datetime | None``: the most likely moment, tz-aware in
  Europe/Stockholm, or None when the text is no date/time or an impossible one ("30 februari",
  "kl 25", "31/4").
- ``parse_date(text, now) -> date | None``: the day a phrase names (absence ranges, deadlines);
  None for a bare time such as "kl 10".
- ``interpret_when(text, now) -> WhenResult | Ambiguous | None``: the rich form. ``WhenResult``
  carries the value, whether a time was given and a Swedish echo ("Tolkat som ..."); ``Ambiguous``
  carries a Swedish question and the candidates, most likely first, so the caller asks instead
  of guessing.
- ``describe_when(dt, has_time=True) -> str``: "Tolkat som tisdag 15 december 2026 kl 13:30".
- ``day_text(d) -> str``: "tisdag 15 december 2026".
- ``parse_recurrence``, ``interpret_recurrence``, ``describe_recurrence``: recurring meetings,
  implemented in ``handlers.recurrence`` and re-exported here.

Reading rules (``now`` may be in any zone; a naive ``now`` is taken as Stockholm time):

- A date without a year is the next such date from today (today included), never the past.
  An explicit year is taken as written.
- A time without a date is today if still ahead, otherwise tomorrow.
- A date without a time gets ``DEFAULT_TIME`` (09:00) and ``has_time=False``.
- "3/12" and "15.12" are day/month. "15.12" alone could also be 15:12 and is ``Ambiguous``
  (day/month first, unless the second part has a leading zero as in "10.05"); with a weekday,
  the reading the weekday agrees with wins ("tisdag 15.12" a date, "fredag 10.10" a time).
- Clock words, and 1-12 o'clock written without a leading zero, prefer 08-17: "halv tio" = 09:30,
  "kvart över två" = 14:15, "kl 3" = 15:00. 6 and 7 are ambiguous ("kl 7": 07:00 or 19:00).
  "fm", "em", "på kvällen", "ikväll" settle it.
- "torsdag" said on a Thursday means in a week (today is offered as the alternative); "nästa
  torsdag" means Thursday of next ISO week (the coming Thursday is offered when it differs).
  A weekday that contradicts the date ("tisdag 16 december") is ``Ambiguous``.
- Weeks are ISO weeks: "onsdag v. 53" typed in November 2026 is 2026-12-30.
- Candidates already in the past are dropped when a later one exists ("idag kl 7" at noon is
  19:00).

dateparser is only a last resort for phrasings this grammar does not know ("december 15",
"jan 15 13:30"). Its answer is kept only if it names a day or a time (not a whole week or month)
and lies between today and five years ahead, unless the text names a year.

The grammar lives in ``handlers.date_words`` (lexicon, patterns, extraction) and
``handlers.date_readings`` (resolution against ``now``, the dateparser fallback); this module
is the public face over both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from handlers.date_readings import DEFAULT_TIME, _local, _readings
from handlers.kernel.calendar import MONTH_NAMES, STOCKHOLM, WEEKDAY_NAMES

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from handlers.recurrence import RecurrenceRule

__all__ = [
    "DEFAULT_TIME",
    "STOCKHOLM",
    "Ambiguous",
    "WhenResult",
    "day_text",
    "describe_recurrence",
    "describe_when",
    "interpret_recurrence",
    "interpret_when",
    "parse_date",
    "parse_recurrence",
    "parse_when",
]

_ECHO = "Tolkat som {when}"
_QUESTION = "Menar du {options}?"


@dataclass(frozen=True)
class WhenResult:
    """One reading of a phrase: the moment, whether a time was given, and its Swedish echo."""

    value: datetime
    has_time: bool
    echo: str


@dataclass(frozen=True)
class Ambiguous:
    """Several plausible readings: ask ``question``; ``candidates[0]`` is the likeliest."""

    question: str
    candidates: tuple[WhenResult, ...]

    @property
    def best(self) -> WhenResult:
        """The most likely reading."""
        return self.candidates[0]


# --- public API ------------------------------------------------------------------------------


def day_text(d: date) -> str:
    """A day the Swedish way: "tisdag 15 december 2026"."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def describe_when(dt: datetime, has_time: bool = True) -> str:
    """The echo shown after parsing: "Tolkat som tisdag 15 december 2026 kl 13:30"."""
    local = _local(dt)
    when = day_text(local.date()) + (f" kl {local:%H:%M}" if has_time else "")
    return _ECHO.format(when=when)


def _question(candidates: tuple[WhenResult, ...]) -> str:
    values = [_local(c.value) for c in candidates]
    same_day = len({v.date() for v in values}) == 1
    labels = []
    for c, v in zip(candidates, values, strict=True):
        if same_day:
            labels.append(f"{v:%H:%M}")
        else:
            day = day_text(v.date()).rsplit(" ", 1)[0]
            labels.append(day + (f" kl {v:%H:%M}" if c.has_time else ""))
    options = " eller ".join([", ".join(labels[:-1]), labels[-1]])
    return _QUESTION.format(options=options)


def interpret_when(text: str, now: datetime) -> WhenResult | Ambiguous | None:
    """Read ``text`` as a moment; ``Ambiguous`` when the caller should ask which is meant."""
    results = tuple(
        WhenResult(r.value, r.has_time, describe_when(r.value, r.has_time))
        for r in _readings(text, now)
    )
    if not results:
        return None
    return results[0] if len(results) == 1 else Ambiguous(_question(results), results)


def parse_when(text: str, now: datetime) -> datetime | None:
    """The most likely moment ``text`` names (Europe/Stockholm), or None."""
    readings = _readings(text, now)
    return readings[0].value if readings else None


def parse_date(text: str, now: datetime) -> date | None:
    """The day ``text`` names ("3/12", "nästa torsdag", "v. 50"), or None (also for "kl 10")."""
    readings = _readings(text, now)
    return readings[0].value.date() if readings and readings[0].has_date else None


def parse_recurrence(text: str, now: datetime) -> BaseTrigger | None:
    """An APScheduler trigger for a recurring phrase ("varannan torsdag kl 13"), or None."""
    from handlers import recurrence  # recurrence builds on this module's grammar

    return recurrence.parse_recurrence(text, now)


def interpret_recurrence(text: str, now: datetime) -> RecurrenceRule | None:
    """The recurring rule a phrase names, with its first occurrence, or None."""
    from handlers import recurrence

    return recurrence.interpret_recurrence(text, now)


def describe_recurrence(rule: RecurrenceRule) -> str:
    """The echo for a rule: "Tolkat som varannan torsdag kl 13:00, första gången ..."."""
    from handlers import recurrence

    return recurrence.describe_recurrence(rule)
