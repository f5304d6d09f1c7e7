"""The HTTP edge under hostile clients, over raw sockets on loopback: a request hidden in an
oversized body, slow and idle clients, oversized headers. Short timeouts (`HttpLimits`) keep
the waits to what the timeouts themselves need."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.config import ConfigError
from bot.slack.config import slack_settings
from bot.slack.http import MAX_BODY, HttpLimits
from bot.slack.runner import SlackService
from bot.wiring import build
from tests.bot.slack_support import SLACK_TOML, SlackHarness, slack_env
from tests.slack_stand_in import SlackStandIn, signed_headers, slash_command_body
from tests.support import Clock
from tests.support import test_config as config_with

LIMITS = HttpLimits(read_timeout=0.5, idle_timeout=1.0, threads=2)


@pytest.fixture
def edge(database_url: str, clock: Clock, slack_stand_in: SlackStandIn) -> Iterator[SlackHarness]:
    """Bryggan in HTTP mode with LIMITS: two worker threads, half a second to send a request."""
    config = config_with(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    bryggan = build(config, clock)
    settings = slack_settings(config, slack_env(slack_stand_in))
    service = SlackService(bryggan, settings, limits=LIMITS).start()
    yield SlackHarness(bryggan, service, slack_stand_in, clock)
    service.stop()
    bryggan.database.engine.dispose()


def fraga(text: str) -> str:
    return slash_command_body("/fraga", f"kategori:sgi {text}", "ULISA", "CYSTAD")


def signed_request(body: str, **extra: str) -> bytes:
    """A complete signed POST to /slack/events, as bytes on the wire."""
    headers = {**signed_headers("bryggan-stand-in-signing-secret", body), **extra}
    headers.setdefault("Content-Length", str(len(body.encode())))
    lines = [f"{name}: {value}" for name, value in headers.items()]
    head = "\r\n".join(["POST /slack/events HTTP/1.1", "Host: bryggan", *lines, "", ""])
    return head.encode() + body.encode()


def connect(slack: SlackHarness, timeout: float = 10) -> socket.socket:
    assert slack.service.http is not None
    return socket.create_connection(("127.0.0.1", slack.service.http.port), timeout=timeout)


def read_all(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the socket's timeout,
    10 s, fails the test if it never does)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def read_response(connection: socket.socket) -> bytes:
    """One whole response on a connection that stays open (headers, then Content-Length
    bytes of body; they may come in separate segments)."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += connection.recv(65536)
    head, body = received.split(b"\r\n\r\n", 1)
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def closed(connection: socket.socket) -> bool:
    """The server has closed the connection (without waiting)."""
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def stored(slack: SlackHarness) -> list[str]:
    refs = ["F-2026-0001", "F-2026-0002", "F-2026-0003"]
    return [ref for ref in refs if slack.question(ref) is not None]


def test_a_request_hidden_in_an_oversized_body_is_never_run(edge: SlackHarness) -> None:
    hidden = signed_request(fraga("Smugglad fråga?"))
    oversized = signed_request("x", **{"Content-Length": str(2 * MAX_BODY)})
    with connect(edge) as connection:
        connection.sendall(oversized.removesuffix(b"x") + hidden)
        answer = read_all(connection)  # the server closes the connection after its 413
    assert status_of(answer) == 413
    assert answer.count(b"HTTP/1.1") == 1, "the hidden request was answered too"
    assert edge.post(fraga("Äkta fråga?")).status == 200
    edge.flush()
    assert stored(edge) == ["F-2026-0001"]
    question = edge.question("F-2026-0001")
    assert question is not None and question.text == "Äkta fråga?"
    posted = [call.get("text", "") for call in edge.stand_in.calls("chat.postMessage")]
    assert not any("Smugglad" in text for text in posted)


def test_a_client_sending_its_headers_a_byte_at_a_time_is_cut_off(edge: SlackHarness) -> None:
    request = signed_request(fraga("Långsam fråga?"))
    sent = 5
    with connect(edge) as slow:
        slow.sendall(request[:sent])
        assert edge.post(fraga("Snabb fråga?")).status == 200  # meanwhile, others are served
        while sent < len(request) and not closed(slow):
            slow.sendall(request[sent : sent + 1])
            sent += 1
            time.sleep(0.05)  # each byte well within idle_timeout; the whole not in time
        assert read_all(slow) == b""
    assert sent < len(request) // 2
    edge.flush()
    assert stored(edge) == ["F-2026-0001"]
    question = edge.question("F-2026-0001")
    assert question is not None and question.text == "Snabb fråga?"


def test_a_client_stalling_mid_body_is_cut_off_and_nothing_is_stored(edge: SlackHarness) -> None:
    request = signed_request(fraga("Halv fråga?"))
    with connect(edge) as stalled:
        stalled.sendall(request[:-10])
        assert edge.post(fraga("Hel fråga?")).status == 200
        assert read_all(stalled) == b""  # closed after read_timeout, with no answer
    edge.flush()
    assert stored(edge) == ["F-2026-0001"]


def test_idle_and_half_open_connections_do_not_keep_others_waiting(edge: SlackHarness) -> None:
    """Two worker threads, 200 idle connections and 50 with half a request: a real
    request is still answered (the old server spent a thread on each until it ended)."""
    idle = [connect(edge) for _ in range(200)]
    half = [connect(edge) for _ in range(50)]
    try:
        for connection in half:
            connection.sendall(signed_request(fraga("Halv?"))[:60])
        answer = edge.post(fraga("Kommer jag fram?"))
        assert answer.status == 200 and answer.body.startswith("Tack!")
        assert read_all(idle[0]) == b"" and read_all(half[0]) == b""  # then closed
    finally:
        for connection in idle + half:
            connection.close()
    edge.flush()
    assert stored(edge) == ["F-2026-0001"]


def test_a_keep_alive_connection_serves_requests_until_it_idles(edge: SlackHarness) -> None:
    with connect(edge) as connection:
        for text in ("Första?", "Andra?"):
            connection.sendall(signed_request(fraga(text)))
            answer = read_response(connection)
            assert status_of(answer) == 200 and "Tack!" in answer.decode()
        assert read_all(connection) == b""  # closed after idle_timeout
    assert stored(edge) == ["F-2026-0001", "F-2026-0002"]


def test_oversized_headers_get_431_and_a_close(edge: SlackHarness) -> None:
    """Exactly `max_header` bytes without the end of the headers: the server has read all
    it was sent when it refuses, so its 431 is not lost to a reset."""
    start = signed_request(fraga("Stora huvuden?")).split(b"\r\n\r\n")[0] + b"\r\nX-Padding: "
    with connect(edge) as connection:
        connection.sendall(start + b"a" * (LIMITS.max_header - len(start)))
        answer = read_all(connection)
    assert status_of(answer) == 431
    edge.flush()
    assert stored(edge) == []


def test_a_port_in_use_is_a_clear_error(
    database_url: str, clock: Clock, slack_stand_in: SlackStandIn
) -> None:
    config = config_with(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    bryggan = build(config, clock)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = replace(
            slack_settings(config, slack_env(slack_stand_in)), http_port=taken.getsockname()[1]
        )
        with pytest.raises(ConfigError, match=r"http_port \d+ går inte att använda"):
            SlackService(bryggan, settings).start()
    bryggan.database.engine.dispose()
