"""A pulse meeting's agenda and notes.

The agenda gathers what waits for the next meeting: questions flagged for it (`puls:ja` on
/fråga, or `/puls punkt F-…`), free points (`/puls punkt <text>`), and the units' open
questions that are older than their SLA. Points wait until an agenda is posted and then
belong to that meeting. The agenda names questions by reference, category, unit and status,
never by their text: a series may span units whose staff should not read each other's
questions, and `/visa F-…` shows the text to those allowed. Free text passes the privacy
guard before it is stored.
"""

from __future__ import annotations

from datetime import datetime

from handlers.dates import working_hours_between
from handlers.kernel import (
    REF_PATTERN,
    Context,
    Question,
    Reply,
    UserError,
    canonical_ref,
    identity_refusal,
    texts,
)
from handlers.meetings.access import pick_series, require_member, split_series
from handlers.meetings.model import (
    AgendaItem,
    MeetingStore,
    Occurrence,
    PulseNote,
    PulseSeries,
    meeting_store,
)
from handlers.meetings.occurrences import last_held, upcoming
from handlers.meetings.reminders import ScheduleSettings, SlaSettings, stamp
from handlers.meetings.views import label, link_text, title, units_text, when_text
from handlers.questions import load

MAX_ITEM = 500
MAX_NOTE = 1000
MAX_OVERDUE = 20
"""Overdue questions listed by name on an agenda (the longest-waiting); the rest are counted."""


def agenda_key(series: PulseSeries, start: datetime) -> str:
    return f"puls:{series.id}:{stamp(start)}:agenda"


def next_agenda(store: MeetingStore, series: PulseSeries, now: datetime) -> Occurrence | None:
    """The coming date whose agenda has not been posted yet: where a new point ends up."""
    coming = [
        o
        for o in upcoming(series, store.overrides(series_id=series.id), now=now, count=12)
        if o.start is not None and o.start > now
    ]
    posted = store.claimed_jobs(keys=[agenda_key(series, o.start) for o in coming if o.start])
    return next((o for o in coming if o.start and agenda_key(series, o.start) not in posted), None)


def _guard(text: str, missing: str, limit: int, place: str) -> str:
    text = text.strip()
    if not text:
        raise UserError(missing)
    if len(text) > limit:
        raise UserError(texts.PULSE_TOO_LONG.format(length=len(text), limit=limit), "text")
    refusal = identity_refusal(text, place)
    if refusal:
        raise UserError(refusal, "text")
    return text


def add_item(ctx: Context, text: str) -> Reply:
    """`/puls punkt [serie:N] <text>` or `/puls punkt F-…`: a point for the next agenda."""
    number, rest = split_series(text)
    series = pick_series(ctx, number, example="/puls punkt pulsmöte {number} <text>")
    require_member(ctx, series)
    store = meeting_store(ctx.store)
    target = next_agenda(store, series, ctx.now)
    if target is None or target.start is None:
        raise UserError(texts.PULSE_NOTHING_AHEAD.format(label=title(series)))
    when = when_text(target.start)
    if REF_PATTERN.fullmatch(rest.strip()):
        question = load(ctx, canonical_ref(rest), "puls punkt")
        if question.unit_id not in series.unit_ids:
            unit = store.unit(unit_id=question.unit_id).name
            raise UserError(
                texts.PULSE_QUESTION_OTHER_UNIT.format(
                    ref=question.ref, unit=unit, label=label(series)
                )
            )
        if not _flag(ctx, series, question):
            raise UserError(
                texts.PULSE_QUESTION_ALREADY.format(ref=question.ref, label=label(series))
            )
        return Reply(
            texts.PULSE_QUESTION_ADDED.format(ref=question.ref, label=label(series), when=when)
        )
    point = _guard(rest, texts.PULSE_ITEM_MISSING, MAX_ITEM, "pulse_item")
    store.add_agenda_item(item=AgendaItem(0, series.id, ctx.actor.id, ctx.now, text=point))
    store.audit(
        actor_id=ctx.actor.id, action="pulse_item", at=ctx.now, detail=f"series={series.id}"
    )
    return Reply(texts.PULSE_ITEM_ADDED.format(label=label(series), when=when))


