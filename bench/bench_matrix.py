"""Command-to-reply latency over Matrix: Bryggan against a minimal matrix-nio echo bot.

One local Synapse; `bryggan run` and the echo bot (`bench/matrix_echo_bot.py`) run side by
side as their own processes, each in its own room of the same kind, with the same people
in it. A doctor and a contact (nio clients with a long-poll sync running, as Element has)
send the same 200 commands to both, alternating which bot goes first; latency is from
just before the person sends to the sync that brings the reply to their client.

The mix is a question's life: the doctor asks (`!fråga kategori:sgi …`, a one-liner) and
lists (`!frågor`), the contact claims (`!ta F-…`) and closes (`!stäng F-…`). Bryggan does
its real work for each (a committed transaction, the card posted, edited and its status
reaction changed through the outbox, the contact notified in a direct room); after each
command both bots are left to finish (Bryggan's outbox empty) before the next one.

    python -m bench.bench_matrix [--rounds 50] [--encrypted] [--postgres URL]
                                 [--py-spy out.svg|out.txt] [--keep]

`--rounds` rounds of the four commands (50: 200 commands per bot); `--encrypted` measures
in end-to-end encrypted rooms instead of plain ones; `--postgres` gives Bryggan a fresh
schema there (dropped afterwards) instead of a SQLite file; `--py-spy` records the Bryggan
process while it is measured (a flame graph, or collapsed stacks for .txt); `--keep` keeps
the logs. Prints p50 and p99 per bot and the ratios; the target is at most 1.3×. No
assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from bench.matrix_timing import TimedUser, timed_user
from storage.db import make_engine
from tests.bot.matrix_people import create_room, participant
from tests.bot.matrix_world import world_toml
from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver
from tests.support import TEST_CONFIG

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("!fråga", "!frågor", "!ta", "!stäng")
USERS = ("bryggan", "eko", "doktor", "kontakt")
WARM_UP = 5
"""Rounds before the measured ones: connections, caches, the direct room, keys."""
PENDING = text("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")


@dataclass
class Samples:
    """Seconds per command kind for one bot."""

    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def all(self) -> list[float]:
        return [s for kind in KINDS for s in self.by_kind[kind]]


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    """Nearest rank: the smallest sample at or above 99 % of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


