"""The period of an absence as contacts type it, read so that a typo never becomes a year.

`7/12 11/12`, `7/12-11/12`, `från 7/12 till 11/12`, `måndag fredag`, `mån–fre`, `v. 51`,
`vecka 51–52`, `nästa vecka`, `2026-12-07 2026-12-11`. Weekdays and weeks mean the coming
ones; an end that only lands after the start by rolling into next year (`11/12 7/12`) is a
reversed range and refused, not an absence of almost a year.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from handlers.dates import parse_date
from handlers.kernel import STOCKHOLM, UserError, texts

LONG_DAYS = 60
"""An absence longer than this asks for confirmation (`bekräfta`)."""
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_MAX_PERIOD_WORDS = 8
"""Two dates without a separator ("1 december 15 december 2026") are a few words."""
_FROM = re.compile(
    r"^\s*(?:från och med|fran och med|från|fran|fr\.?\s?o\.?\s?m\.?)\s+", re.IGNORECASE
)
_HYPHEN = re.compile(r"(?<=[^\W\d])-|-(?=[^\W\d])|(?<=[/.]\d)-|(?<=[/.]\d\d)-")
"""A hyphen between two days (`mån-fre`, `7/12-11/12`) but not inside `2026-12-07`."""
_SEPARATOR = re.compile(
    r"\s+(?:till och med|till|t\.\s?o\.\s?m\.?|tom|-|–|—)\s+|\s*[–—]\s*", re.IGNORECASE
)
_WEEKS = re.compile(
    r"^(?:v\.?|vecka|veckorna|v\u00e4cka)\s*(\d{1,2})"
    r"(?:\s*(?:-|–|—|till|och)\s*(?:v\.?|vecka)?\s*(\d{1,2}))?(?:\s+(\d{4}))?$",
    re.IGNORECASE,
)
_WEEKDAY_SHIFT = timedelta(days=7)
_THIS_WEEK = frozenset({"denna vecka", "den här veckan", "i veckan", "resten av veckan"})
_NEXT_WEEK = frozenset({"nästa vecka", "nasta vecka", "veckan efter den här"})


def read_absence_period(text: str, now: datetime) -> tuple[date, date]:
    """The first and last day of the absence; a `UserError` when it cannot be read, is
    reversed or is already over."""
    today = now.astimezone(STOCKHOLM).date()
    typed = _FROM.sub("", text.strip())
    weeks = _WEEKS.match(typed.strip())
    found = _named_week(typed, today) or (
        _weeks(weeks, today) if weeks else _two_days(typed, now, today)
    )
    if found is None:
        raise UserError(texts.ABSENCE_BAD)
    start, end = found
    if end < start:
        raise UserError(
            texts.ABSENCE_ORDER.format(start=texts.short_day(start), end=texts.short_day(end))
        )
    if end < today:
        raise UserError(
            texts.ABSENCE_PAST.format(start=texts.short_day(start), end=texts.short_day(end))
        )
    return start, end


def _named_week(typed: str, today: date) -> tuple[date, date] | None:
    """`nästa vecka` (Monday to Sunday), `denna vecka` (today to Sunday)."""
    phrase = " ".join(typed.lower().split())
    sunday = today + timedelta(days=6 - today.weekday())
    if phrase in _THIS_WEEK:
        return today, sunday
    if phrase in _NEXT_WEEK:
        return sunday + timedelta(days=1), sunday + timedelta(days=7)
    return None


def _weeks(found: re.Match[str], today: date) -> tuple[date, date] | None:
    """ISO weeks `first`–`last`, Monday to Sunday: the coming (or current) ones."""
    first, last = int(found.group(1)), int(found.group(2) or found.group(1))
    year = int(found.group(3)) if found.group(3) else None
    start = _week_monday(first, year, today - timedelta(days=6))
    if start is None:
        return None
    monday = _week_monday(last, year if year and last >= first else None, start)
    return (start, monday + timedelta(days=6)) if monday else None


def _week_monday(week: int, year: int | None, earliest: date) -> date | None:
    """The Monday of ISO week `week` in `year`, or of the first such week starting on or
    after `earliest`."""
    years = [year] if year else [earliest.isocalendar().year, earliest.isocalendar().year + 1]
    for iso_year in years:
        try:
            monday = date.fromisocalendar(iso_year, week, 1)
        except ValueError:
            continue
        if year or monday >= earliest:
            return monday
    return None


def _two_days(typed: str, now: datetime, today: date) -> tuple[date, date] | None:
    text = _HYPHEN.sub(" – ", typed)
    parts = [p for p in _SEPARATOR.split(text.strip(), maxsplit=1) if p.strip()]
    if len(parts) == 2:
        return _range(parts[0], _FROM.sub("", parts[1]), now, today)
    words = text.split()
    if len(words) > _MAX_PERIOD_WORDS:
        return None  # each cut below may reach dateparser (~35 ms): keep it bounded
    for cut in range(1, len(words)):
        found = _range(" ".join(words[:cut]), " ".join(words[cut:]), now, today)
        if found:
            return found
    return None


def _range(first: str, last: str, now: datetime, today: date) -> tuple[date, date] | None:
    start, end = parse_date(first, now), parse_date(last, now)
    if start is None or end is None:
        return None
    start = _recent_start(start, first, today)
    if _YEAR.search(last):
        return start, end
    if end < start:  # `måndag fredag`: the Friday after that Monday
        after = parse_date(last, datetime.combine(start, time(0), STOCKHOLM))
        if after is not None and after - start < _WEEKDAY_SHIFT:
            return start, after
    if end.replace(year=start.year) >= start:
        end = end.replace(year=start.year)
    if end > start + timedelta(days=LONG_DAYS) and _reversed(start, end):
        return start, end.replace(year=end.year - 1)
    return start, end


def _reversed(start: date, end: date) -> bool:
    """`1/12 20/11`: the end a year on only because its day came before the start."""
    try:
        earlier = end.replace(year=end.year - 1)
    except ValueError:
        return False
    return start - timedelta(days=LONG_DAYS) <= earlier < start


def _recent_start(start: date, typed: str, today: date) -> date:
    """A start date typed without a year that just passed ("20/11" on 23 Nov) means this
    year's, not next year's: absences are often registered a few days late."""
    if _YEAR.search(typed):
        return start
    try:
        earlier = start.replace(year=start.year - 1)
    except ValueError:
        return start
    return earlier if earlier >= today - timedelta(days=31) else start