def _flag(ctx: Context, series: PulseSeries, question: Question) -> bool:
    """Put a question on the series' next agenda; False when it is already waiting there."""
    store = meeting_store(ctx.store)
    if any(i.question_id == question.id for i in store.pending_agenda(series_id=series.id)):
        return False
    store.add_agenda_item(
        item=AgendaItem(0, series.id, ctx.actor.id, ctx.now, question_id=question.id)
    )
    store.audit(
        actor_id=ctx.actor.id,
        action="pulse_item",
        at=ctx.now,
        question_id=question.id,
        detail=f"series={series.id}",
    )
    return True


def flag_asked_question(ctx: Context, question: Question) -> str:
    """`puls:ja` on a new question: on the next agenda of every series of its unit. Returns
    a sentence for the asker's confirmation."""
    store = meeting_store(ctx.store)
    found = [s for s in store.active_series() if question.unit_id in s.unit_ids]
    said = ""
    for series in found:
        target = next_agenda(store, series, ctx.now)
        if target is None or target.start is None:
            continue
        _flag(ctx, series, question)
        said = said or texts.PULSE_FLAG_ADDED.format(
            label=label(series), when=when_text(target.start)
        )
    unit = store.unit(unit_id=question.unit_id).name
    return said or texts.PULSE_FLAG_NO_SERIES.format(unit=unit)


def overdue(
    store: MeetingStore, series: PulseSeries, sla: SlaSettings, now: datetime
) -> list[tuple[Question, float]]:
    """The series' units' open questions that have waited longer than their SLA."""
    slugs = {u: store.unit(unit_id=u).slug for u in series.unit_ids}
    late = []
    for question in store.open_questions(unit_ids=series.unit_ids):
        hours = working_hours_between(question.created_at, now)
        if hours > sla.hours_for(slugs[question.unit_id]):
            late.append((question, hours))
    return late


def agenda_lines(
    store: MeetingStore, series: PulseSeries, settings: ScheduleSettings, now: datetime
) -> tuple[list[str], list[int]]:
    """The agenda's body and the ids of the points it uses up."""
    categories = {c.slug: c.name for c in store.categories(include_inactive=True)}
    pending = store.pending_agenda(series_id=series.id)

    def question_line(question: Question, template: str, hours: float = 0) -> str:
        return template.format(
            ref=question.ref,
            category=categories.get(question.category, question.category),
            unit=store.unit(unit_id=question.unit_id).name,
            status=texts.STATUS[question.status],
            hours=texts.plural(round(hours), *texts.NOUNS["working_hour"]),
        )

    flagged = [store.question(question_id=i.question_id) for i in pending if i.question_id]
    points = [i for i in pending if i.text]
    late = [(q, h) for q, h in overdue(store, series, settings.sla, now) if q not in flagged]
    lines: list[str] = []
    if flagged:
        lines += [texts.PULSE_AGENDA_QUESTIONS]
        lines += [question_line(q, texts.PULSE_AGENDA_QUESTION) for q in flagged]
    if points:
        lines += [texts.PULSE_AGENDA_ITEMS]
        lines += [
            texts.PULSE_AGENDA_ITEM.format(
                text=i.text, name=store.person(person_id=i.author_id).name
            )
            for i in points
        ]
    if late:
        late.sort(key=lambda late_one: -late_one[1])
        if len(late) > MAX_OVERDUE:
            heading = texts.PULSE_AGENDA_OVERDUE_MANY.format(count=len(late), shown=MAX_OVERDUE)
        else:
            heading = texts.PULSE_AGENDA_OVERDUE
        lines += [heading]
        lines += [
            question_line(q, texts.PULSE_AGENDA_OVERDUE_LINE, h) for q, h in late[:MAX_OVERDUE]
        ]
    if not lines:
        lines = [texts.PULSE_AGENDA_EMPTY]
    return [*lines, texts.PULSE_AGENDA_STATEMENTS], [i.id for i in pending]


