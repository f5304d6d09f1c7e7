"""Start-up: time from process start to ready, and resident memory, Bryggan against a bare
slack-bolt app (`bench/bare_bolt.py`), both in Slack's HTTP mode against the Slack
stand-in. Ready means bolt can dispatch: an unsigned POST to /slack/events answers 401.
Memory is VmRSS when ready. Bryggan starts as `bryggan --config <tmp> run` on an existing
SQLite database (migrations at head, as after a deploy); one first start on an empty
database is shown apart. Prints medians of --runs starts and the ratios (target ≤ 1.5×).

    python -m bench.bench_startup [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.servers import (
    StandInProcess,
    bryggan,
    ready_by_401,
    rss_kib,
    start_bare,
    stop,
    wait_until,
)
from tests.faults.harness import free_port

TARGET = 1.5


Launch = Callable[[], tuple[subprocess.Popen[bytes], int]]
"""Spawns a server; returns the process and its port."""


def start_once(launch: Launch) -> tuple[float, int]:
    """Seconds from spawning to ready, and VmRSS (KiB) then."""
    started = time.monotonic()
    process, port = launch()
    try:
        wait_until(lambda: ready_by_401(port), process, timeout=120)
        seconds = time.monotonic() - started
        return seconds, rss_kib(process.pid)
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    stand_in = StandInProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            url = f"sqlite:///{folder / 'startup.sqlite3'}"

            def launch_bryggan() -> tuple[subprocess.Popen[bytes], int]:
                server = bryggan(folder, url, stand_in.base_url).start()
                assert server.process is not None
                return server.process, server.port

            def launch_bare() -> tuple[subprocess.Popen[bytes], int]:
                port = free_port()
                return start_bare(port, stand_in.base_url), port

            first = start_once(launch_bryggan)
            results: dict[str, list[tuple[float, int]]] = {"bare bolt": [], "Bryggan": []}
            for _ in range(args.runs):
                results["bare bolt"].append(start_once(launch_bare))
                results["Bryggan"].append(start_once(launch_bryggan))
    finally:
        stand_in.close()
    print(f"{'':<12}{'ready s':>9}{'RSS MiB':>9}   (median of {args.runs} starts)")
    medians = {}
    for name, runs in results.items():
        seconds = statistics.median(s for s, _ in runs)
        mib = statistics.median(kib for _, kib in runs) / 1024
        medians[name] = (seconds, mib)
        print(f"{name:<12}{seconds:>9.2f}{mib:>9.1f}")
    print(
        f"Bryggan's first start on an empty database: {first[0]:.2f} s, {first[1] / 1024:.1f} MiB"
    )
    (bare_s, bare_mib), (own_s, own_mib) = medians["bare bolt"], medians["Bryggan"]
    for what, ratio in (("start-up time", own_s / bare_s), ("memory", own_mib / bare_mib)):
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"{what}: {ratio:.2f}× bare bolt's (target ≤ {TARGET}×: {verdict})")


if __name__ == "__main__":
    main()
