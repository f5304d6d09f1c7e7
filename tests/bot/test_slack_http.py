"""HTTP mode over a real socket: signatures, the 3-second ack, retries, bolt's body pitfall."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from typing import Any

import pytest
from sqlalchemy import text

from bot.slack.config import slack_settings
from bot.slack.http import bolt_request
from bot.slack.runner import SlackService
from bot.wiring import build
from tests.bot.slack_support import (
    SlackHarness,
    card_text,
    form_state,
    slack_env,
    wait_for_log,
)
from tests.slack_stand_in import (
    event_callback_body,
    message_event,
    signed_headers,
    slash_command_body,
    view_submission_body,
)


def _fraga(text: str, user: str = "ULISA") -> str:
    return slash_command_body("/fraga", text, user, "CYSTAD")


def test_a_signed_one_liner_is_acked_over_http_and_the_card_follows(slack: SlackHarness) -> None:
    answer = slack.post(_fraga("kategori:sgi Hur påverkas SGI vid halvtid?"))
    assert answer.status == 200
    assert answer.body.startswith("Tack! Din fråga F-2026-0001 är registrerad.")
    assert "Hur påverkas SGI vid halvtid?" in card_text(slack.card("F-2026-0001"))


def test_forged_and_expired_signatures_are_rejected_and_nothing_happens(
    slack: SlackHarness,
) -> None:
    body = _fraga("kategori:sgi Hur påverkas SGI vid halvtid?")
    assert slack.post(body, secret="not-the-secret").status == 401
    assert slack.post(body, timestamp=int(time.time()) - 5 * 60 - 30).status == 401
    headers = signed_headers(slack.secret, body)
    tampered = body.replace("halvtid", "heltid")
    request = urllib.request.Request(slack.url, tampered.encode(), headers, method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a tampered body was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 401
    slack.flush()
    assert slack.question("F-2026-0001") is None
    assert slack.stand_in.calls("chat.postMessage") == []


def test_a_slash_command_mentioning_payload_is_not_mistaken_for_an_interaction(
    slack: SlackHarness,
) -> None:
    text = "kategori:sgi Vad betyder payload i FK:s e-tjänst?"
    answer = slack.post(_fraga(text))
    assert (answer.status, answer.body[:5]) == (200, "Tack!")
    assert "Vad betyder payload" in card_text(slack.card("F-2026-0001"))
    request = bolt_request(_fraga(text), {"content-type": ["application/x-www-form-urlencoded"]})
    assert request.body["command"] == "/fraga" and request.body["text"] == text


def test_a_retried_event_over_http_stores_one_answer(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.events")
    ref = slack.ask()
    root = slack.location(ref)
    body = event_callback_body(
        message_event("Nej.", "UANNA", root.channel, thread_ts=root.thread_root), "EvHttp"
    )
    assert slack.post(body).status == 200
    slack.stand_in.wait_for("chat.postEphemeral")  # the first delivery has been handled
    later = int(time.time())  # Slack signs each redelivery afresh, seconds or minutes later
    assert (
        slack.post(body, retry_num=1, retry_reason="http_timeout", timestamp=later + 3).status
        == 200
    )
    assert (
        slack.post(body, retry_num=2, retry_reason="http_error", timestamp=later + 60).status == 200
    )
    wait_for_log(caplog, "already handled", 2)
    slack.flush()
    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None
        assert [m.text for m in store.messages(question_id=question.id)] == ["Nej."]
    assert len(slack.stand_in.calls("chat.postEphemeral")) == 1


def test_the_form_over_http_acks_with_the_confirmation(slack: SlackHarness) -> None:
    body = view_submission_body("bryggan_fraga", form_state(), "ULISA", '{"channel": "CYSTAD"}')
    answer = slack.post(body)
    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    slack.location("F-2026-0001")


def test_health_and_unknown_paths(slack: SlackHarness) -> None:
    base = slack.url.removesuffix("/slack/events")
    with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {
            "status": "ok",
            "database": "ok",
            "outbox_waiting": 0,
            "outbox_parked": 0,
        }
    answer: Any = None
    try:
        urllib.request.urlopen(urllib.request.Request(f"{base}/other", b"x", method="POST"))
    except urllib.error.HTTPError as error:
        answer = error.code
    assert answer == 404


def test_a_replayed_request_is_refused_by_every_replica_and_after_a_restart(
    slack: SlackHarness,
) -> None:
    body, signed_at = _fraga("kategori:sgi Hur påverkas SGI vid halvtid?"), int(time.time())
    assert slack.post(body, timestamp=signed_at).status == 200
    settings = slack_settings(slack.bryggan.config, slack_env(slack.stand_in))
    other = build(slack.bryggan.config, slack.clock)  # a second replica on the same database
    replica = SlackService(other, settings).start()
    try:
        elsewhere = SlackHarness(other, replica, slack.stand_in, slack.clock)
        assert elsewhere.post(body, timestamp=signed_at).status == 401
        assert slack.post(body, timestamp=signed_at).status == 401
    finally:
        replica.stop()
        other.database.engine.dispose()
    slack.service.stop()  # a restart
    restarted = SlackService(slack.bryggan, settings).start()
    try:
        again = SlackHarness(slack.bryggan, restarted, slack.stand_in, slack.clock)
        assert again.post(body, timestamp=signed_at).status == 401
        fresh = _fraga("kategori:sgi En ny fråga efter omstarten")
        assert again.post(fresh).status == 200
    finally:
        restarted.stop()
    with slack.bryggan.stores() as store:
        refs = ["F-2026-0001", "F-2026-0002", "F-2026-0003"]
        assert [store.question_by_ref(ref=r) is not None for r in refs] == [True, True, False]


def _health(slack: SlackHarness) -> tuple[int, dict[str, Any]]:
    base = slack.url.removesuffix("/slack/events")
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_health_reports_the_outbox_backlog_and_a_database_that_does_not_answer(
    slack: SlackHarness,
) -> None:
    slack.service.pump.stop()
    slack.stand_in.outage()
    assert slack.post(_fraga("kategori:sgi Hur påverkas SGI vid halvtid?")).status == 200
    slack.flush()  # the card and the notice fail and wait for their next try
    assert _health(slack) == (
        200,
        {"status": "ok", "database": "ok", "outbox_waiting": 2, "outbox_parked": 0},
    )
    engine = slack.bryggan.database.engine
    if engine.dialect.name == "sqlite":
        with slack.bryggan.database.session():  # another writer holds the database
            assert _health(slack) == (503, {"status": "unavailable", "database": "no answer"})
    else:
        with engine.connect() as other:
            other.execute(text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
            assert _health(slack) == (503, {"status": "unavailable", "database": "no answer"})
            other.rollback()
    assert _health(slack)[0] == 200


def test_slacks_own_checks_pass_the_edge(slack: SlackHarness) -> None:
    """The request checks in front of bolt let Slack's URL verification and SSL check through."""
    challenge = json.dumps({"token": "t", "challenge": "c4ll3ng3", "type": "url_verification"})
    answer = slack.post(challenge)
    assert (answer.status, answer.json()) == (200, {"challenge": "c4ll3ng3"})
    assert slack.post("ssl_check=1&token=t").status == 200
