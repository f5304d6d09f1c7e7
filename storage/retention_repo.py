"""`RetentionRepository`: what the retention purge and the daily housekeeping need, part of
`SqlStore`.

The posts of Bryggan's own that quote free text (so the purge can edit them), questions
answered long ago and never closed, the text that purged questions left in outbox rows and
agenda points, and batched trims of the bookkeeping tables (processed events, job runs,
sent outbox rows, the audit log). A mixin of `SqlStore`: it works on the store's open
session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from handlers.kernel import BotPost, OutboxKind, Status
from storage.models import (
    AuditRow,
    BotPostRow,
    JobRunRow,
    MessageRow,
    OutboxRow,
    ProcessedEventRow,
    PulseAgendaItemRow,
    QuestionRow,
)


class RetentionRepository:
    """Bot posts that quote text, auto-close candidates, purge extras and trims."""

    session: Session

    # bot posts -----------------------------------------------------------------------------
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
        self.session.add_all(
            BotPostRow(
                question_id=question_id,
                platform=platform,
                channel=channel,
                message_id=message_id,
                header=header[:200] if number == 0 else "",
                created_at=at,
            )
            for number, message_id in enumerate(message_ids)
        )

    def bot_posts(self, *, question_id: int, platform: str) -> list[BotPost]:
        rows = self.session.scalars(
            select(BotPostRow)
            .where(BotPostRow.question_id == question_id, BotPostRow.platform == platform)
            .order_by(BotPostRow.id)
        )
        return [BotPost(r.platform, r.channel, r.message_id, r.header) for r in rows]

    # the purge -----------------------------------------------------------------------------
    def answered_before(self, *, cutoff: datetime) -> list[int]:
        """Questions answered before `cutoff` and still waiting for the asker to close them."""
        return list(
            self.session.scalars(
                select(QuestionRow.id)
                .where(
                    QuestionRow.status == Status.BESVARAD.value,
                    QuestionRow.answered_at < cutoff,
                )
                .order_by(QuestionRow.id)
            )
        )

    def purge_counts(self, *, question_ids: Sequence[int]) -> tuple[int, int]:
        """How many thread messages with text, and how many known bot posts, the purge of
        `question_ids` reaches (for `bryggan purge --dry-run`)."""
        ids = list(question_ids)
        messages = self.session.scalar(
            select(func.count())
            .select_from(MessageRow)
            .where(MessageRow.question_id.in_(ids), MessageRow.text.is_not(None))
        )
        posts = self.session.scalar(
            select(func.count()).select_from(BotPostRow).where(BotPostRow.question_id.in_(ids))
        )
        return int(messages or 0), int(posts or 0)

    def purge_quoted_text(self, *, question_ids: Sequence[int]) -> None:
        """Clear what purged questions left elsewhere: their thread posts in the outbox
        (sent, or waiting: it then goes out not at all), every other outbox row about them
        that was sent (a waiting notice carries no free text and still goes out) and the
        text of agenda points that name them."""
        ids = list(question_ids)
        self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.question_id.in_(ids),
                OutboxRow.text.is_not(None),
                or_(OutboxRow.kind == OutboxKind.THREAD.value, OutboxRow.sent_at.is_not(None)),
            )
            .values(text=None)
            .execution_options(synchronize_session=False)
        )
        self.session.execute(
            update(PulseAgendaItemRow)
            .where(PulseAgendaItemRow.question_id.in_(ids), PulseAgendaItemRow.text.is_not(None))
            .values(text=None)
            .execution_options(synchronize_session=False)
        )

    def clear_sent_text(self, *, before: datetime) -> int:
        """Clear the text of channel posts and notices sent before `before`: the chat has
        them; an agenda's points or a note must not outlive their own purge in the outbox."""
        cleared: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(OutboxRow)
            .where(
                OutboxRow.sent_at.is_not(None),
                OutboxRow.sent_at < before,
                OutboxRow.text.is_not(None),
            )
            .values(text=None)
            .execution_options(synchronize_session=False)
        )
        return int(cleared.rowcount)

    # housekeeping --------------------------------------------------------------------------
    def trim_processed_events(self, *, before: datetime, limit: int) -> int:
        ids = select(ProcessedEventRow.id).where(ProcessedEventRow.at < before)
        return self._delete_batch(ProcessedEventRow, ProcessedEventRow.id, ids, limit)

    def trim_job_runs(self, *, before: datetime, limit: int) -> int:
        keys = select(JobRunRow.key).where(JobRunRow.at < before)
        return self._delete_batch(JobRunRow, JobRunRow.key, keys, limit)

    def trim_sent_posts(self, *, before: datetime, limit: int) -> int:
        ids = select(OutboxRow.id).where(OutboxRow.sent_at.is_not(None), OutboxRow.sent_at < before)
        return self._delete_batch(OutboxRow, OutboxRow.id, ids, limit)

    def trim_bot_posts(self, *, before: datetime, limit: int) -> int:
        """Forget where the posts of questions purged before `before` are: their edits went
        out long ago."""
        ids = (
            select(BotPostRow.id)
            .join(QuestionRow, QuestionRow.id == BotPostRow.question_id)
            .where(QuestionRow.purged_at < before)
        )
        return self._delete_batch(BotPostRow, BotPostRow.id, ids, limit)

    def trim_audit(self, *, before: datetime, limit: int) -> int:
        ids = select(AuditRow.id).where(AuditRow.at < before)
        return self._delete_batch(AuditRow, AuditRow.id, ids, limit)

    def _delete_batch(self, table: Any, key: Any, chosen: Select[Any], limit: int) -> int:
        """Delete at most `limit` rows of `chosen`: one short write, so that a long trim
        never holds SQLite's writer for long (the caller commits between batches)."""
        batch = list(self.session.scalars(chosen.order_by(key).limit(limit)))
        if not batch:
            return 0
        self.session.execute(
            delete(table).where(key.in_(batch)).execution_options(synchronize_session=False)
        )
        return len(batch)
