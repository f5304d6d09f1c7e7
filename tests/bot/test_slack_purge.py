"""The retention purge reaches Slack: against the Web API stand-in, the card (its free text
replaced, its header and status kept) and the bot's "Svar från …" thread reply are rewritten
with `chat.update`, and nothing in Slack's copy of the channel still shows the text."""

from __future__ import annotations

import json
import logging

import pytest

from bot.retention_jobs import housekeeping_now, purge_now
from handlers.kernel import texts
from tests.bot.slack_support import CHANNEL, SlackHarness, ack_text, card_text, wait_for_log

SECRET = "Ödegaard-Blom"


def test_purge_updates_the_card_and_the_thread_reply_in_slack(slack: SlackHarness) -> None:
    ref = slack.ask(f"Hur påverkas SGI för {SECRET} vid halvtid?")
    location = slack.location(ref)
    ack_text(
        slack.command(f"svara {ref} Svar om {SECRET}: ingen ändring", "UANNA", command="/bryggan")
    )
    ack_text(slack.command(f"stäng {ref}", "UANNA", command="/bryggan"))
    slack.flush()
    assert SECRET in card_text(slack.card(ref))
    reply = next(
        m
        for m in slack.stand_in.messages(CHANNEL)
        if m.get("thread_ts") == location.thread_root and m["ts"] != location.thread_root
    )
    assert reply["text"].startswith("Svar från Anna Berg:")
    updates_before = len(slack.stand_in.calls("chat.update"))

    slack.clock.advance(days=91)
    assert purge_now(slack.bryggan) == 1
    slack.flush()

    updates = slack.stand_in.calls("chat.update")[updates_before:]
    by_ts = {str(call["ts"]): call for call in updates}
    assert set(by_ts) == {location.thread_root, reply["ts"]}
    assert by_ts[reply["ts"]]["text"] == f"Svar från Anna Berg:\n{texts.PURGED_POST}"
    card = json.dumps(by_ts[location.thread_root].get("blocks"), ensure_ascii=False)
    assert texts.PURGED in card and ref in card and "stängd" in card and SECRET not in card
    assert SECRET not in json.dumps(slack.stand_in.messages(CHANNEL), ensure_ascii=False)
    slack.flush()  # done once: nothing more is edited
    assert len(slack.stand_in.calls("chat.update")) == updates_before + 2


def test_a_redelivered_slack_event_is_still_refused_after_housekeeping(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ref = slack.ask()
    slack.reply_in_thread(ref, "Svaret står i tråden.", "UANNA", "Ev-svar-1")
    slack.stand_in.wait_for("chat.postEphemeral")  # stored and acknowledged
    slack.clock.advance(days=2)
    assert housekeeping_now(slack.bryggan).ran

    slack.reply_in_thread(ref, "Svaret står i tråden.", "UANNA", "Ev-svar-1", retry_num=1)
    wait_for_log(caplog, "already handled", 1)
    slack.flush()

    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None
        assert [m.text for m in store.messages(question_id=question.id)] == [
            "Svaret står i tråden."
        ]


def test_a_reply_slack_will_not_let_the_bot_edit_is_deleted_instead(slack: SlackHarness) -> None:
    ref = slack.ask(f"Gäller det {SECRET}?")
    location = slack.location(ref)
    ack_text(slack.command(f"svara {ref} Ja, {SECRET} omfattas.", "UANNA", command="/bryggan"))
    ack_text(slack.command(f"stäng {ref}", "UANNA", command="/bryggan"))
    slack.flush()
    slack.clock.advance(days=91)
    slack.stand_in.error_next("chat.update", "cant_update_message", times=2)  # card, reply

    purge_now(slack.bryggan)
    slack.flush()
    slack.clock.advance(minutes=1)  # the card's update is retried
    slack.flush()

    assert len(slack.stand_in.calls("chat.delete")) == 1
    left = [m for m in slack.stand_in.messages(CHANNEL) if m["ts"] != location.thread_root]
    assert left == []
    assert SECRET not in json.dumps(slack.stand_in.messages(CHANNEL), ensure_ascii=False)
