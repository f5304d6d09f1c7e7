"""`DeliveryRepository`: the bookkeeping that makes delivery exactly-once, part of `SqlStore`.

The audit trail, processed platform events and claimed job runs (each claimed once, by a
unique row), the outbox of posts committed with the change that caused them, and small
adapter state (such as the Slack card marker). A mixin of `SqlStore`: it works on the store's
open session and never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.kernel import OutboxEntry, OutboxKind
from storage.models import AuditRow, JobRunRow, OutboxRow, ProcessedEventRow, StateRow


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
        try:
            with self.session.begin_nested():
                self.session.add(JobRunRow(key=key, at=at))
        except IntegrityError:
            return False
        return True

    def claim_event(self, *, platform: str, event_id: str, at: datetime) -> bool:
        try:
            with self.session.begin_nested():
                self.session.add(ProcessedEventRow(platform=platform, event_id=event_id, at=at))
        except IntegrityError:
            return False
        return True

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
            select(OutboxRow)
            .where(
                OutboxRow.platform == platform,
                OutboxRow.sent_at.is_(None),
                OutboxRow.failed_at.is_(None),
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [
            OutboxEntry(
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
            for r in rows
        ]

    def mark_post(
        self,
        *,
        entry_id: int,
        at: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        row = self.session.get_one(OutboxRow, entry_id)
        if error is None:
            row.sent_at = at
            return
        row.attempts += 1
        row.last_error = error[:300]
        if retry_at is None:
            row.failed_at = at
        else:
            row.next_attempt_at = retry_at

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

    def delete_state(self, *, key: str) -> None:
        row = self.session.get(StateRow, key)
        if row is not None:
            self.session.delete(row)
