"""Admins' changes to a pulse meeting: move or call off one date, end a series.

Every change is stored as an override of the date the rule planned (so the series itself
never changes), audited, and announced in the units' channels at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from handlers.dates import Ambiguous, describe_when, interpret_when, parse_date
from handlers.kernel import STOCKHOLM, Context, Reply, UserError, texts
from handlers.meetings.access import (
    leading_number,
    pick_series,
    require_admin,
    split_series,
)
from handlers.meetings.model import (
    Occurrence,
    OccurrenceOverride,
    PulseSeries,
    local,
    meeting_store,
)
from handlers.meetings.occurrences import find_on, upcoming
from handlers.meetings.views import (
    date_lines,
    day_only,
    link_text,
    next_text,
    pattern,
    post_to_units,
    title,
    when_text,
)

MAX_MOVE = timedelta(days=60)
"""How far from its planned date one meeting may be moved (the date lists look that far)."""
_TILL = re.compile(r"\s+till\s+", re.IGNORECASE)
_MOVE_EXAMPLE = "/puls flytta 24/12 till 23/12 kl 13"
_CANCEL_EXAMPLE = "/puls ställ in 24/12"
_MOVE_WHICH = "/puls flytta pulsmöte {number} 24/12 till 23/12 kl 13"
_CANCEL_WHICH = "/puls ställ in pulsmöte {number} 24/12"


def _series_and_day(ctx: Context, text: str, example: str) -> tuple[PulseSeries, str]:
    """The series (an explicit `serie:N`, a leading number before a date, or the only
    one) and the text naming the date."""
    number, rest = split_series(text)
    if number is None:
        leading, after = leading_number(rest)
        store = meeting_store(ctx.store)
        if (
            leading
            and after
            and parse_date(after, ctx.now) is not None
            and (found := store.series(series_id=int(leading))) is not None
            and found.ended_at is None
        ):
            number, rest = leading, after
    which = _MOVE_WHICH if example == _MOVE_EXAMPLE else _CANCEL_WHICH
    return pick_series(ctx, number, example=which), rest


def _occurrence(ctx: Context, series: PulseSeries, typed: str, example: str) -> Occurrence:
    if not typed.strip():
        raise UserError(texts.PULSE_DATE_MISSING.format(example=example))
    day = parse_date(typed, ctx.now)
    if day is None:
        raise UserError(texts.BAD_DATE.format(typed=typed[:40]))
    overrides = meeting_store(ctx.store).overrides(series_id=series.id)
    found = find_on(series, overrides, day=day, now=ctx.now)
    if found is None:
        coming = upcoming(series, overrides, now=ctx.now, count=5)
        raise UserError(
            texts.PULSE_NO_OCCURRENCE.format(
                label=title(series),
                day=texts.day_label(day),
                dates=date_lines(coming),
            )
        )
    if found.start is not None and found.start <= ctx.now:
        raise UserError(
            texts.PULSE_ALREADY_HELD.format(label=title(series), day=day_only(found.start))
        )
    return found


def _new_start(ctx: Context, occurrence: Occurrence, typed: str) -> datetime:
    reading = interpret_when(typed, ctx.now)
    if isinstance(reading, Ambiguous):
        raise UserError(
            texts.PULSE_WHICH_TIME.format(question=reading.question, example=_MOVE_EXAMPLE)
        )
    if reading is None:
        raise UserError(texts.BAD_DATE.format(typed=typed[:40]))
    current = local(occurrence.shown)
    named_day = parse_date(typed, ctx.now)
    day = named_day or current.date()
    clock = local(reading.value).time() if reading.has_time else current.time()
    start = datetime.combine(day, clock, tzinfo=STOCKHOLM)
    if start <= ctx.now:
        raise UserError(texts.PULSE_MOVE_PAST.format(when=when_text(start)))
    if abs(start - occurrence.planned) > MAX_MOVE:
        raise UserError(
            texts.PULSE_MOVE_TOO_FAR.format(
                days=MAX_MOVE.days, planned=day_only(occurrence.planned)
            )
        )
    return start


def _was(occurrence: Occurrence) -> str:
    if occurrence.start is None:
        return day_only(occurrence.planned)
    return when_text(occurrence.start)


def move_occurrence(ctx: Context, text: str, platforms: Sequence[str]) -> Reply:
    """`/puls flytta [nr] <datum> till <ny tid>` (admins)."""
    require_admin(ctx)
    parts = _TILL.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[1].strip():
        raise UserError(texts.PULSE_MOVE_USAGE)
    series, day_text = _series_and_day(ctx, parts[0], _MOVE_EXAMPLE)
    occurrence = _occurrence(ctx, series, day_text, _MOVE_EXAMPLE)
    start = _new_start(ctx, occurrence, parts[1])
    store = meeting_store(ctx.store)
    store.save_override(
        override=OccurrenceOverride(series.id, occurrence.planned, start, ctx.actor.id, ctx.now)
    )
    store.audit(
        actor_id=ctx.actor.id, action="pulse_moved", at=ctx.now, detail=f"series={series.id}"
    )
    old, new = _was(occurrence), when_text(start)
    announcement = texts.PULSE_ANNOUNCE_MOVED.format(
        label=title(series), old=old, new=new, link=link_text(series)
    )
    post_to_units(
        store, unit_ids=series.unit_ids, platforms=platforms, text=announcement, at=ctx.now
    )
    return Reply(
        texts.PULSE_MOVED.format(echo=describe_when(start), label=title(series), old=old, new=new)
    )


def cancel_occurrence(ctx: Context, text: str, platforms: Sequence[str]) -> Reply:
    """`/puls ställ in [nr] <datum>` (admins)."""
    require_admin(ctx)
    series, day_text = _series_and_day(ctx, text, _CANCEL_EXAMPLE)
    occurrence = _occurrence(ctx, series, day_text, _CANCEL_EXAMPLE)
    if occurrence.start is None:
        raise UserError(
            texts.PULSE_ALREADY_OFF.format(label=title(series), day=day_only(occurrence.planned))
        )
    store = meeting_store(ctx.store)
    store.save_override(
        override=OccurrenceOverride(series.id, occurrence.planned, None, ctx.actor.id, ctx.now)
    )
    store.audit(
        actor_id=ctx.actor.id, action="pulse_cancelled", at=ctx.now, detail=f"series={series.id}"
    )
    old = _was(occurrence)
    announcement = texts.PULSE_ANNOUNCE_CANCELLED.format(
        label=title(series), old=old, next=next_text(store, series, occurrence.planned)
    )
    post_to_units(
        store, unit_ids=series.unit_ids, platforms=platforms, text=announcement, at=ctx.now
    )
    return Reply(texts.PULSE_CANCELLED.format(label=title(series), old=old))


def end_series(ctx: Context, text: str, platforms: Sequence[str]) -> Reply:
    """`/puls avsluta [nr]` (admins): no more dates, reminders or agendas."""
    require_admin(ctx)
    number, _ = split_series(text)
    typed = number or text.strip()
    series = pick_series(
        ctx, typed if typed.isdigit() else None, example="/puls avsluta pulsmöte {number}"
    )
    store = meeting_store(ctx.store)
    store.end_series(series_id=series.id, at=ctx.now)
    store.audit(
        actor_id=ctx.actor.id, action="pulse_ended", at=ctx.now, detail=f"series={series.id}"
    )
    announcement = texts.PULSE_ANNOUNCE_ENDED.format(label=title(series), pattern=pattern(series))
    post_to_units(
        store, unit_ids=series.unit_ids, platforms=platforms, text=announcement, at=ctx.now
    )
    return Reply(texts.PULSE_ENDED.format(label=title(series)))
