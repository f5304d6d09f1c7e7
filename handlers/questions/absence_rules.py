"""The checks an absence passes before it is saved, and what saving it tells: shared by
adding (`handlers.questions.absences`) and changing (`handlers.questions.absence_list`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.kernel import Absence, Context, Person, Reply, UserError, fold, texts
from handlers.questions.absence_people import (
    check_substitute,
    substitute_away_note,
    substituting_note,
    tell_about_assigned,
)
from handlers.questions.absence_period import LONG_DAYS
from handlers.questions.people import resolve_person

_NOBODY = frozenset({"ingen", "-", "utan"})


@dataclass(frozen=True)
class Planned:
    """An absence about to be saved, checked: whose, when, who stands in."""

    person: Person
    start: date
    end: date
    substitute: Person | None


def named_substitute(ctx: Context, typed: str) -> Person | None:
    """The substitute typed after `ersättare`; None for `ingen`."""
    return None if fold(typed) in _NOBODY else resolve_person(ctx.store, ctx.platform, typed)


def check_plan(
    ctx: Context, plan: Planned, *, confirmed: bool, typed: str, replacing: Absence | None
) -> Reply | None:
    """Refuse an unfit plan (`UserError`); ask for `bekräfta` when it is long (a `Reply`
    and nothing saved); None when it may be saved."""
    if plan.substitute is not None:
        check_substitute(ctx, plan.person, plan.substitute)
    _refuse_overlap(ctx, plan, replacing)
    days = (plan.end - plan.start).days + 1
    if days > LONG_DAYS and not confirmed:
        return Reply(
            texts.ABSENCE_LONG.format(
                start=texts.day_label(plan.start),
                end=texts.day_label(plan.end),
                days=days,
                typed=typed,
            )
        )
    return None


def _refuse_overlap(ctx: Context, plan: Planned, replacing: Absence | None) -> None:
    for other in ctx.store.absences_from(day=plan.start, person_id=plan.person.id):
        if other.start <= plan.end and (replacing is None or other.id != replacing.id):
            who = (
                texts.ABSENCE_YOU_HAVE
                if plan.person.id == ctx.actor.id
                else texts.ABSENCE_THEY_HAVE.format(name=plan.person.name)
            )
            raise UserError(
                texts.ABSENCE_OVERLAP.format(
                    who=who,
                    number=other.id,
                    start=texts.short_day(other.start),
                    end=texts.short_day(other.end),
                )
            )


def after_saving(
    ctx: Context, absence: Absence, plan: Planned, *, tell_assigned: bool = True
) -> str:
    """The reply's tail: who stands in, a substitute away too, the assigned questions."""
    note = ""
    if plan.substitute is not None:
        note = (
            texts.ABSENCE_SUBSTITUTE.format(name=plan.substitute.name)
            if plan.person.id == ctx.actor.id
            else texts.ABSENCE_SUBSTITUTE_FOR.format(
                name=plan.substitute.name, owner=plan.person.name
            )
        )
        note += substitute_away_note(ctx, absence, plan.substitute)
    note += substituting_note(ctx, absence, plan.person)
    return note + (tell_about_assigned(ctx, absence, plan.person) if tell_assigned else "")


def audit(ctx: Context, absence: Absence, action: str) -> None:
    ctx.store.audit(
        actor_id=ctx.actor.id,
        action=action,
        at=ctx.now,
        detail=f"nr={absence.id} {absence.start.isoformat()}..{absence.end.isoformat()}",
    )
