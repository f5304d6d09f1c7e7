"""Delivering the durable outbox to one chat platform.

Posts are queued in the same transaction as the change that caused them; `OutboxSender`
delivers them in order, records where a card landed, and retries failures with backoff.
A post that keeps failing is logged and its question's asker is told.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Protocol

from handlers import texts
from handlers.cards import CardView, build_card
from handlers.model import ChatLocation, Person
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


class OutboxSender:
    """Drains one platform's outbox through its messenger. Thread-safe: one drain at a time."""

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
            delivered = 0
            for entry in entries:
                delivered += self._deliver(entry)
            return delivered

    def _deliver(self, entry: OutboxEntry) -> int:
        with self.stores() as store:
            now = self.clock()
            try:
                done = self._send(store, entry)
            except DeliveryError as error:
                self._failed(store, entry, str(error))
                return 0
            if done:
                store.mark_post(entry_id=entry.id, at=now)
            return int(done)

    def _send(self, store: Store, entry: OutboxEntry) -> bool:
        platform = self.messenger.platform
        question = store.question(question_id=entry.question_id) if entry.question_id else None
        if entry.kind == "notice":
            assert entry.recipient_id is not None and entry.text is not None
            person = store.person(person_id=entry.recipient_id)
            identity = store.identity(person_id=person.id, platform=platform)
            self.messenger.notify(person=person, identity=identity, text=entry.text)
            return True
        if entry.kind == "channel":
            assert entry.channel is not None and entry.text is not None
            self.messenger.post_message(
                channel=entry.channel, text=entry.text, attachment=entry.attachment
            )
            return True
        assert question is not None
        if entry.kind == "card":
            channel = store.unit_channel(unit_id=question.unit_id, platform=platform)
            channel = (
                channel or question.origin_channel or store.unit(unit_id=question.unit_id).slug
            )
            card = build_card(store, question, platform)
            location = self.messenger.post_card(channel=channel, card=card)
            store.set_location(question_id=question.id, location=location)
            return True
        if question.location is None:
            # The card is not out yet; it will show the latest state when it is.
            return entry.kind == "card_update" or store.card_failed(question_id=question.id)
        if entry.kind == "card_update":
            self.messenger.update_card(
                location=question.location, card=build_card(store, question, platform)
            )
        elif entry.kind == "thread" and entry.text:
            self.messenger.post_in_thread(location=question.location, text=entry.text)
        return True

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
