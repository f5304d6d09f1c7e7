"""The outbox against the Slack stand-in when Slack is not well: a ten-minute outage, a
channel the bot was removed from, two processes draining one database. Nothing is lost,
nothing is posted twice, and the admins hear of what only they can fix."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import parse_config
from bot.slack.config import slack_settings
from bot.slack.delivery import slack_sender
from bot.slack.messenger import SlackMessenger
from bot.slack.runner import SlackService
from bot.wiring import build
from handlers.commands import Request
from handlers.delivery import OutboxSender, RetryPolicy
from handlers.kernel import OutboxKind, texts
from storage.models import OutboxRow
from tests.bot.slack_support import CHANNEL, SLACK_TOML, SlackHarness, ack_text, slack_env
from tests.slack_stand_in import SlackStandIn
from tests.support import TEST_CONFIG, Clock, RecordingMessenger, wait_until

ADMIN = "UMARIA"


@pytest.fixture
def slack(database_url: str, clock: Clock, slack_stand_in: SlackStandIn) -> Iterator[SlackHarness]:
    """The usual Slack harness, with the admin Maria reachable on Slack."""
    admin = 'name = "Maria Lund"\nroles = ["admin"]\n'
    toml = TEST_CONFIG.replace(admin, admin + f'slack = "{ADMIN}"\n')
    toml += SLACK_TOML.format(base_url=slack_stand_in.base_url)
    env = {"BRYGGAN_DATABASE_URL": database_url}
    config = parse_config(tomllib.loads(toml), "test-config", env, Path.cwd())
    bryggan = build(config, clock)
    service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in))).start()
    service.pump.stop()  # the test drains, so that the clock decides when retries fall due
    yield SlackHarness(bryggan, service, slack_stand_in, clock)
    service.stop()
    bryggan.database.engine.dispose()


def ask(slack: SlackHarness, text: str) -> str:
    reply = ack_text(slack.command(f"kategori:sgi {text}"))
    assert "F-2026-" in reply, reply
    return reply.split("F-2026-")[1][:4]


def cards_in_channel(slack: SlackHarness) -> list[str]:
    return [m["text"].split(" · ")[0] for m in slack.stand_in.messages(CHANNEL)]


def dms_to(slack: SlackHarness, user: str) -> list[str]:
    """The direct messages Slack holds for `user`, oldest first."""
    return [m["text"] for m in slack.stand_in.messages(slack.stand_in.dm_channel_for(user))]


def waiting(slack: SlackHarness) -> list[OutboxRow]:
    with slack.bryggan.database.session() as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.sent_at.is_(None)))
        return list(rows)


def test_a_ten_minute_outage_loses_nothing_and_posts_everything_once_in_order(
    slack: SlackHarness,
) -> None:
    slack.stand_in.outage()
    numbers = [ask(slack, f"Fråga {n} under avbrottet") for n in range(1, 7)]
    claimed = slack.bryggan.core.handle(Request("slack", "UANNA", "/ta F-2026-0002"))
    assert claimed is not None and claimed.accepted
    for _ in range(10):  # ten minutes of 500s, drained every minute
        slack.flush()
        slack.clock.advance(minutes=1)
    assert cards_in_channel(slack) == []
    slack.stand_in.outage(down=False)
    slack.clock.advance(minutes=15)  # the longest wait between tries
    slack.flush()
    assert (
        cards_in_channel(slack)
        == [f"🆕 F-2026-{n}" for n in numbers[:1]]
        + [
            "👀 F-2026-0002",  # posted late, with the state it has now
            *[f"🆕 F-2026-{n}" for n in numbers[2:]],
        ]
    )
    notices = dms_to(slack, "UANNA")
    assert len(notices) == len(set(notices)) == 6  # one per question, none twice
    assert waiting(slack) == []
    assert dms_to(slack, "ULISA") == []  # the asker was never told a card failed


def test_a_channel_without_the_bot_is_told_to_the_admins_once_and_waits_for_the_fix(
    slack: SlackHarness,
) -> None:
    slack.stand_in.remove_bot(CHANNEL)
    ask(slack, "Första frågan")
    ask(slack, "Andra frågan")
    for _ in range(6):
        slack.flush()
        slack.clock.advance(minutes=15)
    advice = texts.SLACK_CHANNEL_ERRORS["not_in_channel"].format(channel=CHANNEL)
    told = texts.OUTBOX_BLOCKED.format(platform="Slack", advice=advice)
    assert dms_to(slack, ADMIN) == [told.replace("<", "&lt;").replace(">", "&gt;")]
    assert "/invite @Bryggan" in told
    assert cards_in_channel(slack) == []
    slack.stand_in.invite_bot(CHANNEL)
    slack.clock.advance(minutes=15)
    slack.flush()
    assert cards_in_channel(slack) == ["🆕 F-2026-0001", "🆕 F-2026-0002"]
    assert waiting(slack) == []


def test_two_processes_draining_one_database_post_each_card_once(
    slack: SlackHarness, slack_stand_in: SlackStandIn
) -> None:
    slack.stand_in.outage()
    for n in range(12):
        ask(slack, f"Fråga {n} i kön")
    slack.stand_in.outage(down=False)
    slack.clock.advance(minutes=15)
    other = build(slack.bryggan.config, slack.clock)  # a second process's engine and sessions
    senders = [
        slack.service.sender,
        slack_sender(
            other.core.stores,
            SlackMessenger(slack.service.client, other.core.registry),
            slack.clock,
        ),
    ]
    start = threading.Barrier(len(senders))

    def drain(index: int) -> None:
        start.wait()
        senders[index].drain()

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(len(senders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.database.engine.dispose()
    cards = cards_in_channel(slack)
    assert sorted(cards) == [f"🆕 F-2026-{n:04d}" for n in range(1, 13)]
    notices = dms_to(slack, "UANNA")
    assert len(notices) == len(set(notices)) == 12  # and each notice once


def test_a_unit_channel_without_the_bot_is_told_to_the_admins_at_start(
    database_url: str, clock: Clock, slack_stand_in: SlackStandIn
) -> None:
    slack_stand_in.remove_bot(CHANNEL)
    admin = 'name = "Maria Lund"\nroles = ["admin"]\n'
    toml = TEST_CONFIG.replace(admin, admin + f'slack = "{ADMIN}"\n')
    toml += SLACK_TOML.format(base_url=slack_stand_in.base_url)
    env = {"BRYGGAN_DATABASE_URL": database_url}
    config = parse_config(tomllib.loads(toml), "test-config", env, Path.cwd())
    bryggan = build(config, clock)
    service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in))).start()
    try:
        harness = SlackHarness(bryggan, service, slack_stand_in, clock)
        advice = texts.SLACK_CHANNEL_ERRORS["not_in_channel"].format(channel=CHANNEL)
        told = texts.OUTBOX_BLOCKED.format(platform="Slack", advice=advice)
        wait_until(lambda: dms_to(harness, ADMIN), 10, "the admin told")
        ask(harness, "En fråga till en kanal utan Bryggan")
        for _ in range(3):
            harness.flush()
            clock.advance(minutes=15)
        assert dms_to(harness, ADMIN) == [told.replace("<", "&lt;").replace(">", "&gt;")]  # once
    finally:
        service.stop()
        bryggan.database.engine.dispose()


def test_admins_hear_of_a_platform_that_is_down_on_the_one_that_works(
    slack: SlackHarness,
) -> None:
    """Matrix down for longer than the horizon: the admin hears it on Slack, once."""
    ask(slack, "En fråga vars Matrix-kort aldrig kommer fram")
    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref="F-2026-0001")
        assert question is not None
        store.enqueue(
            platform="matrix", kind=OutboxKind.CARD, at=slack.clock(), question_id=question.id
        )
    matrix_down = RecordingMessenger(platform="matrix", failures=10_000)
    matrix = OutboxSender(
        slack.bryggan.core.stores,
        matrix_down,
        slack.clock,
        policy=RetryPolicy(horizon=timedelta(hours=1)),
        platforms=("matrix", "slack"),
    )
    for _ in range(30):
        matrix.drain()
        slack.clock.advance(minutes=5)
    slack.flush()
    parked = texts.OUTBOX_PARKED.format(platform="Matrix", hours="1 timme", error="platform down")
    assert dms_to(slack, ADMIN) == [parked.replace("<", "&lt;").replace(">", "&gt;")]
