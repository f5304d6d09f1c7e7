"""Who stands in for an absent contact: the substitute's checks, who gets the questions
when the substitute is away too, and the notice about questions already assigned to her."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from handlers.kernel import (
    OPEN_STATUSES,
    STOCKHOLM,
    Absence,
    Context,
    Direction,
    OutboxKind,
    Person,
    Question,
    Role,
    UnitContact,
    UserError,
    texts,
)
from handlers.questions.routing import RouteKind, route_question

_MOST = 1000
"""At most this many questions are moved or listed at once."""
_LISTED = 15
"""A notice names at most this many references."""
Pair = tuple[int, Direction]
"""A unit and a direction: whose questions a contact receives."""


def today(ctx: Context) -> date:
    return ctx.now.astimezone(STOCKHOLM).date()


def covered_pairs(contacts: Sequence[UnitContact], person_id: int) -> list[Pair]:
    """The units and directions whose questions the person receives as a contact (as a
    backup when she is nobody's contact)."""
    own = [c for c in contacts if c.person_id == person_id]
    primary = [c for c in own if not c.backup] or own
    return list(dict.fromkeys((c.unit_id, c.direction) for c in primary))


def receives(contacts: Sequence[UnitContact], person: Person, unit_id: int, way: Direction) -> bool:
    """The rule for `/flytta` and substitutes: an admin, or a contact or backup of the unit
    for the direction."""
    return person.is_admin or any(
        c.person_id == person.id and c.unit_id == unit_id and c.direction == way for c in contacts
    )


def check_substitute(ctx: Context, absent: Person, substitute: Person) -> None:
    """Refuse a substitute who is the absent person or cannot receive her questions."""
    if substitute.id == absent.id:
        raise UserError(texts.ABSENCE_SUBSTITUTE_SELF)
    contacts = ctx.store.unit_contacts()
    if not ({Role.CONTACT, Role.ADMIN} & substitute.roles):
        raise UserError(texts.PERSON_NOT_CONTACT.format(name=substitute.name))
    for unit_id, way in covered_pairs(contacts, absent.id):
        if not receives(contacts, substitute, unit_id, way):
            raise UserError(
                texts.ABSENCE_SUBSTITUTE_CANNOT.format(
                    name=substitute.name,
                    unit=ctx.store.unit(unit_id=unit_id).name,
                    direction=texts.DIRECTION[way],
                )
            )


def substitute_away_note(ctx: Context, absence: Absence, substitute: Person) -> str:
    """When the substitute is away during the absence too: who gets the questions then."""
    overlapping = [
        a
        for a in ctx.store.absences_from(day=absence.start, person_id=substitute.id)
        if a.start <= absence.end
    ]
    if not overlapping:
        return ""
    away = overlapping[0]
    day = max(away.start, absence.start, today(ctx))
    routes = [_route_text(ctx, pair, day) for pair in _pairs(ctx, absence.person_id)]
    return texts.ABSENCE_SUBSTITUTE_AWAY.format(
        name=substitute.name,
        start=texts.short_day(away.start),
        end=texts.short_day(away.end),
        routes=", ".join(routes),
    )


def substituting_note(ctx: Context, absence: Absence, person: Person) -> str:
    """The person going away is someone's substitute at the time: the reply says so at once,
    the one she stands in for is told, both with who gets the questions meanwhile."""
    notes = []
    for other in ctx.store.absences_from(day=absence.start):
        if other.substitute_id != person.id or other.start > absence.end:
            continue
        day = max(other.start, absence.start, today(ctx))
        routes = ", ".join(_route_text(ctx, pair, day) for pair in _pairs(ctx, other.person_id))
        owner = ctx.store.person(person_id=other.person_id)
        who = texts.ABSENCE_YOU if person.id == ctx.actor.id else person.name
        notes.append(
            texts.ABSENCE_IS_SUBSTITUTE.format(
                who=who,
                name=owner.name,
                start=texts.short_day(other.start),
                end=texts.short_day(other.end),
                routes=routes,
            )
        )
        text = texts.NOTICE_SUBSTITUTE_AWAY.format(
            name=person.name,
            start=texts.short_day(absence.start),
            end=texts.short_day(absence.end),
            routes=routes,
            number=other.id,
        )
        ctx.store.enqueue(
            platform=ctx.platform,
            kind=OutboxKind.NOTICE,
            at=ctx.now,
            recipient_id=owner.id,
            text=text,
        )
    return "".join(notes)


def _pairs(ctx: Context, person_id: int) -> list[Pair]:
    return covered_pairs(ctx.store.unit_contacts(), person_id)


def _route_text(ctx: Context, pair: Pair, day: date) -> str:
    unit_id, way = pair
    unit = ctx.store.unit(unit_id=unit_id).name
    assignee = _receiver(ctx, unit_id, way, day)
    if assignee is None:
        return texts.ABSENCE_ROUTE_NOBODY.format(unit=unit)
    return texts.ABSENCE_ROUTE.format(unit=unit, name=assignee.name)


def _receiver(ctx: Context, unit_id: int, way: Direction, day: date) -> Person | None:
    """Who routing gives the unit's new questions in that direction on `day`."""
    contacts = ctx.store.unit_contacts(unit_id=unit_id)
    decision = route_question(
        unit_id=unit_id,
        direction=way,
        contacts=contacts,
        absences=ctx.store.absences_on(day=day),
        open_counts=ctx.store.open_counts(person_ids=[c.person_id for c in contacts]),
        day=day,
    )
    if decision.kind is RouteKind.UNASSIGNED or decision.assignee_id is None:
        return None
    return ctx.store.person(person_id=decision.assignee_id)


def open_assigned(ctx: Context, person_id: int) -> list[Question]:
    """The open questions assigned to the person, oldest first."""
    found = ctx.store.questions_for(
        assignee_id=person_id, statuses=sorted(OPEN_STATUSES), limit=_MOST
    )
    return sorted(found, key=lambda q: q.id)


def ref_list(questions: Sequence[Question]) -> str:
    """`F-2026-0001, F-2026-0002`; a long list ends in "och 5 till"."""
    shown = ", ".join(q.ref for q in questions[:_LISTED])
    more = len(questions) - _LISTED
    return shown + (texts.REFS_MORE.format(count=more) if more > 0 else "")


def assigned_notice_key(absence: Absence) -> str:
    """The `claim_job` key of the one list of an absence's assigned questions: the same
    when it is saved on its first day and when the due job reaches that day, so it goes
    out once (`handlers.questions.absence_start`)."""
    return f"absence:assigned:{absence.id}:{absence.start.isoformat()}"


def tell_about_assigned(ctx: Context, absence: Absence, absent: Person) -> str:
    """An absence under way: the admins and whoever now receives her questions get one
    message listing her open questions, with the command that moves them all; once per
    absence and first day (`assigned_notice_key`). Returns the sentence for the absent
    person's reply ("" when there is nothing to tell)."""
    if not absence.start <= today(ctx) <= absence.end:
        return ""
    if not ctx.store.claim_job(key=assigned_notice_key(absence), at=ctx.now):
        return ""
    waiting = open_assigned(ctx, absent.id)
    if not waiting:
        return ""
    targets = _targets(ctx, absence, waiting)
    admins = [p for p in ctx.store.people() if p.is_admin and p.id != absent.id]
    suggested = next(iter(targets.values())).key if len(targets) == 1 else "<till-person>"
    for person in targets.values():
        _notice(ctx, person, absence, absent, waiting, person.key)
    for admin in admins:
        if admin.id not in targets:
            _notice(ctx, admin, absence, absent, waiting, suggested)
    other_admins = [a for a in admins if a.id not in targets]
    told = [p.name for p in targets.values()] + (
        [texts.ABSENCE_TOLD_ADMINS] if other_admins else []
    )
    if not told:
        return ""
    return texts.ABSENCE_ASSIGNED_TOLD.format(
        count=texts.questions(len(waiting)), told=" och ".join(told)
    )


def _targets(ctx: Context, absence: Absence, waiting: list[Question]) -> dict[int, Person]:
    """Whoever routing now gives each question's unit and direction: the substitute, or
    (when she is away too, or none is named) a colleague or the backup."""
    found: dict[int, Person] = {}
    for unit_id, way in dict.fromkeys((q.unit_id, q.direction) for q in waiting):
        person = _receiver(ctx, unit_id, way, today(ctx))
        if person is not None and person.id != absence.person_id:
            found[person.id] = person
    return found


def _notice(
    ctx: Context,
    recipient: Person,
    absence: Absence,
    absent: Person,
    waiting: list[Question],
    target: str,
) -> None:
    text = texts.ABSENCE_ASSIGNED.format(
        name=absent.name,
        start=texts.short_day(absence.start),
        end=texts.short_day(absence.end),
        count=texts.questions(len(waiting)),
        refs=ref_list(waiting),
        person=absent.key,
        target=target,
    )
    ctx.store.enqueue(
        platform=ctx.platform,
        kind=OutboxKind.NOTICE,
        at=ctx.now,
        recipient_id=recipient.id,
        text=text,
    )
