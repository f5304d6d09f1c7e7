"""A running Slack adapter against the local Slack stand-in, and helpers that act like Slack.

`slack` (fixture) is a `SlackHarness`: Bryggan on the test database, its Slack service in
HTTP mode on a free loopback port (outbox pump running), its Web API client pointed at the
stand-in. Requests are signed like Slack signs them and go either through `app.dispatch`
or over a real socket to `/slack/events`.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from bot.wiring import Bryggan, build
from handlers.kernel.model import ChatLocation, Question
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    SlackStandIn,
    block_actions_body,
    event_callback_body,
    message_event,
    signed_headers,
    slash_command_body,
    view_submission_body,
)
from tests.support import Clock, test_config, wait_until

CHANNEL = "CYSTAD"
"""The Slack channel of the unit "ystad" (Anna is its vård→FK contact, Berit and Greta her
backups)."""

SLACK_TOML = """
[[units]]
slug = "ystad"
name = "Vuxenpsykiatri Ystad"
slack_channel = "CYSTAD"
vard_till_fk = ["anna"]
vard_till_fk_backup = ["berit", "greta"]
fk_till_vard = ["rut"]

[[people]]
key = "nils"
name = "Nils Ek"
roles = ["asker"]
side = "vard"
unit = "ystad"
slack = "UNILS"

[[people]]
key = "greta"
name = "Greta Lind"
roles = ["contact"]
slack = "UGRETA"

[slack]
enabled = true
mode = "http"
http_host = "127.0.0.1"
http_port = 0
api_base_url = "{base_url}"
"""


def slack_env(stand_in: SlackStandIn) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": stand_in.token, "SLACK_SIGNING_SECRET": DEFAULT_SIGNING_SECRET}


def form_state(
    text: str = "Hur påverkas SGI om patienten går ner till halvtid?",
    *,
    unit: str = "ystad",
    category: str = "sgi_formaner",
    direction: str = "vård-fk",
    deadline: str | None = None,
    consent: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`view.state.values` of a filled-in question form, shaped as Slack sends it."""

    def picked(kind: str, value: str | None) -> dict[str, Any]:
        return {"type": kind, "selected_option": {"value": value} if value else None}

    values: dict[str, Any] = {
        "enhet": {"enhet": picked("static_select", unit)},
        "kategori": {"kategori": picked("static_select", category)},
        "riktning": {"riktning": picked("radio_buttons", direction)},
        "samtycke_val": {
            "bryggan_samtycke": picked("radio_buttons", "samtycke" if consent else "avidentifierad")
        },
        "frist": {"frist": {"type": "datepicker", "selected_date": deadline}},
        "text": {"text": {"type": "plain_text_input", "value": text}},
    }
    if consent:
        values["samtycke"] = {"samtycke": picked("radio_buttons", consent.get("form"))}
        values["samtycke_av"] = {
            "samtycke_av": {"type": "plain_text_input", "value": consent.get("by")}
        }
        values["samtycke_datum"] = {
            "samtycke_datum": {"type": "datepicker", "selected_date": consent.get("date")}
        }
    return values


