"""`bryggan report`: the tables a samordningsförbund's quarterly or yearly report asks for.

Counts by category, direction, unit and month, categories per unit and response times,
for the period and against the period before; with `--per-contact`, the workload per
contact by name (the CLI is an administrator's tool), questions nobody has taken included.
Each table comes with a chart of the same figures (`bot.report_charts`) and footnotes that
explain where two figures differ (answered against handled, rounded shares). Rendered as
Markdown, HTML or xlsx by `bot.report_render`. Only anonymous facts otherwise: no free
text, no other names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.report_charts import Chart, Series
from bot.report_tables import (
    MARKS,
    Cells,
    Reconciliation,
    ReportDocument,
    Table,
    reconciliation,
    times_table,
    workload_table,
)
from handlers.dates import Period, local_today, month_boundaries, previous
from handlers.kernel import MONTH_NAMES, Category, Direction, StoreFactory, texts
from handlers.statistics import (
    Report,
    Scope,
    StatisticsQueries,
    Tally,
    build_report,
    category_names,
    category_slots,
    helped_line,
    percent_change,
    statistics_queries,
    sum_by,
)

__all__ = ["ReportDocument", "Table", "build_document"]


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


def _two_periods(title: str, report: Report, rows: Sequence[tuple[str, int, int]]) -> Chart:
    """This period's and the one before's counts side by side, a pair of bars per row."""
    return Chart(
        title,
        tuple(label for label, _, _ in rows),
        (
            Series(report.period.label, tuple(float(now) for _, now, _ in rows)),
            Series(previous(report.period).label, tuple(float(then) for _, _, then in rows)),
        ),
        texts.REPORT_CHART_QUESTIONS,
    )


def overview_table(report: Report, numbers: Reconciliation) -> Table:
    now, then = report.current.total, report.previous.total
    rows = [
        (texts.REPORT_ROW_ASKED, now.asked, then.asked),
        (texts.REPORT_ROW_HANDLED, now.handled, then.handled),
        (texts.REPORT_ROW_OPEN, now.open, then.open),
    ]
    headers = ("", report.period.label, previous(report.period).label, texts.REPORT_COL_CHANGE)
    cells = tuple((name, str(a), str(b), percent_change(a, b) or "–") for name, a, b in rows)
    chart = _two_periods(texts.REPORT_OVERVIEW, report, rows)
    marked = (cells[0], (cells[1][0] + MARKS[0], *cells[1][1:]), cells[2])
    helped = helped_line(report)  # the askers' own say, when some said
    notes = (numbers.note(), helped) if helped else (numbers.note(),)
    return Table(texts.REPORT_OVERVIEW, headers, marked, footnotes=notes, chart=chart)


def _share_note(rows: Sequence[Cells], whole: int) -> tuple[str, ...]:
    total = sum(int(row[2].removesuffix(" %")) for row in rows if row[2] != "–")
    return () if not whole or total == 100 else (texts.REPORT_NOTE_SHARES.format(sum=total),)


def _alone(name: str, index: int, count: int, length: int, slot: int | None) -> Series:
    """A category's bar on its own row of a one-bar-per-category chart."""
    values = [0.0] * length
    values[index] = float(count)
    return Series(name, tuple(values), slot)


def category_table(report: Report, categories: Sequence[Category]) -> Table:
    now, then = report.current.by_category, report.previous.by_category
    slugs = [c.slug for c in categories if c.active or c.slug in now or c.slug in then]
    names, slots = category_names(categories), category_slots(categories)
    whole = report.current.total.asked
    rows = [
        (names.get(s, s), *_compared(now.get(s, Tally()), then.get(s, Tally()), whole))
        for s in slugs
    ]
    notes = _share_note(rows, whole)
    total = (texts.REPORT_COL_TOTAL, *_compared(report.current.total, report.previous.total, whole))
    if notes:
        total = (total[0], total[1], total[2] + MARKS[0], *total[3:])
    shown = sorted((s for s in slugs if now.get(s, Tally()).asked), key=lambda s: -now[s].asked)
    chart = Chart(
        texts.REPORT_BY_CATEGORY,
        tuple(names.get(s, s) for s in shown),
        tuple(
            _alone(names.get(s, s), i, now[s].asked, len(shown), slots.get(s))
            for i, s in enumerate(shown)
        ),
        texts.REPORT_CHART_QUESTIONS,
        per_label=True,
    )
    headers = (texts.STAT_COL_CATEGORY, *_COMPARED)
    return Table(texts.REPORT_BY_CATEGORY, headers, (*rows, total), footnotes=notes, chart=chart)


def direction_table(report: Report) -> Table:
    now, then = report.current.by_direction, report.previous.by_direction
    whole = report.current.total.asked
    rows = tuple(
        (texts.DIRECTION[d], *_compared(now.get(d, Tally()), then.get(d, Tally()), whole))
        for d in Direction
    )
    counts = [
        (texts.DIRECTION[d], now.get(d, Tally()).asked, then.get(d, Tally()).asked)
        for d in Direction
    ]
    chart = _two_periods(texts.REPORT_BY_DIRECTION, report, counts)
    return Table(
        texts.REPORT_BY_DIRECTION, (texts.STAT_COL_DIRECTION, *_COMPARED), rows, chart=chart
    )


