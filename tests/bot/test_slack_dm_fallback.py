"""When Slack will not show an ephemeral message (the bot is not in the channel, or Slack
fails), the person still gets the outcome of what they did, as a direct message from the
app (`bot.slack.replies.tell`), with the same text and never in the channel."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.bot.slack_support import CHANNEL, SlackHarness, card_text, wait_for_log
from tests.slack_stand_in import SlackStandIn, block_actions_body
from tests.support import wait_until


def direct_messages(stand_in: SlackStandIn, user: str) -> list[dict[str, Any]]:
    """What `user` sees in their direct conversation with the app, oldest first."""
    return stand_in.messages(stand_in.dm_channel_for(user))


def wait_for_dm(stand_in: SlackStandIn, user: str, text: str, timeout: float = 5.0) -> None:
    """Until `user`'s direct conversation holds a message with exactly `text`."""
    wait_until(
        lambda: any(m["text"] == text for m in direct_messages(stand_in, user)),
        timeout,
        f"a DM {text!r} to {user}",
        seen=lambda: [m["text"] for m in direct_messages(stand_in, user)],
    )


def fallback_order(stand_in: SlackStandIn, user: str, text: str) -> list[str]:
    """The calls that tried to tell `user` the text: the ephemeral first, then the DM."""
    return [
        call.method
        for call in stand_in.recorded()
        if call.payload.get("text") == text
        and (call.payload.get("user") == user or call.payload.get("channel") == user)
    ]


def test_a_buttons_outcome_comes_as_a_dm_when_the_bot_is_not_in_the_channel(
    slack: SlackHarness,
) -> None:
    ref = slack.ask()
    slack.flush()
    slack.stand_in.error_next("chat.postEphemeral", "not_in_channel")
    assert slack.press("bryggan_ta", ref, "UANNA").status == 200
    tried = slack.stand_in.wait_for("chat.postEphemeral")[0]
    assert (tried["user"], tried["channel"]) == ("UANNA", CHANNEL)
    assert tried["text"].startswith(f"Du har tagit {ref}.")
    wait_for_dm(slack.stand_in, "UANNA", tried["text"])
    assert fallback_order(slack.stand_in, "UANNA", tried["text"]) == [
        "chat.postEphemeral",
        "chat.postMessage",
    ]
    # The outcome is private: nothing of it in the unit's channel, where the card shows it.
    assert not any("Du har tagit" in m["text"] for m in slack.stand_in.messages(CHANNEL))
    assert f"👀 {ref} · tagen" in card_text(slack.stand_in.wait_for("chat.update")[0])
    question = slack.question(ref)
    assert question is not None and question.status == "tagen"


def test_a_thread_answers_receipt_comes_as_a_dm_when_slack_fails(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.flush()
    slack.stand_in.server_error_next("chat.postEphemeral", status=500)
    answer = "Nej, SGI påverkas inte av halvtid."
    assert slack.reply_in_thread(ref, answer, "UANNA", "EvDm1").status == 200
    receipt = f"Ditt svar på {ref} är sparat."
    wait_for_dm(slack.stand_in, "UANNA", receipt)
    tried = slack.stand_in.calls("chat.postEphemeral")
    assert [(c["user"], c["text"]) for c in tried] == [("UANNA", receipt)]
    assert tried[0]["thread_ts"] == slack.location(ref).thread_root
    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None and question.status == "besvarad"
        stored = [(m.kind, m.text) for m in store.messages(question_id=question.id)]
    assert stored == [("answer", answer)]


def test_without_a_channel_the_app_writes_directly(slack: SlackHarness) -> None:
    """The Home tab's "Ställ en fråga" has no channel: an unknown person is told in a DM."""
    body = block_actions_body("bryggan_ny_fraga", "UNOBODY", value="ny", block_id="bryggan_home")
    assert slack.dispatch(body).status == 200
    told = slack.stand_in.wait_for("chat.postMessage")[-1]
    assert told["channel"] == "UNOBODY"
    wait_for_dm(slack.stand_in, "UNOBODY", told["text"])
    assert told["text"].startswith("Jag känner inte igen dig ännu.")
    assert slack.stand_in.calls("chat.postEphemeral") == []
    assert slack.stand_in.calls("views.open") == []


def test_when_the_dm_fails_too_the_action_stands_and_the_failure_is_logged(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.slack.replies")
    ref = slack.ask()
    slack.flush()
    dms_before = len(direct_messages(slack.stand_in, "UANNA"))
    slack.stand_in.error_next("chat.postEphemeral", "channel_not_found")
    # The next chat.postMessage is the DM: the outbox is drained and /ta only edits the card.
    slack.stand_in.error_next("chat.postMessage", "cannot_dm_bot")
    slack.press("bryggan_ta", ref, "UANNA")
    wait_for_log(caplog, "could not tell UANNA the outcome of their action")
    assert any("ephemeral to UANNA failed" in r.getMessage() for r in caplog.records)
    assert len(direct_messages(slack.stand_in, "UANNA")) == dms_before
    # What Anna can still see: the card in the channel shows she has the question.
    assert f"👀 {ref} · tagen" in card_text(slack.stand_in.wait_for("chat.update")[0])
    question = slack.question(ref)
    assert question is not None and question.status == "tagen"
