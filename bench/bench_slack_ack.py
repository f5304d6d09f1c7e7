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

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


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
    name: str, port: int, folder: Path, seconds: float, args: argparse.Namespace
) -> Figures:
    """One wrk run against `port`; the figures it reports."""
    threads = min(2, args.clients)
    count = int(args.max_rate * seconds)
    tag = "".join(c for c in name if c.isalnum())[:12]
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{args.clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(wrk_script(folder, tag, count, threads)),
        f"http://127.0.0.1:{port}",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
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
    )


def measure(name: str, port: int, folder: Path, args: argparse.Namespace) -> Figures:
    run_wrk(f"{name} warm-up", port, folder, args.warmup, args)
    return run_wrk(name, port, folder, args.duration, args)


def bare_bolt(stand_in: StandInProcess, folder: Path, args: argparse.Namespace) -> Figures:
    port = free_port()
    process = start_bare(port, stand_in.base_url)
    try:
        wait_until(lambda: ready_by_401(port), process)
        return measure("bare bolt", port, folder, args)
    finally:
        stop(process)


def bryggan_run(
    name: str, url: str, stand_in: StandInProcess, folder: Path, args: argparse.Namespace
) -> Figures:
    """Bryggan under load, then the check that every committed question's card was posted."""
    stand_in.reset()
    server = bryggan(folder, url, stand_in.base_url).start()
    try:
        server.wait_ready(60)
        figures = measure(name, server.port, folder, args)
        ended = time.monotonic()
        stored = question_count(url)
        cards: dict[str, int] = {}
        while time.monotonic() - ended < 300:
            cards = stand_in.summary()["cards"]
            if len(cards) >= stored:
                break
            time.sleep(0.2)
        duplicates = sum(count - 1 for count in cards.values())
        print(
            f"  {name}: {stored} questions stored (warm-up included), {len(cards)} cards at the "
            f"stand-in {time.monotonic() - ended:.1f} s after the load ended, "
            f"{duplicates} duplicate cards"
        )
        return figures
    finally:
        server.stop()


def report(base: Figures, runs: list[Figures]) -> None:
    print()
    print(f"{'server':<22}{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}")
    for f in [base, *runs]:
        print(
            f"{f.name:<22}{f.requests:>10}{f.throughput:>10.0f}{f.p50_ms:>9.1f}"
            f"{f.p99_ms:>9.1f}{f.failed:>8}"
        )
    print()
    for f in runs:
        p99, rate = f.p99_ms / base.p99_ms, f.throughput / base.throughput
        print(
            f"{f.name}: p99 {p99:.2f}× bare bolt's (target ≤ {P99_TARGET}×: "
            f"{'met' if p99 <= P99_TARGET else 'MISSED'}), throughput {rate:.2f}× "
            f"(target ≥ {THROUGHPUT_TARGET}×: {'met' if rate >= THROUGHPUT_TARGET else 'MISSED'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--clients", type=int, default=32)
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
            report(base, runs)
    finally:
        stand_in.close()


if __name__ == "__main__":
    main()
