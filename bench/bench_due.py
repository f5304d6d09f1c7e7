"""The per-minute due job: how long one `run_due` takes when nothing and when much is due.

Seeds a SQLite file with `--series` pulse series over the test units and `--questions` open
questions, then times `run_due` at a quiet minute (everything computed, nothing to send) and
at the minute after a two-week downtime (everything missed is logged once). Prints medians.
No assertions.

    python -m bench.bench_due [--series 20] [--questions 500] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.pulse_config import schedule_settings
from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.meetings import run_due
from tests.support import Clock, test_config

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PHRASES = ("varannan torsdag kl 13", "varje måndag kl 10", "första tisdagen i månaden kl 9")


def seed(app: Bryggan, clock: Clock, series: int, questions: int) -> None:
    for number in range(series):
        phrase = PHRASES[number % len(PHRASES)]
        app.core.handle(Request("console", "maria", f"/puls ny {phrase} enheter:kristianstad"))
    for number in range(questions):
        clock.now = START + timedelta(minutes=number)
        app.core.handle(Request("console", "lisa", f"/fråga kategori:sgi Fråga {number}"))


def timed(app: Bryggan, clock: Clock, moment: datetime, repeat: int) -> tuple[float, int]:
    settings = schedule_settings(app.config)
    runs, handled = [], 0
    for _ in range(repeat):
        clock.now = moment
        started = time.perf_counter()
        report = run_due(app.core.stores, clock, app.platforms, settings)
        runs.append(time.perf_counter() - started)
        handled = max(handled, len(report.sent) + len(report.missed))
    return statistics.median(runs), handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock(START)
        app = build(test_config(f"sqlite:///{Path(folder) / 'due.sqlite3'}"), clock)
        seed(app, clock, args.series, args.questions)
        first, handled = timed(app, clock, START + timedelta(days=14), 1)
        quiet, _ = timed(app, clock, START + timedelta(days=14, minutes=1), args.repeat)
        print(f"{args.series} series, {args.questions} open questions (SQLite)")
        print(f"after a 2-week downtime: {first * 1000:8.1f} ms, {handled} jobs run or logged")
        print(f"a quiet minute (median): {quiet * 1000:8.1f} ms")
        app.database.engine.dispose()


if __name__ == "__main__":
    main()
