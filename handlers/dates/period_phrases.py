"""Reading the period a person asks statistics for, as Swedish users type it.

`parse_period(text, now)` understands (å/ä/ö may be typed as a/o, any case):

- weeks: `denna vecka`, `i veckan`, `förra veckan`, `vecka 53`, `v. 53 2026`, `2026-W53`
- months: `denna månad`, `förra månaden`, `oktober`, `okt 2026`, `2026-10`
- quarters: `kvartal`, `förra kvartalet`, `kvartal 4`, `kv4 2026`, `Q4`, `2026Q4`,
  `fjärde kvartalet 2026`
- years: `i år`, `förra året`, `i fjol`, `2026`, `år 2026`
- ranges of days: `från 1/10 till 31/12`, `2026-10-01–2026-12-31`, `1 okt - 31 dec 2026`,
  `senaste 30 dagarna`, `senaste 4 veckorna`

A week, month or quarter named without a year is the most recent one that has begun
(or, if none has, the next one). A day
without a year is the one nearest today. A range that runs backwards (`från 30/11 till
1/10` typed on 30 November) is None like anything else unreadable; `reversed_range` names
its days, for a refusal that says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta

from handlers.dates.periods import (
    Period,
    PeriodKind,
    containing,
    day_range,
    iso_week,
    local_today,
    month,
    previous,
    quarter,
    year_period,
)
from handlers.kernel import MONTH_ABBREVIATIONS, MONTH_NAMES

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "—": "–"})
_MONTHS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)} | MONTH_ABBREVIATIONS
_ORDINALS = {"forsta": 1, "andra": 2, "tredje": 3, "fjarde": 4}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_THIS = r"(?:(?:denna|detta|den har|det har|innevarande|nuvarande|hela)\s+)?"
_LAST = r"(?:forra|forregaende|foregaende)\s+"
_DATE = (
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4}|\s+\d{4})?"
    rf"|\d{{1,2}}\s+(?:{_MONTH})\.?(?:\s+\d{{4}})?|i ?dag|i ?gar"
)


def normalize(text: str) -> str:
    """Lower case, å/ä → a and ö → o, dashes unified, single spaces."""
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD)
    return " ".join(folded.replace(",", " ").split())


def read_day(text: str, today: date) -> date | None:
    """A day as typed in a period: `2026-10-01`, `1/10`, `1.10.2026`, `1 okt 2026`, `idag`.
    Without a year, the nearest such day to today (so `1/10` in January is last October)."""
    s = normalize(text).rstrip(".")
    if s.replace(" ", "") in {"idag", "igar"}:
        return today - timedelta(days=int(s.endswith("gar")))
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if found:
        return _safe(int(found[1]), int(found[2]), int(found[3]))
    found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4})|\s+(\d{4}))?", s)
    if found:
        return _nearest(int(found[1]), int(found[2]), _year(found[3] or found[4]), today)
    found = re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH})\.?(?:\s+(\d{{4}}))?", s)
    if found:
        return _nearest(int(found[1]), _MONTHS[found[2]], _year(found[3]), today)
    return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _safe(year: int, month_number: int, day: int) -> date | None:
    try:
        return date(year, month_number, day)
    except ValueError:
        return None


def _nearest(day: int, month_number: int, year: int | None, today: date) -> date | None:
    if year is not None:
        return _safe(year, month_number, day)
    options = [_safe(today.year + k, month_number, day) for k in (-1, 0, 1)]
    valid = [d for d in options if d is not None]
    return min(valid, key=lambda d: abs((d - today).days)) if valid else None


def _latest(candidates: list[Period | None], today: date) -> Period | None:
    """The most recent candidate that has begun (a period named without a year), else the
    next one (`vecka 53` in a year whose week 53 is still ahead)."""
    existing = [p for p in candidates if p is not None]
    begun = [p for p in existing if p.first <= today]
    if begun:
        return max(begun, key=lambda p: p.first)
    return min(existing, key=lambda p: p.first) if existing else None


def _in_year(make: Callable[[int], Period | None], year: str | None, today: date) -> Period | None:
    if year is not None:
        return make(int(year)) if 1900 <= int(year) <= 2200 else None
    return _latest([make(today.year + k) for k in (-1, 0, 1)], today)


def _week(number: str, year: str | None, today: date) -> Period | None:
    return _in_year(lambda y: iso_week(y, int(number)), year, today)


def _month(number: int, year: str | None, today: date) -> Period | None:
    return _in_year(lambda y: month(y, number) if 1 <= number <= 12 else None, year, today)


def _quarter(number: int, year: str | None, today: date) -> Period | None:
    return _in_year(lambda y: quarter(y, number), year, today)


def _range_days(first: str, last: str, today: date) -> tuple[date, date] | None:
    """The first and last day of a typed range, each day without a year the nearest one.
    A first day read in the future and after the last is the year before (`från 1/1 till
    31/12` on 31 December); one today or earlier is kept, so `från 30/11 till 1/10` on 30
    November stays reversed (the caller refuses it) instead of silently starting a year back."""
    start, end = read_day(first, today), read_day(last, today)
    if start is None or end is None:
        return None
    if end < start and today < start and not re.search(r"\d{4}", first):
        start = _safe(start.year - 1, start.month, start.day) or start - timedelta(days=365)
    return start, end


def _range(first: str, last: str, today: date) -> Period | None:
    days = _range_days(first, last, today)
    return day_range(*days) if days and days[0] <= days[1] else None


def reversed_range(text: str, now: datetime) -> tuple[date, date] | None:
    """The (first, last) days of a typed range that runs backwards, for a refusal naming
    both; None for anything else."""
    found = _RANGE.fullmatch(normalize(text))
    days = _range_days(found[1], found[2], local_today(now)) if found else None
    return days if days and days[1] < days[0] else None


def _recent(count: str, unit: str, today: date) -> Period | None:
    days = int(count) * (7 if unit.startswith("veck") else 1)
    return day_range(today - timedelta(days=days - 1), today) if 1 <= days <= 3660 else None


_RANGE = re.compile(rf"(?:fran\s+)?({_DATE})\s*(?:–|-|till|t\.?o\.?m\.?)\s*({_DATE})")
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], Period | None]]
_RULES: list[_Rule] = [
    (
        re.compile(rf"{_THIS}vecka(?:n)?|i veckan"),
        lambda m, t: containing(PeriodKind.WEEK, t),
    ),
    (re.compile(rf"{_LAST}vecka(?:n)?"), lambda m, t: previous(containing(PeriodKind.WEEK, t))),
    (
        re.compile(r"(?:vecka|v\.?|w)\s*(\d{1,2})(?:\s+(\d{4}))?"),
        lambda m, t: _week(m[1], m[2], t),
    ),
    (re.compile(r"(\d{4})\s*-?\s*(?:w|v\.?|vecka)\s*(\d{1,2})"), lambda m, t: _week(m[2], m[1], t)),
    (re.compile(rf"{_THIS}manad(?:en)?|i manaden"), lambda m, t: containing(PeriodKind.MONTH, t)),
    (re.compile(rf"{_LAST}manad(?:en)?"), lambda m, t: previous(containing(PeriodKind.MONTH, t))),
    (re.compile(rf"({_MONTH})\.?(?:\s+(\d{{4}}))?"), lambda m, t: _month(_MONTHS[m[1]], m[2], t)),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m, t: _month(int(m[2]), m[1], t)),
    (
        re.compile(rf"{_THIS}kvartal(?:et)?|i kvartalet"),
        lambda m, t: containing(PeriodKind.QUARTER, t),
    ),
    (
        re.compile(rf"{_LAST}kvartal(?:et)?"),
        lambda m, t: previous(containing(PeriodKind.QUARTER, t)),
    ),
    (
        re.compile(r"(?:kvartal|kv\.?|q|k)\s*([1-4])(?:\s+(\d{4}))?"),
        lambda m, t: _quarter(int(m[1]), m[2], t),
    ),
    (
        re.compile(r"(\d{4})\s*-?\s*(?:kvartal|kv\.?|q|k)\s*([1-4])"),
        lambda m, t: _quarter(int(m[2]), m[1], t),
    ),
    (
        re.compile(r"(forsta|andra|tredje|fjarde) kvartalet(?:\s+(\d{4}))?"),
        lambda m, t: _quarter(_ORDINALS[m[1]], m[2], t),
    ),
    (re.compile(rf"{_THIS}ar(?:et)?|i ar"), lambda m, t: containing(PeriodKind.YEAR, t)),
    (
        re.compile(rf"{_LAST}ar(?:et)?|i fjol|fjolaret"),
        lambda m, t: previous(containing(PeriodKind.YEAR, t)),
    ),
    (
        re.compile(r"(?:ar\s+)?(\d{4})"),
        lambda m, t: year_period(int(m[1])) if 1900 <= int(m[1]) <= 2200 else None,
    ),
    (
        re.compile(r"(?:de\s+)?senaste\s+(\d{1,4})\s+(dagarna|dagar|veckorna|veckor)"),
        lambda m, t: _recent(m[1], m[2], t),
    ),
    (_RANGE, lambda m, t: _range(m[1], m[2], t)),
]


def parse_period(text: str, now: datetime) -> Period | None:
    """The period a Swedish phrase names, or None when it names none."""
    s = normalize(text)
    today = local_today(now)
    for pattern, build in _RULES:
        found = pattern.fullmatch(s)
        if found:
            return build(found, today)
    return None
