"""The baseline for the Slack benchmarks: a bare slack-bolt app that only acks `/fraga`.

It is served with the same server technology as Bryggan's HTTP mode (`bot/slack/http.py`):
bolt's own WSGI adapter (`slack_bolt.adapter.wsgi.SlackRequestHandler`: one `BoltRequest`
per POST to `/slack/events`, `App.dispatch`) on waitress with the same worker threads,
connection limit and poll loop, HTTP/1.1 keep-alive and TCP_NODELAY;
`process_before_response=False`, the token checked with `auth.test` at start. Nothing of
Bryggan is imported, so its start-up time and memory are bolt's and waitress's own.

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… python bench/bare_bolt.py <port> <api_base_url>
"""

from __future__ import annotations

import os
import sys
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve

EVENTS_PATH = "/slack/events"
SERVER_SETTINGS: dict[str, Any] = {
    "threads": 32,
    "connection_limit": 1000,
    "asyncore_use_poll": True,
    "ident": "bare-bolt",
}
"""waitress as Bryggan's HTTP mode configures it (bot/slack/http.py, HttpLimits)."""


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


def run(app: App, port: int) -> None:
    """Serve `app` on 127.0.0.1:`port` until the process ends."""
    serve(SlackRequestHandler(app, EVENTS_PATH), host="127.0.0.1", port=port, **SERVER_SETTINGS)


def main(port: int, api_base_url: str) -> None:
    run(build_app(api_base_url), port)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
