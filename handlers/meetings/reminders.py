"""What is due when: meeting reminders, agendas, holiday notices and question SLAs.

Pure functions over plain values. Each due thing has an idempotency key (one row in
`job_runs` when it has run) such as `puls:3:2026-11-26T12:00Z:reminder:d1-1500` or
`sla:F-2026-0042:escalate`; `decide` says whether to send it now, log it as missed (it fell
due while the bot was down, longer ago than the grace window, or is no longer relevant),
wait, or skip it (it fell due before the thing it is about existed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from handlers.dates import add_working_hours, is_working_day
from handlers.kernel import OPEN_STATUSES, STOCKHOLM, Question, Status
from handlers.meetings.model import HolidayRule, Occurrence, PulseSeries, local

LOOKBACK = timedelta(days=14)
"""How far back a missed job is still looked for (and logged as missed)."""

_DAYS = re.compile(
    r"^(?:(?P<one>dagen)|(?P<n>\d{1,2})\s+(?:arbets)?dag(?:ar)?)\s+f(?:ö|o)re"
    r"(?:\s+(?:kl\.?|klockan))?\s+(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?$"
)
_MINUTES = re.compile(
    r"^(?P<n>\d{1,4})\s*(?P<unit>min|minut|minuter|h|tim|timme|timmar)\s+f(?:ö|o)re$"
)


@dataclass(frozen=True)
class ReminderOffset:
    """When a meeting reminder goes out: `days` working days before at `at`, or `minutes`
    before the start."""

    days: int = 0
    at: time | None = None
    minutes: int = 0

    @property
    def label(self) -> str:
        """The stable part of the reminder's idempotency key."""
        if self.at is not None:
            return f"d{self.days}-{self.at:%H%M}"
        return f"m{self.minutes}"

    def due(self, start: datetime) -> datetime:
        if self.at is None:
            return start - timedelta(minutes=self.minutes)
        day = working_days_before(local(start).date(), self.days)
        return datetime.combine(day, self.at, tzinfo=STOCKHOLM).astimezone(UTC)


def parse_offset(text: str) -> ReminderOffset:
    """Read "dagen före 15:00", "2 dagar före kl 9", "15 min före", "1 timme före"."""
    typed = " ".join(text.lower().split())
    if found := _DAYS.match(typed):
        days = 1 if found.group("one") else int(found.group("n"))
        hour, minute = int(found.group("h")), int(found.group("m") or 0)
        if hour > 23 or minute > 59 or days > 30:
            raise ValueError(text)
        return ReminderOffset(days=days, at=time(hour, minute))
    if found := _MINUTES.match(typed):
        minutes = int(found.group("n")) * (1 if found.group("unit").startswith("min") else 60)
        if not 0 < minutes <= 24 * 60:
            raise ValueError(text)
        return ReminderOffset(minutes=minutes)
    raise ValueError(text)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (`day` itself for 0)."""
    for _ in range(count):
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class PulseSettings:
    reminders: tuple[ReminderOffset, ...] = (
        ReminderOffset(days=1, at=time(15, 0)),
        ReminderOffset(minutes=15),
    )
    agenda_days_before: int = 2
    agenda_time: time = time(9, 0)
    announce_days_before: int = 7
    holiday_rule: HolidayRule = HolidayRule.SKIP

    @property
    def lead(self) -> timedelta:
        """How long before a meeting something about it can fall due (working days are
        counted generously: weekends and a Christmas week in between)."""
        days = [self.announce_days_before, 2 * self.agenda_days_before + 7]
        days += [2 * o.days + 7 for o in self.reminders if o.at is not None]
        minutes = max((o.minutes for o in self.reminders), default=0)
        return timedelta(days=max(days) + 1, minutes=minutes)


@dataclass(frozen=True)
class SlaSettings:
    working_hours: float = 8.0
    escalate_after_hours: float = 4.0
    deadline_days_before: int = 1
    deadline_time: time = time(9, 0)
    units: Mapping[str, float] = field(default_factory=dict)

    def hours_for(self, unit_slug: str) -> float:
        return self.units.get(unit_slug, self.working_hours)

    def fingerprint(self) -> str:
        """Everything a question's due times are computed from, as one stable string: the
        due times stored with the questions hold only while it stays the same."""
        return json.dumps(
            {
                "version": 1,
                "working_hours": self.working_hours,
                "escalate_after_hours": self.escalate_after_hours,
                "deadline_days_before": self.deadline_days_before,
                "deadline_time": self.deadline_time.isoformat(),
                "units": dict(sorted(self.units.items())),
            },
            sort_keys=True,
        )


@dataclass(frozen=True)
class ScheduleSettings:
    pulse: PulseSettings = field(default_factory=PulseSettings)
    sla: SlaSettings = field(default_factory=SlaSettings)
    grace: timedelta = timedelta(hours=2)
    retention_days: int = 90


class DueKind(StrEnum):
    REMINDER = "reminder"
    AGENDA = "agenda"
    HOLIDAY = "holiday"
    SLA_REMIND = "remind"
    SLA_ESCALATE = "escalate"
    DEADLINE = "deadline"


class Decision(StrEnum):
    WAIT = "wait"
    SEND = "send"
    MISSED = "missed"
    SKIP = "skip"


@dataclass(frozen=True)
class DueItem:
    """One scheduled thing, carrying ids (never rows): it is reloaded when it runs."""

    key: str
    kind: DueKind
    due_at: datetime
    not_before: datetime
    relevant_until: datetime | None = None
    series_id: int | None = None
    occurrence: Occurrence | None = None
    offset: ReminderOffset | None = None
    question_id: int | None = None


def stamp(moment: datetime) -> str:
    """A moment in a key: UTC to the minute, e.g. 2026-11-26T12:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def decide(item: DueItem, now: datetime, grace: timedelta) -> Decision:
    """Send, log as missed, wait or skip one due thing at `now`."""
    if item.due_at > now:
        return Decision.WAIT
    if item.due_at < item.not_before:
        return Decision.SKIP
    if item.relevant_until is not None and now >= item.relevant_until:
        return Decision.MISSED
    return Decision.MISSED if now - item.due_at > grace else Decision.SEND