def agenda_post(
    store: MeetingStore,
    series: PulseSeries,
    start: datetime,
    settings: ScheduleSettings,
    now: datetime,
) -> tuple[str, list[int]]:
    """The agenda as posted in the units' channels, and the points it uses up."""
    header = texts.PULSE_AGENDA_HEADER.format(
        label=label(series),
        when=when_text(start),
        units=units_text(store, series.unit_ids),
        link=link_text(series),
    )
    lines, used = agenda_lines(store, series, settings, now)
    return "\n".join([header, *lines]), used


def preview_agenda(ctx: Context, text: str, settings: ScheduleSettings) -> Reply:
    """`/puls dagordning [nr]`: what the next agenda holds so far."""
    number, rest = split_series(text)
    typed = number or (rest if rest.isdigit() else None)
    series = pick_series(ctx, typed, example="/puls dagordning pulsmöte {number}")
    require_member(ctx, series)
    store = meeting_store(ctx.store)
    target = next_agenda(store, series, ctx.now)
    if target is None or target.start is None:
        raise UserError(texts.PULSE_NOTHING_AHEAD.format(label=title(series)))
    header = texts.PULSE_AGENDA_PREVIEW.format(label=label(series), when=when_text(target.start))
    lines, _ = agenda_lines(store, series, settings, ctx.now)
    return Reply("\n".join([header, *lines]))


def add_note(ctx: Context, text: str) -> Reply:
    """`/puls anteckning [serie:N] <text>`: a short note for the latest meeting."""
    number, rest = split_series(text)
    series = pick_series(ctx, number, example="/puls anteckning pulsmöte {number} <text>")
    require_member(ctx, series)
    note = _guard(rest, texts.PULSE_NOTE_MISSING, MAX_NOTE, "pulse_note")
    store = meeting_store(ctx.store)
    held = last_held(series, store.overrides(series_id=series.id), now=ctx.now)
    if held is None or held.start is None:
        raise UserError(texts.PULSE_NO_MEETING_HELD.format(label=title(series)))
    store.add_note(note=PulseNote(0, series.id, held.start, ctx.actor.id, note, ctx.now))
    store.audit(
        actor_id=ctx.actor.id, action="pulse_note", at=ctx.now, detail=f"series={series.id}"
    )
    return Reply(texts.PULSE_NOTE_SAVED.format(label=label(series), when=when_text(held.start)))


def show_notes(ctx: Context, text: str) -> Reply:
    """`/puls anteckningar [nr]`: the notes from the latest meeting."""
    number, rest = split_series(text)
    typed = number or (rest if rest.isdigit() else None)
    series = pick_series(ctx, typed, example="/puls anteckningar pulsmöte {number}")
    require_member(ctx, series)
    store = meeting_store(ctx.store)
    held = last_held(series, store.overrides(series_id=series.id), now=ctx.now)
    if held is None or held.start is None:
        raise UserError(texts.PULSE_NO_MEETING_HELD.format(label=title(series)))
    when = when_text(held.start)
    notes = store.notes(series_id=series.id, occurrence=held.start)
    if not notes:
        return Reply(texts.PULSE_NOTES_EMPTY.format(label=label(series), when=when))
    lines = [texts.PULSE_NOTES_HEADER.format(label=title(series), when=when)]
    lines += [
        texts.PULSE_NOTE_LINE.format(
            text=n.text or texts.PURGED, name=store.person(person_id=n.author_id).name
        )
        for n in notes
    ]
    return Reply("\n".join(lines))
