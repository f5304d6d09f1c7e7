"""Socket Mode, Slack's default and the way Bryggan runs on hospital networks, made for real:
Bryggan asks the Slack stand-in for a websocket URL (`apps.connections.open`, with the
app-level token), connects to a local websocket server playing Slack's end, receives
envelopes there and acknowledges each over the same socket.

The server speaks Slack's side of the protocol as documented: a `hello` on connect,
envelopes (`slash_commands`, `events_api`, `interactive`) with an `envelope_id`, and a
`disconnect` when Slack wants the app on a fresh connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import WSMsgType, web

from bot.slack import start_slack
from bot.wiring import Bryggan, build
from tests.bot.slack_support import CHANNEL, SLACK_TOML, card_text, wait_for_log
from tests.clock_shift import python_command, reference_year
from tests.slack_stand_in import (
    APP_ID,
    SlackStandIn,
    _Answer,
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
)
from tests.support import TEST_CONFIG, Clock, wait_until
from tests.support import test_config as make_config

JsonDict = dict[str, Any]
APP_TOKEN = "xapp-1-A0BRYGGAN-stand-in"
WAIT = 10.0
"""Seconds any one wait may take before the test fails."""
STARTUP = 60.0
"""Seconds a `bryggan run` process may take to start or to stop."""
PING_INTERVAL = 0.2
"""Seconds between the server's pings (see `SocketModeServer._ping`)."""
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@dataclass(frozen=True)
class Received:
    """A text frame the app sent on connection number `connection` (0 is the first)."""

    connection: int
    message: JsonDict


class SocketModeServer:
    """Slack's Socket Mode end on a free loopback port (aiohttp, in its own thread and loop).

    Every connection is greeted with `hello`; `send` writes an envelope to one connection;
    the app's frames are kept in order, for `wait_for_ack`.
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="socket-mode-server", daemon=True
        )
        self._cond = threading.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._received: list[Received] = []
        self._closed = 0
        self._runner: web.AppRunner | None = None
        self.paths: list[str] = []
        """The path and query each connection asked for, in order."""
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        if self._runner is not None:
            self._call(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(WAIT)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/link/", self._connection)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(WAIT)

    # -- Slack's side of the protocol -----------------------------------------------------

    def new_url(self) -> str:
        """A fresh connection URL, as `apps.connections.open` hands them out."""
        return f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4()}&app_id={APP_ID}"

    async def _connection(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)  # pongs to the app's pings
        await socket.prepare(request)
        with self._cond:
            number = len(self._sockets)
            self._sockets.append(socket)
            self.paths.append(request.path_qs)
            self._cond.notify_all()
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "applink-stand-in", "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }
        )
        pinging = asyncio.create_task(self._ping(socket))
        try:
            async for frame in socket:
                if frame.type == WSMsgType.TEXT:
                    with self._cond:
                        self._received.append(Received(number, json.loads(frame.data)))
                        self._cond.notify_all()
        finally:
            pinging.cancel()
        with self._cond:
            self._closed += 1
            self._cond.notify_all()
        return socket

    @staticmethod
    async def _ping(socket: web.WebSocketResponse) -> None:
        """Ping now and then, as Slack does. slack_sdk's reader holds a lock while it waits
        up to 3 s for a frame, and closing a connection waits for that lock: a frame now and
        then keeps a stop or a reconnect quick. No pong deadline (the app's reader pauses
        while it moves to a new connection), and never an empty ping: slack_sdk's frame
        reader waits for more bytes after a two-byte frame that ends what it has read."""
        while not socket.closed:
            await asyncio.sleep(PING_INTERVAL)
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.ping(b"ping from the stand-in")

    def send(self, message: JsonDict, connection: int = -1) -> None:
        """Write `message` to a connection (the newest by default)."""
        with self._cond:
            socket = self._sockets[connection]
        self._call(socket.send_json(message))

    def envelope(self, kind: str, payload: JsonDict, connection: int = -1, **extra: Any) -> str:
        """Send an envelope of `kind` carrying `payload`; returns its envelope id."""
        envelope_id = f"env-{uuid.uuid4()}"
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            **extra,
        }
        self.send(message, connection)
        return envelope_id

    # -- waiting ----------------------------------------------------------------------------

    def _wait(self, check: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = check()
                if found:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"Socket Mode server: no {what} within {timeout}s; connections: "
                        f"{len(self._sockets)}, closed: {self._closed}, received: "
                        f"{[r.message for r in self._received]}"
                    )
                self._cond.wait(remaining)

    def wait_for_connections(self, count: int, timeout: float = WAIT) -> None:
        self._wait(lambda: len(self._sockets) >= count, f"{count} connection(s)", timeout)

    def wait_for_closed(self, count: int) -> None:
        self._wait(lambda: self._closed >= count, f"{count} closed connection(s)")

    def wait_for_ack(self, envelope_id: str) -> Received:
        """The app's acknowledgement of the envelope, and the connection it came on."""

        def ack() -> Received | None:
            return next(
                (r for r in self._received if r.message.get("envelope_id") == envelope_id), None
            )

        found: Received = self._wait(ack, f"ack of {envelope_id}")
        return found

    def acks(self, envelope_id: str) -> list[Received]:
        with self._cond:
            return [r for r in self._received if r.message.get("envelope_id") == envelope_id]


