"""Pulse meetings in words, and posting to the units' channels.

Shared by the /puls commands, the agenda and the scheduled reminders so that a date reads
the same everywhere ("torsdag 26 november 2026 kl 13:00").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime

from handlers.dates import day_text, describe_recurrence
from handlers.kernel import OutboxKind, Store, texts
from handlers.meetings.model import (
    MeetingStore,
    Occurrence,
    OccurrenceState,
    PulseSeries,
    local,
)
from handlers.meetings.occurrences import upcoming
from handlers.meetings.reminders import PulseSettings, ReminderOffset

logger = logging.getLogger(__name__)


def label(series: PulseSeries) -> str:
    """ "pulsmöte 3" or "pulsmöte 3 (AKTIV Lund)"."""
    if series.name:
        return texts.PULSE_LABEL_NAMED.format(number=series.id, name=series.name)
    return texts.PULSE_LABEL.format(number=series.id)


def title(series: PulseSeries) -> str:
    """The label at the start of a sentence: "Pulsmöte 3"."""
    text = label(series)
    return text[:1].upper() + text[1:]


def when_text(moment: datetime) -> str:
    """ "torsdag 26 november 2026 kl 13:00" (Stockholm time)."""
    at = local(moment)
    return texts.PULSE_WHEN.format(day=day_text(at.date()), time=f"{at:%H:%M}")


def day_only(moment: datetime) -> str:
    return day_text(local(moment).date())


def pattern(series: PulseSeries) -> str:
    """The rule without the echo's frame: "varannan torsdag kl 13:00"."""
    echo = describe_recurrence(series.rule)
    if not echo.startswith("Tolkat som "):
        return series.phrase
    return echo.removeprefix("Tolkat som ").split(", första gången")[0]


def joined(items: Sequence[str]) -> str:
    """ "a", "a och b", "a, b och c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def units_text(store: Store, unit_ids: Iterable[int]) -> str:
    return joined([store.unit(unit_id=u).name for u in unit_ids])


def link_text(series: PulseSeries) -> str:
    return texts.PULSE_LINK.format(link=series.link) if series.link else ""


def date_line(occurrence: Occurrence) -> str:
    """One line of a date list, saying when a date was moved or called off, and why."""
    planned = day_only(occurrence.planned)
    state = occurrence.state
    if occurrence.start is None:
        if state == OccurrenceState.HOLIDAY_SKIPPED:
            return texts.PULSE_DATE_HOLIDAY_SKIPPED.format(
                planned=planned, holiday=occurrence.holiday
            )
        return texts.PULSE_DATE_CANCELLED.format(planned=planned)
    when = when_text(occurrence.start)
    if state == OccurrenceState.HOLIDAY_MOVED:
        return texts.PULSE_DATE_HOLIDAY_MOVED.format(
            when=when, planned=planned, holiday=occurrence.holiday
        )
    if state == OccurrenceState.MOVED:
        return texts.PULSE_DATE_MOVED.format(when=when, planned=planned)
    return texts.PULSE_DATE_LINE.format(when=when)


def date_lines(found: Sequence[Occurrence]) -> str:
    return "\n".join(date_line(o) for o in found) if found else texts.PULSE_NO_DATES


def next_held(store: MeetingStore, series: PulseSeries, now: datetime) -> Occurrence | None:
    """The next date that takes place, from `now` on."""
    coming = upcoming(series, store.overrides(series_id=series.id), now=now, count=40)
    return next((o for o in coming if o.start is not None), None)


def next_text(store: MeetingStore, series: PulseSeries, now: datetime) -> str:
    found = next_held(store, series, now)
    return when_text(found.start) if found and found.start else texts.PULSE_NONE


def offset_text(offset: ReminderOffset) -> str:
    if offset.at is None:
        return texts.PULSE_REMINDER_MINUTES.format(minutes=offset.minutes)
    clock = f"{offset.at:%H:%M}"
    if offset.days == 1:
        return texts.PULSE_REMINDER_DAY.format(time=clock)
    return texts.PULSE_REMINDER_DAYS.format(days=offset.days, time=clock)


def reminders_text(settings: PulseSettings) -> str:
    described = [offset_text(o) for o in settings.reminders]
    return joined(described) if described else texts.PULSE_NO_REMINDERS


def agenda_when(settings: PulseSettings) -> str:
    clock = f"{settings.agenda_time:%H:%M}"
    if settings.agenda_days_before == 0:
        return texts.PULSE_AGENDA_WHEN_SAME.format(time=clock)
    if settings.agenda_days_before == 1:
        return texts.PULSE_AGENDA_WHEN_ONE.format(time=clock)
    return texts.PULSE_AGENDA_WHEN.format(days=settings.agenda_days_before, time=clock)


def post_to_units(
    store: Store,
    *,
    unit_ids: Iterable[int],
    platforms: Iterable[str],
    text: str,
    at: datetime,
) -> set[str]:
    """Queue `text` in every unit's channel on every platform; returns the platforms used.

    A unit without a channel on a platform is skipped there (and logged), never an error."""
    used: set[str] = set()
    for platform in dict.fromkeys(platforms):
        channels: list[str] = []
        for unit_id in unit_ids:
            channel = store.unit_channel(unit_id=unit_id, platform=platform)
            if channel is None:
                logger.warning(
                    "unit %s has no channel on %s; pulse post skipped", unit_id, platform
                )
            elif channel not in channels:
                channels.append(channel)
        for channel in channels:
            store.enqueue(
                platform=platform, kind=OutboxKind.CHANNEL, at=at, channel=channel, text=text
            )
            used.add(platform)
    return used
