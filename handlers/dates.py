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
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from handlers.recurrence import RecurrenceRule

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_TIME = time(9, 0)

_ECHO = "Tolkat som {when}"
_QUESTION = "Menar du {options}?"
_WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


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


# --- vocabulary and extraction ----------------------------------------------------------------

_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {name: i for i, name in enumerate(_WEEKDAY_NAMES)} | {
    "mån": 0, "tis": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4, "lör": 5, "sön": 6,
}  # fmt: skip
_HOURS = {
    "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
_NUMBERS = _HOURS | {"en": 1, "femton": 15, "tjugo": 20, "ett par": 2, "några": 3}
_MINUTE_WORDS = {"fem": 5, "tio": 10, "kvart": 15, "tjugo": 20}
_DAY_PARTS = {"fm": 9, "förmiddag": 9, "morgon": 8, "em": 13, "eftermiddag": 13, "kväll": 19}
_RELATIVE_DAYS = {"idag": 0, "imorgon": 1, "iövermorgon": 2, "övermorgon": 2, "igår": -1}
_OFFSET_UNITS = {"mi": "minutes", "ti": "hours", "h": "hours", "da": "days", "ve": "weeks"}
_THIS_WEEK = frozenset({"denna vecka", "den här veckan", "i veckan"})
_FILLERS = frozenset({"på", "den", "i", "vid", "ca", "cirka", "runt", "-", "–"})


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_WEEKDAY = rf"(?P<wd>{_alt(_WEEKDAY_NAMES)})(?:en|ar|arna)?|(?P<wdabbr>{_alt(list(_WEEKDAYS)[7:])})"
_HOUR = rf"(?P<hour>\d{{1,2}}|{_alt(_HOURS)})"
_KL = r"(?:(?:kl\.?|klockan)\s*)"
_MINS = r"(?P<mins>\d{1,2}|fem|tio|kvart|tjugo)\s+(?P<dir>över|i)\s+"


def _rx(pattern: str) -> re.Pattern[str]:
    """A pattern that only matches whole words and never inside a date or time."""
    return re.compile(rf"(?<![\w:/.-])(?:{pattern})(?![\w:/])")


@dataclass
class _Parts:
    """What a phrase mentions, before any resolution against ``now``."""

    date: tuple[int, int, int | None] | None = None  # day, month, year
    relative_day: int | None = None
    offset: tuple[int, str] | None = None  # amount, unit
    day_of_month: int | None = None
    week: tuple[int, int | None] | None = None  # ISO week, year
    weekday: tuple[int, str] | None = None  # weekday, "" | "next" | "next_week" | "this_week"
    clock: tuple[int, int, bool] | None = None  # hour, minute, read on a 12-hour dial
    day_or_clock: tuple[int, str] | None = None  # "15.12": 15 and "12"
    day_part: str | None = None
    conflicts: int = 0

    def put(self, slot: str, value: object) -> None:
        """Fill a slot; mentioning the same kind of thing twice makes the phrase unreadable."""
        if getattr(self, slot) is not None:
            self.conflicts += 1
        setattr(self, slot, value)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBERS[token]


def _year(token: str | None) -> int | None:
    if not token:
        return None
    return int(token) + 2000 if len(token) == 2 else int(token)


def _flexible(hour: str) -> bool:
    """True when an hour may be meant on a 12-hour dial ("kl 7", "tre"), not "07" or "19"."""
    return not (hour.isdigit() and (hour.startswith("0") or int(hour) > 12))


def _minutes(token: str | None) -> int:
    if not token:
        return 0
    return int(token) if token.isdigit() else _MINUTE_WORDS[token]


def _date(m: re.Match[str]) -> tuple[int, int, int | None]:
    month = m["m"]
    return int(m["d"]), int(month) if month.isdigit() else _MONTHS[month], _year(m["y"])


def _digital(m: re.Match[str]) -> tuple[int, int, bool]:
    return int(m["hour"]), int(m["min"] or 0), _flexible(m["hour"])


def _half(m: re.Match[str]) -> tuple[int, int, bool]:
    """Read "halv tio" as 9:30 and "fem i halv tre" as 2:25, on a 12-hour dial."""
    minutes = 30 + _minutes(m["mins"]) * (-1 if m["dir"] == "i" else 1)
    return (_number(m["hour"]) - 1) % 12, minutes, True


def _past_to(m: re.Match[str]) -> tuple[int, int, bool]:
    """Read "kvart över två" as 2:15 and "kvart i tre" as 2:45, on a 12-hour dial."""
    minutes, hour = _minutes(m["mins"]), _number(m["hour"])
    if m["dir"] == "över":
        return hour % 12, minutes, True
    return (hour - 1) % 12, 60 - minutes, True


def _offset(m: re.Match[str]) -> tuple[int, str]:
    if m["half"]:
        return (30 if m["half"] == "halvtimme" else 15), "minutes"
    return _number(m["n"]), _OFFSET_UNITS.get(m["unit"][:2], "months")


def _weekday(m: re.Match[str]) -> tuple[int, str]:
    weekday = _WEEKDAYS[m["wd"] or m["wdabbr"]]
    if m["next"]:
        return weekday, "next"
    if m["week"]:
        return weekday, "this_week" if m["week"] in _THIS_WEEK else "next_week"
    return weekday, ""


_Extractor = tuple[re.Pattern[str], str, Callable[[re.Match[str]], object]]
_EXTRACTORS: tuple[_Extractor, ...] = (
    (_rx(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "date", _date),
    (_rx(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[/-](?P<y>\d{4}|\d{2}))?"), "date", _date),
    (_rx(r"(?P<d>\d{1,2})([.-])(?P<m>\d{1,2})\2(?P<y>\d{4})"), "date", _date),
    (
        _rx(rf"(?P<d>\d{{1,2}})(?::?[ae])?\s+(?P<m>{_alt(_MONTHS)})\.?(?:\s+(?P<y>\d{{4}}))?"),
        "date",
        _date,
    ),
    (_rx(rf"{_KL}(?P<hour>\d{{1,2}})(?:[:.](?P<min>\d{{2}}))?"), "clock", _digital),
    (
        _rx(r"(?:v\.?|vecka|veckan)\s*(?P<w>\d{1,2})(?:\s+(?P<y>\d{4}))?"),
        "week",
        lambda m: (int(m["w"]), _year(m["y"])),
    ),
    (_rx(rf"{_KL}?(?:{_MINS})?halv\s+{_HOUR}"), "clock", _half),
    (_rx(rf"{_KL}?{_MINS}{_HOUR}"), "clock", _past_to),
    (_rx(rf"{_KL}{_HOUR}"), "clock", lambda m: (_number(m["hour"]) % 12, 0, True)),
    (_rx(r"(?P<hour>\d{1,2}):(?P<min>\d{2})"), "clock", _digital),
    (_rx(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})"), "day_or_clock", lambda m: (int(m["a"]), m["b"])),
    (_rx(_alt(_RELATIVE_DAYS)), "relative_day", lambda m: _RELATIVE_DAYS[m[0]]),
    (
        _rx(r"fm|f\.m\.?|em|e\.m\.?|(?:förmiddag|eftermiddag|kväll|morgon)(?:en)?"),
        "day_part",
        lambda m: m[0].replace(".", "").removesuffix("en"),
    ),
    (
        _rx(
            rf"om\s+(?:(?:en|ett)\s+(?P<half>halvtimme|kvart)|(?P<n>\d{{1,3}}|{_alt(_NUMBERS)})"
            r"\s+(?P<unit>minut(?:er)?|min|timm(?:e|ar)|tim|h|dag(?:ar)?|veck(?:a|or)|månad(?:er)?))"
        ),
        "offset",
        _offset,
    ),
    (
        _rx(
            rf"(?:(?P<next>nästa|kommande)\s+)?(?:{_WEEKDAY})"
            r"(?:\s+(?:i\s+)?(?P<week>nästa vecka|denna vecka|den här veckan|i veckan))?"
        ),
        "weekday",
        _weekday,
    ),
    (_rx(r"den\s+(?P<d>\d{1,2})(?::?[ae])?"), "day_of_month", lambda m: int(m["d"])),
)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFC", text).lower().replace("\u00a0", " ")
    s = re.sub(r"(\d)t(\d)", r"\1 \2", s)
    s = re.sub(r"[,;!?()]+", " ", s)
    s = re.sub(r"\bi\s*(kväll|eftermiddag|förmiddag)\b", r"idag \1", s)
    s = re.sub(r"\bi\s+(dag|morgon|övermorgon|går)\b", r"i\1", s)
    return " ".join(s.split()).strip(" .")


def _extract(s: str) -> tuple[_Parts, str]:
    """Pull every known component out of ``s``; returns them and the unknown words left over."""
    parts = _Parts()
    for pattern, slot, convert in _EXTRACTORS:
        for match in pattern.finditer(s):
            parts.put(slot, convert(match))
        s = pattern.sub(" ", s)
    return parts, " ".join(w for w in s.split() if w not in _FILLERS)


# --- resolution -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    value: datetime
    has_time: bool
    has_date: bool


def _local(now: datetime) -> datetime:
    """``now`` in Stockholm; a naive ``now`` is taken to be Stockholm wall-clock time."""
    return now.replace(tzinfo=STOCKHOLM) if now.tzinfo is None else now.astimezone(STOCKHOLM)


def _at(day: date, clock: time) -> datetime:
    """Stockholm wall-clock time on ``day``; a time skipped by DST moves forward an hour."""
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC).astimezone(STOCKHOLM)


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2199:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit(day: int, month: int, year: int | None, today: date) -> date | None:
    if year is not None:
        return _safe_date(year, month, day)
    for candidate_year in (today.year, today.year + 1):
        d = _safe_date(candidate_year, month, day)
        if d is not None and d >= today:
            return d
    return None


def _week_date(week: int, weekday: int, year: int | None, today: date) -> date | None:
    iso_year = today.isocalendar().year
    for y in (year,) if year else (iso_year, iso_year + 1):
        try:
            d = date.fromisocalendar(y, week, weekday + 1)
        except ValueError:
            continue
        if year or d >= today:
            return d
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(3):
        d = _safe_date(year, month, day)
        if d is not None and d >= today:
            return d
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday_dates(weekday: int, mode: str, today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    this_week = monday + timedelta(days=weekday)
    next_week = this_week + timedelta(days=7)
    if mode == "this_week":
        return [this_week] if this_week >= today else []
    if mode == "next_week":
        return [next_week]
    if mode == "next":
        return [next_week, this_week] if this_week > today else [next_week]
    ahead = (weekday - today.weekday()) % 7
    return [today + timedelta(days=ahead)] if ahead else [today + timedelta(days=7), today]


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        d = _safe_date(year, month, min(day.day, last))
        if d is not None:
            return d
    raise ValueError("month out of range")


def _with_weekday(anchor: date, weekday: tuple[int, str] | None) -> list[date] | None:
    """An anchored date checked against a weekday also named ("tisdag 16 december")."""
    if weekday is None:
        return [anchor]
    if weekday[1]:
        return None
    if anchor.weekday() == weekday[0]:
        return [anchor]
    return [anchor, anchor + timedelta(days=weekday[0] - anchor.weekday())]


def _dates(p: _Parts, today: date) -> list[date] | None:
    """Candidate days, likeliest first; [] when no day is named, None when impossible."""
    named = [x for x in (p.date, p.relative_day, p.offset, p.day_of_month, p.week) if x is not None]
    if len(named) > 1:
        return None
    anchor: date | None
    if p.week is not None:
        if p.weekday is not None and p.weekday[1]:
            return None
        wd = p.weekday[0] if p.weekday else 0
        anchor = _week_date(p.week[0], wd, p.week[1], today)
        return [anchor] if anchor else None
    if p.date is not None:
        anchor = _explicit(*p.date, today)
    elif p.relative_day is not None:
        anchor = today + timedelta(days=p.relative_day)
    elif p.day_of_month is not None:
        anchor = _next_day_of_month(p.day_of_month, today)
    elif p.offset is not None:
        amount, unit = p.offset
        if p.weekday is not None:
            return None
        if unit == "months":
            return [_add_months(today, amount)]
        return [today + timedelta(days=amount * (7 if unit == "weeks" else 1))]
    elif p.weekday is not None:
        return _weekday_dates(*p.weekday, today) or None
    else:
        return []
    return None if anchor is None else _with_weekday(anchor, p.weekday)


def _times(p: _Parts) -> list[time] | None:
    """Candidate times of day, likeliest first; [] when none is named, None when impossible."""
    if p.clock is None:
        return []
    hour, minute, flexible = p.clock
    if not 0 <= minute <= 59:
        return None
    if not flexible:
        return [time(hour, minute)] if 0 <= hour <= 23 else None
    morning, evening = hour % 12, hour % 12 + 12
    if p.day_part:
        return [time(evening if _DAY_PARTS[p.day_part] >= 12 else morning, minute)]
    daytime = [h for h in (morning, evening) if 8 <= h <= 17]
    if len(daytime) == 1:
        return [time(daytime[0], minute)]
    first, second = (morning, evening) if 7 <= morning <= 18 else (evening, morning)
    return [time(first, minute), time(second, minute)]


def _resolve(p: _Parts, now: datetime) -> list[_Reading] | None:
    today = now.date()
    if p.offset is not None and p.offset[1] in {"minutes", "hours"}:
        if any(x is not None for x in (p.date, p.relative_day, p.day_of_month, p.week, p.weekday)):
            return None
        if p.clock is not None or p.day_part is not None:
            return None
        delta = timedelta(**{p.offset[1]: p.offset[0]})
        moment = (now.astimezone(UTC) + delta).astimezone(STOCKHOLM)
        return [_Reading(moment.replace(second=0, microsecond=0), True, True)]
    days, clocks = _dates(p, today), _times(p)
    if days is None or clocks is None or not (days or clocks):
        return None
    if not clocks:
        default = time(_DAY_PARTS[p.day_part]) if p.day_part else DEFAULT_TIME
        return [_Reading(_at(d, default), False, True) for d in days]
    if not days:
        return [
            _Reading(
                _at(today if _at(today, c) > now else today + timedelta(days=1), c), True, False
            )
            for c in clocks
        ]
    return [_Reading(_at(d, c), True, True) for d in days for c in clocks]


def _worlds(p: _Parts) -> list[_Parts]:
    """Both readings of "15.12" (a day and month, or a time), likeliest first."""
    if p.day_or_clock is None:
        return [p]
    a, b = p.day_or_clock
    as_date = replace(p, day_or_clock=None, date=(a, int(b), None))
    as_clock = replace(p, day_or_clock=None, clock=(a, int(b), _flexible(str(a))))
    if p.clock is not None:
        return [as_date]
    if any(x is not None for x in (p.date, p.relative_day, p.day_of_month, p.week, p.offset)):
        return [as_clock]
    if len(b) == 2 and b.startswith("0"):
        return [as_clock, as_date]
    return [as_date, as_clock] if len(b) == 2 else [as_date]


_DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Europe/Stockholm",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "RETURN_TIME_AS_PERIOD": True,
}


def _dateparser_reading(s: str, now: datetime) -> _Reading | None:
    """Last resort: stock dateparser, kept only when its answer is plausible."""
    if not (re.search(r"\d", s) and re.search(r"[^\W\d_]{3}", s)):
        return None
    settings = _DATEPARSER_SETTINGS | {"RELATIVE_BASE": now.replace(tzinfo=None)}
    try:
        data = DateDataParser(languages=["sv"], settings=settings).get_date_data(s)
        found = data.date_obj
        if found is None or data.period not in {"day", "time"}:
            return None
        found = _local(found)
        has_time = data.period == "time"
        value = found if has_time else _at(found.date(), DEFAULT_TIME)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if not 1900 <= value.year <= 2199:
        return None
    named_year = re.search(r"(?<!\d)\d{4}(?!\d)", s)
    horizon = now.date() + timedelta(days=5 * 366)
    if named_year is None and not now.date() <= value.date() <= horizon:
        return None
    return _Reading(value, has_time, True)


def _readings(text: str, now: datetime) -> list[_Reading]:
    """Every plausible reading of ``text``, likeliest first; [] when there is none."""
    now = _local(now)
    s = _normalize(text)
    if not s or len(s) > 80:
        return []
    parts, left = _extract(s)
    if left:
        fallback = _dateparser_reading(s, now)
        return [fallback] if fallback else []
    worlds: list[list[_Reading]] = []
    for world in _worlds(parts):
        try:
            readings = None if world.conflicts else _resolve(world, now)
        except (ValueError, OverflowError):
            readings = None
        if readings:
            worlds.append(readings)
    if worlds and parts.weekday and parts.day_or_clock:
        # "tisdag 15.12": a date that agrees with the weekday wins, one that does not loses.
        worlds.sort(key=len)
        worlds = worlds[:1] if len(worlds[0]) == 1 else worlds
    unique = list(dict.fromkeys(r for readings in worlds for r in readings))
    ahead = [r for r in unique if (r.value >= now if r.has_time else r.value.date() >= now.date())]
    return ahead if ahead else unique[:1]


# --- public API ------------------------------------------------------------------------------


def day_text(d: date) -> str:
    """A day the Swedish way: "tisdag 15 december 2026"."""
    return f"{_WEEKDAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


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
