"""What the core needs from storage, as a small protocol that `storage/` implements.

The core never imports SQLAlchemy; it is driven in tests with the real SQLite store.
The chat side of the boundary (`Messenger`) lives in `handlers.delivery.outbox`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from handlers.kernel.model import (
    Absence,
    Category,
    ChatLocation,
    MessageKind,
    Person,
    Question,
    Status,
    ThreadMessage,
    Unit,
    UnitContact,
)


class OutboxKind(StrEnum):
    """What an outbox entry posts; the value is what the outbox table stores."""

    CARD = "card"
    """A question's card in its unit's channel."""
    CARD_UPDATE = "card_update"
    """The card redrawn with the question's current state."""
    THREAD = "thread"
    """A post in the card's thread."""
    NOTICE = "notice"
    """A direct message to one person."""
    CHANNEL = "channel"
    """A plain post in a channel (reminders, agendas, summaries)."""
    PURGE_EDIT = "purge_edit"
    """Bryggan's own posts that quoted a purged question's text, edited to say it is gone."""


@dataclass(frozen=True)
class OutboxEntry:
    """One durable outgoing post, committed with the change that caused it."""

    id: int
    platform: str
    kind: OutboxKind
    question_id: int | None
    recipient_id: int | None
    text: str | None
    attempts: int
    created_at: datetime
    channel: str | None = None
    attachment: str | None = None


@dataclass(frozen=True)
class BotPost:
    """A post of Bryggan's own that quotes a question's free text, as the purge edits it:
    `header` is the line it keeps ("Svar från Anna Berg:")."""

    platform: str
    channel: str
    message_id: str
    header: str


class StoreBusy(Exception):
    """The store did not let a unit of work in within a bounded wait (SQLite's writer is
    busy, held by another thread or process): nothing was written; try again shortly."""


@dataclass(frozen=True)
class WaitingPost:
    """An outbox entry that has not gone out, as `bryggan outbox` shows it."""

    id: int
    platform: str
    kind: OutboxKind
    ref: str | None
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    parked_at: datetime | None
    last_error: str | None


