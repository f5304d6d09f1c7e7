"""Whether a queued reminder still applies when the outbox sends it.

A reminder is queued in the outbox by the due job and sent moments later, or, after a stop
or a platform outage, much later. Meanwhile the question may have been taken, answered or
closed, and the meeting moved, cancelled or held. So the due job notes why it queued each
post (its purpose: the due item's key, or the questions of a digest), and the outbox asks
`recheck` just before sending: a post that no longer applies is dropped (marked done, with
an audit entry `outbox_dropped`), a digest whose questions partly still apply is rewritten
to those, and one queued more than `LATE_AFTER` ago says so instead of looking fresh.

The note is a row in `adapter_state` keyed by a digest of the entry's own fields (no
schema change; a post the due job did not queue has none and is sent as it is; only posts
that begin like the due job's are looked up, so the others cost no extra read). It is
removed at the first check, so a post retried after a failed send is checked once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from handlers.kernel import OPEN_STATUSES, STOCKHOLM, OutboxEntry, Status, Store, texts
from handlers.meetings.model import meeting_store
from handlers.meetings.notices import NOTICE_PREFIX, digest_text
from handlers.meetings.occurrences import occurrences
from handlers.meetings.purposes import may_have_note, state_key

logger = logging.getLogger(__name__)

LATE_AFTER = timedelta(hours=2)
"""A reminder sent later than this after it was queued is marked as late (the due job's
default grace for sending a missed reminder at all)."""

_MEETING = re.compile(
    r"^puls:(?P<series>\d+):(?P<at>\d{4}-\d\d-\d\dT\d\d:\d\dZ):(?P<what>reminder|agenda|holiday)"
)
_PART = re.compile(r"^(?P<kind>remind|escalate|deadline)=(?P<id>\d+)(?:@(?P<day>[\d-]{10}))?$")


def recheck(store: Store, entry: OutboxEntry, now: datetime) -> OutboxEntry | None:
    """The entry to send (perhaps rewritten), or None when it no longer applies."""
    if entry.kind.value not in ("notice", "channel") or not may_have_note(entry.text):
        return entry
    key = state_key(
        platform=entry.platform,
        kind=str(entry.kind),
        at=entry.created_at,
        text=entry.text,
        channel=entry.channel,
        recipient=entry.recipient_id,
    )
    purpose = store.get_state(key=key)
    if purpose is None:
        return entry
    store.delete_state(key=key)
    checked = _checked(store, entry, purpose, now)
    if checked is None:
        logger.info("queued post %s (%s) no longer applies: dropped", entry.id, purpose)
        store.audit(actor_id=None, action="outbox_dropped", at=now, detail=purpose[:200])
        return None
    if now - entry.created_at > LATE_AFTER and checked.text:
        late = texts.QUEUED_LATE.format(when=texts.time_label(entry.created_at))
        checked = replace(checked, text=late + checked.text)
    return checked


def _checked(store: Store, entry: OutboxEntry, purpose: str, now: datetime) -> OutboxEntry | None:
    if purpose.startswith("puls:"):
        return entry if _meeting_applies(store, purpose, now) else None
    if not purpose.startswith(NOTICE_PREFIX):
        return entry
    parts = purpose.removeprefix(NOTICE_PREFIX).split(",")
    kept = [p for p in parts if _question_applies(store, p, now)]
    if not kept:
        return None
    if len(kept) == len(parts):
        return entry
    return replace(entry, text=digest_text(meeting_store(store), [_part(store, p) for p in kept]))


def _meeting_applies(store: Store, purpose: str, now: datetime) -> bool:
    """A meeting's reminder or agenda applies until the meeting begins, while it still
    takes place at that moment; a holiday notice until the day it is about."""
    found = _MEETING.match(purpose)
    if found is None:
        return True
    moment = datetime.strptime(found["at"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    meetings = meeting_store(store)
    series = meetings.series(series_id=int(found["series"]))
    if now >= moment or series is None:
        return False
    if series.ended_at is not None and series.ended_at <= moment:
        return False
    if found["what"] == "holiday":
        return True
    minute = timedelta(minutes=1)
    overrides = meetings.overrides(series_id=series.id)
    dates = occurrences(series, overrides, start=moment - minute, end=moment + minute)
    return any(o.start == moment for o in dates)


def _part(store: Store, part: str) -> tuple[str, Any]:
    found = _PART.match(part)
    assert found is not None
    return found["kind"], store.question(question_id=int(found["id"]))


def _question_applies(store: Store, part: str, now: datetime) -> bool:
    """A reminder or escalation applies while the question is not taken; a deadline
    reminder while it is open, its deadline unchanged and not passed."""
    found = _PART.match(part)
    if found is None:
        return True
    question = store.question(question_id=int(found["id"]))
    if found["kind"] in ("remind", "escalate"):
        return question.status == Status.NY
    day = date.fromisoformat(found["day"]) if found["day"] else None
    end = datetime.combine(day + timedelta(days=1), time(), STOCKHOLM) if day else now
    return question.status in OPEN_STATUSES and question.deadline == day and now < end
