"""Delivering the durable outbox to one chat platform.

Posts are queued in the same transaction as the change that caused them; `OutboxSender`
delivers them in order, records where a card landed, and retries failures with backoff.
A post that keeps failing is logged and its question's asker is told.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from handlers import texts
from handlers.cards import CardView, build_card
from handlers.model import ChatLocation, Person, Question
from handlers.ports import Clock, OutboxEntry, Store, StoreFactory

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


class DeliveryError(Exception):
    """A chat platform refused or failed a post. Adapters raise it; the core never sees
    platform errors."""


class Messenger(Protocol):
    """What the core asks of a chat platform."""

    platform: str

    def post_card(self, *, channel: str, card: CardView) -> ChatLocation: ...
    def update_card(self, *, location: ChatLocation, card: CardView) -> None: ...
    def post_in_thread(self, *, location: ChatLocation, text: str) -> None: ...
    def notify(self, *, person: Person, identity: str | None, text: str) -> None: ...
    def post_message(self, *, channel: str, text: str, attachment: str | None) -> None:
        """A plain post in a channel or room (reminders, agendas, summaries), optionally
        with a file (a PNG chart) attached."""
        ...


def card_channel(store: Store, question: Question, platform: str) -> str:
    """Where a question's card goes: its unit's channel, else where it was asked."""
    channel = store.unit_channel(unit_id=question.unit_id, platform=platform)
    return channel or question.origin_channel or store.unit(unit_id=question.unit_id).slug


@dataclass(frozen=True)
class Delivery:
    """One outbox entry, looked up and ready to send with no transaction open.

    `ready` is False when the entry must wait (a thread post before its card is out);
    `needed` is False when there is nothing left to send (an update of a card that never
    went out) and the entry is simply marked done."""

    entry: OutboxEntry
    ready: bool = True
    needed: bool = True
    channel: str | None = None
    card: CardView | None = None
    location: ChatLocation | None = None
    person: Person | None = None
    identity: str | None = None

    @property
    def key(self) -> str:
        """A stable idempotency key for the platform: the same on every retry."""
        return f"outbox-{self.entry.id}"


class OutboxSender:
    """Drains one platform's outbox through its messenger. Thread-safe: one drain at a time.

    Each entry is prepared in a short transaction, sent with no transaction open (a slow
    platform never holds up the database), and its outcome recorded in a second one.
    Adapters may override `send` (e.g. to pass `delivery.key` as a transaction id) and
    `record`."""

    def __init__(self, stores: StoreFactory, messenger: Messenger, clock: Clock) -> None:
        self.stores = stores
        self.messenger = messenger
        self.clock = clock
        self._lock = threading.Lock()

    def drain(self) -> int:
        """Deliver every post that is due; returns how many were delivered."""
        with self._lock:
            with self.stores() as store:
                entries = store.pending_posts(platform=self.messenger.platform, now=self.clock())
            return sum(self._deliver(entry) for entry in entries)

    def _deliver(self, entry: OutboxEntry) -> int:
        with self.stores() as store:
            delivery = self.prepare(store, entry)
        if not delivery.ready:
            return 0
        try:
            location = self.send(delivery) if delivery.needed else None
        except DeliveryError as error:
            with self.stores() as store:
                self._failed(store, entry, str(error))
            return 0
        with self.stores() as store:
            self.record(store, delivery, location)
        return 1

    def prepare(self, store: Store, entry: OutboxEntry) -> Delivery:
        """Look up everything the post needs."""
        platform = self.messenger.platform
        if entry.kind == "notice":
            assert entry.recipient_id is not None
            person = store.person(person_id=entry.recipient_id)
            identity = store.identity(person_id=person.id, platform=platform)
            return Delivery(entry, person=person, identity=identity)
        if entry.kind == "channel":
            return Delivery(entry, channel=entry.channel)
        assert entry.question_id is not None
        question = store.question(question_id=entry.question_id)
        if entry.kind == "card":
            channel = card_channel(store, question, platform)
            return Delivery(entry, channel=channel, card=build_card(store, question, platform))
        if question.location is None:
            # The card is not out yet; it will show the latest state when it is.
            gone = entry.kind == "card_update" or store.card_failed(question_id=question.id)
            return Delivery(entry, ready=gone, needed=False)
        card = build_card(store, question, platform) if entry.kind == "card_update" else None
        return Delivery(entry, card=card, location=question.location)

    def send(self, delivery: Delivery) -> ChatLocation | None:
        """Post it; returns where a new card landed."""
        entry, messenger = delivery.entry, self.messenger
        if entry.kind == "notice":
            assert delivery.person is not None and entry.text is not None
            messenger.notify(person=delivery.person, identity=delivery.identity, text=entry.text)
        elif entry.kind == "channel":
            assert entry.channel is not None and entry.text is not None
            messenger.post_message(
                channel=entry.channel, text=entry.text, attachment=entry.attachment
            )
        elif entry.kind == "card":
            assert delivery.channel is not None and delivery.card is not None
            return messenger.post_card(channel=delivery.channel, card=delivery.card)
        elif entry.kind == "card_update":
            assert delivery.location is not None and delivery.card is not None
            messenger.update_card(location=delivery.location, card=delivery.card)
        elif entry.kind == "thread" and entry.text:
            assert delivery.location is not None
            messenger.post_in_thread(location=delivery.location, text=entry.text)
        return None

    def record(self, store: Store, delivery: Delivery, location: ChatLocation | None) -> None:
        """Mark the entry sent and remember where a card landed."""
        if location is not None and delivery.entry.question_id is not None:
            store.set_location(question_id=delivery.entry.question_id, location=location)
        store.mark_post(entry_id=delivery.entry.id, at=self.clock())

    def _failed(self, store: Store, entry: OutboxEntry, error: str) -> None:
        now = self.clock()
        attempts = entry.attempts + 1
        if attempts < MAX_ATTEMPTS:
            retry_at = now + timedelta(seconds=min(2**attempts, 300))
            logger.warning(
                "post %s (%s) failed, retry %d: %s", entry.id, entry.kind, attempts, error
            )
            store.mark_post(entry_id=entry.id, at=now, error=error, retry_at=retry_at)
            return
        logger.error("post %s (%s) failed for good: %s", entry.id, entry.kind, error)
        store.mark_post(entry_id=entry.id, at=now, error=error)
        if entry.kind == "card" and entry.question_id:
            question = store.question(question_id=entry.question_id)
            store.enqueue(
                platform=entry.platform,
                kind="notice",
                at=now,
                question_id=question.id,
                recipient_id=question.asker_id,
                text=texts.POST_FAILED.format(ref=question.ref),
            )