@dataclass
class Stage:
    """The running processes and the people of one measurement."""

    synapse: SynapseHomeserver
    tmp: Path
    database_url: str
    encrypted: bool
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, command: list[str], env: dict[str, str], log: str) -> int:
        """A child process with its output in `log`; returns its pid."""
        with (self.tmp / log).open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )
        self.processes.append(process)
        return process.pid

    def start_bryggan(self, bot: RegisteredUser, toml: str) -> int:
        config = self.tmp / "bryggan.toml"
        config.write_text(TEST_CONFIG + toml, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BRYGGAN_"))}
        env |= {"MATRIX_PASSWORD": bot.password, "BRYGGAN_DATABASE_URL": self.database_url}
        command = [sys.executable, "-m", "bot.cli", "--config", str(config), "run"]
        return self.start(command, env, "bryggan.log")

    def start_echo(self, echo: RegisteredUser) -> int:
        env = {**os.environ, "ECHO_BOT_TOKEN": echo.access_token}
        command = [sys.executable, "-m", "bench.matrix_echo_bot", self.synapse.base_url]
        command += [echo.user_id, echo.device_id]
        if self.encrypted:
            command.append(str(self.tmp / "echo-store"))
        return self.start(command, env, "echo.log")

    def py_spy(self, pid: int, output: str) -> subprocess.Popen[bytes]:
        """py-spy recording `pid` (every thread, waiting included) until SIGINT: a flame
        graph (SVG), or collapsed stacks when `output` ends in .txt."""
        beside = Path(sys.executable).with_name("py-spy")
        spy = str(beside) if beside.exists() else "py-spy"
        command = [spy, "record", "--pid", str(pid), "--idle", "--threads"]
        command += ["--format", "raw"] if output.endswith(".txt") else []
        self.start([*command, "--rate", "250", "-o", output], dict(os.environ), "py-spy.log")
        return self.processes[-1]

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


async def quiet(engine: Engine, timeout: float = 30.0) -> None:
    """Until Bryggan's outbox is empty: every card, edit and notice is out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(PENDING).scalar_one() == 0:
                return
        await asyncio.sleep(0.005)
    raise RuntimeError("Bryggan's outbox did not empty")


@dataclass
class Comparison:
    """The same commands to both bots, every other time to Bryggan first."""

    unit_room: str
    echo_room: str
    engine: Engine
    echo: Samples = field(default_factory=Samples)
    bryggan: Samples = field(default_factory=Samples)
    sent: int = 0

    async def one(self, person: TimedUser, line: str, kind: str, keep: bool) -> str:
        """Send `line` to both bots; Bryggan's answer."""
        order = [(self.echo_room, self.echo), (self.unit_room, self.bryggan)]
        self.sent += 1
        answer = ""
        for room, samples in order if self.sent % 2 else order[::-1]:
            seconds, body = await person.round_trip(room, line)
            if room == self.unit_room:
                answer = body
                await quiet(self.engine)
            if keep:
                samples.by_kind[kind].append(seconds)
        return answer

    async def question(self, doctor: TimedUser, contact: TimedUser, n: int, keep: bool) -> None:
        """A question's life: asked, listed, claimed, closed."""
        ask = f"!fråga kategori:sgi Fråga {n}: påverkas SGI om patienten går ner till 50 %?"
        registered = await self.one(doctor, ask, "!fråga", keep)
        ref = next(w for w in registered.replace(".", " ").split() if w.startswith("F-"))
        await self.one(doctor, "!frågor", "!frågor", keep)
        await self.one(contact, f"!ta {ref}", "!ta", keep)
        await self.one(contact, f"!stäng {ref}", "!stäng", keep)


async def set_up(
    stage: Stage, users: dict[str, RegisteredUser], doctor: TimedUser, contact: TimedUser
) -> tuple[str, str, int]:
    """The unit room (Bryggan's) and the echo room, both bots started and joined; returns
    the rooms and Bryggan's pid."""
    bot, echo = users["bryggan"], users["eko"]
    async with participant(stage.synapse, users["doktor"], "doktorn") as owner:
        rooms = [
            await create_room(owner, [b.user_id, contact.user_id], encrypted=stage.encrypted)
            for b in (bot, echo)
        ]
    for room in rooms:
        await contact.client.join(room)
    toml = world_toml(
        stage.synapse,
        bot=bot,
        doctor=users["doktor"],
        contact=users["kontakt"],
        room_id=rooms[0],
        store_path=stage.tmp / "bryggan-store",
        matrix_extra="encrypt_direct_rooms = false",
    )
    pid = stage.start_bryggan(bot, toml)
    stage.start_echo(echo)
    for person in (doctor, contact):
        for room, member in ((rooms[0], bot), (rooms[1], echo), (rooms[0], users["kontakt"])):
            await person.joined(room, member.user_id)
    return rooms[0], rooms[1], pid


async def measure(stage: Stage, rounds: int, py_spy: str | None) -> tuple[Samples, Samples]:
    users = {name: stage.synapse.register_user(name) for name in USERS}
    stores = (stage.tmp / "doktor", stage.tmp / "kontakt") if stage.encrypted else (None, None)
    # Plain reads, outside Bryggan's transactions (its engine begins each one IMMEDIATE).
    engine = create_engine(stage.database_url)
    base_url = stage.synapse.base_url
    async with (
        timed_user(base_url, users["doktor"], stores[0]) as doctor,
        timed_user(base_url, users["kontakt"], stores[1]) as contact,
    ):
        unit_room, echo_room, bryggan_pid = await set_up(stage, users, doctor, contact)
        comparison = Comparison(unit_room, echo_room, engine)
        for n in range(WARM_UP):  # connections, caches, the direct room, keys
            await comparison.question(doctor, contact, n, keep=False)
        spy = stage.py_spy(bryggan_pid, py_spy) if py_spy else None
        for n in range(WARM_UP, WARM_UP + rounds):
            await comparison.question(doctor, contact, n, keep=True)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
    engine.dispose()
    return comparison.echo, comparison.bryggan


def report(echo: Samples, bryggan: Samples, room: str) -> None:
    print(f"\n{room}: command → reply at the sender's client, ms")
    print(
        f"{'':<10} {'n':>4} {'echo p50':>9} {'p99':>6} {'Bryggan p50':>12} {'p99':>6}"
        f" {'ratio p50':>10} {'p99':>6}"
    )
    rows = [(kind, echo.by_kind[kind], bryggan.by_kind[kind]) for kind in KINDS]
    rows.append(("all", echo.all(), bryggan.all()))
    for label, base, ours in rows:
        print(
            f"{label:<10} {len(ours):>4} {p50(base) * 1e3:>9.0f} {p99(base) * 1e3:>6.0f}"
            f" {p50(ours) * 1e3:>12.0f} {p99(ours) * 1e3:>6.0f}"
            f" {p50(ours) / p50(base):>9.2f}× {p99(ours) / p99(base):>5.2f}×"
        )


def fresh_schema(url: str) -> tuple[str, str]:
    """A new, empty schema `bench_matrix_<time>` in the PostgreSQL database at `url`:
    its name and a URL that uses it."""
    schema = f"bench_matrix_{int(time.time())}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return schema, f"{url}{separator}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=50, help="rounds of four commands")
    parser.add_argument("--encrypted", action="store_true", help="end-to-end encrypted rooms")
    parser.add_argument("--postgres", help="Bryggan's database (default: a SQLite file)")
    parser.add_argument("--py-spy", help="record a flame graph of Bryggan into this file")
    parser.add_argument("--keep", action="store_true", help="keep the logs (path printed)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-matrix-"))
    synapse = SynapseHomeserver(tmp / "synapse")
    synapse.start()
    schema, database_url = fresh_schema(args.postgres) if args.postgres else ("", "")
    database_url = database_url or f"sqlite:///{tmp / 'bryggan.sqlite3'}"
    stage = Stage(synapse, tmp, database_url, args.encrypted)
    print(f"Synapse {synapse.base_url}; {args.rounds * len(KINDS)} commands per bot")
    try:
        echo, bryggan = asyncio.run(measure(stage, args.rounds, args.py_spy))
    except BaseException:
        print((tmp / "bryggan.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        stage.stop()
        synapse.stop()
        if schema:
            drop_schema(args.postgres, schema)
        if args.keep:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    room = "encrypted rooms" if args.encrypted else "plain rooms"
    report(echo, bryggan, f"{room}, {'PostgreSQL' if args.postgres else 'SQLite'}")


if __name__ == "__main__":
    main()
