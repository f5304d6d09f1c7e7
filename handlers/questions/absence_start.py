"""The first day of an absence registered ahead of time: her open assigned questions listed.

`/frånvaro` lists the absent person's open questions to whoever now receives them and to
the admins when the absence already covers the day it is saved
(`absence_people.tell_about_assigned`). An absence saved ahead (on Monday for Thursday and
Friday) is reached here instead: the due job (`handlers.meetings.scheduling.run_due`) calls
`list_on_first_day` every minute, and from `DAY_START` on the absence's first day (or at
the first run after it, when the bot was down) the same notice goes out. Both paths claim
the same key (`assigned_notice_key`: the absence and its first day) in the transaction that
queues the notice, so it goes out once, across restarts and two processes on one database,
and not again when the absence is changed without moving its first day.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from handlers.kernel import STOCKHOLM, Absence, Context, StoreFactory
from handlers.questions.absence_people import (
    assigned_notice_key,
    open_assigned,
    tell_about_assigned,
)

logger = logging.getLogger(__name__)

DAY_START = time(7, 0)
"""When the working day starts (Stockholm time): the list is sent from then on."""


@dataclass(frozen=True)
class StartReport:
    """What one run did: the keys whose notices were queued, and on which platforms."""

    sent: list[str]
    platforms: set[str]


def first_day_due(absence: Absence, now: datetime) -> bool:
    """Whether the absence's list is due: from `DAY_START` on its first day until it ends."""
    begins = datetime.combine(absence.start, DAY_START, tzinfo=STOCKHOLM)
    return begins <= now and now.astimezone(STOCKHOLM).date() <= absence.end


def list_on_first_day(stores: StoreFactory, now: datetime, platforms: Sequence[str]) -> StartReport:
    """Send the list of each absence that has begun and not been listed; each in its own
    transaction, claimed with the notice it queues. One read when nothing is due."""
    report = StartReport([], set())
    if not platforms:
        return report
    day = now.astimezone(STOCKHOLM).date()
    with stores() as store:
        due = [a for a in store.absences_on(day=day) if first_day_due(a, now)]
        done = store.claimed_jobs(keys=[assigned_notice_key(a) for a in due]) if due else set()
    for absence in due:
        key = assigned_notice_key(absence)
        if key in done:
            continue
        try:
            platform = _list_one(stores, absence.id, day, now, platforms)
        except Exception:
            logger.exception("absence list %s failed; it is retried next minute", key)
            continue
        if platform is not None:
            report.sent.append(key)
            report.platforms.add(platform)
    return report


def _list_one(
    stores: StoreFactory, absence_id: int, day: date, now: datetime, platforms: Sequence[str]
) -> str | None:
    """Reload the absence (it may have been changed or cancelled meanwhile) and queue its
    list; the platform it was queued on, or None when nothing was (claimed already, no
    open questions, nobody to tell)."""
    with stores() as store:
        absence = store.absence(absence_id=absence_id)
        if absence is None or not absence.start <= day <= absence.end:
            return None
        absent = store.person(person_id=absence.person_id)
        ctx = Context(store=store, actor=absent, now=now, platform=platforms[0])
        waiting = open_assigned(ctx, absent.id)
        origin = waiting[0].origin_platform if waiting else platforms[0]
        platform = origin if origin in platforms else platforms[0]
        ctx = Context(store=store, actor=absent, now=now, platform=platform)
        return platform if tell_about_assigned(ctx, absence, absent) else None
