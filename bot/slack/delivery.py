"""Delivering Slack's outbox: a background thread that drains it (at start, whenever the
core commits a Slack command, and every few seconds for retries and posts queued by
scheduled jobs), and a sender that never posts a question's card twice.

Slack's chat.postMessage has no idempotency key, so a card posted just before a crash (or
whose answer was lost) would be posted again. `SlackOutboxSender` commits a marker before
it posts a card and removes it in the transaction that records where the card landed. A
card entry that still has its marker may already be in the channel: it is looked up there
by its message metadata (`SlackMessenger.find_card`) before it is posted again.
Notices, thread posts and channel posts are delivered at least once: a crash in the few
milliseconds between Slack's answer and the commit can repeat one of them.
"""

from __future__ import annotations

import logging
import threading

from bot.slack.messenger import SlackMessenger
from handlers.model import ChatLocation
from handlers.outbox import MAX_ATTEMPTS, Delivery, OutboxSender
from handlers.ports import Clock, OutboxEntry, Store, StoreFactory

logger = logging.getLogger(__name__)

MARKER = "slack:card-posting:{id}"


class SlackOutboxSender(OutboxSender):
    """The core's outbox sender with at-most-once card posts (see the module)."""

    messenger: SlackMessenger

    def __init__(self, stores: StoreFactory, messenger: SlackMessenger, clock: Clock) -> None:
        super().__init__(stores, messenger, clock)
        self.messenger = messenger
        self._uncertain: set[int] = set()

    def prepare(self, store: Store, entry: OutboxEntry) -> Delivery:
        """The core's preparation; for a card also the marker, committed with it before
        the card is sent."""
        if entry.kind == "card":
            key = MARKER.format(id=entry.id)
            if store.get_state(key=key) is None:
                store.set_state(key=key, value=self.clock().isoformat())
            else:
                self._uncertain.add(entry.id)
        return super().prepare(store, entry)

    def send(self, delivery: Delivery) -> ChatLocation | None:
        entry = delivery.entry
        if entry.kind == "card" and entry.id in self._uncertain:
            self._uncertain.discard(entry.id)
            assert delivery.channel is not None and delivery.card is not None
            found = self.messenger.find_card(
                channel=delivery.channel, ref=delivery.card.ref, since=entry.created_at
            )
            if found is not None:
                logger.warning(
                    "card of %s was already posted; not posting it again", delivery.card.ref
                )
                return found
        return super().send(delivery)

    def record(self, store: Store, delivery: Delivery, location: ChatLocation | None) -> None:
        super().record(store, delivery, location)
        if delivery.entry.kind == "card":
            store.delete_state(key=MARKER.format(id=delivery.entry.id))

    def _failed(self, store: Store, entry: OutboxEntry, error: str) -> None:
        super()._failed(store, entry, error)
        if entry.kind == "card" and entry.attempts + 1 >= MAX_ATTEMPTS:
            store.delete_state(key=MARKER.format(id=entry.id))


class OutboxPump:
    """Runs `sender.drain()` in one daemon thread; `wake()` is cheap and thread-safe."""

    def __init__(self, sender: OutboxSender, interval: float = 5.0) -> None:
        self.sender = sender
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self, platform: str = "slack") -> None:
        """Ask for a drain now; the core's `on_commit` calls this with the platform name."""
        if platform == self.sender.messenger.platform:
            self._wake.set()

    def start(self) -> OutboxPump:
        """Start the thread; its first drain delivers everything pending since last run."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="slack-outbox", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current drain (a post in flight is finished, not cut off)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.sender.drain()
            except Exception:
                logger.exception("draining the Slack outbox failed; trying again shortly")
            self._wake.wait(self.interval)
