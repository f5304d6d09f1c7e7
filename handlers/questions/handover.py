"""Handing a question on: `/släpp` gives a taken question back to its unit's queue, and
`/hjälpte` lets the asker say whether the answer solved her question.

Both run inside the caller's transaction; a refusal raises and changes nothing.
"""

from __future__ import annotations

from handlers.kernel import (
    STOCKHOLM,
    Context,
    Question,
    Reply,
    Role,
    Status,
    UserError,
    texts,
)
from handlers.questions.access import may_handle, require
from handlers.questions.asking import route_text
from handlers.questions.lifecycle import back_in_queue, changed, load, notify, wrong_status
from handlers.questions.routing import RouteDecision, route_question

HELPED_ACTION = "helped"
"""The audit action of the asker's verdict; its detail is `ja` or `nej` (the latest counts)."""


def release(ctx: Context, ref: str | None) -> Reply:
    """The assignee (or another handler) gives a taken question back: it is new again and
    routed by the usual rules to someone other than the one who had it."""
    question = load(ctx, ref, "släpp")
    require(ctx, question, may_handle(ctx, question), "handle")
    had = question.assignee_id
    if had is None:
        raise UserError(texts.RELEASE_NOT_TAKEN.format(ref=question.ref))
    if not question.is_open:
        raise wrong_status(question, "släpp")
    decision = _route_without(ctx, question, had)
    unit = ctx.store.unit(unit_id=question.unit_id)
    route = route_text(ctx, decision, unit)
    changed(
        ctx,
        question,
        "released",
        assignee_id=decision.assignee_id,
        status=Status.NY,
        claimed_at=None,
    )
    if decision.assignee_id is not None:
        category = _category_name(ctx, question)
        text = texts.NOTICE_RELEASED.format(
            by=ctx.actor.name, ref=question.ref, category=category, unit=unit.name
        )
        notify(ctx, question, decision.assignee_id, text)
    else:
        text = texts.NOTICE_UNASSIGNED.format(ref=question.ref, unit=unit.name)
        for admin in (p for p in ctx.store.people() if Role.ADMIN in p.roles):
            notify(ctx, question, admin.id, text)
    notify(
        ctx,
        question,
        had,
        texts.NOTICE_RELEASED_FROM_YOU.format(by=ctx.actor.name, ref=question.ref),
    )
    return Reply(texts.RELEASED.format(ref=question.ref, route=route), ref=question.ref)


def _route_without(ctx: Context, question: Question, person_id: int) -> RouteDecision:
    """The routing decision for the question as if new, leaving out `person_id`."""
    day = ctx.now.astimezone(STOCKHOLM).date()
    contacts = [
        c for c in ctx.store.unit_contacts(unit_id=question.unit_id) if c.person_id != person_id
    ]
    return route_question(
        unit_id=question.unit_id,
        direction=question.direction,
        contacts=contacts,
        absences=ctx.store.absences_on(day=day),
        open_counts=ctx.store.open_counts(person_ids=[c.person_id for c in contacts]),
        day=day,
    )


def _category_name(ctx: Context, question: Question) -> str:
    names = {c.slug: c.name for c in ctx.store.categories(include_inactive=True)}
    return names.get(question.category, question.category)


def helped(ctx: Context, ref: str | None, verdict: bool | None) -> Reply:
    """The asker's verdict on the answer. Ja closes an answered question; nej puts it back
    with the contact, who is told. On a closed question the verdict is only recorded."""
    question = load(ctx, ref, "hjälpte")
    if verdict is None:
        raise UserError(texts.HELPED_USAGE)
    if question.asker_id != ctx.actor.id:
        raise UserError(texts.HELPED_WHO.format(ref=question.ref))
    answered = question.status in {Status.BESVARAD, Status.STANGD}
    if not answered or question.answered_at is None:
        raise UserError(texts.HELPED_NOT_ANSWERED.format(ref=question.ref))
    ctx.store.audit(
        actor_id=ctx.actor.id,
        action=HELPED_ACTION,
        at=ctx.now,
        question_id=question.id,
        detail="ja" if verdict else "nej",
    )
    if question.status == Status.STANGD:
        return Reply(texts.HELPED_NOTED.format(ref=question.ref), ref=question.ref)
    by = ctx.actor.name
    if verdict:
        changed(ctx, question, "closed", status=Status.STANGD, closed_at=ctx.now)
        notify(
            ctx,
            question,
            question.assignee_id,
            texts.NOTICE_HELPED_YES.format(by=by, ref=question.ref),
        )
        return Reply(texts.HELPED_YES.format(ref=question.ref), ref=question.ref)
    changed(ctx, question, "not_helped", status=back_in_queue(question))
    notify(
        ctx, question, question.assignee_id, texts.NOTICE_HELPED_NO.format(by=by, ref=question.ref)
    )
    if question.assignee_id is None:
        return Reply(texts.HELPED_NO_QUEUE.format(ref=question.ref), ref=question.ref)
    name = ctx.store.person(person_id=question.assignee_id).name
    return Reply(texts.HELPED_NO.format(ref=question.ref, name=name), ref=question.ref)
