"""Recording a change to a question and telling people about it: the audit row and the
card's redraw go with every change, and a notice never goes to the one who acted."""

from __future__ import annotations

from handlers.kernel import Context, OutboxKind, Question


def changed(
    ctx: Context, question: Question, action: str, detail: str = "", **changes: object
) -> Question:
    """Store the change, audit it as `action` and queue the card's redraw."""
    updated = ctx.store.update_question(question_id=question.id, **changes)
    ctx.store.audit(
        actor_id=ctx.actor.id, action=action, at=ctx.now, question_id=question.id, detail=detail
    )
    ctx.store.enqueue(
        platform=question.origin_platform,
        kind=OutboxKind.CARD_UPDATE,
        at=ctx.now,
        question_id=question.id,
    )
    return updated


def notify(ctx: Context, question: Question, person_id: int | None, text: str) -> None:
    """One notice to `person_id` about the question, unless she is the actor."""
    if person_id is not None and person_id != ctx.actor.id:
        ctx.store.enqueue(
            platform=question.origin_platform,
            kind=OutboxKind.NOTICE,
            at=ctx.now,
            question_id=question.id,
            recipient_id=person_id,
            text=text,
        )


def tell_parties(ctx: Context, question: Question, *, assignee: str, asker: str) -> None:
    """The assignee and the asker each told once (the asker's text wins when they are the
    same person); the actor is never told of what she did herself."""
    if question.assignee_id != question.asker_id:
        notify(
            ctx,
            question,
            question.assignee_id,
            assignee.format(by=ctx.actor.name, ref=question.ref),
        )
    notify(ctx, question, question.asker_id, asker.format(by=ctx.actor.name, ref=question.ref))
