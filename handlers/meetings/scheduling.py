"""Running what is due: meeting reminders, agendas, holiday notices, question SLAs.

`run_due` is called every minute and once at start (bot/scheduler.py). The tables are the
source of truth: every run recomputes what is due from the series, overrides and open
questions, so nothing is lost in a restart. Each due thing runs in its own transaction
guarded by `claim_job(key)` (a unique row in `job_runs`), so it runs once, even with two
bot processes on one database; its posts go to the outbox in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.kernel import (
    STOCKHOLM,
    Clock,
    Direction,
    OutboxKind,
    Question,
    Role,
    StoreFactory,
    texts,
)
from handlers.meetings.agenda import agenda_post
from handlers.meetings.model import MeetingStore, Occurrence, PulseSeries, meeting_store
from handlers.meetings.occurrences import occurrences
from handlers.meetings.reminders import (
    LOOKBACK,
    Decision,
    DueItem,
    DueKind,
    ScheduleSettings,
    decide,
    pulse_items,
    question_items,
)
from handlers.meetings.views import (
    link_text,
    next_text,
    post_to_units,
    title,
    units_text,
    when_text,
)

logger = logging.getLogger(__name__)


@dataclass
class DueReport:
    """What one run did: keys sent and keys logged as missed, and the platforms posted to."""

    sent: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    platforms: set[str] = field(default_factory=set)


def due_items(store: MeetingStore, now: datetime, settings: ScheduleSettings) -> list[DueItem]:
    """Everything that fell due in the lookback window and has not run yet."""
    items: list[DueItem] = []
    for series in store.active_series():
        overrides = store.overrides(series_id=series.id)
        for occurrence in occurrences(
            series, overrides, start=now - LOOKBACK, end=now + settings.pulse.lead
        ):
            items += pulse_items(series, occurrence, settings.pulse)
    slugs = {u.id: u.slug for u in store.units()}
    for question in store.open_questions():
        items += question_items(question, slugs.get(question.unit_id, ""), settings.sla)
    window = [i for i in items if now - LOOKBACK <= i.due_at <= now]
    done = store.claimed_jobs(keys=[i.key for i in window])
    return sorted((i for i in window if i.key not in done), key=lambda i: i.due_at)


def run_due(
    stores: StoreFactory,
    clock: Clock,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> DueReport:
    """Send what is due now, log what was missed; each once, ever."""
    now = clock()
    report = DueReport()
    with stores() as store:
        items = due_items(meeting_store(store), now, settings)
        if store.claim_job(key=f"puls:purge:{now.date().isoformat()}", at=now):
            meeting_store(store).purge_pulse_text(
                before=now - timedelta(days=settings.retention_days)
            )
    for item in items:
        decision = decide(item, now, settings.grace)
        if decision in (Decision.WAIT, Decision.SKIP):
            continue
        try:
            with stores() as opened:
                store = meeting_store(opened)
                if not store.claim_job(key=item.key, at=now):
                    continue
                if decision == Decision.MISSED:
                    _missed(store, item, now)
                    report.missed.append(item.key)
                else:
                    report.platforms |= _perform(store, item, now, platforms, settings)
                    report.sent.append(item.key)
        except Exception:
            logger.exception("scheduled job %s failed; it is retried next minute", item.key)
    return report


def _missed(store: MeetingStore, item: DueItem, now: datetime) -> None:
    late = now - item.due_at
    logger.warning("missed %s (due %s, %s ago): not sent", item.key, item.due_at, late)
    store.audit(actor_id=None, action="job_missed", at=now, detail=item.key)


def _perform(
    store: MeetingStore,
    item: DueItem,
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> set[str]:
    if item.question_id is not None:
        return _question_notice(store, item, now, platforms, settings)
    assert item.series_id is not None and item.occurrence is not None
    series = store.series(series_id=item.series_id)
    if series is None:
        return set()
    text, used = _series_post(store, series, item, now, settings)
    if used:
        assert item.occurrence.start is not None
        store.consume_agenda(item_ids=used, occurrence=item.occurrence.start)
    return post_to_units(store, unit_ids=series.unit_ids, platforms=platforms, text=text, at=now)


def _series_post(
    store: MeetingStore,
    series: PulseSeries,
    item: DueItem,
    now: datetime,
    settings: ScheduleSettings,
) -> tuple[str, list[int]]:
    occurrence = item.occurrence
    assert occurrence is not None
    if item.kind == DueKind.HOLIDAY:
        return _holiday_text(store, series, occurrence, now), []
    assert occurrence.start is not None
    if item.kind == DueKind.AGENDA:
        return agenda_post(store, series, occurrence.start, settings, now)
    return _reminder_text(store, series, occurrence, item), []


def _holiday_text(
    store: MeetingStore, series: PulseSeries, occurrence: Occurrence, now: datetime
) -> str:
    day = when_text(occurrence.planned)
    if occurrence.start is None:
        return texts.PULSE_HOLIDAY_SKIPPED.format(
            label=title(series),
            day=day,
            holiday=occurrence.holiday,
            next=next_text(store, series, occurrence.planned),
        )
    return texts.PULSE_HOLIDAY_MOVED.format(
        label=title(series),
        day=day,
        holiday=occurrence.holiday,
        when=when_text(occurrence.start),
        link=link_text(series),
    )


def _reminder_text(
    store: MeetingStore, series: PulseSeries, occurrence: Occurrence, item: DueItem
) -> str:
    assert occurrence.start is not None and item.offset is not None
    start = occurrence.start
    units = units_text(store, series.unit_ids)
    if item.offset.at is None:
        return texts.PULSE_REMIND_SOON.format(
            label=title(series),
            minutes=item.offset.minutes,
            time=f"{start.astimezone(STOCKHOLM):%H:%M}",
            units=units,
            link=link_text(series),
        )
    when = when_text(start)
    days = (start.astimezone(STOCKHOLM).date() - item.due_at.astimezone(STOCKHOLM).date()).days
    if days == 1:
        when = texts.PULSE_TOMORROW.format(day=when)
    elif days == 0:
        when = texts.PULSE_TODAY.format(day=when)
    if occurrence.start != occurrence.planned:
        when += texts.PULSE_MOVED_FROM.format(planned=when_text(occurrence.planned))
    return texts.PULSE_REMIND_DAY.format(
        label=title(series), when=when, units=units, link=link_text(series)
    )


def _question_notice(
    store: MeetingStore,
    item: DueItem,
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> set[str]:
    """An SLA reminder, escalation or deadline reminder, as notices to people."""
    assert item.question_id is not None
    question = store.question(question_id=item.question_id)
    recipients, text = _notice(store, question, item, settings)
    platform = question.origin_platform if question.origin_platform in platforms else platforms[0]
    for person_id in recipients:
        store.enqueue(
            platform=platform,
            kind=OutboxKind.NOTICE,
            at=now,
            question_id=question.id,
            recipient_id=person_id,
            text=text,
        )
    store.audit(actor_id=None, action=f"sla_{item.kind.value}", at=now, question_id=question.id)
    return {platform} if recipients else set()


def _notice(
    store: MeetingStore, question: Question, item: DueItem, settings: ScheduleSettings
) -> tuple[list[int], str]:
    """Who is told, and what: the assignee (the admins when there is none), or on
    escalation the unit's backups and the admins."""
    unit = store.unit(unit_id=question.unit_id)
    category = {c.slug: c.name for c in store.categories(include_inactive=True)}
    facts = {
        "ref": question.ref,
        "category": category.get(question.category, question.category),
        "unit": unit.name,
        "asked": texts.time_label(question.created_at),
    }
    admins = [p.id for p in store.people() if Role.ADMIN in p.roles]
    if item.kind == DueKind.SLA_ESCALATE:
        told = list(dict.fromkeys([*_backups(store, question), *admins]))
        assignee = (
            store.person(person_id=question.assignee_id).name
            if question.assignee_id
            else texts.SLA_NOBODY
        )
        hours = settings.sla.hours_for(unit.slug) + settings.sla.escalate_after_hours
        text = texts.SLA_ESCALATE.format(**facts, hours=f"{hours:g}", assignee=assignee)
        return [p for p in told if p != question.assignee_id], text
    if question.assignee_id is None:
        return admins, texts.SLA_REMIND_UNASSIGNED.format(**facts)
    template = texts.DEADLINE_REMIND if item.kind == DueKind.DEADLINE else texts.SLA_REMIND
    deadline = texts.day_label(question.deadline) if question.deadline else ""
    return [question.assignee_id], template.format(**facts, deadline=deadline)


def _backups(store: MeetingStore, question: Question) -> list[int]:
    direction: Direction = question.direction
    return [
        c.person_id
        for c in store.unit_contacts(unit_id=question.unit_id)
        if c.backup and c.direction == direction
    ]
