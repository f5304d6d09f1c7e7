"""Statistics over the anonymous facts of questions: tallies, response times, the report.

Every figure is about the questions *asked* in a period (created in [start, end) in
Stockholm time): how many, how many of them are handled now (answered or closed) and how
many are still open, by category, direction and unit; and how long they waited for a first
reaction (claimed or answered) and for an answer (the first answer, or being marked
answered), as the median and the 90th percentile. The counting happens in SQL
(`StatisticsQueries`, implemented in `storage.statistics`); this module only adds up the
few grouped rows and shapes them into a `Report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TypeVar, runtime_checkable

from handlers.dates import Period, Window, comparison
from handlers.kernel import Category, Direction, Status, Unit

HANDLED_STATUSES = (Status.BESVARAD, Status.STANGD)
K = TypeVar("K")


@dataclass(frozen=True)
class Scope:
    """Which questions count: those of `unit_ids` (None: every unit), and when `asker_id`
    is set only that person's own questions."""

    unit_ids: tuple[int, ...] | None = None
    asker_id: int | None = None


@dataclass(frozen=True)
class Tally:
    asked: int = 0
    handled: int = 0
    open: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.asked + other.asked, self.handled + other.handled, self.open + other.open)


@dataclass(frozen=True)
class Percentiles:
    """Median and 90th percentile (linear interpolation, like percentile_cont) in seconds,
    over `count` questions; None when there were none."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True)
class ResponseTimes:
    first_response: Percentiles = field(default_factory=Percentiles)
    answer: Percentiles = field(default_factory=Percentiles)


@dataclass(frozen=True)
class Helpfulness:
    """The askers' verdicts on the answers to the questions of a window: how many said the
    answer solved their question and how many said it did not (the latest verdict counts)."""

    helped: int = 0
    not_helped: int = 0

    @property
    def rated(self) -> int:
        return self.helped + self.not_helped

    @property
    def share(self) -> float | None:
        """The share that helped, 0–1; None when nobody said."""
        return self.helped / self.rated if self.rated else None


@dataclass(frozen=True)
class TallyRow:
    unit_id: int
    category: str
    direction: Direction
    tally: Tally


@dataclass(frozen=True)
class TimesRow:
    """Response times of one unit, or of every unit in scope together (`unit_id` None)."""

    unit_id: int | None
    times: ResponseTimes


@dataclass(frozen=True)
class BucketRow:
    """Questions asked in bucket `bucket` (between two boundaries) with key `key`."""

    bucket: int
    key: str
    tally: Tally


@dataclass(frozen=True)
class Overview:
    since_start: int
    open: int
    overdue: int


@dataclass(frozen=True)
class WorkloadRow:
    person_id: int
    tally: Tally


@dataclass(frozen=True)
class ExportRow:
    """One question's anonymous facts: never free text, never a name."""

    ref: str
    unit: str
    category: str
    direction: Direction
    status: Status
    consent_mode: str
    consent_form: str | None
    deadline: date | None
    created_at: datetime
    claimed_at: datetime | None
    first_response_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    reopened_at: datetime | None


@runtime_checkable
class StatisticsQueries(Protocol):
    """Grouped counts computed by the database. Keyword-only, read-only."""

    def statistics_tallies(self, *, scope: Scope, window: Window) -> list[TallyRow]: ...
    def statistics_times(self, *, scope: Scope, window: Window) -> list[TimesRow]: ...
    def statistics_buckets(
        self, *, scope: Scope, boundaries: Sequence[datetime], by: str
    ) -> list[BucketRow]:
        """Counts per bucket [boundaries[i], boundaries[i + 1]) and `by` (category,
        direction or unit)."""
        ...

    def statistics_overview(self, *, scope: Scope, today: date) -> Overview: ...
    def statistics_workload(self, *, scope: Scope, window: Window) -> list[WorkloadRow]: ...
    def statistics_export(self, *, window: Window) -> Iterator[ExportRow]: ...
    def statistics_helped(self, *, scope: Scope, window: Window) -> Helpfulness:
        """The askers' verdicts ("Löste svaret din fråga?") on the window's questions."""
        ...


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """The figures of one window: in total, by category, direction and unit."""

    total: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=dict)
    by_direction: dict[Direction, Tally] = field(default_factory=dict)
    by_unit: dict[int, Tally] = field(default_factory=dict)
    times: ResponseTimes = field(default_factory=ResponseTimes)
    unit_times: dict[int, ResponseTimes] = field(default_factory=dict)
    rows: tuple[TallyRow, ...] = ()
    """The grouped rows (unit × category × direction), for finer tables."""
    helped: Helpfulness = field(default_factory=Helpfulness)


@dataclass(frozen=True)
class Report:
    period: Period
    partial: bool
    """The period is still running; `previous` is cut at the same elapsed time."""
    current: Breakdown
    previous: Breakdown
    units: tuple[Unit, ...]
    categories: tuple[Category, ...]
    own_only: bool = False
    """Only the asker's own questions (askers see no unit's figures)."""
    every_unit: bool = False
    """Every unit's questions (an administrator's view)."""


def sum_by(rows: Sequence[TallyRow], key: Callable[[TallyRow], K]) -> dict[K, Tally]:
    sums: dict[K, Tally] = {}
    for row in rows:
        sums[key(row)] = sums.get(key(row), Tally()) + row.tally
    return sums


def breakdown(
    tallies: Sequence[TallyRow], times: Sequence[TimesRow], helped: Helpfulness | None = None
) -> Breakdown:
    """Add up the grouped rows (a few hundred at most) into one window's figures."""
    return Breakdown(
        total=sum((row.tally for row in tallies), Tally()),
        by_category=sum_by(tallies, lambda row: row.category),
        by_direction=sum_by(tallies, lambda row: row.direction),
        by_unit=sum_by(tallies, lambda row: row.unit_id),
        times=next((row.times for row in times if row.unit_id is None), ResponseTimes()),
        unit_times={row.unit_id: row.times for row in times if row.unit_id is not None},
        rows=tuple(tallies),
        helped=helped or Helpfulness(),
    )


def window_figures(queries: StatisticsQueries, scope: Scope, window: Window) -> Breakdown:
    tallies = queries.statistics_tallies(scope=scope, window=window)
    times = queries.statistics_times(scope=scope, window=window)
    helped = queries.statistics_helped(scope=scope, window=window)
    return breakdown(tallies, times, helped)


def build_report(
    queries: StatisticsQueries,
    *,
    scope: Scope,
    period: Period,
    now: datetime,
    units: Sequence[Unit],
    categories: Sequence[Category],
    unit_lookup: Callable[[int], Unit],
) -> Report:
    """The figures of `period` and of the equal period before it. `units` are the units in
    scope, in display order; units no longer active but with questions are looked up."""
    current_window, previous_window, partial = comparison(period, now)
    current = window_figures(queries, scope, current_window)
    before = window_figures(queries, scope, previous_window)
    seen = sorted(set(current.by_unit) | set(before.by_unit))
    if scope.asker_id is not None:
        units = [u for u in units if u.id in seen]
    known = {u.id for u in units}
    shown = (*units, *(unit_lookup(unit_id) for unit_id in seen if unit_id not in known))
    return Report(
        period,
        partial,
        current,
        before,
        shown,
        tuple(categories),
        own_only=scope.asker_id is not None,
        every_unit=scope == Scope(),
    )


def category_names(categories: Iterable[Category]) -> dict[str, str]:
    return {c.slug: c.name for c in categories}
