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
  implemented in ``handlers.dates.recurrence`` and re-exported here.

Reading rules (``now`` may be in any zone; a naive ``now`` is taken as Stockholm time):

- A date without a year is the next such date from today (today included), never the past.
  An explicit year is taken as written. ``parse_date(..., nearest=True)`` (deadlines and
  consent dates) takes the such date nearest today instead, and its caller refuses the wrong
  side with the day named, rather than a year being added silently.
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
  19:00). A phrase that only names the past ("igår kl 10", "i måndags", "förra måndagen",
  "onsdag förra veckan") is returned as that past moment: callers refuse it for meetings and
  deadlines, with the day in the reply.
- Named days ("julafton", "påskdagen", "midsommarafton", "valborg", "dagen före julafton",
  ``handlers.dates.named_days``) are the next such day from the holiday calendar, today
  included. Week phrases may stand before or after the weekday ("nästa vecka onsdag");
  "onsdag veckan efter" and "i början av nästa vecka" are ``Ambiguous``.
- Month days in words: "första december", "den tjugonde", "sista februari" (the last day).
- "om 1,5 timme", "om en och en halv timme", "om tre kvart" are exact minutes from ``now``
  (real elapsed time, so across a DST change the wall clock moves by more or less); a fraction
  of a day, week or month is refused. Such relative phrases never go to dateparser.
- A range ("kl 13-14", "torsdag 9–10", "mellan 9 och 10") means its start; ``WhenResult.end``
  is its end (the end read as typed first, else on the other half of the dial, after the start).

dateparser is only a last resort for phrasings this grammar does not know ("december 15",
"jan 15 13:30"). Its answer is kept only if it names a day or a time (not a whole week or month)
and lies between today and five years ahead, unless the text names a year.

The grammar lives in ``handlers.dates.words`` (lexicon, patterns, extraction) and
``handlers.dates.readings`` (resolution against ``now``, the dateparser fallback); this module
is the public face over both.
"""

from handlers.dates.holidays import (
    add_working_hours,
    is_working_day,
    next_working_day,
    swedish_holidays,
    working_hours_between,
)
from handlers.dates.moments import (
    Ambiguous,
    WhenResult,
    day_text,
    describe_when,
    interpret_when,
    is_date_phrase,
    parse_date,
    parse_when,
)
from handlers.dates.period_phrases import parse_period, read_day, reversed_range
from handlers.dates.periods import (
    Period,
    PeriodKind,
    Window,
    comparison,
    containing,
    day_range,
    local_today,
    month_boundaries,
    previous,
    quarter,
    week_boundaries,
    week_of,
    year_period,
)
from handlers.dates.recurrence import (
    RecurrenceRule,
    describe_recurrence,
    interpret_recurrence,
    parse_recurrence,
    recurrence_start,
)

__all__ = [
    "Ambiguous",
    "Period",
    "PeriodKind",
    "RecurrenceRule",
    "WhenResult",
    "Window",
    "add_working_hours",
    "comparison",
    "containing",
    "day_range",
    "day_text",
    "describe_recurrence",
    "describe_when",
    "interpret_recurrence",
    "interpret_when",
    "is_date_phrase",
    "is_working_day",
    "local_today",
    "month_boundaries",
    "next_working_day",
    "parse_date",
    "parse_period",
    "parse_recurrence",
    "parse_when",
    "previous",
    "quarter",
    "read_day",
    "recurrence_start",
    "reversed_range",
    "swedish_holidays",
    "week_boundaries",
    "week_of",
    "working_hours_between",
    "year_period",
]
