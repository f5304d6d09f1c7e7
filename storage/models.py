"""SQLAlchemy 2.0 typed models. Timestamps are timezone-aware and stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in, UTC stored, aware UTC out (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


DUE_NOW = datetime(2000, 1, 1, tzinfo=UTC)
"""A due time before any clock: the due job looks at the question at its next run."""


class Base(DeclarativeBase):
    pass


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[str] = mapped_column(String(64), default="asker")
    default_unit: Mapped[str | None] = mapped_column(String(64))
    default_direction: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class IdentityRow(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "identity"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    identity: Mapped[str] = mapped_column(String(255))


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitContactRow(Base):
    __tablename__ = "unit_contacts"
    __table_args__ = (UniqueConstraint("unit_id", "person_id", "direction", "backup"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    direction: Mapped[str] = mapped_column(String(20))
    backup: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class UnitChannelRow(Base):
    __tablename__ = "unit_channels"
    __table_args__ = (UniqueConstraint("unit_id", "platform"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(255))


class CategoryRow(Base):
    __tablename__ = "categories"
    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AbsenceRow(Base):
    __tablename__ = "absences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class ReferenceCounterRow(Base):
    __tablename__ = "reference_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class QuestionRow(Base):
    __tablename__ = "questions"
    __table_args__ = (
        # Statistics: an index-only range scan for counts by unit, category, direction and
        # status (migration 0003), and open/overdue counts without touching the table.
        Index(
            "ix_questions_statistics", "created_at", "unit_id", "category", "direction", "status"
        ),
        Index("ix_questions_status_deadline", "status", "deadline"),
        Index("ix_questions_unit_created", "unit_id", "created_at"),
        Index("ix_questions_assignee_status", "assignee_id", "status"),
        Index("ix_questions_asker_status", "asker_id", "status"),
        Index("ix_questions_location", "platform", "channel", "thread_root"),
        Index("ix_questions_status_closed", "status", "closed_at"),
        # The due job reads only the questions whose next due time has come (migration 0004).
        Index("ix_questions_next_due", "next_due_at", "id"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    direction: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(ForeignKey("categories.slug"))
    consent_mode: Mapped[str] = mapped_column(String(20))
    consent_by: Mapped[str | None] = mapped_column(String(80))
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_form: Mapped[str | None] = mapped_column(String(20))
    deadline: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    asker_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(20))
    route_reason: Mapped[str] = mapped_column(String(300), default="")
    origin_platform: Mapped[str] = mapped_column(String(20))
    origin_channel: Mapped[str | None] = mapped_column(String(255))
    platform: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(255))
    thread_root: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=DUE_NOW)
    """When the due job must next look at the question: its next reminder, escalation or
    deadline reminder; `DUE_NOW` after a change (the job computes the real time); None when
    nothing more can fall due."""


class MessageRow(Base):
    __tablename__ = "thread_messages"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    """The chat message it came from (`platform:channel:message id`), to follow edits."""
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BotPostRow(Base):
    """A post of Bryggan's own that quotes a question's free text (a "Svar från …" thread
    post): where it is, so that the retention purge can edit it. `header` is the line kept
    above the purge mark. Migration 0007."""

    __tablename__ = "bot_posts"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str] = mapped_column(String(255))
    header: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """Append-only: who did what, when. Never message content."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(40))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"), index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")


class ProcessedEventRow(Base):
    """Platform event ids already handled, so a redelivery is never handled twice."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "platform", "sent_at", "failed_at", "id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(255))
    attachment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class JobRunRow(Base):
    """One row per scheduled occurrence that has run (a reminder, a weekly post), so that it
    never runs twice, even with two bot processes or after a restart."""

    __tablename__ = "job_runs"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class StateRow(Base):
    """Small named values an adapter must keep across restarts (e.g. Matrix's sync token)."""

    __tablename__ = "adapter_state"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- pulse meetings ---------------------------------------------------------------------------


class PulseSeriesRow(Base):
    """A recurring pulse meeting; its dates are computed from `rule` (JSON), never stored."""

    __tablename__ = "pulse_series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(80))
    phrase: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(Text)
    holiday_rule: Mapped[str] = mapped_column(String(10))
    link: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PulseSeriesUnitRow(Base):
    __tablename__ = "pulse_series_units"
    series_id: Mapped[int] = mapped_column(ForeignKey("pulse_series.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PulseOverrideRow(Base):
    """An admin's change to one planned date: moved (`moved_to`) or called off (NULL)."""

    __tablename__ = "pulse_overrides"
    __table_args__ = (UniqueConstraint("series_id", "planned"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("pulse_series.id"))
    planned: Mapped[datetime] = mapped_column(UtcDateTime())
    moved_to: Mapped[datetime | None] = mapped_column(UtcDateTime())
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class PulseAgendaItemRow(Base):
    """A point for the next agenda; `used_for` is the meeting whose agenda it went into."""

    __tablename__ = "pulse_agenda_items"
    __table_args__ = (Index("ix_pulse_agenda_pending", "series_id", "used_for"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("pulse_series.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    text: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_for: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PulseNoteRow(Base):
    """A short note (minutes) for one meeting of a series."""

    __tablename__ = "pulse_notes"
    __table_args__ = (Index("ix_pulse_notes_meeting", "series_id", "occurrence"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("pulse_series.id"))
    occurrence: Mapped[datetime] = mapped_column(UtcDateTime())
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


# --- knowledge bank ---------------------------------------------------------------------------


class KnowledgeEntryRow(Base):
    """General knowledge written from an answered question: no case data, so the retention
    purge leaves it. Its search structures (SQLite FTS5 tables, PostgreSQL's tsvector column
    and GIN indexes) are dialect-specific and made by migration 0005 only."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (Index("ix_knowledge_review", "retired_at", "review_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(ForeignKey("categories.slug"))
    direction: Mapped[str | None] = mapped_column(String(20))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    source_question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    review_on: Mapped[date] = mapped_column(Date)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_entries.id"))


class KnowledgeUseRow(Base):
    """A question closed as answered from the bank: which entry, for the statistics."""

    __tablename__ = "knowledge_uses"
    __table_args__ = (Index("ix_knowledge_uses_at", "at", "unit_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("knowledge_entries.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    category: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