class SocketModeSlack(SlackStandIn):
    """The Slack stand-in, plus Socket Mode's `apps.connections.open`: called with the
    app-level token it hands out a fresh URL of the local server (with the bot token it
    still refuses, as Slack does). The call is recorded like every other."""

    def __init__(self, server: SocketModeServer, app_token: str = APP_TOKEN) -> None:
        super().__init__()
        self.server = server
        self.app_token = app_token

    def _answer(self, path: str, query: str, raw: bytes, headers: dict[str, str]) -> _Answer:
        answer = super()._answer(path, query, raw, headers)
        if path == "/api/apps.connections.open" and headers.get("authorization") == (
            f"Bearer {self.app_token}"
        ):
            return _Answer.of_json({"ok": True, "url": self.server.new_url()})
        return answer


@dataclass
class Running:
    """Bryggan on Slack in Socket Mode, and Slack's two ends it talks to."""

    bryggan: Bryggan
    server: SocketModeServer
    stand_in: SocketModeSlack
    stop: Callable[[], None]

    def slash_command(self, text: str, user: str, connection: int = -1) -> str:
        body = slash_command_body("/fraga", text, user, CHANNEL)
        return self.server.envelope("slash_commands", dict(parse_qsl(body)), connection)

    def location_of(self, ref: str) -> str:
        """The card's ts, once the outbox pump has posted it."""

        def posted() -> str | None:
            with self.bryggan.stores() as store:
                question = store.question_by_ref(ref=ref)
            location = question.location if question is not None else None
            return location.thread_root if location is not None else None

        return wait_until(posted, WAIT, f"the card of {ref}")


@pytest.fixture
def slack_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[SocketModeServer, SocketModeSlack]]:
    """Slack's two ends: the websocket server and the Web API stand-in that hands out its
    URLs."""
    for variable in _PROXY_VARIABLES:  # slack_sdk would route the websocket through one
        monkeypatch.delenv(variable, raising=False)
    with contextlib.ExitStack() as cleanup:
        server = SocketModeServer().start()
        cleanup.callback(server.stop)
        stand_in = SocketModeSlack(server)
        stand_in.start()
        cleanup.callback(stand_in.stop)
        yield server, stand_in


@pytest.fixture
def socket_mode(
    database_url: str, clock: Clock, slack_ends: tuple[SocketModeServer, SocketModeSlack]
) -> Iterator[Running]:
    """Bryggan started as `bryggan run` starts Slack (`start_slack`), in Socket Mode."""
    server, stand_in = slack_ends
    table = SLACK_TOML.format(base_url=stand_in.base_url).replace(
        'mode = "http"', 'mode = "socket"'
    )
    bryggan = build(make_config(database_url, table), clock)
    try:
        env = {"SLACK_BOT_TOKEN": stand_in.token, "SLACK_APP_TOKEN": APP_TOKEN}
        stop = start_slack(bryggan, env)
        try:
            yield Running(bryggan, server, stand_in, stop)
        finally:
            stop()
    finally:
        bryggan.database.engine.dispose()


