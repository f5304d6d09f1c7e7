"""Slack acknowledgement under load: Bryggan in HTTP mode against a bare slack-bolt app.

Both servers run as child processes on this machine, in turn, with the same HTTP server
technology (bolt's `App.dispatch` behind a `ThreadingHTTPServer` with keep-alive; see
`bench/bare_bolt.py`). wrk sends the same signed `/fraga` one-liners from `--clients`
concurrent connections (closed loop: each waits for its answer) for `--duration` seconds
after a short warm-up. Bryggan does all its work per request: the core validates, routes
and commits the question (SQLite file, and PostgreSQL when a URL is given) before the ack,
then posts the card and the contact's notice to a Slack stand-in (its own process) from
the outbox. After the run the bench waits until every committed question's card reached
the stand-in. Prints p50/p99 ack latency, throughput and the ratios against the targets
(p99 ≤ 1.3× bare bolt's, throughput ≥ 0.7×). No assertions.

    python -m bench.bench_slack_ack [--duration 20] [--clients 32] [--postgres URL]

Needs `wrk` (Debian: apt-get install wrk). PostgreSQL is used with --postgres or when
BRYGGAN_BENCH_POSTGRES_URL / BRYGGAN_TEST_POSTGRES_URL is set (a schema of its own).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import slack_bolt

from bench.servers import (
    StandInProcess,
    bryggan,
    cpu_seconds,
    postgres_schema,
    question_count,
    ready_by_401,
    start_bare,
    stop,
    wait_until,
)
from tests.bot.slack_support import CHANNEL
from tests.faults.harness import free_port
from tests.slack_stand_in import DEFAULT_SIGNING_SECRET, slash_command_body

P99_TARGET = 1.3
THROUGHPUT_TARGET = 0.7

LUA = """
local timestamp = "%(timestamp)s"
local prefix = [==[%(prefix)s]==]
local suffix = [==[%(suffix)s]==]
local signatures = {
%(signatures)s
}
local threads = %(threads)d
local created = 0

function setup(thread)
  thread:set("first", created)
  created = created + 1
end

function init(args)
  n = first
  wrk.method = "POST"
  wrk.path = "/slack/events"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-Slack-Request-Timestamp"] = timestamp
end

function request()
  local i = n %% #signatures
  n = n + threads
  wrk.headers["X-Slack-Signature"] = signatures[i + 1]
  return wrk.format(nil, nil, nil, prefix .. i .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"socket_errors": %%d, "non2xx": %%d, "timeouts": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Figures:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int
    cpu_ms: float = 0.0
    """The server's CPU time per request (ms)."""

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Run:
    loaded: Figures
    """`--clients` concurrent clients: throughput and latency at saturation."""
    single: Figures
    """One client, one request at a time: the latency a user meets on a quiet day."""


def wrk_script(folder: Path, tag: str, count: int, threads: int) -> Path:
    """A wrk script sending `count` distinct `/fraga` one-liners, each signed once.

    Bryggan refuses a signature it has seen (a replay), so no request may repeat: the
    question texts are numbered and each number has its signature, computed here (a
    timestamp of now is valid for five minutes; a run takes well under that). Thread k of
    wrk sends numbers k, k + threads, … so no two threads send the same one.
    """
    marker = "NUMMER"
    text = f"kategori:sgi Belastningsfråga {tag}-{marker}: hur påverkas SGI vid deltid?"
    prefix, suffix = slash_command_body("/fraga", text, "ULISA", CHANNEL).split(marker)
    timestamp = str(int(time.time()))
    secret = DEFAULT_SIGNING_SECRET.encode()
    signatures = [
        hmac.new(secret, f"v0:{timestamp}:{prefix}{n}{suffix}".encode(), hashlib.sha256)
        for n in range(count)
    ]
    values = {
        "timestamp": timestamp,
        "prefix": prefix,
        "suffix": suffix,
        "signatures": "\n".join(f'"v0={s.hexdigest()}",' for s in signatures),
        "threads": threads,
    }
    path = folder / f"fraga-{tag}.lua"
    path.write_text(LUA % values, encoding="utf-8")
    return path


def run_wrk(
    name: str, pid: int, port: int, folder: Path, seconds: float, clients: int, rate: float
) -> Figures:
    """One wrk run against `port` (server process `pid`); the figures it reports."""
    threads = min(2, clients)
    count = int(rate * seconds)
    tag = "".join(c for c in name if c.isalnum())[:16]
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(wrk_script(folder, tag, count, threads)),
        f"http://127.0.0.1:{port}",
    ]
    cpu = cpu_seconds(pid)
    done = subprocess.run(command, capture_output=True, text=True)
    cpu = cpu_seconds(pid) - cpu
    if done.returncode != 0 or "RESULT " not in done.stdout:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    result = json.loads(done.stdout.split("RESULT ", 1)[1])
    if result["requests"] > count:
        print(f"  {name}: more than {count} requests; raise --max-rate (repeats are refused)")
    return Figures(
        name,
        result["requests"],
        result["duration_us"] / 1e6,
        result["p50_us"] / 1000,
        result["p99_us"] / 1000,
        result["socket_errors"] + result["non2xx"] + result["timeouts"],
        cpu * 1000 / max(1, result["requests"]),
    )


