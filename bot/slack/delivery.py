"""Slack's outbox delivery: the core's `OutboxSender` with a `SlackCardGuard`, so that a
question's card is never posted twice.

Slack's chat.postMessage has no idempotency key, so a card posted just before a crash (or
whose answer was lost) would be posted again. `SlackCardGuard` commits a marker before the
card is posted and removes it in the transaction that records where the card landed. A
card entry that still has its marker may already be in the channel: it is looked up there
by its message metadata (`SlackMessenger.find_card`) before it is posted again.
Notices, thread posts and channel posts are delivered at least once: a crash in the few
milliseconds between Slack's answer and the commit can repeat one of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.slack.messenger import SlackMessenger
from handlers.delivery import OutboxSender
from handlers.kernel import ChatLocation, Clock, OutboxEntry, Store, StoreFactory
from handlers.questions import CardView

logger = logging.getLogger(__name__)

MARKER = "slack:card-posting:{id}"


class SlackCardGuard:
    """At-most-once card posts on Slack (see the module): the core's `CardGuard`."""

    def __init__(self, messenger: SlackMessenger, clock: Clock) -> None:
        self.messenger = messenger
        self.clock = clock

    def claim(self, store: Store, entry: OutboxEntry) -> bool:
        """Commit the marker with the card's preparation; True if it was already there."""
        key = MARKER.format(id=entry.id)
        return not store.claim_state(key=key, value=self.clock().isoformat())

    def find(self, *, channel: str, card: CardView, since: datetime) -> ChatLocation | None:
        """The card, if an earlier attempt posted it (looked up by its metadata)."""
        found = self.messenger.find_card(channel=channel, ref=card.ref, since=since)
        if found is not None:
            logger.warning("card of %s was already posted; not posting it again", card.ref)
        return found

    def release(self, store: Store, entry: OutboxEntry) -> None:
        store.delete_state(key=MARKER.format(id=entry.id))


def slack_sender(
    stores: StoreFactory, messenger: SlackMessenger, clock: Clock, platforms: Sequence[str] = ()
) -> OutboxSender:
    """The outbox sender for Slack: the core's, with at-most-once card posts; `platforms`:
    where else the admins hear of trouble."""
    guard = SlackCardGuard(messenger, clock)
    return OutboxSender(stores, messenger, clock, card_guard=guard, platforms=platforms)
