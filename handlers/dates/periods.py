"""Statistics periods: whole local days as [start, end) instants in Europe/Stockholm.

A `Period` is a run of whole local days (an ISO week, a calendar month, quarter or year, or
a range of days). Its `start` and `end` are the UTC instants of local midnight, so a week
across the October DST switch is 169 hours long and week 53 is just another week.
Swedish phrases are read in `handlers.dates.period_phrases`. Pure: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from handlers.kernel import MONTH_NAMES, STOCKHOLM, texts


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class Window:
    """A half-open interval of instants, [start, end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Period:
    """Whole local days from `first` to `last` (inclusive), of one kind."""

    kind: PeriodKind
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.last + timedelta(days=1))

    @property
    def window(self) -> Window:
        return Window(self.start, self.end)

    @property
    def label(self) -> str:
        return period_label(self)


def local_midnight(day: date) -> datetime:
    """The UTC instant at which `day` begins in Stockholm."""
    return datetime.combine(day, time(), tzinfo=STOCKHOLM).astimezone(UTC)


def local_today(now: datetime) -> date:
    return now.astimezone(STOCKHOLM).date()


# --- constructors ----------------------------------------------------------------------------


def weeks_in_year(iso_year: int) -> int:
    return date(iso_year, 12, 28).isocalendar().week


def iso_week(iso_year: int, week: int) -> Period | None:
    """ISO week `week` of `iso_year`, or None when that year has no such week."""
    if not 1 <= week <= weeks_in_year(iso_year):
        return None
    monday = date.fromisocalendar(iso_year, week, 1)
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6))


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6))


def month(year: int, number: int) -> Period:
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(PeriodKind.MONTH, date(year, number, 1), following - timedelta(days=1))


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2).first
    return Period(PeriodKind.QUARTER, first, month(year, 3 * number).last)


def year_period(year: int) -> Period:
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def day_range(first: date, last: date) -> Period:
    return Period(PeriodKind.RANGE, first, last)


def containing(kind: PeriodKind, day: date) -> Period:
    """The week, month, quarter or year that contains `day`."""
    if kind == PeriodKind.WEEK:
        return week_of(day)
    if kind == PeriodKind.MONTH:
        return month(day.year, day.month)
    if kind == PeriodKind.QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.YEAR:
        return year_period(day.year)
    return day_range(day, day)


def previous(period: Period) -> Period:
    """The equal period just before: the week, month, quarter or year before, or as many
    days as a range has, ending the day before it starts."""
    if period.kind == PeriodKind.RANGE:
        length = period.last - period.first + timedelta(days=1)
        return day_range(period.first - length, period.first - timedelta(days=1))
    return containing(period.kind, period.first - timedelta(days=1))


def comparison(period: Period, now: datetime) -> tuple[Window, Window, bool]:
    """The windows to compare: the period and the previous one. While the period is still
    running, both end at the same elapsed local time ("so far")."""
    before = previous(period)
    if not period.start <= now < period.end:
        return period.window, before.window, False
    elapsed = now.astimezone(STOCKHOLM).replace(tzinfo=None) - datetime.combine(
        period.first, time()
    )
    cut = (datetime.combine(before.first, time()) + elapsed).replace(tzinfo=STOCKHOLM)
    cut_utc = min(cut.astimezone(UTC), before.end)
    return Window(period.start, now), Window(before.start, cut_utc), True


def week_boundaries(last_week: Period, count: int) -> list[datetime]:
    """`count + 1` instants: the starts of the `count` weeks ending with `last_week`, and
    its end."""
    mondays = [last_week.first - timedelta(weeks=count - 1 - i) for i in range(count)]
    return [local_midnight(d) for d in mondays] + [last_week.end]


def month_boundaries(period: Period) -> list[Period]:
    """The calendar months (cut to the period) that make up `period`."""
    months: list[Period] = []
    day = period.first
    while day <= period.last:
        whole = month(day.year, day.month)
        months.append(Period(PeriodKind.MONTH, day, min(whole.last, period.last)))
        day = whole.last + timedelta(days=1)
    return months


# --- labels ----------------------------------------------------------------------------------


def _day(day: date, with_year: bool) -> str:
    return texts.day_label(day) if with_year else texts.short_day(day)


def period_label(period: Period) -> str:
    """`v. 53 2026 (28 dec–3 jan)`, `oktober 2026`, `kvartal 4 2026`, `2026` or
    `1 okt–31 dec 2026`."""
    first, last = period.first, period.last
    if period.kind == PeriodKind.WEEK:
        iso = first.isocalendar()
        start = str(first.day) if first.month == last.month else texts.short_day(first)
        return texts.STAT_WEEK_LABEL.format(
            week=iso.week, year=iso.year, first=start, last=texts.short_day(last)
        )
    if period.kind == PeriodKind.MONTH and first.day == 1:
        return f"{MONTH_NAMES[first.month - 1]} {first.year}"
    if period.kind == PeriodKind.QUARTER:
        return texts.STAT_QUARTER_LABEL.format(number=(first.month - 1) // 3 + 1, year=first.year)
    if period.kind == PeriodKind.YEAR:
        return str(first.year)
    if first == last:
        return texts.day_label(first)
    return f"{_day(first, first.year != last.year)}–{texts.day_label(last)}"