def _by_direction(title: str, labels: Sequence[str], split: Sequence[Sequence[int]]) -> Chart:
    """Stacked bars: each label's questions in the two directions."""
    series = tuple(
        Series(texts.DIRECTION[d], tuple(float(row[i]) for row in split))
        for i, d in enumerate(Direction)
    )
    return Chart(title, tuple(labels), series, texts.REPORT_CHART_QUESTIONS, stacked=True)


def unit_table(report: Report) -> Table:
    now, then = report.current.by_unit, report.previous.by_unit
    directions = sum_by(report.current.rows, lambda row: (row.unit_id, row.direction))
    whole = report.current.total.asked
    rows, split = [], []
    for unit in report.units:
        counts = [directions.get((unit.id, d), Tally()).asked for d in Direction]
        split.append(counts)
        compared = _compared(now.get(unit.id, Tally()), then.get(unit.id, Tally()), whole)
        rows.append((unit.name, *map(str, counts), *compared))
    headers = (texts.STAT_COL_UNIT, *(texts.DIRECTION[d] for d in Direction), *_COMPARED)
    chart = _by_direction(texts.REPORT_BY_UNIT, [u.name for u in report.units], split)
    return Table(texts.REPORT_BY_UNIT, headers, tuple(rows), chart=chart)


def category_unit_table(report: Report, categories: Sequence[Category]) -> Table:
    cells = sum_by(report.current.rows, lambda row: (row.category, row.unit_id))
    names, slots = category_names(categories), category_slots(categories)
    slugs = [c.slug for c in categories if report.current.by_category.get(c.slug)]
    rows = []
    for slug in slugs:
        counts = [cells.get((slug, u.id), Tally()).asked for u in report.units]
        rows.append((names.get(slug, slug), *map(str, counts), str(sum(counts))))
    totals = [report.current.by_unit.get(u.id, Tally()).asked for u in report.units]
    rows.append((texts.REPORT_COL_TOTAL + MARKS[0], *map(str, totals), str(sum(totals))))
    headers = (texts.STAT_COL_CATEGORY, *(u.name for u in report.units), texts.REPORT_COL_TOTAL)
    series = []
    for slug in slugs:
        counts = [cells.get((slug, u.id), Tally()).asked for u in report.units]
        series.append(Series(names.get(slug, slug), tuple(map(float, counts)), slots.get(slug)))
    chart = Chart(
        texts.REPORT_CATEGORY_BY_UNIT,
        tuple(u.name for u in report.units),
        tuple(series),
        texts.REPORT_CHART_QUESTIONS,
        stacked=True,
    )
    note = (texts.REPORT_NOTE_CATEGORY_UNIT,)
    return Table(texts.REPORT_CATEGORY_BY_UNIT, headers, tuple(rows), footnotes=note, chart=chart)


def month_table(queries: StatisticsQueries, period: Period) -> Table:
    months = month_boundaries(period)
    edges = [m.start for m in months] + [period.end]
    rows = queries.statistics_buckets(scope=Scope(), boundaries=edges, by="direction")
    cells: dict[tuple[int, str], Tally] = {}
    for row in rows:
        cells[(row.bucket, row.key)] = cells.get((row.bucket, row.key), Tally()) + row.tally
    table, split, labels = [], [], []
    everything = Tally()
    for index, month in enumerate(months):
        parts = [cells.get((index, d.value), Tally()) for d in Direction]
        total = sum(parts, Tally())
        everything += total
        label = f"{MONTH_NAMES[month.first.month - 1]} {month.first.year}"
        labels.append(MONTH_NAMES[month.first.month - 1][:3])
        split.append([t.asked for t in parts])
        table.append(
            (
                label,
                str(total.asked),
                *(str(t.asked) for t in parts),
                str(total.handled),
                str(total.open),
            )
        )
    directions = [sum(row[i] for row in split) for i in range(len(Direction))]
    table.append(
        (
            texts.REPORT_COL_TOTAL + MARKS[0],
            str(everything.asked),
            *map(str, directions),
            str(everything.handled),
            str(everything.open),
        )
    )
    headers = (
        texts.REPORT_COL_MONTH,
        texts.STAT_COL_ASKED,
        *(texts.DIRECTION[d] for d in Direction),
        texts.STAT_COL_HANDLED,
        texts.STAT_COL_OPEN,
    )
    chart = _by_direction(texts.REPORT_BY_MONTH, labels, split)
    chart = Chart(chart.title, chart.labels, chart.series, chart.axis, "columns", stacked=True)
    notes = (texts.REPORT_NOTE_MONTHS,)
    return Table(texts.REPORT_BY_MONTH, headers, tuple(table), footnotes=notes, chart=chart)


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
        numbers = reconciliation(queries, report)
        tables = [
            overview_table(report, numbers),
            category_table(report, categories),
            direction_table(report),
            unit_table(report),
            month_table(queries, period),
            category_unit_table(report, categories),
            times_table(report, numbers),
        ]
        if per_contact:
            tables.append(workload_table(store, queries, report))
    today = texts.day_label(local_today(now))
    return ReportDocument(
        texts.REPORT_TITLE.format(period=period.label),
        texts.REPORT_INTRO.format(
            period=period.label, previous=previous(period).label, today=today
        ),
        tuple(tables),
        texts.REPORT_FOOTER.format(today=today),
    )
