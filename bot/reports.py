"""`bryggan report`: the tables a samordningsförbund's quarterly or yearly report asks for.

Counts by category, direction, unit and month, categories per unit and response times,
for the period and against the period before; with `--per-contact`, the workload per
contact by name (the CLI is an administrator's tool). Rendered as Markdown or HTML by
`bot.report_render`. Only anonymous facts otherwise: no free text, no other names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.dates import Period, local_today, month_boundaries, previous
from handlers.kernel import MONTH_NAMES, Category, Direction, Store, StoreFactory, texts
from handlers.statistics import (
    Percentiles,
    Report,
    ResponseTimes,
    Scope,
    StatisticsQueries,
    Tally,
    build_report,
    category_names,
    duration_text,
    percent_change,
    statistics_queries,
    sum_by,
)

Cells = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    title: str
    headers: Cells
    rows: tuple[Cells, ...]
    note: str = ""


@dataclass(frozen=True)
class ReportDocument:
    title: str
    intro: str
    tables: tuple[Table, ...]
    footer: str


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _compared(now: Tally, before: Tally, whole: int) -> Cells:
    change = percent_change(now.asked, before.asked) or "–"
    share = _share(now.asked, whole)
    return (str(now.asked), share, str(now.handled), str(now.open), str(before.asked), change)


_COMPARED = (
    texts.STAT_COL_ASKED,
    texts.REPORT_COL_SHARE,
    texts.STAT_COL_HANDLED,
    texts.STAT_COL_OPEN,
    texts.REPORT_COL_PREVIOUS,
    texts.REPORT_COL_CHANGE,
)


def overview_table(report: Report) -> Table:
    now, then = report.current.total, report.previous.total
    rows = [
        (texts.REPORT_ROW_ASKED, now.asked, then.asked),
        (texts.REPORT_ROW_HANDLED, now.handled, then.handled),
        (texts.REPORT_ROW_OPEN, now.open, then.open),
    ]
    headers = ("", report.period.label, previous(report.period).label, texts.REPORT_COL_CHANGE)
    cells = tuple((name, str(a), str(b), percent_change(a, b) or "–") for name, a, b in rows)
    return Table(texts.REPORT_OVERVIEW, headers, cells)


def category_table(report: Report, categories: Sequence[Category]) -> Table:
    now, then = report.current.by_category, report.previous.by_category
    slugs = [c.slug for c in categories if c.active or c.slug in now or c.slug in then]
    names = category_names(categories)
    whole = report.current.total.asked
    rows = [
        (names.get(s, s), *_compared(now.get(s, Tally()), then.get(s, Tally()), whole))
        for s in slugs
    ]
    rows.append(
        (texts.REPORT_COL_TOTAL, *_compared(report.current.total, report.previous.total, whole))
    )
    return Table(texts.REPORT_BY_CATEGORY, (texts.STAT_COL_CATEGORY, *_COMPARED), tuple(rows))


def direction_table(report: Report) -> Table:
    now, then = report.current.by_direction, report.previous.by_direction
    whole = report.current.total.asked
    rows = tuple(
        (texts.DIRECTION[d], *_compared(now.get(d, Tally()), then.get(d, Tally()), whole))
        for d in Direction
    )
    return Table(texts.REPORT_BY_DIRECTION, (texts.STAT_COL_DIRECTION, *_COMPARED), rows)


def unit_table(report: Report) -> Table:
    now, then = report.current.by_unit, report.previous.by_unit
    directions = sum_by(report.current.rows, lambda row: (row.unit_id, row.direction))
    whole = report.current.total.asked
    rows = []
    for unit in report.units:
        split = tuple(str(directions.get((unit.id, d), Tally()).asked) for d in Direction)
        rows.append(
            (
                unit.name,
                *split,
                *_compared(now.get(unit.id, Tally()), then.get(unit.id, Tally()), whole),
            )
        )
    headers = (texts.STAT_COL_UNIT, *(texts.DIRECTION[d] for d in Direction), *_COMPARED)
    return Table(texts.REPORT_BY_UNIT, headers, tuple(rows))


def category_unit_table(report: Report, categories: Sequence[Category]) -> Table:
    cells = sum_by(report.current.rows, lambda row: (row.category, row.unit_id))
    names = category_names(categories)
    slugs = [c.slug for c in categories if report.current.by_category.get(c.slug)]
    rows = []
    for slug in slugs:
        counts = [cells.get((slug, u.id), Tally()).asked for u in report.units]
        rows.append((names.get(slug, slug), *map(str, counts), str(sum(counts))))
    headers = (texts.STAT_COL_CATEGORY, *(u.name for u in report.units), texts.REPORT_COL_TOTAL)
    return Table(texts.REPORT_CATEGORY_BY_UNIT, headers, tuple(rows))


def _times_cells(name: str, times: ResponseTimes) -> Cells:
    first, answer = times.first_response, times.answer

    def both(p: Percentiles) -> Cells:
        return (duration_text(p.median), duration_text(p.p90))

    return (name, *both(first), *both(answer), str(answer.count))


def times_table(report: Report) -> Table:
    rows = [_times_cells(texts.REPORT_COL_TOTAL, report.current.times)]
    for unit in report.units:
        rows.append(
            _times_cells(unit.name, report.current.unit_times.get(unit.id, ResponseTimes()))
        )
    headers = (
        "",
        texts.REPORT_COL_FIRST_MEDIAN,
        texts.REPORT_COL_FIRST_P90,
        texts.REPORT_COL_ANSWER_MEDIAN,
        texts.REPORT_COL_ANSWER_P90,
        texts.REPORT_COL_ANSWERED,
    )
    return Table(texts.REPORT_TIMES, headers, tuple(rows), texts.REPORT_TIMES_NOTE)


def month_table(queries: StatisticsQueries, period: Period) -> Table:
    months = month_boundaries(period)
    edges = [m.start for m in months] + [period.end]
    rows = queries.statistics_buckets(scope=Scope(), boundaries=edges, by="direction")
    cells: dict[tuple[int, str], Tally] = {}
    for row in rows:
        cells[(row.bucket, row.key)] = cells.get((row.bucket, row.key), Tally()) + row.tally
    table = []
    for index, month in enumerate(months):
        split = [cells.get((index, d.value), Tally()) for d in Direction]
        total = sum(split, Tally())
        label = f"{MONTH_NAMES[month.first.month - 1]} {month.first.year}"
        table.append(
            (
                label,
                str(total.asked),
                *(str(t.asked) for t in split),
                str(total.handled),
                str(total.open),
            )
        )
    headers = (
        texts.REPORT_COL_MONTH,
        texts.STAT_COL_ASKED,
        *(texts.DIRECTION[d] for d in Direction),
        texts.STAT_COL_HANDLED,
        texts.STAT_COL_OPEN,
    )
    return Table(texts.REPORT_BY_MONTH, headers, tuple(table))


def workload_table(store: Store, queries: StatisticsQueries, period: Period) -> Table:
    rows = queries.statistics_workload(scope=Scope(), window=period.window)
    named = sorted(
        ((store.person(person_id=r.person_id).name, r.tally) for r in rows),
        key=lambda x: (-x[1].asked, x[0]),
    )
    cells = tuple((name, str(t.asked), str(t.handled), str(t.open)) for name, t in named)
    headers = (
        texts.REPORT_COL_CONTACT,
        texts.STAT_COL_ASKED,
        texts.STAT_COL_HANDLED,
        texts.STAT_COL_OPEN,
    )
    return Table(texts.REPORT_WORKLOAD, headers, cells, texts.REPORT_WORKLOAD_NOTE)


def build_document(
    stores: StoreFactory, *, period: Period, now: datetime, per_contact: bool
) -> ReportDocument:
    """Every table of the report for `period` (all units: the report is an admin's)."""
    with stores() as store:
        queries = statistics_queries(store)
        categories = store.categories(include_inactive=True)
        report = build_report(
            queries,
            scope=Scope(),
            period=period,
            now=now,
            units=store.units(),
            categories=categories,
            unit_lookup=lambda unit_id: store.unit(unit_id=unit_id),
        )
        tables = [
            overview_table(report),
            category_table(report, categories),
            direction_table(report),
            unit_table(report),
            month_table(queries, period),
            category_unit_table(report, categories),
            times_table(report),
        ]
        if per_contact:
            tables.append(workload_table(store, queries, period))
    today = texts.day_label(local_today(now))
    return ReportDocument(
        texts.REPORT_TITLE.format(period=period.label),
        texts.REPORT_INTRO.format(
            period=period.label, previous=previous(period).label, today=today
        ),
        tuple(tables),
        texts.REPORT_FOOTER.format(today=today),
    )
