"""Forged and replayed requests to HTTP mode: every one refused with 401, none reaches the
core, nothing is stored and Slack is asked to post nothing."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_bolt import BoltRequest, BoltResponse

from tests.bot.slack_support import SlackHarness
from tests.slack_stand_in import (
    block_actions_body,
    event_callback_body,
    message_event,
    sign_request,
    slash_command_body,
)

QUESTION = slash_command_body("/fraga", "kategori:sgi Äkta fråga?", "ULISA", "CYSTAD")


def counting(slack: SlackHarness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call into the core, by entry point."""
    calls: list[str] = []
    core = slack.bryggan.core
    for name in ("handle", "handle_thread_message", "execute"):
        original: Callable[..., Any] = getattr(core, name)

        def spy(*args: Any, _name: str = name, _original: Callable[..., Any] = original) -> Any:
            calls.append(_name)
            return _original(*args)

        monkeypatch.setattr(core, name, spy)
    return calls


def passed_on(slack: SlackHarness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The body of every request the HTTP server passed on to bolt, which acks it and
    then runs its listener (a call into the core) in a worker thread."""
    bodies: list[str] = []
    dispatch = slack.bolt.dispatch

    def spy(request: BoltRequest) -> BoltResponse:
        bodies.append(request.raw_body)
        return dispatch(request)

    monkeypatch.setattr(slack.bolt, "dispatch", spy)
    return bodies


def test_forged_and_replayed_requests_are_refused_and_never_handled(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(slack, monkeypatch)
    bodies = passed_on(slack, monkeypatch)
    now = int(time.time())
    # The one genuine request: handled once.
    genuine = sign_request(slack.secret, QUESTION, now)
    assert raw_post(slack, QUESTION, genuine) == 200
    slack.location("F-2026-0001")
    slack.flush()  # the card and Anna's notice are out
    assert calls == ["handle"]
    baseline = len(slack.stand_in.recorded())

    thread = message_event("Falskt svar.", "UANNA", "CYSTAD", thread_ts="1.000001")
    forged_event = event_callback_body(thread, "EvForged")
    press = block_actions_body("bryggan_stang", "UANNA", value="F-2026-0001", channel_id="CYSTAD")
    other = slash_command_body("/fraga", "kategori:sgi Förfalskad?", "ULISA", "CYSTAD")
    old = sign_request(slack.secret, other, now - 600)
    attempts: dict[str, tuple[str, dict[str, str]]] = {
        "wrong secret": (other, sign_request("not-the-secret", other, now)),
        "wrong secret, event": (forged_event, sign_request("gissat", forged_event, now)),
        "wrong secret, button": (press, sign_request("gissat", press, now)),
        "expired timestamp": (other, old),
        "old signature, fresh timestamp": (
            other,
            {**old, "X-Slack-Request-Timestamp": str(now)},
        ),
        "signed body changed": (other, genuine),
        "exact replay": (QUESTION, genuine),
        "no signature": (other, {"X-Slack-Request-Timestamp": str(now)}),
        "no timestamp": (other, {"X-Slack-Signature": genuine["X-Slack-Signature"]}),
        "timestamp not a number": (
            other,
            {"X-Slack-Request-Timestamp": "nu", "X-Slack-Signature": "v0=00"},
        ),
        "future timestamp": (other, sign_request(slack.secret, other, now + 600)),
    }
    for what, (body, headers) in attempts.items():
        assert raw_post(slack, body, headers) == 401, what

    # Refused before bolt saw it, so no listener can still be on its way to the core.
    assert bodies == [QUESTION], f"{len(bodies) - 1} refused requests were passed on to bolt"
    assert calls == ["handle"]
    slack.flush()
    assert calls == ["handle"]
    assert len(slack.stand_in.recorded()) == baseline
    with slack.bryggan.stores() as store:
        assert store.question_by_ref(ref="F-2026-0002") is None
        question = store.question_by_ref(ref="F-2026-0001")
        assert question is not None and question.status.value == "ny"


def raw_post(slack: SlackHarness, body: str, headers: dict[str, str]) -> int:
    """POST exactly these headers (and the content type); the HTTP status."""
    kind = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(slack.url).port, timeout=10)
    try:
        connection.request(
            "POST", "/slack/events", body.encode(), {**headers, "Content-Type": kind}
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