def ref_in(text: str) -> str:
    found = re.search(r"F-\d{4}-\d{4}", text)
    assert found, text
    return found.group(0)


def test_a_question_asked_over_the_socket_is_acked_there_and_its_card_posted(
    socket_mode: Running,
) -> None:
    server, stand_in = socket_mode.server, socket_mode.stand_in
    server.wait_for_connections(1)
    [opened] = [c for c in stand_in.recorded() if c.method == "apps.connections.open"]
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
    assert re.fullmatch(rf"/link/\?ticket=[0-9a-f-]+&app_id={APP_ID}", server.paths[0])

    envelope = socket_mode.slash_command("kategori:sgi Gäller det även i Socket Mode?", "ULISA")
    ack = server.wait_for_ack(envelope)
    assert set(ack.message) == {"envelope_id", "payload"}
    told = ack.message["payload"]["text"]
    ref = ref_in(told)
    assert told.startswith(f"Tack! Din fråga {ref} är registrerad. Till Anna Berg")

    card = stand_in.wait_for("chat.postMessage")[0]
    assert card["channel"] == CHANNEL
    assert f"{ref} · ny" in card_text(card) and "Gäller det även i Socket Mode?" in card_text(card)
    assert server.acks(envelope) == [ack]  # acknowledged once


def test_thread_replies_and_buttons_arrive_as_envelopes_too(socket_mode: Running) -> None:
    server, stand_in = socket_mode.server, socket_mode.stand_in
    server.wait_for_connections(1)
    ref = ref_in(
        server.wait_for_ack(
            socket_mode.slash_command("kategori:sgi Hur påverkas SGI?", "ULISA")
        ).message["payload"]["text"]
    )
    root = socket_mode.location_of(ref)

    # Anna answers in the card's thread: an `events_api` envelope, acked without payload.
    event = message_event("Ingen påverkan vid deltid.", "UANNA", CHANNEL, thread_ts=root)
    body = json.loads(event_callback_body(event, "EvSocket1"))
    answered = server.envelope("events_api", body, retry_attempt=0, retry_reason="")
    assert server.wait_for_ack(answered).message == {"envelope_id": answered}
    receipt = stand_in.wait_for("chat.postEphemeral")[0]
    assert (receipt["user"], receipt["text"]) == ("UANNA", f"Ditt svar på {ref} är sparat.")
    assert receipt["thread_ts"] == root

    # She closes it with the card's button: an `interactive` envelope.
    form = dict(
        parse_qsl(
            block_actions_body(
                "bryggan_stang",
                "UANNA",
                value=ref,
                block_id="bryggan_card",
                channel_id=CHANNEL,
                message_ts=root,
            )
        )
    )
    pressed = server.envelope("interactive", json.loads(form["payload"]))
    assert server.wait_for_ack(pressed).message == {"envelope_id": pressed}
    closed = stand_in.wait_for("chat.postEphemeral", 2)[1]
    assert (closed["user"], closed["text"]) == ("UANNA", f"{ref} är stängd.")

    with socket_mode.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None and question.status == "stangd"
        stored = [(m.kind, m.text) for m in store.messages(question_id=question.id)]
    assert stored == [("answer", "Ingen påverkan vid deltid.")]


