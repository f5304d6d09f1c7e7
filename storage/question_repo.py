"""`QuestionRepository`: questions and their threads, the part of `SqlStore` the lifecycle writes.

Reference numbers (`F-YYYY-NNNN`, never reused), questions with their chat location and
status changes, the messages in their threads, and the retention purge of free text. A mixin
of `SqlStore`: it works on the store's open session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.kernel import (
    OPEN_STATUSES,
    ChatLocation,
    Consent,
    ConsentForm,
    ConsentMode,
    Direction,
    MessageKind,
    OutboxKind,
    Question,
    Status,
    ThreadMessage,
)
from storage.models import (
    DUE_NOW,
    AuditRow,
    MessageRow,
    OutboxRow,
    QuestionRow,
    ReferenceCounterRow,
)

_QUESTION_FIELDS = {
    "assignee_id",
    "status",
    "claimed_at",
    "first_response_at",
    "answered_at",
    "closed_at",
    "reopened_at",
    "text",
    "purged_at",
    "deadline",
    "category",
}
_COUNTERS = cast(Table, ReferenceCounterRow.__table__)
_NEXT_NUMBER = (
    update(_COUNTERS)
    .where(_COUNTERS.c.year == bindparam("counted_year"))
    .values(last=_COUNTERS.c.last + 1)
    .returning(_COUNTERS.c.last)
)
_QUESTIONS = cast(Table, QuestionRow.__table__)
_NEW_QUESTION = insert(_QUESTIONS).returning(_QUESTIONS.c.id)
_NEW_AUDIT = insert(cast(Table, AuditRow.__table__))
_NEW_POSTS = insert(cast(Table, OutboxRow.__table__))
"""The hot path's statements, built once: Core on the tables, so that a question costs no
ORM bookkeeping and no statement construction (the parameters are bound per call)."""
_DUE_FIELDS = {"status", "deadline", "assignee_id"}
"""A change to one of these can change what falls due for the question, and when."""


def to_question(row: QuestionRow) -> Question:
    consent = None
    if row.consent_form and row.consent_on and row.consent_by:
        consent = Consent(row.consent_by, row.consent_on, ConsentForm(row.consent_form))
    location = None
    if row.platform and row.channel and row.thread_root:
        location = ChatLocation(row.platform, row.channel, row.thread_root)
    return Question(
        id=row.id,
        ref=row.ref,
        unit_id=row.unit_id,
        direction=Direction(row.direction),
        category=row.category,
        consent_mode=ConsentMode(row.consent_mode),
        consent=consent,
        deadline=row.deadline,
        text=row.text,
        asker_id=row.asker_id,
        assignee_id=row.assignee_id,
        status=Status(row.status),
        route_reason=row.route_reason,
        created_at=row.created_at,
        claimed_at=row.claimed_at,
        first_response_at=row.first_response_at,
        answered_at=row.answered_at,
        closed_at=row.closed_at,
        reopened_at=row.reopened_at,
        purged_at=row.purged_at,
        origin_platform=row.origin_platform,
        origin_channel=row.origin_channel,
        location=location,
    )


class QuestionRepository:
    """Reference numbers, questions, thread messages and the retention purge."""

    session: Session

    # questions -----------------------------------------------------------------------------
    def next_reference(self, *, year: int) -> str:
        """The next `F-YYYY-NNNN`; the counter row is locked until commit, so never reused."""
        number = self.session.connection().scalar(_NEXT_NUMBER, {"counted_year": year})
        if number is None:
            try:
                with self.session.begin_nested():
                    self.session.add(ReferenceCounterRow(year=year, last=1))
                number = 1
            except IntegrityError:
                return self.next_reference(year=year)
        return f"F-{year}-{number:04d}"

    def add_question(
        self, *, question: Question, detail: str = "", notices: Sequence[tuple[int, str]] = ()
    ) -> Question:
        """A new question with its "asked" audit entry, its card and its notices queued: three
        Core statements (the question with RETURNING its id, the audit row, the outbox rows in
        one multi-row insert), no ORM objects. Its due time is `DUE_NOW` (the column's
        default), so the next run of the due job computes its reminders."""
        consent = question.consent
        connection = self.session.connection()
        question_id = connection.scalar(
            _NEW_QUESTION,
            {
                "ref": question.ref,
                "unit_id": question.unit_id,
                "direction": question.direction.value,
                "category": question.category,
                "consent_mode": question.consent_mode.value,
                "consent_by": consent.obtained_by if consent else None,
                "consent_on": consent.obtained_on if consent else None,
                "consent_form": consent.form.value if consent else None,
                "deadline": question.deadline,
                "text": question.text,
                "asker_id": question.asker_id,
                "assignee_id": question.assignee_id,
                "status": question.status.value,
                "route_reason": question.route_reason,
                "origin_platform": question.origin_platform,
                "origin_channel": question.origin_channel,
                "created_at": question.created_at,
                "next_due_at": DUE_NOW,
            },
        )
        assert question_id is not None
        at, platform = question.created_at, question.origin_platform
        connection.execute(
            _NEW_AUDIT,
            {
                "actor_id": question.asker_id,
                "action": "asked",
                "at": at,
                "question_id": question_id,
                "detail": detail[:200],
            },
        )
        posts = [(OutboxKind.CARD, None, None), *((OutboxKind.NOTICE, p, t) for p, t in notices)]
        connection.execute(  # executemany: one statement (a multi-row insert on PostgreSQL)
            _NEW_POSTS,
            [
                {
                    "platform": platform,
                    "kind": kind.value,
                    "question_id": question_id,
                    "recipient_id": recipient,
                    "text": text,
                    "channel": None,
                    "attachment": None,
                    "created_at": at,
                    "next_attempt_at": at,
                    "attempts": 0,
                }
                for kind, recipient, text in posts
            ],
        )
        return replace(question, id=question_id)

    def question_by_ref(self, *, ref: str) -> Question | None:
        row = self.session.scalar(select(QuestionRow).where(QuestionRow.ref == ref))
        return to_question(row) if row else None

    def question(self, *, question_id: int) -> Question:
        return to_question(self.session.get_one(QuestionRow, question_id))

    def question_by_location(
        self, *, platform: str, channel: str, thread_root: str
    ) -> Question | None:
        row = self.session.scalar(
            select(QuestionRow).where(
                QuestionRow.platform == platform,
                QuestionRow.channel == channel,
                QuestionRow.thread_root == thread_root,
            )
        )
        return to_question(row) if row else None

    def questions(self, *, question_ids: Sequence[int]) -> dict[int, Question]:
        if not question_ids:
            return {}
        rows = self.session.scalars(
            select(QuestionRow).where(QuestionRow.id.in_(sorted(set(question_ids))))
        )
        return {row.id: to_question(row) for row in rows}

    def set_location(self, *, question_id: int, location: ChatLocation) -> None:
        self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id)
            .values(
                platform=location.platform,
                channel=location.channel,
                thread_root=location.thread_root,
            )
        )

    def update_question(self, *, question_id: int, **changes: Any) -> Question:
        unknown = set(changes) - _QUESTION_FIELDS
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        row = self.session.get_one(QuestionRow, question_id, with_for_update=True)
        for name, value in changes.items():
            setattr(row, name, value.value if isinstance(value, Status) else value)
        if _DUE_FIELDS & changes.keys():
            row.next_due_at = DUE_NOW
        self.session.flush()
        return to_question(row)

    def open_counts(self, *, person_ids: Sequence[int]) -> dict[int, int]:
        if not person_ids:
            return {}
        rows = self.session.execute(
            select(QuestionRow.assignee_id, func.count())
            .where(
                QuestionRow.assignee_id.in_(person_ids),
                QuestionRow.status.in_([s.value for s in OPEN_STATUSES]),
            )
            .group_by(QuestionRow.assignee_id)
        )
        return {int(pid): int(n) for pid, n in rows if pid is not None}

    def questions_for(
        self,
        *,
        asker_id: int | None = None,
        assignee_id: int | None = None,
        statuses: Sequence[Status] | None = None,
        unassigned_in_units: Sequence[int] | None = None,
        limit: int = 50,
    ) -> list[Question]:
        query = select(QuestionRow).order_by(QuestionRow.id.desc()).limit(limit)
        if asker_id is not None:
            query = query.where(QuestionRow.asker_id == asker_id)
        if assignee_id is not None:
            query = query.where(QuestionRow.assignee_id == assignee_id)
        if statuses is not None:
            query = query.where(QuestionRow.status.in_([s.value for s in statuses]))
        if unassigned_in_units is not None:
            query = query.where(
                QuestionRow.assignee_id.is_(None), QuestionRow.unit_id.in_(unassigned_in_units)
            )
        return [to_question(r) for r in self.session.scalars(query)]

    def closed_before(self, *, cutoff: datetime) -> list[int]:
        return list(
            self.session.scalars(
                select(QuestionRow.id).where(
                    QuestionRow.status == Status.STANGD.value,
                    QuestionRow.closed_at < cutoff,
                    QuestionRow.purged_at.is_(None),
                )
            )
        )

    def purge_free_text(self, *, question_ids: Sequence[int], at: datetime) -> int:
        ids = list(question_ids)
        self.session.execute(
            update(MessageRow).where(MessageRow.question_id.in_(ids)).values(text=None)
        )
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.question_id.in_(ids), OutboxRow.kind == OutboxKind.THREAD.value)
            .values(text=None)
        )
        result = self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id.in_(ids))
            .values(text=None, consent_by=None, purged_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # thread messages -----------------------------------------------------------------------
    def add_message(
        self,
        *,
        question_id: int,
        author_id: int,
        kind: MessageKind,
        text: str,
        at: datetime,
        source: str | None = None,
    ) -> ThreadMessage:
        row = MessageRow(
            question_id=question_id,
            author_id=author_id,
            kind=kind.value,
            text=text,
            created_at=at,
            source=source,
        )
        self.session.add(row)
        self.session.flush()
        return ThreadMessage(row.id, question_id, author_id, kind, text, at)

    def message_by_source(self, *, source: str) -> ThreadMessage | None:
        row = self.session.scalar(select(MessageRow).where(MessageRow.source == source))
        return _thread_message(row) if row is not None else None

    def edit_message(
        self, *, message_id: int, text: str | None, deleted_at: datetime | None = None
    ) -> None:
        row = self.session.get_one(MessageRow, message_id)
        row.text = text
        row.deleted_at = deleted_at

    def messages(self, *, question_id: int) -> list[ThreadMessage]:
        rows = self.session.scalars(
            select(MessageRow).where(MessageRow.question_id == question_id).order_by(MessageRow.id)
        )
        return [_thread_message(r) for r in rows]


def _thread_message(row: MessageRow) -> ThreadMessage:
    kind = MessageKind(row.kind)
    deleted = row.deleted_at is not None
    return ThreadMessage(
        row.id, row.question_id, row.author_id, kind, row.text, row.created_at, deleted
    )
