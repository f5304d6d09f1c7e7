"""Bryggan as production runs it: `bryggan --config <file> run` in a child process, Slack in
HTTP mode on a fixed port, its Web API pointed at a Slack stand-in; and clients that sign
requests like Slack. Used by the fault suite and by `bench/`."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql

from storage.db import make_engine
from tests.bot.slack_support import CHANNEL, SLACK_TOML
from tests.clock_shift import python_command
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    DEFAULT_TOKEN,
    signed_headers,
    slash_command_body,
)
from tests.support import TEST_CONFIG

REPO = Path(__file__).resolve().parents[2]
EVENTS_PATH = "/slack/events"
REF = re.compile(r"F-\d{4}-\d{4,}")
ACKED = "är registrerad"


def free_port() -> int:
    """A TCP port nobody listens on right now (the child binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(folder: Path, *, port: int, api_base_url: str, drain_interval: float = 1) -> Path:
    """The test directory (people, units, channel CYSTAD) with `[slack]` in HTTP mode on
    `port`; the database comes from `BRYGGAN_DATABASE_URL` in the child's environment."""
    slack = SLACK_TOML.format(base_url=api_base_url).replace(
        "http_port = 0", f"http_port = {port}\ndrain_interval = {drain_interval}"
    )
    path = folder / "bryggan.toml"
    path.write_text(TEST_CONFIG + slack, encoding="utf-8")
    return path


def bryggan_command() -> list[str]:
    """`bryggan` as the console script would start it (`python -m bot.cli`)."""
    return python_command("bot.cli")


class BrygganProcess:
    """One `bryggan run` child process; its output goes to `log`."""

    def __init__(self, config: Path, database_url: str, port: int, log: Path) -> None:
        self.config, self.port, self.log = config, port, log
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BRYGGAN_", "SLACK_"))},
            "BRYGGAN_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": DEFAULT_TOKEN,
            "SLACK_SIGNING_SECRET": DEFAULT_SIGNING_SECRET,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> BrygganProcess:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*bryggan_command(), "--config", str(self.config), "run"],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REPO,
                env=self.env,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_ready(self, timeout: float = 30) -> float:
        """Poll `GET /healthz` until it answers 200; returns the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(
                    f"bryggan exited with {self.process.returncode}:\n{self.tail()}"
                )
            if healthy(self.port):
                return time.monotonic() - started
            time.sleep(0.01)
        raise AssertionError(f"bryggan was not ready within {timeout}s:\n{self.tail()}")

    def kill(self) -> None:
        """`kill -9`: no clean-up of any kind in the child."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/healthz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


@dataclass(frozen=True)
class Answer:
    status: int
    text: str

    @property
    def ref(self) -> str | None:
        found = REF.search(self.text)
        return found.group(0) if found else None

    @property
    def acked(self) -> bool:
        """Slack would show the user "registered" with a reference."""
        return self.status == 200 and ACKED in self.text and self.ref is not None


class SlackPoster:
    """One keep-alive connection to `/slack/events` that signs every body like Slack."""

    def __init__(self, port: int, secret: str = DEFAULT_SIGNING_SECRET, timeout: float = 10):
        self.port, self.secret, self.timeout = port, secret, timeout
        self._connection: http.client.HTTPConnection | None = None

    def post(self, body: str, headers: Mapping[str, str] | None = None, **sign: Any) -> Answer:
        """Send `body` signed now (or as `sign` says); `headers` replace the signed ones.
        A broken connection raises `OSError` (or `http.client.HTTPException`) after closing."""
        sent = {**signed_headers(self.secret, body, **sign), **(headers or {})}
        if self._connection is None:
            self._connection = http.client.HTTPConnection("127.0.0.1", self.port, self.timeout)
        try:
            self._connection.request("POST", EVENTS_PATH, body.encode(), sent)
            response = self._connection.getresponse()
            return Answer(response.status, _ack_text(response.read().decode()))
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _ack_text(body: str) -> str:
    """The text the user sees: bolt acks with plain text or `{"text": …}`."""
    if body.startswith("{"):
        return str(json.loads(body).get("text", ""))
    return body


