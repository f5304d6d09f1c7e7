"""The baseline for the Slack benchmarks: a bare slack-bolt app that only acks `/fraga`.

It is served exactly the way Bryggan's HTTP mode serves its bolt app (`bot/slack/http.py`):
a `ThreadingHTTPServer` with HTTP/1.1 keep-alive, one `BoltRequest` per POST to
`/slack/events`, `App.dispatch`, `process_before_response=False`, the token checked with
`auth.test` at start. Nothing of Bryggan is imported, so its start-up time and memory are
bolt's own.

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… python bench/bare_bolt.py <port> <api_base_url>
"""

from __future__ import annotations

import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient

EVENTS_PATH = "/slack/events"


def build_app(api_base_url: str) -> App:
    """The bolt app: one `/fraga` listener that acks with a short text and does nothing else."""
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=api_base_url)
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=False,
    )

    @app.command("/fraga")
    def ask(ack: Ack, command: dict[str, Any]) -> None:
        ack(text="Tack! Din fråga är registrerad.")

    return app


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    app: App

    def do_GET(self) -> None:
        self._send(BoltResponse(status=200 if self.path == "/healthz" else 404, body="ok"))

    def do_POST(self) -> None:
        if self.path.split("?")[0] != EVENTS_PATH:
            self._send(BoltResponse(status=404, body="not found"))
            return
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        self._send(self.app.dispatch(BoltRequest(body=raw, headers=dict(headers))))

    def _send(self, response: BoltResponse) -> None:
        body = (response.body or "").encode()
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() != "content-length":
                for value in values:
                    self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main(port: int, api_base_url: str) -> None:
    Handler.app = build_app(api_base_url)
    Server(("127.0.0.1", port), Handler).serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
