"""The benchmark's yardstick: the same figures as Bryggan's statistics, written by hand as
plain SQL and run on the driver's connection (no SQLAlchemy expressions, no result
objects, no Python assembly)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from handlers.dates import Period, previous

HANDLED = "('besvarad', 'stangd')"
OPEN = "('ny', 'tagen', 'ateroppnad')"

TALLIES = f"""
SELECT unit_id, category, direction, COUNT(*),
       SUM(CASE WHEN status IN {HANDLED} THEN 1 ELSE 0 END),
       SUM(CASE WHEN status IN {OPEN} THEN 1 ELSE 0 END)
FROM questions WHERE created_at >= ? AND created_at < ?
GROUP BY unit_id, category, direction
"""

TIMES_POSTGRESQL = """
SELECT unit_id,
       COUNT(f), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY f),
       COUNT(a), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY a)
FROM (SELECT unit_id,
             EXTRACT(EPOCH FROM claimed_at - created_at) AS f,
             EXTRACT(EPOCH FROM COALESCE(first_response_at, answered_at) - created_at) AS a
      FROM questions WHERE created_at >= ? AND created_at < ?) AS d
GROUP BY GROUPING SETS ((unit_id), ())
"""


def _pick(rank: str, count: str, value: str, q: float) -> str:
    low = f"CAST(({count} - 1) * {q} AS INTEGER) + 1"
    at_low = f"MAX(CASE WHEN {rank} = {low} THEN {value} END)"
    at_high = f"COALESCE(MAX(CASE WHEN {rank} = {low} + 1 THEN {value} END), {at_low})"
    fraction = f"MAX(({count} - 1) * {q} - CAST(({count} - 1) * {q} AS INTEGER))"
    return f"{at_low} + {fraction} * ({at_high} - {at_low})"


def _picks(scope: str) -> str:
    cells = []
    for v in ("f", "a"):
        rank, count = f"r{v}{scope}", f"n{v}{scope}"
        cells += [f"MAX({count})", _pick(rank, count, v, 0.5), _pick(rank, count, v, 0.9)]
    return ", ".join(cells)


def _near(scope: str) -> str:
    """Only rows at or next to a percentile's position need to reach the aggregates."""
    return " OR ".join(
        f"ABS(r{v}{scope} - 1 - (n{v}{scope} - 1) * {q}) < 1"
        for v in ("f", "a")
        for q in (0.5, 0.9)
    )


TIMES_SQLITE = f"""
WITH ranked AS (
  SELECT unit_id, f, a,
    ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY f NULLS LAST) AS rfu,
    COUNT(f) OVER (PARTITION BY unit_id) AS nfu,
    ROW_NUMBER() OVER (ORDER BY f NULLS LAST) AS rft, COUNT(f) OVER () AS nft,
    ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY a NULLS LAST) AS rau,
    COUNT(a) OVER (PARTITION BY unit_id) AS nau,
    ROW_NUMBER() OVER (ORDER BY a NULLS LAST) AS rat, COUNT(a) OVER () AS nat
  FROM (SELECT unit_id,
               (julianday(claimed_at) - julianday(created_at)) * 86400.0 AS f,
               (julianday(COALESCE(first_response_at, answered_at))
                 - julianday(created_at)) * 86400.0 AS a
        FROM questions WHERE created_at >= ? AND created_at < ?)
)
SELECT unit_id, {_picks("u")} FROM ranked WHERE {_near("u")} GROUP BY unit_id
UNION ALL
SELECT NULL, {_picks("t")} FROM ranked WHERE {_near("t")}
"""

OPEN_OVERDUE = f"""
SELECT COUNT(*), SUM(CASE WHEN deadline < ? THEN 1 ELSE 0 END)
FROM questions WHERE status IN {OPEN}
"""

WEEKS_POSTGRESQL = f"""
SELECT date_trunc('week', created_at AT TIME ZONE 'Europe/Stockholm') AS week, category,
       COUNT(*), SUM(CASE WHEN status IN {HANDLED} THEN 1 ELSE 0 END),
       SUM(CASE WHEN status IN {OPEN} THEN 1 ELSE 0 END)
FROM questions WHERE created_at >= ? AND created_at < ?
GROUP BY 1, 2
"""


def weeks_sqlite(count: int) -> str:
    """SQLite has no time zones: the week starts (UTC instants) are given, one CASE."""
    whens = " ".join(f"WHEN created_at < ? THEN {i}" for i in range(count))
    return f"""
SELECT CASE {whens} END AS week, category, COUNT(*),
       SUM(CASE WHEN status IN {HANDLED} THEN 1 ELSE 0 END),
       SUM(CASE WHEN status IN {OPEN} THEN 1 ELSE 0 END)
FROM questions WHERE created_at >= ? AND created_at < ?
GROUP BY week, category
"""


def tallies(engine: Engine) -> str:
    return TALLIES


def times(engine: Engine) -> str:
    return TIMES_POSTGRESQL if engine.dialect.name == "postgresql" else TIMES_SQLITE


def open_overdue(engine: Engine) -> str:
    return OPEN_OVERDUE


def previous_start(period: Period) -> datetime:
    return previous(period).start


def _value(engine: Engine, value: Any) -> Any:
    if engine.dialect.name == "postgresql":
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def bind(engine: Engine, params: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(engine, v) for k, v in params.items()}


def run(connection: Connection, sql: str, *params: Any) -> list[Any]:
    engine = connection.engine
    if engine.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    values = tuple(_value(engine, p) for p in params)
    return list(connection.exec_driver_sql(sql, values).all())


def weekly_buckets(connection: Connection, engine: Engine, boundaries: Sequence[datetime]) -> None:
    if engine.dialect.name == "postgresql":
        run(connection, WEEKS_POSTGRESQL, boundaries[0], boundaries[-1])
        return
    sql = weeks_sqlite(len(boundaries) - 1)
    run(connection, sql, *boundaries[1:], boundaries[0], boundaries[-1])
