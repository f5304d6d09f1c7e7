"""Turning the parts a phrase mentions into candidate moments in Europe/Stockholm.

``_readings`` is the whole reading pipeline behind ``handlers.dates.moments``: normalize,
extract the parts (``handlers.dates.words``), split "15.12" into its date and clock worlds,
resolve each against ``now`` (``_dates``, ``_times``, ``_resolve``) and drop what lies in
the past. Phrasings the grammar does not know go to a guarded dateparser fallback instead.
The rules themselves are documented in ``handlers.dates.moments``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from handlers.dates.named_days import next_named_day
from handlers.dates.words import _DAY_PARTS, _extract, _flexible, _normalize, _Parts
from handlers.kernel import STOCKHOLM

DEFAULT_TIME = time(9, 0)


@dataclass(frozen=True)
class _Reading:
    value: datetime
    has_time: bool
    has_date: bool
    end: datetime | None = None


def _local(now: datetime) -> datetime:
    """``now`` in Stockholm; a naive ``now`` is taken to be Stockholm wall-clock time."""
    return now.replace(tzinfo=STOCKHOLM) if now.tzinfo is None else now.astimezone(STOCKHOLM)


def _at(day: date, clock: time) -> datetime:
    """Stockholm wall-clock time on ``day``; a time skipped by DST moves forward an hour."""
    return datetime.combine(day, clock, tzinfo=STOCKHOLM).astimezone(UTC).astimezone(STOCKHOLM)


def _safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None; the day -1 is the last day of the month ("sista december")."""
    if not 1900 <= year <= 2199:
        return None
    if day == -1 and 1 <= month <= 12:
        day = calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit(
    day: int, month: int, year: int | None, today: date, nearest: bool = False
) -> date | None:
    """The day named by day and month: as written with a year; without one the next such
    day from today, or (``nearest``) the such day nearest today, before or after it."""
    if year is not None:
        return _safe_date(year, month, day)
    if nearest:
        around = [_safe_date(today.year + k, month, day) for k in (-1, 0, 1)]
        days = [d for d in around if d is not None]
        return min(days, key=lambda d: (abs((d - today).days), d < today), default=None)
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


_WEEKS_AHEAD = {"next_week": 1, "week_after_next": 2, "last_week": -1}


def _weekday_dates(weekday: int, mode: str, today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    this_week = monday + timedelta(days=weekday)
    next_week = this_week + timedelta(days=7)
    if mode == "this_week":
        return [this_week] if this_week >= today else []
    if mode in _WEEKS_AHEAD:
        return [this_week + timedelta(days=7 * _WEEKS_AHEAD[mode])]
    if mode == "week_after":
        # "onsdag veckan efter": the week after this one, or the one after next? Ask.
        return [next_week, next_week + timedelta(days=7)]
    if mode == "last":
        return [today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)]
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


def _named_dates(p: _Parts, today: date) -> list[date] | None:
    """A holiday ("julafton", "dagen efter påskdagen") or part of a week ("i början av
    nästa vecka": Monday or Tuesday, so the reply asks)."""
    if p.named is not None:
        anchor = next_named_day(*p.named, today)
        return None if anchor is None else _with_weekday(anchor, p.weekday)
    assert p.week_part is not None
    if p.weekday is not None:
        return None
    weekdays, mode = p.week_part
    return [d for wd in weekdays for d in _weekday_dates(wd, mode, today)] or None


