"""The per-minute due job at 100, 3,000 and 30,000 open questions: the full scan it was
(the baseline, reproduced here) against reading only what falls due.

For each size the bench seeds a fresh database (SQLite file; PostgreSQL too with --postgres)
with that many open questions, asked evenly over the two weeks before Monday 30 November
2026 10:00 in Stockholm: 15 % still new (their SLA reminder and escalation fall due in
working hours), the rest claimed, a third with a deadline in the coming month. Everything
that fell due before is already in `job_runs`, as earlier runs would have left it. Then,
minute after minute, the baseline and the new job run in turn, each sending what falls due
in its minute: first in a busy hour (two SLA reminders due every minute), then on the
Sunday night after (nothing due). Printed: the median time of a run, the tracemalloc peak
of one run (measured apart from the timing), the most questions the new job read in a run,
and the time of the new job's first run (every open question looked at once, as after the
upgrade to migration 0004). No assertions; the target is under 50 ms and under 5 MiB at
30,000.

    python -m bench.bench_due [--sizes 100,3000,30000] [--repeat 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.servers import postgres_schema
from bot.pulse_config import schedule_settings
from bot.wiring import Bryggan, build
from handlers.kernel import STOCKHOLM, Direction, Status, StoreFactory
from handlers.kernel import Clock as ClockType
from handlers.meetings import DueReport, ScheduleSettings, run_due
from handlers.meetings.model import meeting_store
from handlers.meetings.reminders import DueItem, question_items
from handlers.meetings.scheduling import in_window, pulse_due, run_items
from storage.models import JobRunRow, QuestionRow
from tests.support import Clock, test_config

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SPREAD = timedelta(days=14)
DUE_FROM = datetime(2026, 11, 27, 11, 1, tzinfo=STOCKHOLM)
"""Asked then, a new question's SLA reminder falls due at NOW + 1 minute (8 working hours)."""
MINUTES = 30
"""How many minutes are measured at most (each has two SLA reminders due)."""

Run = Callable[[StoreFactory, ClockType, Sequence[str], ScheduleSettings], DueReport]


def full_scan(
    stores: StoreFactory, clock: ClockType, platforms: Sequence[str], settings: ScheduleSettings
) -> DueReport:
    """The job before migration 0004: every open question loaded and its reminders computed
    inside one transaction (which holds SQLite's write lock throughout)."""
    now = clock()
    report = DueReport()
    with stores() as opened:
        store = meeting_store(opened)
        items = pulse_due(store, now, settings)
        slugs = {u.id: u.slug for u in store.units()}
        for question in store.open_questions():
            items += question_items(question, slugs.get(question.unit_id, ""), settings.sla)
        window = in_window(items, set(), now)
        done = store.claimed_jobs(keys=[i.key for i in window])
        report.questions_read = len(items)
    run_items(stores, [i for i in window if i.key not in done], now, platforms, settings, report)
    return report