class Store(Protocol):
    """Repository methods over one open transaction. Keyword-only, never commits."""

    # people and identities
    def person_by_identity(self, *, platform: str, identity: str) -> Person | None: ...
    def person_by_key(self, *, key: str) -> Person | None: ...
    def person(self, *, person_id: int) -> Person: ...
    def people(self) -> list[Person]: ...
    def identity(self, *, person_id: int, platform: str) -> str | None: ...
    def person_defaults(self, *, person_id: int) -> dict[str, str]: ...

    # units, contacts, channels
    def units(self) -> list[Unit]: ...
    def unit(self, *, unit_id: int) -> Unit: ...
    def unit_contacts(self, *, unit_id: int | None = None) -> list[UnitContact]: ...
    def unit_channel(self, *, unit_id: int, platform: str) -> str | None: ...
    def unit_by_channel(self, *, platform: str, channel: str) -> Unit | None: ...

    # categories
    def categories(self, *, include_inactive: bool = False) -> list[Category]: ...
    def save_category(self, *, slug: str, name: str, active: bool = True) -> None: ...

    # absences
    def absences_on(self, *, day: date) -> list[Absence]: ...
    def add_absence(
        self, *, person_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence: ...
    def absences_from(self, *, day: date, person_id: int | None = None) -> list[Absence]:
        """Current and coming absences (ending on or after `day`), earliest first."""
        ...

    def absence(self, *, absence_id: int) -> Absence | None: ...
    def change_absence(
        self, *, absence_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence: ...
    def remove_absence(self, *, absence_id: int) -> None: ...

    # questions
    def next_reference(self, *, year: int) -> str: ...
    def add_question(
        self, *, question: Question, detail: str = "", notices: Sequence[tuple[int, str]] = ()
    ) -> Question:
        """Store a new question, its "asked" audit entry (with `detail`), its card and a
        notice per (recipient id, text) on its origin platform, in one round of statements."""
        ...

    def question_by_ref(self, *, ref: str) -> Question | None: ...
    def question(self, *, question_id: int) -> Question: ...
    def question_by_location(
        self, *, platform: str, channel: str, thread_root: str
    ) -> Question | None: ...
    def update_question(self, *, question_id: int, **changes: Any) -> Question: ...
    def open_counts(self, *, person_ids: Sequence[int]) -> dict[int, int]: ...
    def questions_for(
        self,
        *,
        asker_id: int | None = None,
        assignee_id: int | None = None,
        statuses: Sequence[Status] | None = None,
        unassigned_in_units: Sequence[int] | None = None,
        limit: int = 50,
    ) -> list[Question]: ...
    def question_queue(
        self,
        *,
        unit_ids: Sequence[int] | None = None,
        statuses: Sequence[Status] | None = None,
        unassigned: bool = False,
        asker_id: int | None = None,
        limit: int = 50,
    ) -> list[Question]:
        """Questions of `unit_ids` (None: every unit) in `statuses` (None: any), only the
        unassigned ones when `unassigned`, only `asker_id`'s when given; oldest first."""
        ...

    def question_actions(
        self, *, question_id: int, actions: Sequence[str]
    ) -> list[tuple[str, int | None]]:
        """Each of `actions` (audit actions) done to the question and who did it, oldest
        first."""
        ...

    def closed_before(self, *, cutoff: datetime) -> list[int]: ...
    def purge_free_text(self, *, question_ids: Sequence[int], at: datetime) -> int: ...

    # thread messages, audit, dedup, outbox
    def add_message(
        self,
        *,
        question_id: int,
        author_id: int,
        kind: MessageKind,
        text: str,
        at: datetime,
        source: str | None = None,
    ) -> ThreadMessage: ...
    def message_by_source(self, *, source: str) -> ThreadMessage | None:
        """The stored message that came from the chat message `source`, if any."""
        ...

    def edit_message(
        self, *, message_id: int, text: str | None, deleted_at: datetime | None = None
    ) -> None:
        """Replace a message's text (an edit in the chat), or remove it (`deleted_at`)."""
        ...

    def messages(self, *, question_id: int) -> list[ThreadMessage]: ...
    def audit(
        self,
        *,
        actor_id: int | None,
        action: str,
        at: datetime,
        question_id: int | None = None,
        detail: str = "",
    ) -> None: ...
    def claim_event(self, *, platform: str, event_id: str, at: datetime) -> bool: ...
    def enqueue(
        self,
        *,
        platform: str,
        kind: OutboxKind,
        at: datetime,
        question_id: int | None = None,
        recipient_id: int | None = None,
        text: str | None = None,
        channel: str | None = None,
        attachment: str | None = None,
    ) -> None: ...
    def claim_job(self, *, key: str, at: datetime) -> bool:
        """Record that the scheduled occurrence `key` runs now; False if it already ran."""
        ...

    def claimed_jobs(self, *, keys: Sequence[str]) -> set[str]:
        """Which of `keys` have run already."""
        ...

    def pending_posts(
        self, *, platform: str, now: datetime, limit: int = 100
    ) -> list[OutboxEntry]: ...
    def mark_post(
        self,
        *,
        entry_id: int,
        at: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None: ...
    def card_failed(self, *, question_id: int) -> bool:
        """True when the question's card could not be posted, even after every retry."""
        ...

    def release_leases(self, *, now: datetime) -> int:
        """Make every unsent, unparked entry due now (leases and backoff waits alike): at the
        start of the only bot process, so that nothing waits for a dead process's lease."""
        ...

    def outbox_backlog(self) -> tuple[int, int]:
        """How many posts wait to be sent (due or retrying), and how many are parked."""
        ...

    def waiting_posts(self) -> list[WaitingPost]:
        """Entries that failed at least once or are parked, oldest first."""
        ...

    def retry_posts(self, *, ids: Sequence[int], now: datetime) -> int:
        """Make failed and parked entries due now with fresh tries (all when `ids` is
        empty); returns how many."""
        ...

    def drop_posts(self, *, ids: Sequence[int]) -> list[WaitingPost]:
        """Remove unsent entries (a card with the thread posts that wait for it)."""
        ...

    def lease_post(self, *, entry_id: int, now: datetime, until: datetime) -> bool:
        """Take a due, unsent entry for sending until `until` (a conditional update, so two
        processes never both get it); False when it is not due or another process has it."""
        ...

    def lease_due(
        self, *, platform: str, now: datetime, until: datetime, limit: int
    ) -> list[OutboxEntry]:
        """Take up to `limit` due, unsent entries (oldest first) for sending until `until`,
        in one statement; another process never gets the same ones."""
        ...

    def release_posts(self, *, ids: Sequence[int], now: datetime) -> None:
        """Give leased entries back unsent: due again at `now`."""
        ...

    def mark_sent(self, *, ids: Sequence[int], at: datetime) -> None:
        """Mark entries sent, in one statement."""
        ...

    def questions(self, *, question_ids: Sequence[int]) -> dict[int, Question]:
        """Several questions by id, in one statement."""
        ...

    def set_location(self, *, question_id: int, location: ChatLocation) -> None: ...

    # retention and housekeeping (storage.retention_repo)
    def record_bot_posts(
        self,
        *,
        question_id: int,
        platform: str,
        channel: str,
        message_ids: Sequence[str],
        header: str,
        at: datetime,
    ) -> None:
        """Remember where Bryggan's posts quoting the question's text landed."""
        ...

    def bot_posts(self, *, question_id: int, platform: str) -> list[BotPost]: ...
    def answered_before(self, *, cutoff: datetime) -> list[int]:
        """Questions answered before `cutoff` and never closed."""
        ...

    def purge_counts(self, *, question_ids: Sequence[int]) -> tuple[int, int]:
        """Thread messages with text and known bot posts of the questions."""
        ...

    def purge_quoted_text(self, *, question_ids: Sequence[int]) -> None:
        """Clear the questions' text from thread posts and sent rows in the outbox, and
        from agenda points."""
        ...

    def clear_sent_text(self, *, before: datetime) -> int: ...
    def purge_pulse_text(self, *, before: datetime) -> int: ...
    def trim_processed_events(self, *, before: datetime, limit: int) -> int: ...
    def trim_job_runs(self, *, before: datetime, limit: int) -> int: ...
    def trim_sent_posts(self, *, before: datetime, limit: int) -> int: ...
    def trim_audit(self, *, before: datetime, limit: int) -> int: ...
    def trim_bot_posts(self, *, before: datetime, limit: int) -> int: ...
    def get_state(self, *, key: str) -> str | None:
        """A small named value kept across restarts (table adapter_state)."""
        ...

    def set_state(self, *, key: str, value: str) -> None: ...
    def claim_state(self, *, key: str, value: str) -> bool:
        """Set `key` unless it is set already (one statement); True when this call set it."""
        ...

    def delete_state(self, *, key: str) -> None: ...


StoreFactory = Callable[[], AbstractContextManager[Store]]
"""Opens one transaction: commits when the block ends normally, rolls back on error."""

Clock = Callable[[], datetime]
