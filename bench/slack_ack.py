"""How fast Bryggan acknowledges Slack in HTTP mode, and how soon the card follows.

Runs Bryggan (SQLite in a temporary folder) with `[slack] mode = "http"` against the local
Slack stand-in, sends signed `/fraga` one-liners and form submissions over a real socket and
prints the ack times (Slack's limit is 3 s) and the ack → card delay. No assertions.

    python -m bench.slack_ack [count]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from bot.wiring import build
from tests.bot.slack_support import CHANNEL, SLACK_TOML, form_state, slack_env
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    SlackStandIn,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from tests.support import test_config


def _post(url: str, body: str) -> float:
    headers = signed_headers(DEFAULT_SIGNING_SECRET, body)
    started = time.perf_counter()
    request = urllib.request.Request(url, body.encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    return time.perf_counter() - started


def _report(name: str, seconds: list[float], *, ack: bool = True) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    share = f"   (max = {ms[-1] / 3000:.1%} of Slack's 3 s)" if ack else ""
    print(
        f"{name:<28} n={len(ms):<4} median {statistics.median(ms):7.1f} ms"
        f"   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms{share}"
    )


def main(count: int = 50) -> None:
    with tempfile.TemporaryDirectory() as folder, SlackStandIn() as stand_in:
        url_db = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        config = test_config(url_db, SLACK_TOML.format(base_url=stand_in.base_url))
        service = SlackService(build(config), slack_settings(config, slack_env(stand_in)))
        service.start()
        assert service.http is not None
        url = f"http://127.0.0.1:{service.http.port}/slack/events"
        try:
            acks, delays, forms = [], [], []
            for n in range(count):
                body = slash_command_body("/fraga", f"kategori:sgi Fråga {n}?", "ULISA", CHANNEL)
                acks.append(_post(url, body))
                acked = time.perf_counter()
                stand_in.wait_for("chat.postMessage", 2 * n + 1, timeout=10)
                delays.append(time.perf_counter() - acked)
            for n in range(count):
                state = form_state(f"Formulärfråga {n}?")
                body = view_submission_body("bryggan_fraga", state, "ULISA", "{}")
                forms.append(_post(url, body))
            _report("/fraga one-liner: ack", acks)
            _report("/fraga one-liner: ack→card", delays, ack=False)
            _report("form submission: ack", forms)
        finally:
            service.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