def seed(app: Bryggan, count: int) -> None:
    """`count` open questions and the job keys of everything that fell due before NOW."""
    rng = random.Random(count)
    with app.core.stores() as store:
        unit = next(u for u in store.units() if u.slug == "kristianstad")
        asker = store.person_by_key(key="lisa")
        contact = store.person_by_key(key="anna")
        assert asker is not None and contact is not None
    rows, keys = [], []
    settings = schedule_settings(app.config).sla
    for number in range(count):
        created = NOW - SPREAD + SPREAD * (number + 0.5) / count
        new = rng.random() < 0.15
        if number < 2 * MINUTES:  # two reminders fall due in each measured minute
            created, new = DUE_FROM + timedelta(minutes=number // 2), True
        deadline = NOW.date() + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.3 else None
        rows.append(
            {
                "ref": f"F-2026-{number + 1:05d}",
                "unit_id": unit.id,
                "direction": Direction.VARD_TILL_FK.value,
                "category": "sgi_formaner",
                "consent_mode": "avidentifierad",
                "deadline": deadline,
                "text": f"Fråga {number}",
                "asker_id": asker.id,
                "assignee_id": None if new else contact.id,
                "status": (Status.NY if new else Status.TAGEN).value,
                "route_reason": "",
                "origin_platform": "console",
                "created_at": created,
                "claimed_at": None if new else created + timedelta(hours=1),
            }
        )
    with app.database.engine.begin() as connection:
        connection.execute(insert(QuestionRow), rows)
    with app.core.stores() as store:
        questions = meeting_store(store).open_questions()
    for question in questions:
        items: list[DueItem] = question_items(question, "kristianstad", settings)
        keys += [i.key for i in items if i.due_at < NOW]
    with app.database.engine.begin() as connection:
        for start in range(0, len(keys), 5000):
            chunk = [{"key": k, "at": NOW} for k in keys[start : start + 5000]]
            connection.execute(insert(JobRunRow), chunk)


def once(app: Bryggan, clock: Clock, run: Run, moment: datetime) -> tuple[float, DueReport]:
    clock.now = moment
    settings = schedule_settings(app.config)
    started = time.perf_counter()
    report = run(app.core.stores, clock, app.platforms, settings)
    return time.perf_counter() - started, report


def peak(app: Bryggan, clock: Clock, run: Run, moment: datetime) -> float:
    """The tracemalloc peak of one run, in MiB."""
    tracemalloc.start()
    try:
        once(app, clock, run, moment)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def alternate(
    app: Bryggan, clock: Clock, start: datetime, repeat: int
) -> tuple[list[float], list[float], int]:
    """The baseline and the new job in turn, a minute apart: their times, and the most
    questions the new job read in one run."""
    old_times, new_times, read, minute = [], [], 0, start
    for _ in range(repeat):
        minute += timedelta(minutes=1)
        old_times.append(once(app, clock, full_scan, minute)[0])
        minute += timedelta(minutes=1)
        spent, report = once(app, clock, run_due, minute)
        new_times.append(spent)
        read = max(read, report.questions_read)
    return old_times, new_times, read


def row(label: str, old_times: list[float], new_times: list[float], read: int, peaks: str) -> str:
    old, new = statistics.median(old_times) * 1000, statistics.median(new_times) * 1000
    return f"{label:<15} {old:9.1f} {new:8.1f} {old / new:7.1f}x {peaks} {read:5d}"


def measure(url: str, count: int, repeat: int) -> list[str]:
    """Rows for a busy minute (two reminders due in each) and a quiet one (nothing due:
    a Sunday night), and the new job's first run."""
    clock = Clock(NOW)
    app = build(test_config(url), clock)
    try:
        seed(app, count)
        first, _ = once(app, clock, run_due, NOW)
        old_times, new_times, read = alternate(app, clock, NOW, repeat)
        end = NOW + timedelta(minutes=2 * repeat)
        peaks = peak(app, clock, full_scan, end + timedelta(minutes=1))
        peaks_new = peak(app, clock, run_due, end + timedelta(minutes=2))
        busy = row(f"{count:,} busy", old_times, new_times, read, f"{peaks:9.2f} {peaks_new:8.2f}")
        sunday = datetime(2026, 12, 6, 3, 0, tzinfo=STOCKHOLM)
        once(app, clock, run_due, sunday)  # the week in between, caught up
        old_times, new_times, read = alternate(app, clock, sunday, repeat)
        peaks = peak(app, clock, full_scan, sunday + timedelta(minutes=2 * repeat + 1))
        peaks_new = peak(app, clock, run_due, sunday + timedelta(minutes=2 * repeat + 2))
        quiet = row(
            f"{count:,} quiet", old_times, new_times, read, f"{peaks:9.2f} {peaks_new:8.2f}"
        )
    finally:
        app.database.engine.dispose()
    return [busy, quiet, f"{count:,} first run of the new job: {first * 1000:.0f} ms"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,3000,30000")
    parser.add_argument("--repeat", type=int, default=5, help=f"at most {MINUTES // 2 - 2}")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BRYGGAN_BENCH_POSTGRES_URL")
        or os.environ.get("BRYGGAN_TEST_POSTGRES_URL"),
    )
    args = parser.parse_args()
    logging.getLogger("handlers.meetings.scheduling").setLevel(logging.ERROR)  # "missed …"
    sizes = [int(s) for s in args.sizes.split(",")]
    header = (
        "open, minute      scan ms   new ms   ratio  scan MiB  new MiB  read"
        "\n  (median of the timed runs; MiB: tracemalloc peak of one run; read: questions"
        " the new job loaded at most; busy: two reminders due in the minute; quiet: none)"
    )
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite, {date.today()}\n{header}")
        for count in sizes:
            url = f"sqlite:///{Path(folder) / f'due{count}.sqlite3'}"
            print("\n".join(measure(url, count, args.repeat)), flush=True)
    if args.postgres:
        print(f"PostgreSQL\n{header}")
        for count in sizes:
            with postgres_schema(args.postgres) as url:
                print("\n".join(measure(url, count, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