def test_a_redelivered_event_envelope_is_acked_and_stored_once(
    socket_mode: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack sends an event envelope again when it missed the ack (`retry_attempt`)."""
    caplog.set_level(logging.INFO, logger="bot.slack.events")
    server, stand_in = socket_mode.server, socket_mode.stand_in
    server.wait_for_connections(1)
    ack = server.wait_for_ack(socket_mode.slash_command("kategori:sgi Och vid 25 %?", "ULISA"))
    ref = ref_in(ack.message["payload"]["text"])
    root = socket_mode.location_of(ref)
    event = message_event("Samma svar där.", "UANNA", CHANNEL, thread_ts=root)
    body = json.loads(event_callback_body(event, "EvSocketTwice"))
    first = server.envelope("events_api", body, retry_attempt=0, retry_reason="")
    server.wait_for_ack(first)
    stand_in.wait_for("chat.postEphemeral")
    again = server.envelope("events_api", body, retry_attempt=1, retry_reason="timeout")
    assert server.wait_for_ack(again).message == {"envelope_id": again}
    wait_for_log(caplog, "Slack event EvSocketTwice (retry")  # the redelivery, dropped
    assert len(stand_in.calls("chat.postEphemeral")) == 1
    with socket_mode.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None
        assert [m.text for m in store.messages(question_id=question.id)] == ["Samma svar där."]


def test_slacks_disconnect_leads_to_a_fresh_url_and_a_new_connection(
    socket_mode: Running,
) -> None:
    """Slack asks apps to move to a new connection every few hours (`disconnect`,
    `refresh_requested`); commands sent on the new one are answered there."""
    server, stand_in = socket_mode.server, socket_mode.stand_in
    server.wait_for_connections(1)
    server.send({"type": "disconnect", "reason": "refresh_requested"}, connection=0)
    server.wait_for_connections(2)
    server.wait_for_closed(1)  # the old connection is let go
    assert len(stand_in.calls("apps.connections.open")) == 2
    assert server.paths[0] != server.paths[1]  # a fresh ticket

    envelope = socket_mode.slash_command("kategori:sgi Efter bytet?", "ULISA", connection=1)
    ack = server.wait_for_ack(envelope)
    assert ack.connection == 1
    assert ack.message["payload"]["text"].startswith("Tack! Din fråga ")
    card = stand_in.wait_for("chat.postMessage")[0]
    assert "Efter bytet?" in card_text(card)


def test_stopping_closes_the_socket(socket_mode: Running) -> None:
    socket_mode.server.wait_for_connections(1)
    socket_mode.stop()
    socket_mode.server.wait_for_closed(1)
    assert socket_mode.bryggan.core.on_commit == []  # the outbox pump is stopped too


def test_bryggan_run_in_the_default_socket_mode(
    database_url: str, slack_ends: tuple[SocketModeServer, SocketModeSlack], tmp_path: Path
) -> None:
    """`bryggan run` as a process, Slack in Socket Mode (no `mode` in `[slack]`): it
    connects, answers `/fraga` over the socket, and a SIGTERM stops it cleanly."""
    server, stand_in = slack_ends
    table = SLACK_TOML.format(base_url=stand_in.base_url).replace('mode = "http"\n', "")
    assert "mode =" not in table
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + table, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k not in _PROXY_VARIABLES},
        "SLACK_BOT_TOKEN": stand_in.token,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "BRYGGAN_DATABASE_URL": database_url,
    }
    process = subprocess.Popen(
        python_command("bot.cli", "--config", str(config), "run"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        try:
            server.wait_for_connections(1, timeout=STARTUP)
        except AssertionError as error:
            process.kill()
            raise AssertionError(f"{error}\nbryggan run: {process.communicate()[1]}") from error
        body = slash_command_body("/fraga", "kategori:sgi Från processen?", "ULISA", CHANNEL)
        envelope = server.envelope("slash_commands", dict(parse_qsl(body)))
        told = server.wait_for_ack(envelope).message["payload"]["text"]
        ref = f"F-{reference_year()}-0001"  # the real clock, Stockholm's date
        assert told.startswith(f"Tack! Din fråga {ref} är registrerad."), told
        card = stand_in.wait_for("chat.postMessage", timeout=WAIT)[0]
        assert card["channel"] == CHANNEL and "Från processen?" in card_text(card)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=STARTUP)
    assert process.returncode == 0, stderr
    assert "Slack: connected in Socket Mode" in stderr
    assert "Bryggan is running on slack" in stderr
    server.wait_for_closed(1)
