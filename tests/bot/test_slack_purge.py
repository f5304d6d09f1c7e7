"""The retention purge reaches Slack: against the Web API stand-in, the card is redrawn
and the bot's "Svar från …" thread reply rewritten with `chat.update`, and nothing in
Slack's copy of the channel still shows the text."""

from __future__ import annotations

import json

from bot.retention_jobs import purge_now
from handlers.kernel import texts
from tests.bot.slack_support import CHANNEL, SlackHarness, ack_text

SECRET = "Ödegaard-Blom"


def test_purge_updates_the_card_and_the_thread_reply_in_slack(slack: SlackHarness) -> None:
    ref = slack.ask(f"Hur påverkas SGI för {SECRET} vid halvtid?")
    location = slack.location(ref)
    ack_text(
        slack.command(f"svara {ref} Svar om {SECRET}: ingen ändring", "UANNA", command="/bryggan")
    )
    ack_text(slack.command(f"stäng {ref}", "UANNA", command="/bryggan"))
    slack.flush()
    assert SECRET in json.dumps(slack.stand_in.messages(CHANNEL), ensure_ascii=False)
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
    assert ref in card and "stängd" in card and SECRET not in card  # redrawn, status kept
    assert SECRET not in json.dumps(slack.stand_in.messages(CHANNEL), ensure_ascii=False)
    slack.flush()  # done once: nothing more is edited
    assert len(slack.stand_in.calls("chat.update")) == updates_before + 2
