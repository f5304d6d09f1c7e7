"""Posting through Slack's Web API: 429s waited out, failures retried, nothing dropped."""

from __future__ import annotations

import logging

import pytest

from handlers.kernel import texts
from handlers.kernel.ports import OutboxKind
from tests.bot.slack_support import CHANNEL, SlackHarness, ack_text


def _card_posts(slack: SlackHarness) -> list[dict[str, str]]:
    return [c for c in slack.stand_in.calls("chat.postMessage") if c["channel"] == CHANNEL]


def test_a_429_is_waited_out_and_the_card_is_posted_once(slack: SlackHarness) -> None:
    slack.stand_in.fail_next("chat.postMessage", status=429, retry_after=0)
    ref = slack.ask()
    assert len(_card_posts(slack)) == 2  # the rate-limited call and its retry
    assert [m["text"] for m in slack.stand_in.messages(CHANNEL)] == [
        f"🆕 {ref} · ny · SGI och övriga förmåner"
    ]


def test_a_failed_card_is_retried_later(slack: SlackHarness) -> None:
    slack.stand_in.error_next("chat.postMessage", "internal_error")
    reply = ack_text(slack.command("kategori:sgi Hur påverkas SGI?"))
    assert "F-2026-0001" in reply
    slack.stand_in.wait_for("chat.postMessage", 2)  # the failed card, then Anna's notice
    slack.flush()
    assert slack.stand_in.messages(CHANNEL) == []
    slack.clock.advance(seconds=3)
    slack.flush()
    assert slack.location("F-2026-0001").channel == CHANNEL
    assert len(slack.stand_in.messages(CHANNEL)) == 1


def test_a_notice_to_someone_without_slack_id_is_skipped_with_a_log_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.messenger")
    reply = ack_text(slack.command("enhet:lund kategori:sgi Vem tar den här?"))
    assert texts.ROUTE_UNASSIGNED in reply  # Lund has no contacts: admins are told
    slack.location("F-2026-0001")
    slack.flush()
    assert any("no Slack id for maria" in r.getMessage() for r in caplog.records)
    assert all(c["channel"] == CHANNEL for c in slack.stand_in.calls("chat.postMessage"))


def test_channel_posts_and_notices_show_commands_slack_users_can_type(slack: SlackHarness) -> None:
    with slack.bryggan.stores() as store:
        store.enqueue(
            platform="slack",
            kind=OutboxKind.CHANNEL,
            at=slack.clock(),
            channel=CHANNEL,
            text="Lägg till punkter med /puls punkt <text> eller /ta F-2026-0001.",
        )
    slack.flush()
    posted = [c["text"] for c in slack.stand_in.calls("chat.postMessage")]
    assert posted == [
        "Lägg till punkter med /bryggan puls punkt &lt;text&gt; eller /bryggan ta F-2026-0001."
    ]
