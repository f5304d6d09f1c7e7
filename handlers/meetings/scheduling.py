"""Running what is due: meeting reminders, agendas, holiday notices, question SLAs, and
the list of an absent contact's questions on the absence's first day (`absence_start`).

`run_due` is called every minute and once at start (bot/scheduler.py). The tables are the
source of truth: every run recomputes what is due from the series, overrides and questions,
so nothing is lost in a restart. Each meeting item runs in its own transaction guarded by
`claim_job(key)` (a unique row in `job_runs`), so it runs once, even with two bot processes
on one database; its posts go to the outbox in the same transaction. The questions' items
of one batch are claimed together and sent as one notice per person
(`handlers.meetings.notices`). Every post is noted with why it was queued, so the outbox
checks it again when it sends it (`handlers.meetings.recheck`).

A question keeps the time the job must next look at it (its next reminder, escalation or
deadline reminder), kept current by the job itself; a change of status, assignee or deadline
sets it to "now". So a run reads only the questions that fall due or changed, a batch at a
time, in short transactions, and computes outside them: its cost follows what is due, not
how many questions are open. The few meeting series are recomputed in full every run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, cast

from handlers.kernel import (
    STOCKHOLM,
    Clock,
    Question,
    Store,
    StoreFactory,
    texts,
)
from handlers.meetings.agenda import agenda_post
from handlers.meetings.model import MeetingStore, Occurrence, PulseSeries, meeting_store
from handlers.meetings.notices import missed, run_question_items
from handlers.meetings.occurrences import occurrences
from handlers.meetings.purposes import noting
from handlers.meetings.reminders import (
    LOOKBACK,
    Decision,
    DueItem,
    DueKind,
    ScheduleSettings,
    decide,
    next_due,
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
from handlers.questions.absence_start import list_on_first_day

logger = logging.getLogger(__name__)

QUESTION_BATCH = 500
"""How many due questions one read loads (a catch-up after downtime reads several)."""

SLA_STATE = "due:sla-settings"
"""The SLA settings the stored due times were computed with (table adapter_state)."""


class DueStore(MeetingStore, Protocol):
    """The due-time methods of the store (storage/meetings.py)."""

    def due_questions(
        self, *, until: datetime, after: tuple[datetime, int] | None, limit: int
    ) -> list[tuple[Question, datetime]]: ...
    def set_due_times(self, *, times: Sequence[tuple[Question, datetime | None]]) -> None: ...
    def mark_open_questions_due(self) -> int: ...


def due_store(store: Store) -> DueStore:
    """The open store seen with its due-time methods (SqlStore implements them)."""
    return cast(DueStore, store)


@dataclass
class DueReport:
    """What one run did: keys sent and keys logged as missed, and the platforms posted to."""

    sent: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    platforms: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    questions_read: int = 0
    """How many questions the run loaded (the ones due or changed, not every open one)."""


def pulse_due(store: MeetingStore, now: datetime, settings: ScheduleSettings) -> list[DueItem]:
    """Every meeting reminder, agenda and holiday notice in the lookback window."""
    items: list[DueItem] = []
    for series in store.active_series():
        overrides = store.overrides(series_id=series.id)
        for occurrence in occurrences(
            series, overrides, start=now - LOOKBACK, end=now + settings.pulse.lead
        ):
            items += pulse_items(series, occurrence, settings.pulse)
    return items


def in_window(items: Sequence[DueItem], done: set[str], now: datetime) -> list[DueItem]:
    """The items that fell due in the lookback window and have not run, oldest first."""
    window = [i for i in items if now - LOOKBACK <= i.due_at <= now and i.key not in done]
    return sorted(window, key=lambda i: i.due_at)


def run_due(
    stores: StoreFactory,
    clock: Clock,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> DueReport:
    """Send what is due now, log what was missed; each once, ever."""
    now = clock()
    report = DueReport()
    with stores() as opened:
        store = due_store(opened)
        items = pulse_due(store, now, settings)
        done = store.claimed_jobs(keys=[i.key for i in items if i.due_at <= now])
        if store.get_state(key=SLA_STATE) != settings.sla.fingerprint():
            store.mark_open_questions_due()
            store.set_state(key=SLA_STATE, value=settings.sla.fingerprint())
        if store.claim_job(key=f"puls:purge:{now.date().isoformat()}", at=now):
            store.purge_pulse_text(before=now - timedelta(days=settings.retention_days))
    run_items(stores, in_window(items, done, now), now, platforms, settings, report)
    _run_questions(stores, now, platforms, settings, report)
    started = list_on_first_day(stores, now, platforms)  # absences registered ahead
    report.sent += started.sent
    report.platforms |= started.platforms
    return report


def _run_questions(
    stores: StoreFactory,
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
    report: DueReport,
) -> None:
    """The questions' reminders, a batch of due questions at a time; then each question's
    next due time is stored."""
    after: tuple[datetime, int] | None = None
    while True:
        with stores() as opened:
            store = due_store(opened)
            batch = store.due_questions(until=now, after=after, limit=QUESTION_BATCH)
            slugs = {u.id: u.slug for u in store.units()} if batch else {}
        if not batch:
            return
        report.questions_read += len(batch)
        per_question = [  # computed with no transaction open
            (q, question_items(q, slugs.get(q.unit_id, ""), settings.sla)) for q, _ in batch
        ]
        keys = [i.key for _, items in per_question for i in items if i.due_at <= now]
        done: set[str] = set()
        if keys:
            with stores() as opened:
                done = due_store(opened).claimed_jobs(keys=keys)
        due = in_window([i for _, items in per_question for i in items], done, now)
        _notify(stores, due, now, platforms, settings, report)
        ran = done | ({i.key for i in due} - report.failed)
        with stores() as opened:
            due_store(opened).set_due_times(
                times=[(q, next_due(items, ran, now)) for q, items in per_question]
            )
        if len(batch) < QUESTION_BATCH:
            return
        after = batch[-1][1], batch[-1][0].id


def _notify(
    stores: StoreFactory,
    due: Sequence[DueItem],
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
    report: DueReport,
) -> None:
    """The questions' due items as one notice per person (`handlers.meetings.notices`)."""
    if not due:
        return
    try:
        sent, lost, used = run_question_items(stores, due, now, platforms, settings)
    except Exception:
        report.failed |= {i.key for i in due}
        keys = ", ".join(i.key for i in due)
        logger.exception("scheduled job %s failed; it is retried next minute", keys)
        return
    report.sent += sent
    report.missed += lost
    report.platforms |= used


def run_items(
    stores: StoreFactory,
    items: Sequence[DueItem],
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
    report: DueReport,
) -> None:
    """Each item in a transaction of its own: claimed, then sent or logged as missed."""
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
                    missed(store, item, now)
                    report.missed.append(item.key)
                else:
                    report.platforms |= _perform(store, item, now, platforms, settings)
                    report.sent.append(item.key)
        except Exception:
            report.failed.add(item.key)
            logger.exception("scheduled job %s failed; it is retried next minute", item.key)


def _perform(
    store: MeetingStore,
    item: DueItem,
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> set[str]:
    assert item.series_id is not None and item.occurrence is not None
    series = store.series(series_id=item.series_id)
    if series is None:
        return set()
    text, used = _series_post(store, series, item, now, settings)
    if used:
        assert item.occurrence.start is not None
        store.consume_agenda(item_ids=used, occurrence=item.occurrence.start)
    noted = noting(store, item.key)  # re-checked when sent (handlers.meetings.recheck)
    return post_to_units(noted, unit_ids=series.unit_ids, platforms=platforms, text=text, at=now)


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
            minutes=texts.plural(item.offset.minutes, *texts.NOUNS["minute"]),
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
