"""Slack acknowledgement under load: Bryggan against the durable limit, beside bare bolt.

Every server runs as a child process on this machine, in turn, behind the same HTTP server
(`bench/bare_bolt.py`'s, as `bot/slack/http.py`): bare bolt, which only acks; the durable
limit (`bench/durable_limit.py`), bolt whose `/fraga` commits the question and its two
outbox rows in one Core transaction and drains its outbox like Bryggan's; and Bryggan
(`bryggan run`, HTTP mode), which validates, routes and commits the question before the ack
and posts the card and the contact's notice from its outbox. The limit and Bryggan run on
SQLite (a file, WAL) and, given a URL, on PostgreSQL. wrk sends the same signed `/fraga`
one-liners from `--clients` connections (closed loop) for `--duration` seconds after a
warm-up, then from one connection for `--single` seconds. After the burst the bench waits
until every stored question's card reached the Slack stand-in (its own process): the card
lag. `--rounds` rounds, the servers' order rotated each round; the tables show the median
of the rounds, and the ratios of Bryggan against the limit on the same database and
against bare bolt. No assertions.

    python -m bench.bench_slack_ack [--rounds 3] [--duration 20] [--clients 32] [--postgres URL]

Needs `wrk` (Debian: apt-get install wrk). PostgreSQL is used with --postgres or when
BRYGGAN_BENCH_POSTGRES_URL / BRYGGAN_TEST_POSTGRES_URL is set (a schema of its own per run).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import slack_bolt

from bench.servers import (
    StandInProcess,
    bryggan,
    cpu_seconds,
    postgres_schema,
    question_count,
    ready_by_401,
    start_bare,
    start_limit,
    stop,
    wait_until,
)
from tests.bot.slack_support import CHANNEL
from tests.faults.harness import free_port
from tests.slack_stand_in import DEFAULT_SIGNING_SECRET, slash_command_body

THROUGHPUT_TARGET = {"SQLite": 0.7, "PostgreSQL": 0.5}
"""Bryggan's throughput at `--clients` against the durable limit's on the same database."""
CPU_TARGET = 1.5
LAG_TARGET = 1.5
SINGLE_P50_TARGET = 1.1
"""One client at a time: Bryggan's p50 against bare bolt's."""

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
    lag: float | None = None
    """Seconds after the burst until every stored question's card was posted."""


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


@dataclass(frozen=True)
class Server:
    """One of the servers compared: `start` returns its pid and port once it is ready,
    and a function that stops it."""

    name: str
    database: str | None
    """The database URL whose `questions` the cards are checked against (None: bare bolt)."""
    start: Callable[[], tuple[int, int, Callable[[], None]]]


def bare_server(stand_in: StandInProcess) -> Server:
    def start() -> tuple[int, int, Callable[[], None]]:
        port = free_port()
        process = start_bare(port, stand_in.base_url)
        wait_until(lambda: ready_by_401(port), process)
        return process.pid, port, lambda: stop(process)

    return Server("bare bolt", None, start)


def limit_server(name: str, url: str, stand_in: StandInProcess) -> Server:
    def start() -> tuple[int, int, Callable[[], None]]:
        port = free_port()
        process = start_limit(port, stand_in.base_url, url)
        wait_until(lambda: ready_by_401(port), process)
        return process.pid, port, lambda: stop(process)

    return Server(name, url, start)


def bryggan_server(name: str, url: str, stand_in: StandInProcess, folder: Path) -> Server:
    def start() -> tuple[int, int, Callable[[], None]]:
        server = bryggan(folder, url, stand_in.base_url).start()
        server.wait_ready(60)
        return server.pid, server.port, server.stop

    return Server(name, url, start)


def measure(server: Server, stand_in: StandInProcess, folder: Path, args: Any) -> Run:
    """The server under load, its card lag, then one client at a time."""
    stand_in.reset()
    pid, port, halt = server.start()
    try:
        known = question_count(server.database) if server.database else 0  # earlier rounds'
        busy = loaded(server.name, pid, port, folder, args)
        lag = all_cards_posted(server.name, server.database, stand_in, known)
        quiet = single(server.name, pid, port, folder, args)
        all_cards_posted(f"{server.name} single", server.database, stand_in, known)
        return Run(busy, quiet, lag)
    finally:
        halt()


def all_cards_posted(
    name: str, url: str | None, stand_in: StandInProcess, known: int = 0
) -> float | None:
    """Wait until the card of every question stored in this round (beyond `known`) reached
    the stand-in (the outbox drains after the acks); the seconds that took, and whether any
    card was posted twice."""
    if url is None:
        return None
    ended = time.monotonic()
    stored, cards = question_count(url) - known, stand_in.summary()["cards"]
    waiting = stored - len(cards)
    while time.monotonic() - ended < 600 and len(cards) < stored:
        time.sleep(0.5)  # the stand-in's summary reads every call: asked often, it slows it
        stored, cards = question_count(url) - known, stand_in.summary()["cards"]
    lag = time.monotonic() - ended
    duplicates = sum(count - 1 for count in cards.values())
    outcome = (
        f"all {stored} cards posted {lag:.1f} s after the run ({waiting} were waiting: "
        f"{waiting / max(lag, 0.01):.0f} cards/s with their notices)"
        if len(cards) == stored
        else f"only {len(cards)} cards for {stored} questions stored"
    )
    print(f"  {name}: {outcome} ({duplicates} duplicate cards)", flush=True)
    return lag


