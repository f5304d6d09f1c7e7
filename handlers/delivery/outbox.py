"""Delivering the durable outbox to one chat platform.

Posts are queued in the same transaction as the change that caused them; `OutboxSender`
delivers them in order, records where a card landed, and retries failures with capped
exponential backoff and jitter for as long as `RetryPolicy.horizon` (default three days).
A platform's refusal that only a person can fix (the bot is not in the channel) is told to
the admins at once, once a day per target, and the post keeps waiting for the fix. A post
still failing at the horizon is parked as undeliverable: the admins are told, the asker of
a card too, and `bryggan outbox retry` sends it later. With several bot processes on one
database each entry is leased before it is sent, so only one of them sends it. A backlog
is sent back to back, a batch of entries per pair of transactions. When the database goes
away between a batch's sends and its record, the sender keeps what it did and records it
first at its next drain (the entries stay leased meanwhile, so no other process sends them).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from handlers.delivery.purged_posts import (
    purge_posts,
    purged_card,
    record_quoting_post,
    refusal_notices,
)
from handlers.kernel import (
    BotPost,
    ChatLocation,
    Clock,
    OutboxEntry,
    OutboxKind,
    Person,
    Question,
    Role,
    Store,
    StoreFactory,
    texts,
)
from handlers.meetings.recheck import recheck
from handlers.questions import CardView, build_card

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A chat platform refused or failed a post. Adapters raise it; the core never sees
    platform errors.

    `permanent` when retrying cannot help until a person acts (the bot is not in the
    channel, the channel is archived); `advice` then says, in Swedish, what is wrong and how
    to fix it, and `target` names the channel or person it is about."""

    def __init__(
        self, message: str, *, permanent: bool = False, advice: str = "", target: str = ""
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.advice = advice
        self.target = target


BATCH = 20
"""Due entries one drain leases, sends and records together."""


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed post is tried again, and when the outbox stops trying.

    The n-th retry waits `first * 2**(n-1)`, at most `cap`, spread by ±`jitter` so that
    many posts failed together do not return together. After as many tries as fit in
    `horizon` the entry is parked. `lease` is how long a process owns an entry it is
    sending; another process takes it over only after that (a crash mid-send)."""

    first: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=15)
    horizon: timedelta = timedelta(days=3)
    jitter: float = 0.2
    lease: timedelta = timedelta(minutes=10)

    def wait(self, attempt: int) -> timedelta:
        """The wait after the `attempt`-th failure, without jitter."""
        return min(self.cap, self.first * (1 << min(max(attempt - 1, 0), 40)))

    @property
    def attempts(self) -> int:
        """How many tries fit in the horizon; the entry is parked after the last."""
        total, attempt = timedelta(), 0
        while total < self.horizon:
            attempt += 1
            total += self.wait(attempt)
        return attempt


class Messenger(Protocol):
    """What the core asks of a chat platform.

    `key` names the delivery (the same on every retry of one outbox entry): a platform
    with idempotent sends (Matrix transaction ids) derives them from it, others ignore it."""

    platform: str

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation: ...
    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None: ...
    def post_in_thread(
        self, *, location: ChatLocation, text: str, key: str
    ) -> Sequence[str] | None:
        """A post in the card's thread; returns its message ids where the platform has
        them (so that the retention purge can edit it later)."""
        ...

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None: ...
    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        """A plain post in a channel or room (reminders, agendas, summaries), optionally
        with a file (a PNG chart) attached."""
        ...


class CardGuard(Protocol):
    """Keeps a card from being posted twice on a platform whose posts cannot be made
    idempotent (Slack). The sender calls it only for card entries."""

    def claim(self, store: Store, entry: OutboxEntry) -> bool:
        """In the transaction that prepares the card, committed before it is sent: note
        that it is about to be posted. True when an earlier attempt got this far, so the
        card may already be in the channel."""
        ...

    def find(self, *, channel: str, card: CardView, since: datetime) -> ChatLocation | None:
        """Where an earlier attempt's card landed, if it did (asked only after `claim`
        returned True; `since` is when the entry was queued)."""
        ...

    def release(self, store: Store, entry: OutboxEntry) -> None:
        """In the transaction that records the card as posted, or as failed for good."""
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
    went out) and the entry is simply marked done. `maybe_posted` is True for a card an
    earlier attempt may already have posted (see `CardGuard`)."""

    entry: OutboxEntry
    ready: bool = True
    needed: bool = True
    channel: str | None = None
    card: CardView | None = None
    location: ChatLocation | None = None
    person: Person | None = None
    identity: str | None = None
    maybe_posted: bool = False
    park: bool = False
    """A thread post whose card was parked: parked with it, to be retried with it."""
    posts: tuple[BotPost, ...] = ()
    """The posts a purge edit replaces."""
    card_at: ChatLocation | None = None
    """The card a purge redacts (on a platform that redacts)."""

    @property
    def key(self) -> str:
        """A stable idempotency key for the platform: the same on every retry."""
        return f"outbox-{self.entry.id}"