def card_refs(calls: Iterable[Mapping[str, Any]], channel: str = CHANNEL) -> Counter[str]:
    """How many times each question's card was posted in `channel` (chat.postMessage calls
    with blocks, not in a thread)."""
    counts: Counter[str] = Counter()
    for call in calls:
        if call.get("channel") == channel and call.get("blocks") and not call.get("thread_ts"):
            found = REF.search(str(call.get("text", "")))
            if found:
                counts[found.group(0)] += 1
    return counts


class Burst:
    """`/fraga` one-liners from a few concurrent clients, each question sent at most once.

    A refused connection (the bot is down) never reached the bot: that question waits until
    `open()` and is sent then. A connection that breaks mid-request (the bot was killed
    while handling it) leaves the question "in flight": it may or may not be stored, and
    is not sent again, as a user who saw Slack's error might not. A question that could not
    be sent for `patience` seconds (held back, or refused) is given up, and `join` fails.
    """

    def __init__(
        self, port: int, texts: Iterable[str], clients: int = 6, patience: float = 60
    ) -> None:
        self.port = port
        self.patience = patience
        self.pending: queue.Queue[str] = queue.Queue()
        for text in texts:
            self.pending.put(text)
        self.answers: dict[str, Answer] = {}
        self.sent_at: dict[str, float] = {}
        """When (time.monotonic) each answered question's request was sent."""
        self.in_flight: list[str] = []
        self.given_up: list[str] = []
        """Questions never sent: held back or refused for `patience` seconds."""
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self._threads = [
            threading.Thread(target=self._client, name=f"burst-{n}", daemon=True)
            for n in range(clients)
        ]

    def start(self) -> Burst:
        for thread in self._threads:
            thread.start()
        return self

    def acked(self) -> dict[str, Answer]:
        """Question text → the answer that acknowledged it."""
        with self._lock:
            return {text: a for text, a in self.answers.items() if a.acked}

    def close(self) -> None:
        """Hold back questions not yet sent (the bot is going down)."""
        self._open.clear()

    def open(self) -> None:
        self._open.set()

    def join(self, timeout: float = 60) -> None:
        """Wait (at most `timeout` seconds in all) until every question was sent or given up;
        fail if a client is still busy or a question was given up."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        busy = sum(thread.is_alive() for thread in self._threads)
        with self._lock:
            answered, given_up = len(self.answers), list(self.given_up)
        assert not busy, (
            f"{busy} burst clients still busy after {timeout:g} s: "
            f"{self.pending.qsize()} questions not yet taken, {answered} answered"
        )
        assert not given_up, (
            f"{len(given_up)} questions never sent (held back or refused for "
            f"{self.patience:g} s), e.g. {given_up[0]!r}"
        )

    def _client(self) -> None:
        poster = SlackPoster(self.port)
        while True:
            try:
                text = self.pending.get_nowait()
            except queue.Empty:
                poster.close()
                return
            self._send(poster, text)

    def _send(self, poster: SlackPoster, text: str) -> None:
        """Send `text` once the burst is open and the bot takes connections, retrying
        refused ones; give it up after `patience` seconds of neither."""
        body = slash_command_body("/fraga", f"kategori:sgi {text}", "ULISA", CHANNEL)
        give_up = time.monotonic() + self.patience
        while self._open.wait(max(0.0, give_up - time.monotonic())):
            sent = time.monotonic()
            try:
                answer = poster.post(body)
            except ConnectionRefusedError:
                if sent >= give_up:
                    break
                time.sleep(0.01)
                continue
            except (OSError, http.client.HTTPException):
                with self._lock:
                    self.in_flight.append(text)
                return
            with self._lock:
                self.answers[text] = answer
                self.sent_at[text] = sent
            return
        with self._lock:
            self.given_up.append(text)


def stored_questions(database_url: str) -> list[tuple[str, str]]:
    """(reference, text) of every question in the database, read directly."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sql("SELECT ref, text FROM questions ORDER BY id"))
            return [(str(ref), str(body)) for ref, body in rows]
    finally:
        engine.dispose()
