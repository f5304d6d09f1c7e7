"""The report's building blocks: a table with its footnotes and chart, the document, the
counts that reconcile "besvarade" (questions with an answer) with "hanterade" (answered or
closed now), and the two tables that use them or name people: response times, workload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.report_charts import Chart, Series
from handlers.kernel import OPEN_STATUSES, Store, texts
from handlers.statistics import (
    HANDLED_STATUSES,
    Percentiles,
    Report,
    ResponseTimes,
    Scope,
    StatisticsQueries,
    Tally,
    duration_text,
)

Cells = tuple[str, ...]
MARKS = "¹²³⁴⁵"
"""Footnote marks, in the order of a table's footnotes."""


@dataclass(frozen=True)
class Table:
    title: str
    headers: Cells
    rows: tuple[Cells, ...]
    note: str = ""
    footnotes: tuple[str, ...] = ()
    """Where a figure differs from another, why; the cells they explain carry ¹, ², …"""
    chart: Chart | None = None


@dataclass(frozen=True)
class ReportDocument:
    title: str
    intro: str
    tables: tuple[Table, ...]
    footer: str


@dataclass(frozen=True)
class Reconciliation:
    """Of the questions asked in the period: how many have an answer, and why that differs
    from the handled ones (closed without an answer; answered, then reopened)."""

    asked: int
    handled: int
    answered: int
    closed_unanswered: int
    reopened_answered: int

    def note(self) -> str:
        return texts.REPORT_NOTE_ANSWERED.format(
            answered=self.answered,
            asked=self.asked,
            handled=self.handled,
            closed=self.closed_unanswered,
            reopened=self.reopened_answered,
        )


def reconciliation(queries: StatisticsQueries, report: Report) -> Reconciliation:
    """Count, from each question's anonymous facts, what the grouped counts cannot tell."""
    closed = reopened = 0
    for row in queries.statistics_export(window=report.period.window):
        has_answer = (row.first_response_at or row.answered_at) is not None
        if row.status in HANDLED_STATUSES and not has_answer:
            closed += 1
        elif row.status in OPEN_STATUSES and has_answer:
            reopened += 1
    total = report.current.total
    return Reconciliation(
        total.asked, total.handled, report.current.times.answer.count, closed, reopened
    )


def _times_cells(name: str, times: ResponseTimes) -> Cells:
    first, answer = times.first_response, times.answer

    def both(p: Percentiles) -> Cells:
        return (duration_text(p.median), duration_text(p.p90))

    return (name, *both(first), *both(answer), str(answer.count))


def _hours(seconds: float | None) -> float:
    return 0.0 if seconds is None else round(seconds / 3600, 1)


def times_table(report: Report, numbers: Reconciliation) -> Table:
    rows = [_times_cells(texts.REPORT_COL_TOTAL, report.current.times)]
    every = [report.current.unit_times.get(u.id, ResponseTimes()) for u in report.units]
    rows += [_times_cells(u.name, t) for u, t in zip(report.units, every, strict=True)]
    headers = (
        "",
        texts.REPORT_COL_FIRST_MEDIAN,
        texts.REPORT_COL_FIRST_P90,
        texts.REPORT_COL_ANSWER_MEDIAN,
        texts.REPORT_COL_ANSWER_P90,
        texts.REPORT_COL_ANSWERED + MARKS[0],
    )
    chart = Chart(
        texts.REPORT_TIMES,
        tuple(u.name for u in report.units),
        (
            Series(texts.REPORT_COL_ANSWER_MEDIAN, tuple(_hours(t.answer.median) for t in every)),
            Series(texts.REPORT_COL_ANSWER_P90, tuple(_hours(t.answer.p90) for t in every)),
        ),
        texts.REPORT_CHART_HOURS,
    )
    return Table(
        texts.REPORT_TIMES,
        headers,
        tuple(rows),
        texts.REPORT_TIMES_NOTE,
        (numbers.note(),),
        chart,
    )


def workload_table(store: Store, queries: StatisticsQueries, report: Report) -> Table:
    """Per contact, by who has the questions now; the ones nobody has taken on a row of
    their own, so the total is every question asked."""
    rows = queries.statistics_workload(scope=Scope(), window=report.period.window)
    named = sorted(
        ((store.person(person_id=r.person_id).name, r.tally) for r in rows),
        key=lambda x: (-x[1].asked, x[0]),
    )
    total = report.current.total
    taken = sum((t for _, t in named), Tally())
    nobody = Tally(
        total.asked - taken.asked, total.handled - taken.handled, total.open - taken.open
    )
    named.append((texts.REPORT_UNASSIGNED, nobody))
    cells = [(name, str(t.asked), str(t.handled), str(t.open)) for name, t in named]
    cells.append(
        (texts.REPORT_COL_TOTAL + MARKS[0], str(total.asked), str(total.handled), str(total.open))
    )
    headers = (
        texts.REPORT_COL_CONTACT,
        texts.STAT_COL_ASKED,
        texts.STAT_COL_HANDLED,
        texts.STAT_COL_OPEN,
    )
    note = texts.REPORT_NOTE_WORKLOAD.format(
        asked=total.asked, unassigned=nobody.asked, label=texts.REPORT_UNASSIGNED
    )
    chart = Chart(
        texts.REPORT_WORKLOAD,
        tuple(name for name, _ in named),
        (
            Series(texts.STAT_COL_HANDLED, tuple(float(t.handled) for _, t in named)),
            Series(texts.STAT_COL_OPEN, tuple(float(t.open) for _, t in named)),
        ),
        texts.REPORT_CHART_QUESTIONS,
        stacked=True,
    )
    return Table(
        texts.REPORT_WORKLOAD, headers, tuple(cells), texts.REPORT_WORKLOAD_NOTE, (note,), chart
    )
