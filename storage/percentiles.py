"""Median and 90th percentile of response times, computed by the database.

PostgreSQL has `percentile_cont`; with GROUPING SETS one sort per measure gives every unit
and the total. SQLite has no percentile function: the durations are ranked with window
functions (ROW_NUMBER and COUNT over each unit and over everything) and the two rows around
each percentile's position are picked and interpolated in SQL, the way percentile_cont
does, so both databases give the same figures. No row reaches Python, only one per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Executable,
    Integer,
    SQLColumnExpression,
    Subquery,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from handlers.statistics import Percentiles, ResponseTimes, TimesRow
from storage.models import QuestionRow
from storage.question_filters import Shape, conditions

QUANTILES = (0.5, 0.9)
Conditions = tuple[ColumnElement[bool], ...]


def _seconds(dialect: str, moment: SQLColumnExpression[Any]) -> ColumnElement[Any]:
    """Seconds from the question's creation to `moment` (NULL when `moment` is NULL)."""
    created = QuestionRow.created_at
    if dialect == "postgresql":
        return func.extract("epoch", moment - created)
    day: ColumnElement[Any] = literal_column("86400.0")
    return (func.julianday(moment) - func.julianday(created)) * day


def measures(dialect: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Time to first reaction (claimed; answering or marking answered also claims) and
    time to answer (the first answer in the thread, else when it was marked answered)."""
    first = _seconds(dialect, QuestionRow.claimed_at)
    answer = _seconds(
        dialect, func.coalesce(QuestionRow.first_response_at, QuestionRow.answered_at)
    )
    return first, answer


def response_times(
    session: Session, statement: Executable, params: dict[str, Any]
) -> list[TimesRow]:
    """Run a statement from `times_statement`: rows per unit, and one for all (unit None)."""
    rows = [list(row) for row in session.execute(statement, params)]
    if session.get_bind().dialect.name == "postgresql":
        rows = [
            [unit, n1, *(values1 or (None, None)), n2, *(values2 or (None, None))]
            for unit, n1, values1, n2, values2 in rows
        ]
    return [_times_row(row) for row in rows]


def _times_row(row: Sequence[Any]) -> TimesRow:
    def percentiles(count: Any, median: Any, p90: Any) -> Percentiles:
        if not count:
            return Percentiles()
        return Percentiles(int(count), float(median), float(p90))

    first = percentiles(row[1], row[2], row[3])
    answer = percentiles(row[4], row[5], row[6])
    return TimesRow(row[0], ResponseTimes(first, answer))


@cache
def times_statement(dialect: str, shape: Shape) -> Executable:
    """The response-time statement for questions of `shape` (built once, bound per run)."""
    if dialect == "postgresql":
        return _postgresql(conditions(shape))
    return _sqlite(conditions(shape))


def _durations(dialect: str, conditions: Conditions) -> Subquery:
    """Each question's unit and two durations (f: first reaction, a: answer), computed once."""
    first, answer = measures(dialect)
    return (
        select(QuestionRow.unit_id.label("unit_id"), first.label("f"), answer.label("a"))
        .where(*conditions)
        .subquery("durations")
    )


def _postgresql(conditions: Conditions) -> Executable:
    durations = _durations("postgresql", conditions)
    quantiles: ColumnElement[Any] = literal_column("ARRAY[" + ", ".join(map(str, QUANTILES)) + "]")
    columns: list[SQLColumnExpression[Any]] = [durations.c.unit_id]
    for measure in (durations.c.f, durations.c.a):
        columns += [func.count(measure), func.percentile_cont(quantiles).within_group(measure)]
    return select(*columns).group_by(func.grouping_sets(tuple_(durations.c.unit_id), tuple_()))


def _literal(value: object) -> ColumnElement[Any]:
    return literal_column(repr(value))


def _pick(rank: Any, count: Any, value: Any, quantile: float) -> ColumnElement[float]:
    """percentile_cont over ranked rows: the value at 1-based rank floor((n-1)q)+1, moved
    towards the next one by the fraction."""
    one = _literal(1)
    position = (count - one) * _literal(quantile)
    low_rank = cast(position, Integer) + one
    low = func.max(func.iif(rank == low_rank, value, null()))
    high = func.coalesce(func.max(func.iif(rank == low_rank + one, value, null())), low)
    fraction = func.max(position - cast(position, Integer))
    return low + fraction * (high - low)


def _ranked(conditions: Conditions) -> CTE:
    """Each question's two durations with their rank and count, per unit and overall."""
    durations = _durations("sqlite", conditions)
    columns: list[ColumnElement[Any]] = [durations.c.unit_id, durations.c.f, durations.c.a]
    for name in ("f", "a"):
        value = durations.c[name]
        for scope, partition in (("u", durations.c.unit_id), ("t", None)):
            order = value.asc().nulls_last()
            rank = func.row_number().over(partition_by=partition, order_by=order)
            columns.append(rank.label(name + scope))
            columns.append(func.count(value).over(partition_by=partition).label(f"n{name}{scope}"))
    return select(*columns).cte("ranked")


def _percentiles(ranked: CTE, scope: str) -> list[ColumnElement[Any]]:
    cells: list[ColumnElement[Any]] = []
    for name in ("f", "a"):
        rank, count, value = ranked.c[name + scope], ranked.c[f"n{name}{scope}"], ranked.c[name]
        cells += [func.max(count), *(_pick(rank, count, value, q) for q in QUANTILES)]
    return cells


def _near(ranked: CTE, scope: str) -> ColumnElement[bool]:
    """Only the rows at or next to a percentile's position need to reach the aggregates."""
    one = _literal(1)
    return or_(
        *(
            func.abs(
                ranked.c[name + scope] - one - (ranked.c[f"n{name}{scope}"] - one) * _literal(q)
            )
            < one
            for name in ("f", "a")
            for q in QUANTILES
        )
    )


def _sqlite(conditions: Conditions) -> Executable:
    ranked = _ranked(conditions)
    per_unit = (
        select(ranked.c.unit_id, *_percentiles(ranked, "u"))
        .where(_near(ranked, "u"))
        .group_by(ranked.c.unit_id)
    )
    total = select(null(), *_percentiles(ranked, "t")).where(_near(ranked, "t"))
    return union_all(per_unit, total)
