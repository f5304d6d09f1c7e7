"""`SqlStore`: the core's `Store` protocol over one SQLAlchemy session. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.model import (
    OPEN_STATUSES,
    Absence,
    Category,
    ChatLocation,
    Consent,
    ConsentForm,
    ConsentMode,
    Direction,
    MessageKind,
    Person,
    Question,
    Role,
    Status,
    ThreadMessage,
    Unit,
    UnitContact,
)
from handlers.ports import OutboxEntry
from storage.meetings import MeetingRepository
from storage.models import (
    AbsenceRow,
    AuditRow,
    CategoryRow,
    IdentityRow,
    JobRunRow,
    MessageRow,
    OutboxRow,
    PersonRow,
    ProcessedEventRow,
    QuestionRow,
    ReferenceCounterRow,
    StateRow,
    UnitChannelRow,
    UnitContactRow,
    UnitRow,
)
from storage.statistics import StatisticsMixin

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


def to_person(row: PersonRow) -> Person:
    roles = frozenset(Role(r) for r in row.roles.split(",") if r)
    return Person(row.id, row.key, row.name, roles)


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


class SqlStore(StatisticsMixin, MeetingRepository):
    """Repository methods over one open session; the caller owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # people -------------------------------------------------------------------------------
    def person_by_identity(self, *, platform: str, identity: str) -> Person | None:
        row = self.session.scalar(
            select(PersonRow)
            .join(IdentityRow, IdentityRow.person_id == PersonRow.id)
            .where(
                IdentityRow.platform == platform, IdentityRow.identity == identity, PersonRow.active
            )
        )
        return to_person(row) if row else None

    def person_by_key(self, *, key: str) -> Person | None:
        row = self.session.scalar(select(PersonRow).where(PersonRow.key == key))
        return to_person(row) if row else None

    def person(self, *, person_id: int) -> Person:
        return to_person(self.session.get_one(PersonRow, person_id))

    def people(self) -> list[Person]:
        rows = self.session.scalars(
            select(PersonRow).where(PersonRow.active).order_by(PersonRow.id)
        )
        return [to_person(r) for r in rows]

    def identity(self, *, person_id: int, platform: str) -> str | None:
        return self.session.scalar(
            select(IdentityRow.identity).where(
                IdentityRow.person_id == person_id, IdentityRow.platform == platform
            )
        )

    def person_defaults(self, *, person_id: int) -> dict[str, str]:
        row = self.session.get_one(PersonRow, person_id)
        defaults = {"enhet": row.default_unit, "riktning": row.default_direction}
        return {k: v for k, v in defaults.items() if v}

    # units ---------------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        rows = self.session.scalars(select(UnitRow).where(UnitRow.active).order_by(UnitRow.id))
        return [Unit(r.id, r.slug, r.name) for r in rows]

    def unit(self, *, unit_id: int) -> Unit:
        row = self.session.get_one(UnitRow, unit_id)
        return Unit(row.id, row.slug, row.name)

    def unit_contacts(self, *, unit_id: int | None = None) -> list[UnitContact]:
        query = select(UnitContactRow).order_by(UnitContactRow.position, UnitContactRow.id)
        if unit_id is not None:
            query = query.where(UnitContactRow.unit_id == unit_id)
        return [
            UnitContact(r.unit_id, r.person_id, Direction(r.direction), r.backup)
            for r in self.session.scalars(query)
        ]

    def unit_channel(self, *, unit_id: int, platform: str) -> str | None:
        return self.session.scalar(
            select(UnitChannelRow.channel).where(
                UnitChannelRow.unit_id == unit_id, UnitChannelRow.platform == platform
            )
        )

    def unit_by_channel(self, *, platform: str, channel: str) -> Unit | None:
        row = self.session.scalar(
            select(UnitRow)
            .join(UnitChannelRow, UnitChannelRow.unit_id == UnitRow.id)
            .where(UnitChannelRow.platform == platform, UnitChannelRow.channel == channel)
        )
        return Unit(row.id, row.slug, row.name) if row else None

    # categories ----------------------------------------------------------------------------
    def categories(self, *, include_inactive: bool = False) -> list[Category]:
        query = select(CategoryRow).order_by(CategoryRow.position, CategoryRow.slug)
        if not include_inactive:
            query = query.where(CategoryRow.active)
        return [Category(r.slug, r.name, r.active) for r in self.session.scalars(query)]

    def save_category(self, *, slug: str, name: str, active: bool = True) -> None:
        row = self.session.get(CategoryRow, slug)
        if row is None:
            position = self.session.scalar(select(func.count()).select_from(CategoryRow)) or 0
            self.session.add(CategoryRow(slug=slug, name=name, active=active, position=position))
        else:
            row.name, row.active = name, active
        self.session.flush()

    # absences ------------------------------------------------------------------------------
    def absences_on(self, *, day: date) -> list[Absence]:
        rows = self.session.scalars(
            select(AbsenceRow)
            .where(AbsenceRow.start <= day, AbsenceRow.end >= day)
            .order_by(AbsenceRow.id)
        )
        return [Absence(r.id, r.person_id, r.start, r.end, r.substitute_id) for r in rows]

    def add_absence(
        self, *, person_id: int, start: date, end: date, substitute_id: int | None
    ) -> Absence:
        row = AbsenceRow(person_id=person_id, start=start, end=end, substitute_id=substitute_id)
        self.session.add(row)
        self.session.flush()
        return Absence(row.id, person_id, start, end, substitute_id)

    # questions -----------------------------------------------------------------------------
    def next_reference(self, *, year: int) -> str:
        """The next `F-YYYY-NNNN`; the counter row is locked until commit, so never reused."""
        number = self.session.scalar(
            update(ReferenceCounterRow)
            .where(ReferenceCounterRow.year == year)
            .values(last=ReferenceCounterRow.last + 1)
            .returning(ReferenceCounterRow.last)
        )
        if number is None:
            try:
                with self.session.begin_nested():
                    self.session.add(ReferenceCounterRow(year=year, last=1))
                number = 1
            except IntegrityError:
                return self.next_reference(year=year)
        return f"F-{year}-{number:04d}"

    def add_question(self, *, question: Question) -> Question:
        consent = question.consent
        row = QuestionRow(
            ref=question.ref,
            unit_id=question.unit_id,
            direction=question.direction.value,
            category=question.category,
            consent_mode=question.consent_mode.value,
            consent_by=consent.obtained_by if consent else None,
            consent_on=consent.obtained_on if consent else None,
            consent_form=consent.form.value if consent else None,
            deadline=question.deadline,
            text=question.text,
            asker_id=question.asker_id,
            assignee_id=question.assignee_id,
            status=question.status.value,
            route_reason=question.route_reason,
            origin_platform=question.origin_platform,
            origin_channel=question.origin_channel,
            created_at=question.created_at,
        )
        self.session.add(row)
        self.session.flush()
        return to_question(row)

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

    def update_question(self, *, question_id: int, **changes: Any) -> Question:
        unknown = set(changes) - _QUESTION_FIELDS
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        row = self.session.get_one(QuestionRow, question_id, with_for_update=True)
        for name, value in changes.items():
            setattr(row, name, value.value if isinstance(value, Status) else value)
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
            .where(OutboxRow.question_id.in_(ids), OutboxRow.kind == "thread")
            .values(text=None)
        )
        result = self.session.execute(
            update(QuestionRow)
            .where(QuestionRow.id.in_(ids))
            .values(text=None, consent_by=None, purged_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # thread, audit, events, outbox ---------------------------------------------------------
    def add_message(
        self, *, question_id: int, author_id: int, kind: MessageKind, text: str, at: datetime
    ) -> ThreadMessage:
        row = MessageRow(
            question_id=question_id, author_id=author_id, kind=kind.value, text=text, created_at=at
        )
        self.session.add(row)
        self.session.flush()
        return ThreadMessage(row.id, question_id, author_id, kind, text, at)

    def messages(self, *, question_id: int) -> list[ThreadMessage]:
        rows = self.session.scalars(
            select(MessageRow).where(MessageRow.question_id == question_id).order_by(MessageRow.id)
        )
        return [
            ThreadMessage(
                r.id, r.question_id, r.author_id, MessageKind(r.kind), r.text, r.created_at
            )
            for r in rows
        ]

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

    def enqueue(
        self,
        *,
        platform: str,
        kind: str,
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
                kind=kind,
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
                r.kind,
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
                OutboxRow.kind == "card",
                OutboxRow.failed_at.is_not(None),
            )
        )
        return failed is not None

    def set_location(self, *, question_id: int, location: ChatLocation) -> None:
        row = self.session.get_one(QuestionRow, question_id)
        row.platform, row.channel, row.thread_root = (
            location.platform,
            location.channel,
            location.thread_root,
        )

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
