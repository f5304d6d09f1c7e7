"""Memory under steady use: does a bot's resident memory stay flat while questions keep coming?

Slack (HTTP mode): a load generator posts signed `/fraga` one-liners at `--rate` a second
(open loop: on a fixed schedule, whatever the answers take) for `--minutes`, to one server at
a time, each a child process against the Slack stand-in (its own process):

- Bryggan (`bryggan run`, HTTP mode) on a SQLite file, and on PostgreSQL when a URL is given
  (a schema of its own): each question committed, its card and the contact's notice posted
  from the outbox, the due job running every minute;
- the durable-limit app (`bench/durable_limit.py`): bolt, one Core transaction per question
  and an outbox sender; the floor to compare with.

The server's RSS (VmRSS) is sampled every `--sample` seconds. Printed per server: the
samples, the growth per 1,000 questions after the `--warmup` minutes, and the % growth from
the end of the warm-up to the end (the target for Bryggan: under 2 %). With `--probe`, the
Bryggan process reports, at the end of the warm-up and at the end, SQLite's own memory and
its live objects per type (the bench prints the types that grew most); `--tracemalloc` adds
the 15 largest differences in traced memory by source line (and slows Bryggan down).

Matrix: `--matrix N` runs N commands against a local Synapse (a question's life: ask, list,
claim, close; each waits for the reply and Bryggan's empty outbox) after 20 to warm up, and
prints Bryggan's RSS every 100 commands and the growth. No assertions.

    python -m bench.bench_memory [--minutes 10] [--rate 10] [--warmup 2] [--sample 30]
        [--servers sqlite,postgres,durable] [--postgres URL] [--matrix 500]
        [--probe] [--tracemalloc]

A short run: `--minutes 1 --warmup 0.5 --sample 10 --matrix 40`.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import ctypes.util
import gc
import hashlib
import hmac
import http.client
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.servers import (
    SLACK_ENV,
    StandInProcess,
    bryggan,
    postgres_schema,
    ready_by_401,
    rss_kib,
    stop,
    wait_until,
)
from tests.bot.slack_support import CHANNEL
from tests.faults.harness import REPO, free_port
from tests.slack_stand_in import DEFAULT_SIGNING_SECRET, slash_command_body

SNAPSHOT_DIR = "BENCH_MEMORY_SNAPSHOTS"
"""Set in the traced child's environment: where SIGUSR1 writes its tracemalloc snapshots."""


@dataclass
class Sample:
    seconds: float
    questions: int
    rss_mib: float


@dataclass
class Result:
    name: str
    samples: list[Sample] = field(default_factory=list)
    failures: int = 0
    posts: int = 0

    def line(self, warmup: float) -> str:
        first = self.samples[0]
        warm = next((s for s in self.samples if s.seconds >= warmup), first)
        last = self.samples[-1]
        per_k = (last.rss_mib - warm.rss_mib) / max(1, last.questions - warm.questions) * 1000
        growth = (last.rss_mib - warm.rss_mib) / warm.rss_mib * 100
        return (
            f"{self.name:<22} {first.rss_mib:7.1f} {warm.rss_mib:7.1f} {last.rss_mib:7.1f}"
            f" {per_k:+10.2f} {growth:+8.1f} %  {last.questions:6d} {self.failures:4d}"
            f" {self.posts:6d}"
        )


