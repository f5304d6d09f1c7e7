"""Pulse meetings (pulsmöten): the domain values and what the core needs from storage.

A `PulseSeries` is a recurring meeting for one or more units, described by a
`RecurrenceRule` from the date layer. Its dates are computed
(`handlers.meetings.occurrences`), never stored; only an admin's change to one date is
stored, as an `OccurrenceOverride` keyed by the date the rule planned. Agenda items wait
until an agenda is posted; notes belong to one date."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any, Protocol, cast

from handlers.dates import RecurrenceRule
from handlers.kernel import STOCKHOLM, Question, Store


class HolidayRule(StrEnum):
    """What happens to a date that falls on a röd dag, julafton, midsommarafton or nyårsafton."""

    SKIP = "skip"
    MOVE = "move"


class OccurrenceState(StrEnum):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"
    HOLIDAY_MOVED = "holiday_moved"
    HOLIDAY_SKIPPED = "holiday_skipped"


@dataclass(frozen=True)
class PulseSeries:
    id: int
    rule: RecurrenceRule
    phrase: str
    unit_ids: tuple[int, ...]
    holiday_rule: HolidayRule
    created_by: int
    created_at: datetime
    name: str | None = None
    link: str | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class OccurrenceOverride:
    """An admin's change to one date: moved to `moved_to`, or cancelled (`moved_to` None)."""

    series_id: int
    planned: datetime
    moved_to: datetime | None
    by: int
    at: datetime


@dataclass(frozen=True)
class Occurrence:
    """One date of a series: `planned` by the rule, `start` when it actually takes place
    (None when it does not), and why they differ."""

    series_id: int
    planned: datetime
    start: datetime | None
    state: OccurrenceState
    holiday: str | None = None
    changed_at: datetime | None = None
    """When an admin's override was made (reminders due before that are not sent)."""

    @property
    def takes_place(self) -> bool:
        return self.start is not None

    @property
    def shown(self) -> datetime:
        """The moment to show and sort by: the actual start, else the planned one."""
        return self.start or self.planned


@dataclass(frozen=True)
class AgendaItem:
    """A point for the next agenda: free text, or a question flagged for the meeting."""

    id: int
    series_id: int
    author_id: int
    created_at: datetime
    text: str | None = None
    question_id: int | None = None


@dataclass(frozen=True)
class PulseNote:
    id: int
    series_id: int
    occurrence: datetime
    author_id: int
    text: str | None
    created_at: datetime


class MeetingStore(Store, Protocol):
    """The repository methods for pulse meetings and reminders (storage/meetings.py)."""

    def add_series(self, *, series: PulseSeries) -> PulseSeries: ...
    def series(self, *, series_id: int) -> PulseSeries | None: ...
    def active_series(self) -> list[PulseSeries]: ...
    def end_series(self, *, series_id: int, at: datetime) -> None: ...
    def overrides(self, *, series_id: int) -> list[OccurrenceOverride]: ...
    def save_override(self, *, override: OccurrenceOverride) -> None: ...
    def add_agenda_item(self, *, item: AgendaItem) -> AgendaItem: ...
    def pending_agenda(self, *, series_id: int) -> list[AgendaItem]: ...
    def consume_agenda(self, *, item_ids: Sequence[int], occurrence: datetime) -> None: ...
    def add_note(self, *, note: PulseNote) -> PulseNote: ...
    def notes(self, *, series_id: int, occurrence: datetime) -> list[PulseNote]: ...
    def open_questions(self, *, unit_ids: Sequence[int] | None = None) -> list[Question]: ...
    def claimed_jobs(self, *, keys: Sequence[str]) -> set[str]:
        """The subset of `keys` already claimed with `claim_job`."""
        ...

    def purge_pulse_text(self, *, before: datetime) -> int: ...


def meeting_store(store: Store) -> MeetingStore:
    """The open store seen with its pulse-meeting methods (SqlStore implements both)."""
    return cast(MeetingStore, store)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM)


def rule_to_json(rule: RecurrenceRule) -> str:
    """A rule as plain JSON, so a series can be rebuilt exactly after a restart."""
    return json.dumps(
        {
            "unit": rule.unit,
            "interval": rule.interval,
            "at": rule.at.strftime("%H:%M"),
            "has_time": rule.has_time,
            "first": local(rule.first).isoformat(),
            "weekdays": list(rule.weekdays),
            "nth": rule.nth,
            "day_of_month": rule.day_of_month,
        },
        sort_keys=True,
    )


def rule_from_json(text: str) -> RecurrenceRule:
    data: dict[str, Any] = json.loads(text)
    hour, minute = (int(part) for part in data["at"].split(":"))
    return RecurrenceRule(
        unit=data["unit"],
        interval=int(data["interval"]),
        at=time(hour, minute),
        has_time=bool(data["has_time"]),
        first=local(datetime.fromisoformat(data["first"])),
        weekdays=tuple(int(d) for d in data["weekdays"]),
        nth=data["nth"],
        day_of_month=data["day_of_month"],
    )
