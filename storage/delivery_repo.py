"""`DeliveryRepository`: the bookkeeping that makes delivery exactly-once, part of `SqlStore`.

The audit trail, processed platform events and claimed job runs (each claimed once, by a
unique row), the outbox of posts committed with the change that caused them, and small
adapter state (such as the Slack card marker). A mixin of `SqlStore`: it works on the store's
open session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from handlers.kernel import OutboxEntry, OutboxKind, WaitingPost
from storage.models import (
    AuditRow,
    JobRunRow,
    OutboxRow,
    ProcessedEventRow,
    QuestionRow,
    StateRow,
)


class DeliveryRepository:
    """Audit, processed events, job runs, the outbox and adapter state."""

    session: Session

    # audit, events, job runs ---------------------------------------------------------------
    def audit(
        self,
        *,
        actor_id: int | None,
        action: str,
        at: datetime,
        question_id: int | None = None,
        detail: str = "",
    ) -> None:
        self.session.add(
            AuditRow(
                actor_id=actor_id,
                action=action,
                at=at,
                question_id=question_id,
                detail=detail[:200],
            )
        )

    def claim_job(self, *, key: str, at: datetime) -> bool:
        return self._insert_new(JobRunRow, {"key": key, "at": at}, JobRunRow.key)

    def claim_event(self, *, platform: str, event_id: str, at: datetime) -> bool:
        row = {"platform": platform, "event_id": event_id, "at": at}
        return self._insert_new(ProcessedEventRow, row, ProcessedEventRow.id)

    def _insert_new(self, table: Any, row: dict[str, Any], returned: Any) -> bool:
        """Insert `row` unless a unique key says it is there already: one statement
        (INSERT … ON CONFLICT DO NOTHING RETURNING), no savepoint; True when inserted."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        done = self.session.execute(
            insert(table).values(**row).on_conflict_do_nothing().returning(returned)
        )
        return done.first() is not None

    # outbox --------------------------------------------------------------------------------
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
    ) -> None:
        self.session.add(
            OutboxRow(
                platform=platform,
                kind=kind.value,
                question_id=question_id,
                recipient_id=recipient_id,
                text=text,
                channel=channel,
                attachment=attachment,
                created_at=at,
                next_attempt_at=at,
            )
        )

    def pending_posts(self, *, platform: str, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        rows = self.session.scalars(
            select(OutboxRow).where(*_due(platform, now)).order_by(OutboxRow.id).limit(limit)
        )
        return [_entry(r) for r in rows]

    def mark_post(
        self,
        *,
        entry_id: int,
        at: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        if error is None:
            self.mark_sent(ids=[entry_id], at=at)
            return
        changes: dict[str, Any] = {"attempts": OutboxRow.attempts + 1, "last_error": error[:300]}
        if retry_at is None:
            changes["failed_at"] = at
        else:
            changes["next_attempt_at"] = retry_at
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == entry_id)
            .values(**changes)
            .execution_options(synchronize_session=False)
        )

    def mark_sent(self, *, ids: Sequence[int], at: datetime) -> None:
        if ids:
            self.session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(ids)))
                .values(sent_at=at)
                .execution_options(synchronize_session=False)
            )

    def lease_due(
        self, *, platform: str, now: datetime, until: datetime, limit: int
    ) -> list[OutboxEntry]:
        """One UPDATE … RETURNING over the oldest due entries; on PostgreSQL the rows another
        process is leasing at this moment are skipped (FOR UPDATE SKIP LOCKED)."""
        due = select(OutboxRow.id).where(*_due(platform, now)).order_by(OutboxRow.id).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        table = cast(Table, OutboxRow.__table__)
        rows = self.session.execute(
            update(table)
            .where(table.c.id.in_(due.scalar_subquery()), *_due(platform, now))
            .values(next_attempt_at=until)
            .returning(*table.c)
        )
        return sorted((_entry(r) for r in rows), key=lambda e: e.id)

    def release_posts(self, *, ids: Sequence[int], now: datetime) -> None:
        if ids:
            self.session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(ids)), OutboxRow.sent_at.is_(None))
                .values(next_attempt_at=now)
                .execution_options(synchronize_session=False)
            )

    def release_leases(self, *, now: datetime) -> int:
        released: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(OutboxRow)
            .where(
                OutboxRow.sent_at.is_(None),
                OutboxRow.failed_at.is_(None),
                OutboxRow.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(released.rowcount)

    def outbox_backlog(self) -> tuple[int, int]:
        unsent = select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        waiting = self.session.scalar(unsent.where(OutboxRow.failed_at.is_(None))) or 0
        parked = self.session.scalar(unsent.where(OutboxRow.failed_at.is_not(None))) or 0
        return int(waiting), int(parked)

    def waiting_posts(self) -> list[WaitingPost]:
        rows = self.session.execute(
            select(OutboxRow, QuestionRow.ref)
            .outerjoin(QuestionRow, QuestionRow.id == OutboxRow.question_id)
            .where(
                OutboxRow.sent_at.is_(None),
                or_(OutboxRow.attempts > 0, OutboxRow.failed_at.is_not(None)),
            )
            .order_by(OutboxRow.id)
        )
        return [_waiting(row, ref) for row, ref in rows]

    def retry_posts(self, *, ids: Sequence[int], now: datetime) -> int:
        chosen = [OutboxRow.id.in_(ids)] if ids else []
        done: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(OutboxRow)
            .where(
                OutboxRow.sent_at.is_(None),
                or_(OutboxRow.attempts > 0, OutboxRow.failed_at.is_not(None)),
                *chosen,
            )
            .values(failed_at=None, attempts=0, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        return int(done.rowcount)

    def drop_posts(self, *, ids: Sequence[int]) -> list[WaitingPost]:
        rows = list(
            self.session.execute(
                select(OutboxRow, QuestionRow.ref)
                .outerjoin(QuestionRow, QuestionRow.id == OutboxRow.question_id)
                .where(OutboxRow.id.in_(ids), OutboxRow.sent_at.is_(None))
            )
        )
        cards = [row for row, _ in rows if row.kind == OutboxKind.CARD.value and row.question_id]
        for card in cards:  # its thread posts cannot be shown without it
            rows += self.session.execute(
                select(OutboxRow, QuestionRow.ref)
                .join(QuestionRow, QuestionRow.id == OutboxRow.question_id)
                .where(
                    OutboxRow.question_id == card.question_id,
                    OutboxRow.platform == card.platform,
                    OutboxRow.kind == OutboxKind.THREAD.value,
                    OutboxRow.sent_at.is_(None),
                    OutboxRow.id.not_in(ids),
                )
            ).all()
        dropped = [_waiting(row, ref) for row, ref in rows]
        self.session.execute(delete(OutboxRow).where(OutboxRow.id.in_([p.id for p in dropped])))
        return dropped

    def lease_post(self, *, entry_id: int, now: datetime, until: datetime) -> bool:
        taken: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(OutboxRow)
            .where(
                OutboxRow.id == entry_id,
                OutboxRow.sent_at.is_(None),
                OutboxRow.failed_at.is_(None),
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            )
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount)

    def card_failed(self, *, question_id: int) -> bool:
        failed = self.session.scalar(
            select(OutboxRow.id).where(
                OutboxRow.question_id == question_id,
                OutboxRow.kind == OutboxKind.CARD.value,
                OutboxRow.failed_at.is_not(None),
            )
        )
        return failed is not None

    # adapter state -------------------------------------------------------------------------
    def get_state(self, *, key: str) -> str | None:
        row = self.session.get(StateRow, key)
        return row.value if row else None

    def set_state(self, *, key: str, value: str) -> None:
        self.session.merge(StateRow(key=key, value=value))

    def claim_state(self, *, key: str, value: str) -> bool:
        return self._insert_new(StateRow, {"key": key, "value": value}, StateRow.key)

    def delete_state(self, *, key: str) -> None:
        self.session.execute(
            delete(StateRow).where(StateRow.key == key).execution_options(synchronize_session=False)
        )


def _due(platform: str, now: datetime) -> tuple[Any, ...]:
    """The conditions of an entry of `platform` that is due at `now`."""
    return (
        OutboxRow.platform == platform,
        OutboxRow.sent_at.is_(None),
        OutboxRow.failed_at.is_(None),
        or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
    )


def _entry(r: Any) -> OutboxEntry:
    return OutboxEntry(
        r.id,
        r.platform,
        OutboxKind(r.kind),
        r.question_id,
        r.recipient_id,
        r.text,
        r.attempts,
        r.created_at,
        r.channel,
        r.attachment,
    )


def _waiting(row: OutboxRow, ref: str | None) -> WaitingPost:
    return WaitingPost(
        id=row.id,
        platform=row.platform,
        kind=OutboxKind(row.kind),
        ref=ref,
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        parked_at=row.failed_at,
        last_error=row.last_error,
    )
