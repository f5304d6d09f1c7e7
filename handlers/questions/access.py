"""Who may see a question and who may act on it.

A question goes one way (vård → FK or FK → vård), and only the people who serve that way
for its unit act on it: the unit's contacts and backups for the direction, the assignee and
administrators. The unit's contacts for the other direction may read it, never change it.
"""

from __future__ import annotations

from handlers.kernel import Context, Person, Question, Refusal, Role, Store, UserError, texts


def load(ctx: Context, ref: str | None, command: str) -> Question:
    """The question behind `ref`, or a clear refusal."""
    if ref is None:
        raise UserError(texts.REF_MISSING.format(command=command))
    question = ctx.store.question_by_ref(ref=ref)
    if question is None or not in_audience(ctx, question):
        raise UserError(texts.REF_UNKNOWN.format(ref=ref))
    return question


def unit_contact_ids(ctx: Context, question: Question) -> set[int]:
    """Every contact and backup of the question's unit, whichever direction."""
    return {c.person_id for c in ctx.store.unit_contacts(unit_id=question.unit_id)}


def direction_contact_ids(store: Store, question: Question) -> set[int]:
    """The unit's contacts and backups for the question's direction."""
    return {
        c.person_id
        for c in store.unit_contacts(unit_id=question.unit_id)
        if c.direction == question.direction
    }


def may_handle(ctx: Context, question: Question) -> bool:
    """The assignee, the unit's contacts and backups for the question's direction and
    admins may claim, answer, mark answered, close, forward and release."""
    actor = ctx.actor
    return (
        actor.is_admin
        or question.assignee_id == actor.id
        or actor.id in direction_contact_ids(ctx.store, question)
    )


def in_audience(ctx: Context, question: Question) -> bool:
    """Who may see a question at all: asker, assignee, the unit's contacts and admins."""
    return (
        question.asker_id == ctx.actor.id
        or may_handle(ctx, question)
        or ctx.actor.id in unit_contact_ids(ctx, question)
    )


def refuse(ctx: Context, question: Question, who: str) -> Refusal:
    """The refusal for someone who may read `question` but not do this to it: the unit's
    contact for the other direction hears which way the question goes."""
    if ctx.actor.id in unit_contact_ids(ctx, question) and who != "reopen":
        text = texts.NOT_ALLOWED_DIRECTION.format(
            ref=question.ref, direction=texts.DIRECTION[question.direction]
        )
    else:
        text = texts.NOT_ALLOWED.format(who=texts.NOT_ALLOWED_WHO[who], ref=question.ref)
    return Refusal(text, actor_id=ctx.actor.id, question_id=question.id)


def require(ctx: Context, question: Question, allowed: bool, who: str) -> None:
    """Refuse (nothing changes) unless `allowed`."""
    if not allowed:
        raise refuse(ctx, question, who)


def can_receive(store: Store, person: Person, question: Question) -> bool:
    """Whether `person` may be handed `question`: an admin, or a contact or backup of its
    unit for its direction (the rule for /flytta and for substitutes)."""
    return Role.ADMIN in person.roles or person.id in direction_contact_ids(store, question)