@dataclass
class HttpAnswer:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class SlackHarness:
    bryggan: Bryggan
    service: SlackService
    stand_in: SlackStandIn
    clock: Clock
    secret: str = DEFAULT_SIGNING_SECRET

    @property
    def bolt(self) -> App:
        return self.service.bolt

    @property
    def url(self) -> str:
        assert self.service.http is not None
        return f"http://127.0.0.1:{self.service.http.port}/slack/events"

    # -- sending what Slack sends -------------------------------------------------------------

    def dispatch(self, body: str, **options: Any) -> BoltResponse:
        """Through `app.dispatch`, signed (options: timestamp, retry_num)."""
        headers: dict[str, str | Sequence[str]] = {**signed_headers(self.secret, body, **options)}
        return self.bolt.dispatch(BoltRequest(body=body, headers=headers))

    def post(self, body: str, *, secret: str | None = None, **options: Any) -> HttpAnswer:
        """Over HTTP to the running server, signed with `secret` (default: the right one)."""
        headers = signed_headers(secret or self.secret, body, **options)
        request = urllib.request.Request(self.url, body.encode(), headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, text = response.status, response.read().decode()
        except HTTPError as error:
            status, text = error.code, error.read().decode()
        return HttpAnswer(status, text, time.perf_counter() - started)

    def command(
        self, text: str, user: str = "ULISA", channel: str = CHANNEL, command: str = "/fraga"
    ) -> BoltResponse:
        return self.dispatch(slash_command_body(command, text, user, channel))

    def submit(
        self, state: dict[str, Any], user: str = "ULISA", channel: str | None = CHANNEL
    ) -> BoltResponse:
        metadata = json.dumps({"channel": channel})
        return self.dispatch(view_submission_body("bryggan_fraga", state, user, metadata))

    def press(self, action_id: str, ref: str, user: str) -> BoltResponse:
        location = self.location(ref)
        body = block_actions_body(
            action_id,
            user,
            value=ref,
            block_id="bryggan_card",
            channel_id=location.channel,
            message_ts=location.thread_root,
        )
        return self.dispatch(body)

    def reply_in_thread(
        self, ref: str, text: str, user: str, event_id: str, **options: Any
    ) -> BoltResponse:
        location = self.location(ref)
        event = message_event(text, user, location.channel, thread_ts=location.thread_root)
        return self.dispatch(event_callback_body(event, event_id), **options)

    # -- observing ------------------------------------------------------------------------------

    def ask(self, text: str = "Hur påverkas SGI vid halvtid?", user: str = "ULISA") -> str:
        """Ask with the one-liner and wait for the card; returns the reference."""
        reply = ack_text(self.command(f"kategori:sgi {text}", user))
        found = re.search(r"F-\d{4}-\d{4}", reply)
        assert found, reply
        self.location(found.group(0))
        return found.group(0)

    def flush(self) -> None:
        """Deliver everything due now (waits for a drain in progress)."""
        self.service.sender.drain()

    def question(self, ref: str) -> Question | None:
        with self.bryggan.stores() as store:
            return store.question_by_ref(ref=ref)

    def location(self, ref: str, timeout: float = 5.0) -> ChatLocation:
        """Where the card of `ref` was posted, once the pump has posted it."""

        def posted() -> ChatLocation | None:
            question = self.question(ref)
            return question.location if question is not None else None

        def seen() -> str:
            question = self.question(ref)
            state = "no such question" if question is None else "stored, no card yet"
            posts = [call.get("text") for call in self.stand_in.calls("chat.postMessage")]
            return f"{state}; the last chat.postMessage texts: {posts[-5:]}"

        return wait_until(posted, timeout, f"the card of {ref} posted", seen=seen)

    def card(self, ref: str) -> dict[str, Any]:
        """The card message as the channel shows it now."""
        location = self.location(ref)
        messages = self.stand_in.messages(location.channel)
        return next(m for m in messages if m["ts"] == location.thread_root)


def wait_for_log(caplog: pytest.LogCaptureFixture, text: str, count: int = 1) -> None:
    """Poll until `count` log records contain `text` (listeners run after the ack); call
    `caplog.set_level(logging.INFO)` before acting."""
    wait_until(
        lambda: sum(text in r.getMessage() for r in caplog.records) >= count,
        5,
        f"{count} log line(s) with {text!r}",
        seen=lambda: [r.getMessage() for r in caplog.records],
    )


def ack_text(response: BoltResponse) -> str:
    """The text a slash command's ack shows the user (bolt sends plain text or JSON)."""
    assert response.status == 200, (response.status, response.body)
    body = response.body or ""
    return str(json.loads(body)["text"]) if body.startswith("{") else body


def as_json(value: Any) -> Any:
    """A nested Web API argument: JSON bodies keep structure, form bodies send JSON text."""
    return json.loads(value) if isinstance(value, str) else value


def card_text(message: dict[str, Any]) -> str:
    """All the text in a message's blocks, for assertions."""
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def slack(database_url: str, clock: Clock, slack_stand_in: SlackStandIn) -> Iterator[SlackHarness]:
    config = test_config(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    bryggan = build(config, clock)
    service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in))).start()
    yield SlackHarness(bryggan, service, slack_stand_in, clock)
    service.stop()
    bryggan.database.engine.dispose()