def _dates(p: _Parts, today: date, nearest: bool = False) -> list[date] | None:
    """Candidate days, likeliest first; [] when no day is named, None when impossible."""
    named = [
        x
        for x in (p.date, p.relative_day, p.offset, p.day_of_month, p.week, p.named, p.week_part)
        if x is not None
    ]
    if len(named) > 1:
        return None
    if p.named is not None or p.week_part is not None:
        return _named_dates(p, today)
    anchor: date | None
    if p.week is not None:
        if p.weekday is not None and p.weekday[1]:
            return None
        wd = p.weekday[0] if p.weekday else 0
        anchor = _week_date(p.week[0], wd, p.week[1], today)
        return [anchor] if anchor else None
    if p.date is not None:
        anchor = _explicit(*p.date, today, nearest)
    elif p.relative_day is not None:
        anchor = today + timedelta(days=p.relative_day)
    elif p.day_of_month is not None:
        anchor = _next_day_of_month(p.day_of_month, today)
    elif p.offset is not None:
        amount, unit = p.offset
        if p.weekday is not None:
            # "onsdag om två veckor": that weekday in the week two weeks from now.
            if unit != "weeks" or p.weekday[1]:
                return None
            later = today + timedelta(days=7 * amount)
            return [later + timedelta(days=p.weekday[0] - later.weekday())]
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


def _end(start: time, end: tuple[int, int, bool] | None) -> time | None:
    """The end of "kl 13-14" or "9–10": the first reading of the typed end after ``start``."""
    if end is None:
        return None
    hour, minute, flexible = end
    hours = [hour, (hour + 12) % 24] if flexible else [hour]  # as typed first: "kl 00-12"
    for h in hours:
        if 0 <= h <= 23 and 0 <= minute <= 59 and time(h, minute) > start:
            return time(h, minute)
    raise ValueError("a range that ends before it starts")


def _resolve(p: _Parts, now: datetime, nearest: bool = False) -> list[_Reading] | None:
    today = now.date()
    if p.offset is not None and p.offset[1] in {"minutes", "hours"}:
        if any(x is not None for x in (p.date, p.relative_day, p.day_of_month, p.week, p.weekday)):
            return None
        if p.clock is not None or p.day_part is not None:
            return None
        delta = timedelta(**{p.offset[1]: p.offset[0]})
        moment = (now.astimezone(UTC) + delta).astimezone(STOCKHOLM)
        return [_Reading(moment.replace(second=0, microsecond=0), True, True)]
    days, clocks = _dates(p, today, nearest), _times(p)
    if days is None or clocks is None or not (days or clocks):
        return None
    if not clocks:
        default = time(_DAY_PARTS[p.day_part]) if p.day_part else DEFAULT_TIME
        return [_Reading(_at(d, default), False, True) for d in days]
    ends = [_end(c, p.end_clock) for c in clocks]
    if not days:
        return [
            _with_end(today if _at(today, c) > now else today + timedelta(days=1), c, e, False)
            for c, e in zip(clocks, ends, strict=True)
        ]
    return [_with_end(d, c, e, True) for d in days for c, e in zip(clocks, ends, strict=True)]


def _with_end(day: date, start: time, end: time | None, has_date: bool) -> _Reading:
    return _Reading(_at(day, start), True, has_date, None if end is None else _at(day, end))


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
    """Last resort: stock dateparser, kept only when its answer is plausible. Imported
    here, at the first phrase that needs it: most never do, and it costs start-up time and
    about 12 MiB."""
    from dateparser.date import DateDataParser

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


_NEVER_GUESS = re.compile(r"(?<!\w)(?:om|sedan|förra|senaste|före|efter|innan|mellan)(?!\w)")


def _readings(text: str, now: datetime, nearest: bool = False) -> list[_Reading]:
    """Every plausible reading of ``text``, likeliest first; [] when there is none.
    ``nearest``: a day and month without a year is the nearest such day (see ``_explicit``)."""
    now = _local(now)
    s = _normalize(text)
    if not s or len(s) > 80:
        return []
    parts, left = _extract(s)
    if left:
        if parts.offset is not None or parts.conflicts or _NEVER_GUESS.search(s):
            return []  # "om 1,5 dygn", "förra året": never hand a relative phrase to dateparser
        fallback = _dateparser_reading(s, now)
        return [fallback] if fallback else []
    worlds: list[list[_Reading]] = []
    for world in _worlds(parts):
        try:
            readings = None if world.conflicts else _resolve(world, now, nearest)
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
