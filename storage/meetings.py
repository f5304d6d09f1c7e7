"""Repository methods for pulse meetings and scheduled jobs (`handlers.meetings.MeetingStore`).

A mixin of `SqlStore`: it works on the store's open session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from handlers.kernel import OPEN_STATUSES, Question
from handlers.meetings import (
    AgendaItem,
    HolidayRule,
    OccurrenceOverride,
    PulseNote,
    PulseSeries,
    rule_from_json,
    rule_to_json,
)
from storage.models import (
    DUE_NOW,
    Base,
    JobRunRow,
    PulseAgendaItemRow,
    PulseNoteRow,
    PulseOverrideRow,
    PulseSeriesRow,
    PulseSeriesUnitRow,
    QuestionRow,
)
from storage.question_repo import to_question


class MeetingRepository:
    """Pulse series, their overrides, agenda points and notes; open questions; job keys."""

    session: Session

    def _to_series(self, row: PulseSeriesRow) -> PulseSeries:
        unit_ids = self.session.scalars(
            select(PulseSeriesUnitRow.unit_id)
            .where(PulseSeriesUnitRow.series_id == row.id)
            .order_by(PulseSeriesUnitRow.position)
        )
        return PulseSeries(
            id=row.id,
            rule=rule_from_json(row.rule),
            phrase=row.phrase,
            unit_ids=tuple(unit_ids),
            holiday_rule=HolidayRule(row.holiday_rule),
            created_by=row.created_by,
            created_at=row.created_at,
            name=row.name,
            link=row.link,
            ended_at=row.ended_at,
        )

    def add_series(self, *, series: PulseSeries) -> PulseSeries:
        row = PulseSeriesRow(
            name=series.name,
            phrase=series.phrase,
            rule=rule_to_json(series.rule),
            holiday_rule=series.holiday_rule.value,
            link=series.link,
            created_by=series.created_by,
            created_at=series.created_at,
        )
        self.session.add(row)
        self.session.flush()
        for position, unit_id in enumerate(series.unit_ids):
            self.session.add(
                PulseSeriesUnitRow(series_id=row.id, unit_id=unit_id, position=position)
            )
        self.session.flush()
        return self._to_series(row)

    def series(self, *, series_id: int) -> PulseSeries | None:
        row = self.session.get(PulseSeriesRow, series_id)
        return self._to_series(row) if row else None

    def active_series(self) -> list[PulseSeries]:
        rows = self.session.scalars(
            select(PulseSeriesRow)
            .where(PulseSeriesRow.ended_at.is_(None))
            .order_by(PulseSeriesRow.id)
        )
        return [self._to_series(r) for r in rows]

    def end_series(self, *, series_id: int, at: datetime) -> None:
        self.session.get_one(PulseSeriesRow, series_id).ended_at = at
        self.session.flush()

    def overrides(self, *, series_id: int) -> list[OccurrenceOverride]:
        rows = self.session.scalars(
            select(PulseOverrideRow)
            .where(PulseOverrideRow.series_id == series_id)
            .order_by(PulseOverrideRow.planned)
        )
        return [OccurrenceOverride(r.series_id, r.planned, r.moved_to, r.by_id, r.at) for r in rows]

    def save_override(self, *, override: OccurrenceOverride) -> None:
        row = self.session.scalar(
            select(PulseOverrideRow).where(
                PulseOverrideRow.series_id == override.series_id,
                PulseOverrideRow.planned == override.planned,
            )
        )
        if row is None:
            row = PulseOverrideRow(series_id=override.series_id, planned=override.planned)
            self.session.add(row)
        row.moved_to, row.by_id, row.at = override.moved_to, override.by, override.at
        self.session.flush()

    def add_agenda_item(self, *, item: AgendaItem) -> AgendaItem:
        row = PulseAgendaItemRow(
            series_id=item.series_id,
            question_id=item.question_id,
            text=item.text,
            author_id=item.author_id,
            created_at=item.created_at,
        )
        self.session.add(row)
        self.session.flush()
        return AgendaItem(
            row.id, row.series_id, row.author_id, row.created_at, row.text, row.question_id
        )

    def pending_agenda(self, *, series_id: int) -> list[AgendaItem]:
        rows = self.session.scalars(
            select(PulseAgendaItemRow)
            .where(PulseAgendaItemRow.series_id == series_id, PulseAgendaItemRow.used_for.is_(None))
            .order_by(PulseAgendaItemRow.id)
        )
        return [
            AgendaItem(r.id, r.series_id, r.author_id, r.created_at, r.text, r.question_id)
            for r in rows
        ]

    def consume_agenda(self, *, item_ids: Sequence[int], occurrence: datetime) -> None:
        self.session.execute(
            update(PulseAgendaItemRow)
            .where(PulseAgendaItemRow.id.in_(list(item_ids)))
            .values(used_for=occurrence)
        )

    def add_note(self, *, note: PulseNote) -> PulseNote:
        row = PulseNoteRow(
            series_id=note.series_id,
            occurrence=note.occurrence,
            author_id=note.author_id,
            text=note.text,
            created_at=note.created_at,
        )
        self.session.add(row)
        self.session.flush()
        return PulseNote(
            row.id, row.series_id, row.occurrence, row.author_id, row.text, row.created_at
        )

    def notes(self, *, series_id: int, occurrence: datetime) -> list[PulseNote]:
        rows = self.session.scalars(
            select(PulseNoteRow)
            .where(PulseNoteRow.series_id == series_id, PulseNoteRow.occurrence == occurrence)
            .order_by(PulseNoteRow.id)
        )
        return [
            PulseNote(r.id, r.series_id, r.occurrence, r.author_id, r.text, r.created_at)
            for r in rows
        ]

    def purge_pulse_text(self, *, before: datetime) -> int:
        """Remove the free text of notes and used agenda points older than `before`."""
        notes = self.session.execute(
            update(PulseNoteRow)
            .where(PulseNoteRow.created_at < before, PulseNoteRow.text.is_not(None))
            .values(text=None)
        )
        items = self.session.execute(
            update(PulseAgendaItemRow)
            .where(
                PulseAgendaItemRow.used_for.is_not(None),
                PulseAgendaItemRow.used_for < before,
                PulseAgendaItemRow.text.is_not(None),
            )
            .values(text=None)
        )
        return int(getattr(notes, "rowcount", 0) or 0) + int(getattr(items, "rowcount", 0) or 0)

    def open_questions(self, *, unit_ids: Sequence[int] | None = None) -> list[Question]:
        query = (
            select(QuestionRow)
            .where(QuestionRow.status.in_([s.value for s in OPEN_STATUSES]))
            .order_by(QuestionRow.id)
        )
        if unit_ids is not None:
            query = query.where(QuestionRow.unit_id.in_(list(unit_ids)))
        return [to_question(r) for r in self.session.scalars(query)]

    def due_questions(
        self, *, until: datetime, after: tuple[datetime, int] | None, limit: int
    ) -> list[tuple[Question, datetime]]:
        """Questions whose due time is at or before `until`, with that time, in order of
        (due time, id) and after `after`: at most `limit`, read through the due-time index."""
        due = QuestionRow.next_due_at
        query = select(QuestionRow).where(due <= until).order_by(due, QuestionRow.id).limit(limit)
        if after is not None:
            query = query.where(tuple_(due, QuestionRow.id) > tuple_(*after))
        rows = self.session.scalars(query).all()
        return [(to_question(r), r.next_due_at or until) for r in rows]

    def set_due_times(self, *, times: Sequence[tuple[Question, datetime | None]]) -> None:
        """Store each question's next due time, unless its status or deadline changed since
        it was read (that change marked it `DUE_NOW`, and the next run looks again)."""
        if not times:
            return
        table = Base.metadata.tables[QuestionRow.__tablename__]
        statement = (
            update(table)
            .where(
                table.c.id == bindparam("q_id"),
                table.c.status == bindparam("q_status"),
                table.c.deadline.is_not_distinct_from(bindparam("q_deadline")),
            )
            .values(next_due_at=bindparam("q_next"))
        )
        self.session.execute(
            statement,
            [
                {"q_id": q.id, "q_status": q.status.value, "q_deadline": q.deadline, "q_next": at}
                for q, at in times
            ],
        )

    def mark_open_questions_due(self) -> int:
        """Every open question gets `DUE_NOW`, e.g. after the SLA settings changed."""
        result = self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.status.in_([s.value for s in OPEN_STATUSES]))
            .values(next_due_at=DUE_NOW)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def claimed_jobs(self, *, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found |= set(
                self.session.scalars(select(JobRunRow.key).where(JobRunRow.key.in_(chunk)))
            )
        return found
