"""HTTP mode: Slack posts commands, interactions and events to `/slack/events`.

A small threaded server turns each request into a `BoltRequest` and hands it to
`App.dispatch`, whose middleware verifies the signature and refuses a timestamp older than
five minutes (401). `GET /healthz` answers 200 with the outbox backlog when the database
answers within two seconds, else 503 (for load balancers and monitoring). With a `RequestGuard`
(`bot.slack.replay`), a forged or replayed request is refused with 401 before bolt sees it.

It also works around a bolt body-parser pitfall: bolt treats any form body containing the
text "payload" as an interactive `payload=<json>` body, so `/fraga … payload …` would be
parsed as {} and answered 404. `bolt_request` re-parses such a body as the plain form it is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import parse_qsl, urlsplit

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

from bot.slack.replay import RequestGuard, Verdict

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000


def bolt_request(body: str, headers: dict[str, list[str]], query: str = "") -> BoltRequest:
    """The `BoltRequest` for a raw HTTP body, with a form body parsed as a form."""
    request = BoltRequest(body=body, query=query, headers=dict(headers))
    if request.content_type == "application/x-www-form-urlencoded" and "payload" in body:
        form = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in form:
            request.body = form
            request.context = build_context(BoltContext(), form)
    return request


class SlackHttpServer:
    """Serves a bolt `App` on `host:port` until `stop()`; port 0 picks a free port."""

    def __init__(
        self,
        app: App,
        host: str = "0.0.0.0",
        port: int = 3000,
        guard: RequestGuard | None = None,
        health: Callable[[], tuple[int, str]] = lambda: (200, "ok"),
    ) -> None:
        self.app = app
        self._httpd = _Server((host, port), _Handler)
        self._httpd.bolt_app = app
        self._httpd.guard = guard
        self._httpd.health = health
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> SlackHttpServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"slack-http:{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("Slack HTTP mode listening on port %d at %s", self.port, EVENTS_PATH)
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    bolt_app: App
    guard: RequestGuard | None
    health: Callable[[], tuple[int, str]]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-request is routine; anything else is logged."""
        logger.debug("slack http: connection from %s ended early", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Bryggan"
    disable_nagle_algorithm = True
    """TCP_NODELAY: the headers and the body are two writes; with Nagle's algorithm the body
    waits for the client's delayed ACK of the headers, about 40 ms on every keep-alive ack."""

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            status, body = cast(_Server, self.server).health()
            self._send(BoltResponse(status=status, body=body))
        else:
            self._send(BoltResponse(status=404, body="not found"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != EVENTS_PATH:
            self._send(BoltResponse(status=404, body="not found"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(BoltResponse(status=413, body="too large"))
            return
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        server = cast(_Server, self.server)
        if server.guard is not None:
            verdict = server.guard.check(raw, {k: v[0] for k, v in headers.items()})
            if verdict is not Verdict.VALID:
                # Slack's own redelivery of a request already handled is acknowledged,
                # not processed; anything else is refused.
                retry = verdict is Verdict.REPLAYED and "x-slack-retry-num" in headers
                logger.warning("refused a %s Slack request", verdict.value)
                self._send(BoltResponse(status=200 if retry else 401, body=""))
                return
        app = server.bolt_app
        try:
            response = app.dispatch(bolt_request(raw, headers, url.query))
        except Exception:
            logger.exception("dispatching a Slack request failed")
            response = BoltResponse(status=500, body="")
        self._send(response)

    def _send(self, response: BoltResponse) -> None:
        body = (response.body or "").encode("utf-8")
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() != "content-length":
                for value in values:
                    self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("slack http: " + format, *args)
