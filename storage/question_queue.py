"""`QuestionQueueRepository`: the queue views of `/frågor` and who last did what to a
question, the part of `SqlStore` the lists and cards read. A mixin over the store's open
session; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.kernel import Question, Status
from storage.models import AuditRow, QuestionRow
from storage.question_repo import to_question


class QuestionQueueRepository:
    """Filtered question lists, longest-waiting first, and who did what to a question."""

    session: Session

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
        q = QuestionRow
        query = select(q).order_by(q.created_at, q.id).limit(limit)
        if unit_ids is not None:
            query = query.where(q.unit_id.in_(list(unit_ids)))
        if statuses is not None:
            query = query.where(q.status.in_([s.value for s in statuses]))
        if unassigned:
            query = query.where(q.assignee_id.is_(None))
        if asker_id is not None:
            query = query.where(q.asker_id == asker_id)
        return [to_question(row) for row in self.session.scalars(query)]

    def question_actions(
        self, *, question_id: int, actions: Sequence[str]
    ) -> list[tuple[str, int | None]]:
        """Each of `actions` done to the question, with who did it, oldest first (from the
        audit log, read by its index on the question)."""
        rows = self.session.execute(
            select(AuditRow.action, AuditRow.actor_id)
            .where(AuditRow.question_id == question_id, AuditRow.action.in_(list(actions)))
            .order_by(AuditRow.id)
        )
        return [(action, actor) for action, actor in rows]