def loaded(name: str, pid: int, port: int, folder: Path, args: argparse.Namespace) -> Figures:
    """Warm up, then `--clients` concurrent clients for `--duration` seconds."""
    run_wrk(f"{name} warm-up", pid, port, folder, args.warmup, args.clients, args.max_rate)
    return run_wrk(name, pid, port, folder, args.duration, args.clients, args.max_rate)


def single(name: str, pid: int, port: int, folder: Path, args: argparse.Namespace) -> Figures:
    return run_wrk(f"{name} single", pid, port, folder, args.single, 1, 500)


def bare_bolt(stand_in: StandInProcess, folder: Path, args: argparse.Namespace) -> Run:
    port = free_port()
    process = start_bare(port, stand_in.base_url)
    try:
        wait_until(lambda: ready_by_401(port), process)
        busy = loaded("bare bolt", process.pid, port, folder, args)
        return Run(busy, single("bare bolt", process.pid, port, folder, args))
    finally:
        stop(process)


def bryggan_run(
    name: str, url: str, stand_in: StandInProcess, folder: Path, args: argparse.Namespace
) -> Run:
    """Bryggan under load, then the check that every committed question's card was posted."""
    stand_in.reset()
    server = bryggan(folder, url, stand_in.base_url).start()
    try:
        server.wait_ready(60)
        busy = loaded(name, server.pid, server.port, folder, args)
        all_cards_posted(name, url, stand_in)
        quiet = single(name, server.pid, server.port, folder, args)
        all_cards_posted(f"{name} single", url, stand_in)
        return Run(busy, quiet)
    finally:
        server.stop()


def all_cards_posted(name: str, url: str, stand_in: StandInProcess) -> None:
    """Wait until every stored question's card reached the stand-in (the outbox drains
    after the acks); say how long that took and whether any card was posted twice."""
    ended = time.monotonic()
    stored, cards = question_count(url), {}
    while time.monotonic() - ended < 600 and len(cards) < stored:
        time.sleep(0.1)
        stored, cards = question_count(url), stand_in.summary()["cards"]
    duplicates = sum(count - 1 for count in cards.values())
    outcome = (
        f"all {stored} questions stored so far had their card posted "
        f"{time.monotonic() - ended:.1f} s after the run"
        if len(cards) == stored
        else f"only {len(cards)} cards for {stored} questions stored"
    )
    print(f"  {name}: {outcome} ({duplicates} duplicate cards)")


def table(title: str, rows: list[Figures]) -> None:
    print(f"\n{title}")
    print(
        f"{'server':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'failed':>8}{'CPU ms/req':>12}"
    )
    for f in rows:
        print(
            f"{f.name:<24}{f.requests:>9}{f.throughput:>8.0f}{f.p50_ms:>9.1f}"
            f"{f.p99_ms:>9.1f}{f.failed:>8}{f.cpu_ms:>12.2f}"
        )


def report(base: Run, runs: list[Run], args: argparse.Namespace) -> None:
    table(
        f"{args.clients} concurrent clients, {args.duration:g} s",
        [base.loaded] + [r.loaded for r in runs],
    )
    table(f"one client, {args.single:g} s", [base.single] + [r.single for r in runs])
    print()
    for run in runs:
        f, b = run.loaded, base.loaded
        p99, rate = f.p99_ms / b.p99_ms, f.throughput / b.throughput
        print(
            f"{f.name}: p99 {p99:.2f}× bare bolt's (target ≤ {P99_TARGET}×: "
            f"{'met' if p99 <= P99_TARGET else 'MISSED'}), throughput {rate:.2f}× "
            f"(target ≥ {THROUGHPUT_TARGET}×: {'met' if rate >= THROUGHPUT_TARGET else 'MISSED'}); "
            f"one client: p99 {run.single.p99_ms / base.single.p99_ms:.2f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--single", type=float, default=5, help="seconds with one client")
    parser.add_argument(
        "--max-rate", type=float, default=5000, help="signed requests prepared per second"
    )
    default_pg = os.environ.get("BRYGGAN_BENCH_POSTGRES_URL") or os.environ.get(
        "BRYGGAN_TEST_POSTGRES_URL"
    )
    parser.add_argument("--postgres", default=default_pg, help="a PostgreSQL URL")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, slack-bolt "
        f"{slack_bolt.version.__version__}; {args.clients} clients × {args.duration:g} s "
        f"(after {args.warmup:g} s warm-up)"
    )
    stand_in = StandInProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            base = bare_bolt(stand_in, folder, args)
            sqlite = f"sqlite:///{folder / 'bench.sqlite3'}"
            runs = [bryggan_run("Bryggan (SQLite)", sqlite, stand_in, folder, args)]
            if args.postgres:
                with postgres_schema(args.postgres) as url:
                    runs.append(bryggan_run("Bryggan (PostgreSQL)", url, stand_in, folder, args))
            report(base, runs, args)
    finally:
        stand_in.close()


if __name__ == "__main__":
    main()