@dataclass
class _Outcomes:
    """What one batch did, to be recorded: posts sent, failures, entries that still wait,
    and how many cards were recorded at once (`now`: when the batch was leased)."""

    now: datetime
    done: list[tuple[Delivery, ChatLocation | Sequence[str] | None]] = field(default_factory=list)
    failed: list[tuple[Delivery, DeliveryError]] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    cards: int = 0

    @property
    def sent(self) -> list[int]:
        return [d.entry.id for d, _ in self.done if not d.park]


class OutboxSender:
    """Drains one platform's outbox through its messenger. Thread-safe: one drain at a time.

    Due entries are leased and prepared a batch at a time in one short transaction, sent
    with no transaction open (a slow platform never holds up the database), and their
    outcomes recorded together in a second one.
    A platform that cannot make a card post idempotent passes a `card_guard`."""

    def __init__(
        self,
        stores: StoreFactory,
        messenger: Messenger,
        clock: Clock,
        *,
        card_guard: CardGuard | None = None,
        policy: RetryPolicy | None = None,
        draw: Callable[[], float] = random.random,
        platforms: Sequence[str] = (),
        batch: int = BATCH,
    ) -> None:
        self.stores = stores
        self.messenger = messenger
        self.clock = clock
        self.card_guard = card_guard
        self.policy = policy or RetryPolicy()
        self.draw = draw
        """A number in [0, 1) for the jitter (tests pass a fixed one)."""
        self.batch = batch
        """Entries leased, sent and recorded together: a crash between a send and its
        record repeats at most this many notices (cards never: see `CardGuard`)."""
        self.platforms = tuple(dict.fromkeys([messenger.platform, *platforms]))
        """Where the admins are told of trouble: this platform and the others served, so
        that they hear of an outage on the platform that is down."""
        self._lock = threading.Lock()
        self._unsettled: list[_Outcomes] = []

    def drain(self) -> int:
        """Deliver every post that is due, batch after batch with no pause while due entries
        remain (a backlog after a burst goes out back to back); returns how many were
        delivered."""
        with self._lock:
            delivered = 0
            while True:
                sent, more = self._drain_batch()
                delivered += sent
                if not more:
                    return delivered

    def _drain_batch(self) -> tuple[int, bool]:
        """Lease and prepare up to `batch` due entries in one transaction (their card
        markers committed with it), send them with no transaction open, and record every
        outcome in one more (a card's at once, in its own). Returns how many were delivered,
        and whether more may be due now: the batch was full, or a thread post waits for a
        card this batch posted."""
        recorded = self._settle()  # what the last batch could not record (database away)
        now, platform = self.clock(), self.messenger.platform
        with self.stores() as store:
            until = now + self.policy.lease
            entries = store.lease_due(platform=platform, now=now, until=until, limit=self.batch)
            questions = store.questions(
                question_ids=[e.question_id for e in entries if e.question_id is not None]
            )
            deliveries = [
                self.prepare(store, e, questions.get(e.question_id or 0)) for e in entries
            ]
        outcomes = _Outcomes(now)
        crash: Exception | None = None
        for delivery in deliveries:
            if crash is not None or not delivery.ready:
                outcomes.waiting.append(delivery.entry.id)  # its card, or the next drain
                continue
            try:
                outcome = self.send(delivery) if delivery.needed else None
            except DeliveryError as error:
                outcomes.failed.append((delivery, error))
                continue
            except Exception as bug:  # record what went out, then let the bug be seen
                crash = bug
                continue
            if not (isinstance(outcome, ChatLocation) and self._record_card(delivery, outcome)):
                outcomes.done.append((delivery, outcome))
            else:
                outcomes.cards += 1
        self._unsettled.append(outcomes)
        recorded += self._settle()
        if crash is not None:
            raise crash
        settled = outcomes.cards + len(outcomes.done) + len(outcomes.failed)
        more = len(entries) == self.batch or bool(outcomes.waiting)
        return recorded, settled > 0 and more

    def _settle(self) -> int:
        """Record the outcomes not recorded yet, all in one transaction; returns how many
        posts that marks delivered. If the database is away they stay here, leased (no
        other process sends them), and the next drain records them first."""
        if not self._unsettled:
            return 0
        with self.stores() as store:
            for outcomes in self._unsettled:
                for delivery, outcome in outcomes.done:
                    self.record(store, delivery, outcome, mark=False)
                store.mark_sent(ids=outcomes.sent, at=self.clock())
                for delivery, problem in outcomes.failed:
                    self._failed(store, delivery.entry, problem)
                store.release_posts(ids=outcomes.waiting, now=outcomes.now)
        delivered = sum(o.cards + len(o.sent) for o in self._unsettled)
        self._unsettled.clear()
        return delivered

    def _record_card(self, delivery: Delivery, location: ChatLocation) -> bool:
        """A card is recorded where it landed at once, not with the rest of its batch: a
        reply in its thread, typed as soon as the card shows, must find its question.
        False when the database is away: it is recorded with the batch, or later."""
        try:
            with self.stores() as store:
                self.record(store, delivery, location)
        except Exception:
            logger.warning("card of entry %s posted, not recorded yet", delivery.entry.id)
            return False
        return True

    def prepare(
        self, store: Store, entry: OutboxEntry, question: Question | None = None
    ) -> Delivery:
        """Look up everything the post needs (`question`: the entry's, if read already)."""
        checked = recheck(store, entry, self.clock())  # a reminder that no longer applies
        if checked is None:
            return Delivery(entry, needed=False)  # is dropped (marked done, audited)
        entry = checked
        platform = self.messenger.platform
        if entry.kind == OutboxKind.NOTICE:
            assert entry.recipient_id is not None
            person = store.person(person_id=entry.recipient_id)
            identity = store.identity(person_id=person.id, platform=platform)
            return Delivery(entry, person=person, identity=identity)
        if entry.kind == OutboxKind.CHANNEL:
            return Delivery(entry, channel=entry.channel)
        assert entry.question_id is not None
        if entry.kind == OutboxKind.PURGE_EDIT:
            posts = tuple(store.bot_posts(question_id=entry.question_id, platform=platform))
            question = question or store.question(question_id=entry.question_id)
            redacted = purged_card(self.messenger, question)
            needed = bool(posts) or redacted is not None
            return Delivery(entry, needed=needed, posts=posts, card_at=redacted)
        if question is None:
            question = store.question(question_id=entry.question_id)
        if entry.kind == OutboxKind.CARD:
            channel = card_channel(store, question, platform)
            new_card = build_card(store, question, platform)
            maybe_posted = self.card_guard is not None and self.card_guard.claim(store, entry)
            return Delivery(entry, channel=channel, card=new_card, maybe_posted=maybe_posted)
        updating = entry.kind == OutboxKind.CARD_UPDATE
        if question.location is None:
            # The card is not out yet. An update is not needed: the card will show the
            # latest state when it is posted. A thread post waits for its card, or is
            # parked with it, and retried with it.
            if updating:
                return Delivery(entry, needed=False)
            parked = store.card_failed(question_id=question.id)
            return Delivery(entry, ready=parked, needed=False, park=parked)
        card = build_card(store, question, platform) if updating else None
        return Delivery(entry, card=card, location=question.location)

    def send(self, delivery: Delivery) -> ChatLocation | Sequence[str] | None:
        """Post it; returns where a new card landed, or a thread post's message ids."""
        entry, messenger, key = delivery.entry, self.messenger, delivery.key
        if entry.kind == OutboxKind.NOTICE:
            assert delivery.person is not None and entry.text is not None
            messenger.notify(
                person=delivery.person, identity=delivery.identity, text=entry.text, key=key
            )
        elif entry.kind == OutboxKind.CHANNEL:
            assert entry.channel is not None and entry.text is not None
            messenger.post_message(
                channel=entry.channel, text=entry.text, attachment=entry.attachment, key=key
            )
        elif entry.kind == OutboxKind.CARD:
            return self._send_card(delivery)
        elif entry.kind == OutboxKind.CARD_UPDATE:
            assert delivery.location is not None and delivery.card is not None
            messenger.update_card(location=delivery.location, card=delivery.card, key=key)
        elif entry.kind == OutboxKind.THREAD and entry.text:
            assert delivery.location is not None
            return messenger.post_in_thread(location=delivery.location, text=entry.text, key=key)
        elif entry.kind == OutboxKind.PURGE_EDIT:  # channels where redaction was refused
            return purge_posts(messenger, delivery.posts, delivery.card_at, key)
        return None

    def _send_card(self, delivery: Delivery) -> ChatLocation:
        assert delivery.channel is not None and delivery.card is not None
        if delivery.maybe_posted and self.card_guard is not None:
            since = delivery.entry.created_at
            found = self.card_guard.find(channel=delivery.channel, card=delivery.card, since=since)
            if found is not None:
                return found
        return self.messenger.post_card(
            channel=delivery.channel, card=delivery.card, key=delivery.key
        )

    def record(
        self,
        store: Store,
        delivery: Delivery,
        location: ChatLocation | Sequence[str] | None,
        *,
        mark: bool = True,
    ) -> None:
        """Mark the entry sent and remember where a card landed (or a quoting post);
        `mark=False` leaves the marking to the caller (a batch marks all in one)."""
        entry = delivery.entry
        if delivery.park:
            store.mark_post(entry_id=entry.id, at=self.clock(), error=texts.OUTBOX_CARD_PARKED)
            return
        if entry.kind == OutboxKind.PURGE_EDIT:
            refused = () if isinstance(location, ChatLocation) else location or ()
            for once, text in refusal_notices(entry.platform, refused):
                self._tell_admins(store, key=once, text=text)
        elif isinstance(location, ChatLocation):
            if entry.question_id is not None:
                store.set_location(question_id=entry.question_id, location=location)
        elif location and delivery.location is not None:
            record_quoting_post(store, entry, delivery.location, location, self.clock())
        if mark:
            store.mark_post(entry_id=entry.id, at=self.clock())
        if entry.kind == OutboxKind.CARD and self.card_guard is not None:
            self.card_guard.release(store, entry)

    def _failed(self, store: Store, entry: OutboxEntry, error: DeliveryError) -> None:
        now, attempts = self.clock(), entry.attempts + 1
        if error.permanent:
            self._tell_admins(
                store,
                key=blocked_key(entry.platform, error.target, now),
                text=texts.OUTBOX_BLOCKED.format(
                    platform=_name(entry.platform), advice=error.advice
                ),
            )
        if attempts < self.policy.attempts:
            spread = 1 + self.policy.jitter * (2 * self.draw() - 1)
            retry_at = now + self.policy.wait(attempts) * spread
            log = logger.warning if attempts == 1 or attempts % 10 == 0 else logger.info
            log("post %s (%s) failed, try %d: %s", entry.id, entry.kind, attempts, error)
            store.mark_post(entry_id=entry.id, at=now, error=str(error), retry_at=retry_at)
            return
        logger.error(
            "post %s (%s) parked after %d tries: %s", entry.id, entry.kind, attempts, error
        )
        store.mark_post(entry_id=entry.id, at=now, error=str(error))
        hours = round(self.policy.horizon.total_seconds() / 3600)
        self._tell_admins(
            store,
            key=f"outbox:parked:{entry.platform}:{now.date()}",
            text=texts.OUTBOX_PARKED.format(
                platform=_name(entry.platform),
                hours=texts.plural(hours, *texts.NOUNS["hour"]),
                error=error,
            ),
        )
        if entry.kind == OutboxKind.CARD and self.card_guard is not None:
            self.card_guard.release(store, entry)
        if entry.kind == OutboxKind.CARD and entry.question_id:
            question = store.question(question_id=entry.question_id)
            store.enqueue(
                platform=entry.platform,
                kind=OutboxKind.NOTICE,
                at=now,
                question_id=question.id,
                recipient_id=question.asker_id,
                text=texts.POST_FAILED.format(
                    ref=question.ref, hours=texts.plural(hours, *texts.NOUNS["hour"])
                ),
            )

    def _tell_admins(self, store: Store, *, key: str, text: str) -> None:
        tell_admins(store, platforms=self.platforms, key=key, text=text, at=self.clock())


def tell_admins(
    store: Store, *, platforms: Sequence[str], key: str, text: str, at: datetime
) -> None:
    """One direct message to every admin, once per `key` (a day and a target): on the first
    of `platforms` (the one in trouble) and on each other one where the admin has an id. A
    platform that keeps failing does not flood them, and a message about a failure that
    itself fails is not followed by another."""
    if not store.claim_job(key=key, at=at):
        return
    for person in store.people():
        if Role.ADMIN not in person.roles:
            continue
        for number, platform in enumerate(platforms):
            if number and store.identity(person_id=person.id, platform=platform) is None:
                continue
            store.enqueue(
                platform=platform, kind=OutboxKind.NOTICE, at=at, recipient_id=person.id, text=text
            )


def blocked_key(platform: str, target: str, at: datetime) -> str:
    """The once-a-day key of an admin message about a target the bot cannot post to."""
    return f"outbox:blocked:{platform}:{target}:{at.date()}"


def _name(platform: str) -> str:
    return texts.PLATFORM_NAMES.get(platform, platform)