def median_run(runs: list[Run]) -> Run:
    """The median of each figure over the rounds (the name and counts of the middle run)."""

    def mid(values: list[float]) -> float:
        return statistics.median(values)

    def figures(chosen: list[Figures]) -> Figures:
        return Figures(
            chosen[0].name,
            int(mid([f.requests for f in chosen])),
            mid([f.seconds for f in chosen]),
            mid([f.p50_ms for f in chosen]),
            mid([f.p99_ms for f in chosen]),
            sum(f.failed for f in chosen),
            mid([f.cpu_ms for f in chosen]),
        )

    lags = [r.lag for r in runs if r.lag is not None]
    return Run(
        figures([r.loaded for r in runs]),
        figures([r.single for r in runs]),
        mid(lags) if lags else None,
    )


def table(title: str, rows: list[tuple[Figures, float | None]]) -> None:
    print(f"\n{title}")
    print(
        f"{'server':<30}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}"
        f"{'CPU ms/req':>12}{'card lag s':>12}"
    )
    for f, lag in rows:
        shown = f"{lag:.1f}" if lag is not None else "–"
        print(
            f"{f.name:<30}{f.throughput:>8.0f}{f.p50_ms:>9.1f}{f.p99_ms:>9.1f}"
            f"{f.failed:>8}{f.cpu_ms:>12.2f}{shown:>12}"
        )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: dict[str, list[Run]], args: Any) -> None:
    """Medians per server, then Bryggan's ratios against the limit and bare bolt."""
    medians = {name: median_run(runs) for name, runs in results.items()}
    rounds = len(next(iter(results.values())))
    table(
        f"{args.clients} clients, {args.duration:g} s, median of {rounds}",
        [(m.loaded, m.lag) for m in medians.values()],
    )
    table(f"one client, {args.single:g} s", [(m.single, None) for m in medians.values()])
    bare = medians["bare bolt"]
    print()
    for database in ("SQLite", "PostgreSQL"):
        ours, limit = medians.get(f"Bryggan ({database})"), medians.get(f"limit ({database})")
        if ours is None or limit is None:
            continue
        rate = ours.loaded.throughput / limit.loaded.throughput
        cpu = ours.loaded.cpu_ms / limit.loaded.cpu_ms
        lag = (ours.lag or 0) / max(limit.lag or 0, 0.1)
        quiet = ours.single.p50_ms / bare.single.p50_ms
        print(
            f"Bryggan ({database}) against the limit: throughput {rate:.2f}× "
            f"(target ≥ {THROUGHPUT_TARGET[database]}×: "
            f"{verdict(rate >= THROUGHPUT_TARGET[database])}), CPU per request {cpu:.2f}× "
            f"(target ≤ {CPU_TARGET}×: {verdict(cpu <= CPU_TARGET)}), card lag {lag:.2f}× "
            f"(target ≤ {LAG_TARGET}×: {verdict(lag <= LAG_TARGET)}); against bare bolt: "
            f"throughput {ours.loaded.throughput / bare.loaded.throughput:.2f}×, one client "
            f"p50 {quiet:.2f}× (target ≤ {SINGLE_P50_TARGET}×: "
            f"{verdict(quiet <= SINGLE_P50_TARGET)})"
        )


def servers(stand_in: StandInProcess, folder: Path, postgres: str | None) -> Iterator[Server]:
    yield bare_server(stand_in)
    for database, url in [("SQLite", None), ("PostgreSQL", postgres)]:
        if database == "PostgreSQL" and not url:
            continue
        for kind in ("limit", "Bryggan"):
            name = f"{kind} ({database})"
            tag = "".join(c for c in name if c.isalnum()).lower()
            if url is None:
                address = f"sqlite:///{folder / tag}.sqlite3"
            else:
                address = schemas.enter_context(postgres_schema(url))
            make = limit_server if kind == "limit" else None
            yield (
                make(name, address, stand_in)
                if make
                else bryggan_server(name, address, stand_in, folder)
            )


schemas = ExitStack()
"""The PostgreSQL schemas of one run, dropped at its end."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
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
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, Python "
        f"{platform.python_version()}, slack-bolt {slack_bolt.version.__version__}; "
        f"{args.clients} clients × {args.duration:g} s (after {args.warmup:g} s warm-up), "
        f"{args.rounds} rounds",
        flush=True,
    )
    stand_in = StandInProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp, schemas:
            folder = Path(tmp)
            chosen = list(servers(stand_in, folder, args.postgres))
            results: dict[str, list[Run]] = {s.name: [] for s in chosen}
            for number in range(args.rounds):
                turn = chosen[number % len(chosen) :] + chosen[: number % len(chosen)]
                print(f"round {number + 1}: load {os.getloadavg()[0]:.1f}", flush=True)
                for server in turn:
                    results[server.name].append(measure(server, stand_in, folder, args))
            report(results, args)
            print(f"load at the end {os.getloadavg()[0]:.1f}")
    finally:
        stand_in.close()


if __name__ == "__main__":
    main()
