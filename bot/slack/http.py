"""HTTP mode: Slack posts commands, interactions and events to `/slack/events`.

The server is waitress (a maintained production WSGI server) running bolt's own WSGI
adapter, embedded in the bot process (`SlackHttpServer.start()`/`stop()`). waitress reads
every request whole on its I/O thread before a worker thread sees it, so a slow or idle
client never holds one of the `threads` that run bolt; and it enforces the edge's limits
(`HttpLimits`): a body over `max_body` is answered 413 and the connection closed (anything
hidden after it on a keep-alive connection is dropped, never run); headers over
`max_header` get 431 and a close; a request must arrive whole within `read_timeout` of its
first byte and a keep-alive connection is closed after `idle_timeout` without one; at
most `connections` are open at once. waitress sets TCP_NODELAY (so a keep-alive ack does
not wait for the client's delayed ACK, the Nagle stall the earlier server had to fix).

Per request (`SlackEdge`): a forged or replayed request is refused with 401 by the
`RequestGuard` (`bot.slack.replay`) before bolt sees it; a signed body that is not one of
Slack's shapes (`bot.slack.wellformed`), is not UTF-8, or makes bolt raise is answered
400, logged in one line without the payload; then bolt's `App.dispatch` (whose
middleware also verifies the signature). `GET /healthz` answers 200 with the outbox
backlog when the database answers within two seconds, else 503.

It also works around a bolt body-parser pitfall: bolt treats any form body containing the
text "payload" as an interactive `payload=<json>` body, so `/fraga … payload …` would be
parsed as {} and answered 404. `bolt_request` re-parses such a body as the plain form it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context

from bot.slack import wellformed
from bot.slack.replay import RequestGuard
from bot.slack.waitress_edge import EdgeServer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1_000_000


@dataclass(frozen=True)
class HttpLimits:
    """What one client may cost the HTTP edge. The defaults are for production; tests
    shorten the timeouts."""

    max_body: int = MAX_BODY
    """Bytes; a larger body gets 413 and the connection is closed with the body unread."""
    max_header: int = 64 * 1024
    """Bytes of request line and headers; more gets 431 and a close."""
    read_timeout: float = 10.0
    """Seconds from a request's first byte until it must have arrived whole."""
    idle_timeout: float = 30.0
    """Seconds a keep-alive connection may wait for its next request."""
    threads: int = 32
    """Requests handled at once. More than bolt's listener pool (bot/slack/courier.py), so
    that a burst queues there, where a request that waited past the ack deadline is
    skipped; each of these threads mostly waits in `App.dispatch` for its listener's ack
    (bolt polls for it every 10 ms)."""
    connections: int = 1000
    """Open connections at most; beyond, new ones wait in the listen backlog."""


def bolt_request(
    body: str, headers: Mapping[str, str | Sequence[str]], query: str = ""
) -> BoltRequest:
    """The `BoltRequest` for a raw HTTP body, with a form body parsed as a form."""
    request = BoltRequest(body=body, query=query, headers=dict(headers))
    if request.content_type == wellformed.FORM and "payload" in body:
        form = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in form:
            request.body = form
            request.context = build_context(BoltContext(), form)
    return request


def _status(status: int) -> BoltResponse:
    return BoltResponse(status=status, body="")


class SlackEdge(SlackRequestHandler):
    """bolt's WSGI adapter with Bryggan's edge: `/healthz`, the replay guard, and 400
    for what is not a Slack request."""

    def __init__(
        self,
        app: App,
        guard: RequestGuard | None = None,
        health: Callable[[], tuple[int, str]] = lambda: (200, '{"status": "ok"}'),
    ) -> None:
        super().__init__(app, EVENTS_PATH)
        self.guard = guard
        self.health = health

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            status, body = self.health()
            reason = "OK" if status == 200 else "Service Unavailable"
            encoded = body.encode()
            start_response(
                f"{status} {reason}",
                [("Content-Type", "application/json"), ("Content-Length", str(len(encoded)))],
            )
            return [encoded]
        return super().__call__(environ, start_response)  # type: ignore[no-any-return]

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """One POST to `/slack/events`: 401, 400, or bolt's answer."""
        environ = request.environ
        raw: bytes = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {name: str(value) for name, value in request.get_headers().items()}
        if self.guard is not None and not self.guard.authentic(raw, headers):
            logger.warning("refused a forged Slack request")
            return _status(401)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            logger.warning("refused a signed Slack request: not UTF-8")
            return _status(400)
        reason = wellformed.problem(body, headers.get("content-type", ""))
        if reason is not None:
            logger.warning("refused a signed Slack request: %s", reason)
            return _status(400)
        if self.guard is not None and not self.guard.first_use(headers):
            # Slack's own redelivery of a request already handled is acknowledged,
            # not processed; anything else is refused.
            retry = "x-slack-retry-num" in headers
            logger.warning("refused a replayed Slack request")
            return _status(200 if retry else 401)
        try:
            return self.app.dispatch(bolt_request(body, headers, request.query_string))
        except Exception as error:
            logger.warning("bolt could not read a signed Slack request: %s", type(error).__name__)
            return _status(400)


class SlackHttpServer:
    """Serves a bolt `App` on `host:port` until `stop()`; port 0 picks a free port."""

    def __init__(
        self,
        app: App,
        host: str = "0.0.0.0",
        port: int = 3000,
        guard: RequestGuard | None = None,
        health: Callable[[], tuple[int, str]] = lambda: (200, '{"status": "ok"}'),
        limits: HttpLimits | None = None,
    ) -> None:
        self.app = app
        self.limits = limits = limits or HttpLimits()
        self._server = EdgeServer(
            SlackEdge(app, guard, health),
            host=host,
            port=port,
            threads=limits.threads,
            connection_limit=limits.connections,
            max_request_body_size=limits.max_body + 1,  # waitress refuses from this size on
            max_request_header_size=limits.max_header,
            read_timeout=limits.read_timeout,
            idle_timeout=limits.idle_timeout,
        )

    @property
    def port(self) -> int:
        return self._server.port

    def start(self) -> SlackHttpServer:
        self._server.start(f"slack-http:{self.port}")
        logger.info("Slack HTTP mode listening on port %d at %s", self.port, EVENTS_PATH)
        return self

    def stop(self) -> None:
        """Stop accepting, let the requests in progress finish (up to 5 s), close."""
        self._server.stop()
