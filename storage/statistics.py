"""`StatisticsMixin`: the core's `StatisticsQueries` in SQL, mixed into `SqlStore`.

Every count is a GROUP BY in the database over an indexed range of `created_at`; only the
grouped rows (units × categories × directions at most) come back to Python.

Stockholm weeks and months: the database stores UTC and SQLite knows no time zones, so the
caller computes each bucket's boundaries in Python (the UTC instants at which the local
weeks or months begin, correct across DST and in week 53) and the database puts each row in
its bucket with one searched CASE over those instants. That is portable, uses the index
on `created_at` for the outer range, and costs a handful of comparisons per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Executable, bindparam, case, func, literal_column, select
from sqlalchemy.orm import Session

from handlers.dates import Window
from handlers.kernel import OPEN_STATUSES, Direction, Status
from handlers.questions.handover import HELPED_ACTION
from handlers.statistics import (
    HANDLED_STATUSES,
    BucketRow,
    ExportRow,
    Helpfulness,
    Overview,
    Scope,
    Tally,
    TallyRow,
    TimesRow,
    WorkloadRow,
)
from storage.models import AuditRow, QuestionRow, UnitRow
from storage.percentiles import response_times, times_statement
from storage.question_filters import Shape, conditions, parameters

_BY = {
    "category": QuestionRow.category,
    "direction": QuestionRow.direction,
    "unit": QuestionRow.unit_id,
}


def counts() -> list[ColumnElement[Any]]:
    """Asked, handled (answered or closed) and open, as three aggregate columns."""
    status = QuestionRow.status
    handled = status.in_([s.value for s in HANDLED_STATUSES])
    still_open = status.in_([s.value for s in OPEN_STATUSES])
    return [
        func.count(),
        func.sum(case((handled, 1), else_=0)),
        func.sum(case((still_open, 1), else_=0)),
    ]


def _tally(asked: Any, handled: Any, still_open: Any) -> Tally:
    return Tally(int(asked or 0), int(handled or 0), int(still_open or 0))


@cache
def _tallies(shape: Shape) -> Executable:
    q = QuestionRow
    return (
        select(q.unit_id, q.category, q.direction, *counts())
        .where(*conditions(shape))
        .group_by(q.unit_id, q.category, q.direction)
    )


@cache
def _buckets(shape: Shape, by: str, count: int) -> Executable:
    """One searched CASE puts each question in its bucket (boundaries b0 .. b<count>)."""
    created, key = QuestionRow.created_at, _BY[by]
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [
        (created < bindparam(f"b{i + 1}"), literal_column(str(i))) for i in range(count)
    ]
    bucket = case(*whens).label("bucket")
    return (
        select(bucket, key, *counts())
        .where(*conditions(shape))
        .group_by(literal_column("bucket"), key)
    )


@cache
def _overview(shape: Shape) -> tuple[Executable, Executable]:
    where = conditions(shape)
    since_start = select(func.count()).select_from(QuestionRow).where(*where)
    late = case((QuestionRow.deadline < bindparam("today"), 1), else_=0)
    open_now = select(func.count(), func.sum(late)).where(
        QuestionRow.status.in_([s.value for s in OPEN_STATUSES]), *where
    )
    return since_start, open_now


@cache
def _workload(shape: Shape) -> Executable:
    assignee = QuestionRow.assignee_id
    return (
        select(assignee, *counts())
        .where(*conditions(shape), assignee.is_not(None))
        .group_by(assignee)
    )


@cache
def _helped(shape: Shape) -> Executable:
    """Each verdict that is its question's latest, counted by `ja`/`nej`: the questions of
    the window first (their index), then their audit rows (indexed by question)."""
    latest = (
        select(func.max(AuditRow.id).label("last"))
        .join(QuestionRow, QuestionRow.id == AuditRow.question_id)
        .where(AuditRow.action == HELPED_ACTION, *conditions(shape))
        .group_by(AuditRow.question_id)
        .subquery()
    )
    return (
        select(AuditRow.detail, func.count())
        .join(latest, AuditRow.id == latest.c.last)
        .group_by(AuditRow.detail)
    )


class StatisticsMixin:
    """Statistics queries over `self.session`; see `handlers.statistics.report`."""

    session: Session

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def statistics_tallies(self, *, scope: Scope, window: Window) -> list[TallyRow]:
        rows = self.session.execute(_tallies(Shape.of(scope)), parameters(scope, window))
        return [
            TallyRow(unit_id, category, Direction(direction), _tally(*rest))
            for unit_id, category, direction, *rest in rows
        ]

    def statistics_times(self, *, scope: Scope, window: Window) -> list[TimesRow]:
        statement = times_statement(self._dialect(), Shape.of(scope))
        return response_times(self.session, statement, parameters(scope, window))

    def statistics_buckets(
        self, *, scope: Scope, boundaries: Sequence[datetime], by: str
    ) -> list[BucketRow]:
        if len(boundaries) < 2:
            return []
        window = Window(boundaries[0], boundaries[-1])
        edges = {f"b{i}": b for i, b in enumerate(boundaries)}
        statement = _buckets(Shape.of(scope), by, len(boundaries) - 1)
        rows = self.session.execute(statement, parameters(scope, window, **edges))
        return [BucketRow(int(index), str(value), _tally(*rest)) for index, value, *rest in rows]

    def statistics_overview(self, *, scope: Scope, today: date) -> Overview:
        since_start, open_now = _overview(Shape.of(scope, window=False))
        values = parameters(scope)
        total = self.session.scalar(since_start, values)
        still_open, late = self.session.execute(open_now, {**values, "today": today}).one()
        return Overview(int(total or 0), int(still_open or 0), int(late or 0))

    def statistics_workload(self, *, scope: Scope, window: Window) -> list[WorkloadRow]:
        rows = self.session.execute(_workload(Shape.of(scope)), parameters(scope, window))
        return [WorkloadRow(int(person), _tally(*rest)) for person, *rest in rows]

    def statistics_helped(self, *, scope: Scope, window: Window) -> Helpfulness:
        rows = self.session.execute(_helped(Shape.of(scope)), parameters(scope, window))
        verdicts: dict[str, int] = {str(detail): int(count) for detail, count in rows}
        return Helpfulness(verdicts.get("ja", 0), verdicts.get("nej", 0))

    def statistics_export(self, *, window: Window) -> Iterator[ExportRow]:
        q = QuestionRow
        query = (
            select(
                q.ref,
                UnitRow.name,
                q.category,
                q.direction,
                q.status,
                q.consent_mode,
                q.consent_form,
                q.deadline,
                q.created_at,
                q.claimed_at,
                q.first_response_at,
                q.answered_at,
                q.closed_at,
                q.reopened_at,
            )
            .join(UnitRow, UnitRow.id == q.unit_id)
            .where(q.created_at >= window.start, q.created_at < window.end)
            .order_by(q.created_at, q.id)
            .execution_options(yield_per=2000)
        )
        for row in self.session.execute(query):
            yield ExportRow(
                ref=row.ref,
                unit=row.name,
                category=row.category,
                direction=Direction(row.direction),
                status=Status(row.status),
                consent_mode=row.consent_mode,
                consent_form=row.consent_form,
                deadline=row.deadline,
                created_at=row.created_at,
                claimed_at=row.claimed_at,
                first_response_at=row.first_response_at,
                answered_at=row.answered_at,
                closed_at=row.closed_at,
                reopened_at=row.reopened_at,
            )
