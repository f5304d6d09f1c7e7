"""/statistik for a quarter and the weekly summary, against hand-written SQL GROUP BY.

Seeds one million questions (SQLite file and/or a PostgreSQL schema of its own), then times,
in the same run and on the same data, Bryggan's own code path (the figures and text of
`/statistik <quarter>` without the chat layer, and of the weekly summary without drawing
the chart) against hand-written SQL that computes the same figures directly on the
driver's connection. Prints the medians and the ratio; the target is ≤ 1.5×. No assertions.

    python -m bench.bench_statistics [--rows 1000000] [--postgres URL] [--repeat 7]

PostgreSQL is used when --postgres or BRYGGAN_BENCH_POSTGRES_URL / BRYGGAN_TEST_POSTGRES_URL
is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test); the schema
`bench_statistics` is created in it. Seeding is skipped when the data is already there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench import statistics_sql as hand
from bench.statistics_data import question_count, seed
from bot.charts import render_weekly_chart
from handlers.dates import local_today, quarter, week_boundaries
from handlers.statistics import (
    CHART_WEEKS,
    Scope,
    build_report,
    last_week,
    report_text,
    statistics_queries,
    summary_text,
    weekly_summary,
)
from storage.db import Database, make_engine, upgrade

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
QUARTER = quarter(2026, 3)


def code_quarter(database: Database) -> None:
    with database.transaction() as store:
        report = build_report(
            statistics_queries(store),
            scope=Scope(),
            period=QUARTER,
            now=NOW,
            units=store.units(),
            categories=store.categories(include_inactive=True),
            unit_lookup=lambda unit_id: store.unit(unit_id=unit_id),
        )
        report_text(report)


def code_weekly(database: Database) -> None:
    with database.transaction() as store:
        summary = weekly_summary(
            statistics_queries(store),
            scope=Scope(),
            scope_label="alla enheter",
            categories=store.categories(include_inactive=True),
            now=NOW,
        )
        summary_text(summary)


def hand_quarter(engine: Engine) -> None:
    windows = [(QUARTER.start, QUARTER.end), (hand.previous_start(QUARTER), QUARTER.start)]
    with engine.connect() as connection:
        for start, end in windows:
            hand.run(connection, hand.tallies(engine), start, end)
            hand.run(connection, hand.times(engine), start, end)


def hand_weekly(engine: Engine) -> None:
    boundaries = week_boundaries(last_week(NOW), CHART_WEEKS)
    with engine.connect() as connection:
        hand.weekly_buckets(connection, engine, boundaries)
        connection.exec_driver_sql("SELECT COUNT(*) FROM questions").all()
        hand.run(connection, hand.open_overdue(engine), local_today(NOW))


def compare(
    name: str, code: Callable[[], Any], handwritten: Callable[[], Any], repeat: int
) -> None:
    """Alternate the two (after one warm-up each) so that load on the machine hits both."""
    code(), handwritten()
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        for action, samples in ((code, ours), (handwritten, theirs)):
            started = time.perf_counter()
            action()
            samples.append(time.perf_counter() - started)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(
        f"  {name:<26} Bryggan {a * 1000:8.1f} ms   hand-written SQL {b * 1000:8.1f} ms"
        f"   ratio {a / b:4.2f}×",
        flush=True,
    )


def chart_time(summary: Any) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        render_weekly_chart(summary.chart, Path(folder) / "chart.png")
        return time.perf_counter() - started


def bench(label: str, url: str, rows: int, repeat: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    if question_count(engine) != rows:
        print(f"{label}: seeding {rows:,} questions …", flush=True)
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM questions"))
        seed(engine, rows)
        print(f"{label}: seeded in {time.perf_counter() - started:.0f} s", flush=True)
    database = Database(engine)
    with engine.connect() as connection:
        in_quarter = connection.execute(
            text("SELECT COUNT(*) FROM questions WHERE created_at >= :s AND created_at < :e"),
            hand.bind(engine, {"s": QUARTER.start, "e": QUARTER.end}),
        ).scalar()
    print(f"{label}: {rows:,} questions, {in_quarter:,} in {QUARTER.label}; median of {repeat}")
    compare(
        f"/statistik {QUARTER.label}",
        lambda: code_quarter(database),
        lambda: hand_quarter(engine),
        repeat,
    )
    compare("weekly summary", lambda: code_weekly(database), lambda: hand_weekly(engine), repeat)
    with database.transaction() as store:
        summary = weekly_summary(
            statistics_queries(store),
            scope=Scope(),
            scope_label="",
            categories=store.categories(),
            now=NOW,
        )
    print(f"  (drawing the chart PNG, not compared: {chart_time(summary) * 1000:.0f} ms)")
    engine.dispose()


def postgres_url(url: str) -> str:
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text('CREATE SCHEMA IF NOT EXISTS "bench_statistics"'))
    admin.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3Dbench_statistics"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--sqlite", type=Path, default=Path(tempfile.gettempdir()) / "bryggan-bench.sqlite3"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BRYGGAN_BENCH_POSTGRES_URL")
        or os.environ.get("BRYGGAN_TEST_POSTGRES_URL"),
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only != "postgresql":
        bench("SQLite", f"sqlite:///{args.sqlite}", args.rows, args.repeat)
    if args.postgres and args.only != "sqlite":
        bench("PostgreSQL", postgres_url(args.postgres), args.rows, args.repeat)


if __name__ == "__main__":
    main()
