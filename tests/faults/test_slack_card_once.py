"""The crash window of a card post, replayed exactly: Slack has the card but Bryggan died
before recording it (or died before Slack got it). The next process must post it once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient

from bot.slack.delivery import MARKER, slack_sender
from bot.slack.messenger import SlackMessenger
from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from tests.bot.slack_support import CHANNEL, SLACK_TOML
from tests.faults.harness import card_refs
from tests.slack_stand_in import SlackStandIn
from tests.support import Clock
from tests.support import test_config as config_with


@pytest.fixture
def bryggan(database_url: str, slack_stand_in: SlackStandIn) -> Iterator[Bryggan]:
    # Slack's message timestamps are real time, so Bryggan's clock is too.
    clock = Clock(datetime.now(UTC))
    app = build(config_with(database_url, SLACK_TOML.format(base_url="http://unused/")), clock)
    yield app
    app.database.engine.dispose()


def sender(app: Bryggan, stand_in: SlackStandIn) -> OutboxSender:
    """A fresh sender, as a restarted process has."""
    client = WebClient(token=stand_in.token, base_url=stand_in.base_url)
    return slack_sender(app.core.stores, SlackMessenger(client, app.core.registry), app.core.clock)


def ask(app: Bryggan) -> str:
    reply = app.core.handle(Request("slack", "ULISA", "/fraga kategori:sgi Krasch?", CHANNEL))
    assert reply is not None and reply.ref is not None
    return reply.ref


def crash_after_sending(app: Bryggan, stand_in: SlackStandIn, *, reached_slack: bool) -> int:
    """Prepare the card entry (its marker is committed) and, if `reached_slack`, post it;
    then die before recording anything. Returns the entry's id."""
    first = sender(app, stand_in)
    with app.stores() as store:
        entry = next(e for e in store.pending_posts(platform="slack", now=app.core.clock()))
        assert entry.kind == "card"
        delivery = first.prepare(store, entry)
    if reached_slack:
        first.send(delivery)
    return entry.id


@pytest.mark.parametrize("reached_slack", [True, False])
def test_a_card_cut_off_by_a_crash_is_in_the_channel_once(
    bryggan: Bryggan, slack_stand_in: SlackStandIn, reached_slack: bool
) -> None:
    ref = ask(bryggan)
    entry_id = crash_after_sending(bryggan, slack_stand_in, reached_slack=reached_slack)

    sender(bryggan, slack_stand_in).drain()

    assert card_refs(slack_stand_in.calls("chat.postMessage")) == {ref: 1}
    card = next(m for m in slack_stand_in.messages(CHANNEL) if ref in m["text"])
    with bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None and question.location is not None
        assert question.location.thread_root == card["ts"]
        assert store.pending_posts(platform="slack", now=bryggan.core.clock()) == []
        assert store.get_state(key=MARKER.format(id=entry_id)) is None
    # Anna's notice went out once too: it was never sent before the crash.
    assert len(slack_stand_in.calls("chat.postMessage")) == 2