def signed(text: str) -> tuple[bytes, dict[str, str]]:
    """A `/fraga` from Lisa in CYSTAD, signed now as Slack signs it."""
    body = slash_command_body("/fraga", text, "ULISA", CHANNEL)
    stamp = str(int(time.time()))
    digest = hmac.new(
        DEFAULT_SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    return body.encode(), headers


class Load(threading.Thread):
    """`rate` questions a second on a fixed schedule over one keep-alive connection."""

    def __init__(self, port: int, rate: float, seconds: float, tag: str) -> None:
        super().__init__(daemon=True)
        self.port, self.rate, self.seconds, self.tag = port, rate, seconds, tag
        self.sent = self.failures = 0
        self.started = time.monotonic()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        total = int(self.rate * self.seconds)
        for number in range(total):
            delay = self.started + number / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            text = f"kategori:sgi Minnesfråga {self.tag}-{number}: påverkas SGI vid deltid?"
            body, headers = signed(text)
            try:
                connection.request("POST", "/slack/events", body, headers)
                response = connection.getresponse()
                response.read()
                self.failures += response.status != 200
            except (OSError, http.client.HTTPException):
                self.failures += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.sent += 1
        connection.close()


def sample_while(load: Load, pid: int, every: float, name: str) -> list[Sample]:
    """RSS of `pid` at the start and every `every` seconds until the load is done."""
    samples = [Sample(0.0, 0, rss_kib(pid) / 1024)]
    load.start()
    while load.is_alive():
        load.join(max(0.0, load.started + every * len(samples) - time.monotonic()))
        if load.is_alive() or not samples or samples[-1].questions != load.sent:
            seconds = time.monotonic() - load.started
            samples.append(Sample(seconds, load.sent, rss_kib(pid) / 1024))
            rss = samples[-1].rss_mib
            print(f"  {name}: {seconds:5.0f} s {load.sent:6d} questions {rss:6.1f} MiB", flush=True)
    return samples


def wait_posts(stand_in: StandInProcess, at_least: int, timeout: float = 120) -> int:
    """Until the stand-in has `at_least` posts (or the timeout): how many it has."""
    deadline = time.monotonic() + timeout
    while True:
        posts = int(stand_in.summary()["posts"])
        if posts >= at_least or time.monotonic() > deadline:
            return posts
        time.sleep(0.5)


def slack_run(
    name: str,
    start: Callable[[Path, str], tuple[Any, int, int]],
    posts_per_question: int,
    args: argparse.Namespace,
) -> Result:
    """One server under the steady load; its samples and how much reached the stand-in."""
    with tempfile.TemporaryDirectory() as folder:
        stand_in = StandInProcess()
        handle, pid, port = start(Path(folder), stand_in.base_url)
        try:
            load = Load(port, args.rate, args.minutes * 60, name.split()[0])
            result = Result(name, sample_while(load, pid, args.sample, name))
            result.failures = load.failures
            result.posts = wait_posts(stand_in, posts_per_question * load.sent)
            if (args.probe or args.tracemalloc) and name.startswith("Bryggan"):
                os.kill(pid, signal.SIGUSR1)
                print_probe_diff(Path(folder), name, args.tracemalloc)
            return result
        finally:
            if isinstance(handle, subprocess.Popen):
                stop(handle)
            else:
                handle.stop()
            stand_in.close()


def start_bryggan(database_url: str, traced: str) -> Callable[[Path, str], tuple[Any, int, int]]:
    """Bryggan's start function; `traced`: "" (plain), "probe" or "trace" (tracemalloc too)."""

    def start(folder: Path, base_url: str) -> tuple[Any, int, int]:
        process = bryggan(folder, database_url or f"sqlite:///{folder / 'b.sqlite3'}", base_url)
        if traced:
            env = {**process.env, SNAPSHOT_DIR: str(folder)}
            env["BENCH_MEMORY_TRACE"] = "1" if traced == "trace" else "0"
            command = [sys.executable, "-m", "bench.bench_memory", "--traced-child"]
            command += ["--config", str(process.config), "run"]
            with process.log.open("ab") as out:
                process.process = subprocess.Popen(
                    command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env
                )
        else:
            process.start()
        process.wait_ready(120)
        return process, process.pid, process.port

    return start


def start_durable(folder: Path, base_url: str) -> tuple[Any, int, int]:
    port = free_port()
    command = [sys.executable, "-m", "bench.durable_limit", str(port), base_url]
    command.append(f"sqlite:///{folder / 'durable.sqlite3'}")
    process = subprocess.Popen(
        command,
        env={**os.environ, **SLACK_ENV},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: ready_by_401(port), process)
    return process, process.pid, port


# --- tracemalloc in the Bryggan child ---------------------------------------------------------


def traced_child(argv: list[str]) -> int:
    """`bryggan` with a probe: SIGUSR1 (at the end of the warm-up, and from the bench at the
    end) writes SQLite's own memory and the count of live objects per type (probe-N.json),
    and with BENCH_MEMORY_TRACE=1 a tracemalloc snapshot (snap-N.pickle)."""
    from bot.cli import main as bryggan_main

    tracing = os.environ.get("BENCH_MEMORY_TRACE") == "1"
    if tracing:
        tracemalloc.start(8)
    folder = Path(os.environ[SNAPSHOT_DIR])
    sqlite = ctypes.CDLL(ctypes.util.find_library("sqlite3"))
    sqlite.sqlite3_memory_used.restype = ctypes.c_int64
    taken = [0]
    lists_before: set[int] = set()

    def probe(*_: object) -> None:
        taken[0] += 1
        gc.collect()
        objects = gc.get_objects()
        types = Counter(type(o).__qualname__ for o in objects)
        data: dict[str, Any] = {
            "sqlite_mib": sqlite.sqlite3_memory_used() / 2**20,
            "types": dict(types),
        }
        lists = [o for o in objects if type(o) is list]
        if taken[0] == 1:
            lists_before.update(id(o) for o in lists)
        else:  # a few of the lists that are new since the first probe, and who holds them
            new = [o for o in lists if id(o) not in lists_before][-5:]
            data["new_lists"] = [
                {
                    "len": len(o),
                    "items": [repr(i)[:80] for i in o[:3]],
                    "held_by": [type(r).__qualname__ for r in gc.get_referrers(o)][:4],
                }
                for o in new
            ]
            holders = [r for o in new[:1] for r in gc.get_referrers(o) if type(r) is dict]
            data["holders"] = [
                {
                    "len": len(h),
                    "keys": [repr(k)[:60] for k in list(h)[:3]],
                    "held_by": [
                        str(r.get("__name__")) if type(r) is dict else type(r).__qualname__
                        for r in gc.get_referrers(h)
                        if r is not objects
                    ][:5],
                }
                for h in holders
            ]
        del objects, lists
        (folder / f"probe-{taken[0]}.json").write_text(json.dumps(data))
        if tracing:
            snap = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            (folder / f"snap-{taken[0]}.tmp").write_bytes(pickle.dumps(snap))
            (folder / f"snap-{taken[0]}.tmp").rename(folder / f"snap-{taken[0]}.pickle")

    signal.signal(signal.SIGUSR1, probe)
    warmup = float(os.environ.get("BENCH_MEMORY_WARMUP", "120"))
    threading.Timer(warmup, os.kill, (os.getpid(), signal.SIGUSR1)).start()
    return bryggan_main(argv)


def print_probe_diff(folder: Path, name: str, tracing: bool, timeout: float = 300) -> None:
    """What the probe saw at the end of the warm-up and at the end."""
    deadline = time.monotonic() + timeout
    wanted = ["probe-1.json", "probe-2.json"]
    wanted += ["snap-1.pickle", "snap-2.pickle"] if tracing else []
    while not all((folder / w).exists() for w in wanted) and time.monotonic() < deadline:
        time.sleep(1)
    if not all((folder / w).exists() for w in wanted):
        print(f"  {name}: the probe wrote nothing")
        return
    first, last = (json.loads((folder / w).read_text()) for w in wanted[:2])
    print(f"\n{name}: SQLite's own memory {first['sqlite_mib']:.2f} → {last['sqlite_mib']:.2f} MiB")
    grown = Counter(last["types"])
    grown.subtract(first["types"])
    for sample in last.get("new_lists", []) + last.get("holders", []):
        print(f"  a new list, and what holds it: {sample}")
    print(
        "  live objects per type, most grown: "
        + ", ".join(f"{kind} {count:+d}" for kind, count in grown.most_common(8))
    )
    if tracing:
        before, after = (pickle.loads((folder / w).read_bytes()) for w in wanted[2:])
        print(f"{name}: tracemalloc, end of warm-up → end (top 15 by growth, per line)")
        for stat in after.compare_to(before, "lineno")[:15]:
            print(f"  {stat}")


# --- Matrix -------------------------------------------------------------------------------------


def matrix_run(commands: int, postgres: str | None) -> None:
    """`commands` commands to Bryggan over a local Synapse; RSS every 100 of them."""
    import shutil

    from bench.bench_matrix import Stage, drop_schema, fresh_schema

    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-matrix-"))
    from tests.matrix_homeserver import SynapseHomeserver

    synapse = SynapseHomeserver(tmp / "synapse")
    synapse.start()
    schema, database_url = fresh_schema(postgres) if postgres else ("", "")
    stage = Stage(synapse, tmp, database_url or f"sqlite:///{tmp / 'bryggan.sqlite3'}", False)
    try:
        samples = asyncio.run(_matrix_commands(stage, commands))
    except BaseException:
        print((tmp / "bryggan.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        stage.stop()
        synapse.stop()
        if schema and postgres:
            drop_schema(postgres, schema)
        shutil.rmtree(tmp, ignore_errors=True)
    base = samples[0][1]
    print(f"\nMatrix ({'PostgreSQL' if postgres else 'SQLite'}): Bryggan's RSS, MiB")
    for done, rss in samples:
        print(f"  after {done:4d} commands: {rss:6.1f} ({(rss - base) / base * 100:+.1f} %)")
    per_k = (samples[-1][1] - base) / max(1, samples[-1][0] - samples[0][0]) * 1000
    print(f"  growth per 1,000 commands after warm-up: {per_k:+.2f} MiB")


async def _matrix_commands(stage: Any, commands: int) -> list[tuple[int, float]]:
    from sqlalchemy import create_engine

    from bench.bench_matrix import USERS, quiet, set_up
    from bench.matrix_timing import timed_user

    users = {name: stage.synapse.register_user(name) for name in USERS}
    engine = create_engine(stage.database_url)
    samples: list[tuple[int, float]] = []
    async with (
        timed_user(stage.synapse.base_url, users["doktor"], None) as doctor,
        timed_user(stage.synapse.base_url, users["kontakt"], None) as contact,
    ):
        room, _, pid = await set_up(stage, users, doctor, contact)

        async def say(person: Any, line: str) -> str:
            _, answer = await person.round_trip(room, line)
            await quiet(engine)
            return str(answer)

        done, warm_up = 0, 20
        while done < commands + warm_up:
            asked = await say(doctor, f"!fråga kategori:sgi Fråga {done}: påverkas SGI?")
            ref = next(w for w in asked.replace(".", " ").split() if w.startswith("F-"))
            await say(doctor, "!frågor")
            await say(contact, f"!ta {ref}")
            await say(contact, f"!stäng {ref}")
            done += 4
            if done == warm_up or (done > warm_up and (done - warm_up) % 100 == 0):
                samples.append((done - warm_up, rss_kib(pid) / 1024))
    engine.dispose()
    return samples


@contextmanager
def servers(args: argparse.Namespace) -> Iterator[list[tuple[str, Any, int]]]:
    """(name, start function, posts per question) for each server asked for."""
    chosen = args.servers.split(",")
    traced = "trace" if args.tracemalloc else "probe" if args.probe else ""
    runs: list[tuple[str, Any, int]] = []
    with (
        postgres_schema(args.postgres) if args.postgres and "postgres" in chosen else _none() as pg
    ):
        if "sqlite" in chosen:
            runs.append(("Bryggan SQLite", start_bryggan("", traced), 2))
        if "postgres" in chosen and pg:
            runs.append(("Bryggan PostgreSQL", start_bryggan(pg, traced), 2))
        if "durable" in chosen:
            runs.append(("durable limit (SQLite)", start_durable, 1))
        yield runs


@contextmanager
def _none() -> Iterator[str]:
    yield ""


def main() -> None:
    if sys.argv[1:2] == ["--traced-child"]:
        sys.exit(traced_child(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=10, help="questions a second")
    parser.add_argument("--warmup", type=float, default=2, help="minutes")
    parser.add_argument("--sample", type=float, default=30, help="seconds between samples")
    parser.add_argument("--servers", default="sqlite,postgres,durable")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BRYGGAN_BENCH_POSTGRES_URL")
        or os.environ.get("BRYGGAN_TEST_POSTGRES_URL"),
    )
    parser.add_argument("--matrix", type=int, default=0, help="Matrix commands (0: none)")
    parser.add_argument("--probe", action="store_true", help="SQLite memory, objects by type")
    parser.add_argument("--tracemalloc", action="store_true", help="the probe and tracemalloc")
    args = parser.parse_args()
    os.environ["BENCH_MEMORY_WARMUP"] = str(args.warmup * 60)
    results = []
    with servers(args) as runs:
        for name, start, posts in runs:
            print(f"{name}: {args.rate:g} questions/s for {args.minutes:g} min", flush=True)
            results.append(slack_run(name, start, posts, args))
    if results:
        print(
            f"\n{'server':<22} {'start':>7} {'warm':>7} {'end':>7} {'MiB/1000q':>10}"
            f" {'growth':>10}  {'asked':>6} {'fail':>4} {'posts':>6}"
            f"\n  (MiB RSS; warm: after {args.warmup:g} min; growth from warm to end)"
        )
        for result in results:
            print(result.line(args.warmup * 60))
    if args.matrix:
        matrix_run(args.matrix, None)


if __name__ == "__main__":
    main()
