"""Run the suite as if today were another day.

`TESTS_WALL_CLOCK=2027-01-04T09:00+01:00 pytest` moves the wall clock (`time.time`,
`datetime.now`, …) of the test process and of every Python process the tests start
(`bryggan run`, the console, Synapse) to that moment, after which it ticks at normal speed.
All processes share one offset, so signed Slack requests and Matrix timestamps agree.
Monotonic clocks are left alone. Unset, nothing is shifted.

Processes are started through `python_command`, which goes through this file when the
clock is shifted: `python -P tests/clock_shift.py <module> <args…>`.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from datetime import UTC, datetime

import time_machine

from handlers.dates.periods import local_today

WALL_CLOCK = "TESTS_WALL_CLOCK"
ORIGIN = "TESTS_WALL_CLOCK_ORIGIN"
"""The real time (epoch seconds) at which the first process shifted its clock."""


def shift_from_environment() -> datetime | None:
    """Shift this process's wall clock when `TESTS_WALL_CLOCK` is set; the shifted start."""
    wanted = os.environ.get(WALL_CLOCK)
    if not wanted:
        return None
    target = datetime.fromisoformat(wanted)
    if target.tzinfo is None:
        raise SystemExit(f"{WALL_CLOCK} needs a zone offset, e.g. 2027-01-04T09:00+01:00")
    real_now = time.time()
    origin = float(os.environ.setdefault(ORIGIN, repr(real_now)))
    start = target.timestamp() + (real_now - origin)
    time_machine.travel(start, tick=True).start()
    return datetime.fromtimestamp(start, target.tzinfo)


def python_command(module: str, *args: str) -> list[str]:
    """`python -m module args…`, shifted like this process when the clock is shifted."""
    if os.environ.get(WALL_CLOCK):
        # -P: this file's folder (tests/, with its own `handlers` package of tests) must not
        # come first on sys.path.
        return [sys.executable, "-P", __file__, module, *args]
    return [sys.executable, "-m", module, *args]


def reference_year() -> int:
    """The year in the reference of a question asked now (Stockholm's date, as the product
    numbers them)."""
    return local_today(datetime.now(UTC)).year


if __name__ == "__main__":
    shift_from_environment()
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.getcwd())  # as `python -m` would have it
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
