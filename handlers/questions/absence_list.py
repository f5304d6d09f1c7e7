"""`/frånvaro` alone, `/frånvaro ändra <nr> …` and `/frånvaro ta-bort <nr>`: a person's
current and coming absences (an admin's list: everyone's, per unit), each with the number
that changes or cancels it. Only one's own, except for admins."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.kernel import Absence, Context, Person, Reply, UserError, texts
from handlers.questions.absence_people import today
from handlers.questions.absence_period import read_absence_period
from handlers.questions.absence_rules import (
    Planned,
    after_saving,
    audit,
    check_plan,
    named_substitute,
)

_DIGITS = 9
"""Absence numbers are database ids; a longer number is none of them (and would overflow
PostgreSQL's integer)."""


def list_absences(ctx: Context) -> Reply:
    """My current and coming absences; an admin's: everyone's, grouped per unit."""
    if ctx.actor.is_admin:
        return Reply(_everyone(ctx))
    mine = ctx.store.absences_from(day=today(ctx), person_id=ctx.actor.id)
    if not mine:
        return Reply(texts.ABSENCE_NONE_MINE)
    lines = [texts.ABSENCE_LIST_MINE, *(_line(ctx, a, None) for a in mine)]
    return Reply("\n".join([*lines, texts.ABSENCE_LIST_HINT]))


def _everyone(ctx: Context) -> str:
    absences = ctx.store.absences_from(day=today(ctx))
    if not absences:
        return texts.ABSENCE_NONE_ALL
    contacts = ctx.store.unit_contacts()
    people = {p.id: p for p in ctx.store.people()}
    lines = [texts.ABSENCE_LIST_ALL]
    listed: set[int] = set()
    for unit in ctx.store.units():
        members = {c.person_id for c in contacts if c.unit_id == unit.id}
        here = [a for a in absences if a.person_id in members]
        if here:
            lines += [f"{unit.name}:", *(_line(ctx, a, people) for a in here)]
            listed.update(a.id for a in here)
    rest = [a for a in absences if a.id not in listed]
    if rest:
        lines += [f"{texts.ABSENCE_LIST_OTHERS}:", *(_line(ctx, a, people) for a in rest)]
    return "\n".join([*lines, texts.ABSENCE_LIST_HINT])


def _line(ctx: Context, absence: Absence, people: dict[int, Person] | None) -> str:
    substitute = ""
    if absence.substitute_id is not None:
        name = ctx.store.person(person_id=absence.substitute_id).name
        substitute = texts.ABSENCE_LIST_SUBSTITUTE.format(name=name)
    days = {"start": texts.short_day(absence.start), "end": texts.day_label(absence.end)}
    if people is None:
        return texts.ABSENCE_LIST_LINE.format(number=absence.id, substitute=substitute, **days)
    owner = people.get(absence.person_id) or ctx.store.person(person_id=absence.person_id)
    return texts.ABSENCE_LIST_LINE_WHO.format(
        number=absence.id, name=owner.name, substitute=substitute, **days
    )


def _chosen(ctx: Context, words: Sequence[str], verb: str) -> tuple[Absence, list[str]]:
    """The absence numbered by the first word (`3`, `nr 3`, `#3`), if the actor may change
    it, and the words after the number."""
    rest = list(words)
    if rest and rest[0].lower().rstrip(".") in {"nr", "nummer"}:
        rest = rest[1:]
    typed = rest[0].lstrip("#").removeprefix("nr") if rest else ""
    if not typed.isdigit():
        raise UserError(texts.ABSENCE_NUMBER_MISSING.format(verb=verb))
    absence = ctx.store.absence(absence_id=int(typed)) if len(typed) <= _DIGITS else None
    if absence is None or not (ctx.actor.is_admin or absence.person_id == ctx.actor.id):
        raise UserError(texts.ABSENCE_UNKNOWN.format(number=typed[:12]))
    return absence, rest[1:]


def change_absence(
    ctx: Context, words: Sequence[str], substitute: str | None, confirmed: bool, typed: str
) -> Reply:
    """`ändra <nr> [<från> <till>] [ersättare @namn|ingen]`: new days, a new substitute (or
    none) or both."""
    old, rest = _chosen(ctx, words, "ändra")
    days = " ".join(rest)
    start, end = read_absence_period(days, ctx.now) if days else (old.start, old.end)
    owner = ctx.store.person(person_id=old.person_id)
    if substitute:
        stand_in = named_substitute(ctx, substitute)
    elif old.substitute_id is not None:
        stand_in = ctx.store.person(person_id=old.substitute_id)
    else:
        stand_in = None
    plan = Planned(owner, start, end, stand_in)
    question = check_plan(ctx, plan, confirmed=confirmed, typed=typed, replacing=old)
    if question is not None:
        return question
    absence = ctx.store.change_absence(
        absence_id=old.id,
        start=start,
        end=end,
        substitute_id=stand_in.id if stand_in else None,
    )
    audit(ctx, absence, "absence_changed")
    began = old.start <= today(ctx) <= old.end  # her questions were listed then already
    tail = after_saving(ctx, absence, plan, tell_assigned=not began)
    return Reply(
        texts.ABSENCE_CHANGED.format(
            number=absence.id,
            start=texts.day_label(start),
            end=texts.day_label(end),
            substitute=tail,
        )
    )


def cancel_absence(ctx: Context, words: Sequence[str]) -> Reply:
    """`ta-bort <nr>` (or `avbryt <nr>`): the absence is gone and routing is as before."""
    absence, _ = _chosen(ctx, words, "ta-bort")
    owner = ctx.store.person(person_id=absence.person_id)
    ctx.store.remove_absence(absence_id=absence.id)
    audit(ctx, absence, "absence_cancelled")
    return Reply(
        texts.ABSENCE_REMOVED.format(
            number=absence.id,
            name=owner.name,
            start=texts.short_day(absence.start),
            end=texts.day_label(absence.end),
        )
    )