def pulse_items(
    series: PulseSeries, occurrence: Occurrence, settings: PulseSettings
) -> list[DueItem]:
    """The reminders, agenda and holiday notice that belong to one date of a series."""
    items = []
    if occurrence.holiday and occurrence.changed_at is None:
        items.append(_holiday_item(series, occurrence, settings))
    if occurrence.start is not None:
        items += _meeting_items(series, occurrence, occurrence.start, settings)
    return items


def _holiday_item(series: PulseSeries, occurrence: Occurrence, settings: PulseSettings) -> DueItem:
    """The notice that a date falls on a holiday, `announce_days_before` days ahead."""
    day = local(occurrence.planned).date() - timedelta(days=settings.announce_days_before)
    due = datetime.combine(day, settings.agenda_time, tzinfo=STOCKHOLM).astimezone(UTC)
    return DueItem(
        f"puls:{series.id}:{stamp(occurrence.planned)}:holiday",
        DueKind.HOLIDAY,
        due,
        series.created_at,
        occurrence.start or occurrence.planned,
        series.id,
        occurrence,
    )


def _meeting_items(
    series: PulseSeries, occurrence: Occurrence, start: datetime, settings: PulseSettings
) -> list[DueItem]:
    """The reminders and the agenda of a date that takes place at `start`."""
    created = occurrence.changed_at or series.created_at
    base = f"puls:{series.id}:{stamp(start)}"
    items = [
        DueItem(
            f"{base}:reminder:{offset.label}",
            DueKind.REMINDER,
            offset.due(start),
            created,
            start,
            series.id,
            occurrence,
            offset,
        )
        for offset in settings.reminders
    ]
    agenda_day = working_days_before(local(start).date(), settings.agenda_days_before)
    agenda_at = datetime.combine(agenda_day, settings.agenda_time, tzinfo=STOCKHOLM)
    due = min(agenda_at.astimezone(UTC), start)
    items.append(
        DueItem(f"{base}:agenda", DueKind.AGENDA, due, created, start, series.id, occurrence)
    )
    return items


def question_items(question: Question, unit_slug: str, settings: SlaSettings) -> list[DueItem]:
    """The SLA reminder and escalation of an unclaimed question, and its deadline reminder."""
    items: list[DueItem] = []
    hours = settings.hours_for(unit_slug)
    if question.status == Status.NY:
        remind = add_working_hours(question.created_at, hours).astimezone(UTC)
        escalate = add_working_hours(
            question.created_at, hours + settings.escalate_after_hours
        ).astimezone(UTC)
        for kind, due in ((DueKind.SLA_REMIND, remind), (DueKind.SLA_ESCALATE, escalate)):
            key = f"sla:{question.ref}:{kind.value}"
            items.append(DueItem(key, kind, due, question.created_at, question_id=question.id))
    if question.deadline is not None and question.status in OPEN_STATUSES:
        day = working_days_before(question.deadline, settings.deadline_days_before)
        due = datetime.combine(day, settings.deadline_time, tzinfo=STOCKHOLM).astimezone(UTC)
        end = datetime.combine(question.deadline + timedelta(days=1), time(), tzinfo=STOCKHOLM)
        items.append(
            DueItem(
                f"sla:{question.ref}:deadline:{question.deadline.isoformat()}",
                DueKind.DEADLINE,
                due,
                question.created_at,
                end.astimezone(UTC),
                question_id=question.id,
            )
        )
    return items


def next_due(items: Collection[DueItem], done: Collection[str], now: datetime) -> datetime | None:
    """When the due job must look at these items next: the earliest that has not run and
    still can (it is not skipped, and not so old that it left the lookback window)."""
    times = [
        i.due_at
        for i in items
        if i.key not in done and i.due_at >= i.not_before and i.due_at >= now - LOOKBACK
    ]
    return min(times, default=None)
