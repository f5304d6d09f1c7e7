"""The life of one question: ask, claim, answer, mark answered, close, reopen, forward.

Each function runs inside the caller's transaction and raises `UserError` to refuse; the
caller then rolls back, so a refusal never changes anything. Who may act is decided in
`handlers.questions.access`; who is told is decided here, through
`handlers.questions.telling`: when someone else acts on a question, its assignee and its
asker each get one notice (never the actor herself).
"""

from __future__ import annotations

from handlers.kernel import (
    OPEN_STATUSES,
    ChatUser,
    Context,
    MessageKind,
    OutboxKind,
    Person,
    Question,
    Reply,
    Role,
    Status,
    Typed,
    UserError,
    texts,
)
from handlers.questions.access import can_receive, in_audience, load, may_handle, require
from handlers.questions.people import resolve_person
from handlers.questions.telling import changed, notify, tell_parties

__all__ = ["changed", "in_audience", "load", "may_handle", "notify", "tell_parties"]


def wrong_status(question: Question, verb: str) -> UserError:
    return UserError(
        texts.WRONG_STATUS.format(
            ref=question.ref, status=texts.STATUS[question.status], verb=texts.VERB[verb]
        )
    )


NOT_CLOSED = frozenset(Status) - {Status.STANGD}


def to_handle(ctx: Context, ref: str | None, verb: str, statuses: frozenset[Status]) -> Question:
    """The question, if the actor may handle it and it is in one of `statuses`."""
    question = load(ctx, ref, verb)
    require(ctx, question, may_handle(ctx, question), "handle")
    if question.status not in statuses:
        raise wrong_status(question, verb)
    return question


def back_in_queue(question: Question) -> Status:
    """The status of an answered question that needs an answer again: taken by its
    assignee, or new in the unit's queue when nobody has it."""
    return Status.TAGEN if question.assignee_id is not None else Status.NY


def claim(ctx: Context, ref: str | None) -> Reply:
    question = to_handle(ctx, ref, "ta", OPEN_STATUSES)
    changed(
        ctx,
        question,
        "claimed",
        assignee_id=ctx.actor.id,
        status=Status.TAGEN,
        claimed_at=question.claimed_at or ctx.now,
    )
    if question.assignee_id != ctx.actor.id:
        tell_parties(
            ctx, question, assignee=texts.NOTICE_TAKEN_OVER, asker=texts.NOTICE_CLAIMED_ASKER
        )
    return Reply(texts.CLAIMED.format(ref=question.ref), ref=question.ref)


def answer(ctx: Context, ref: str | None, text: str, *, max_text: int) -> Reply:
    """An answer from a contact, or a follow-up from the asker, stored in the thread."""
    question = load(ctx, ref, "svara")
    if not text:
        raise UserError(texts.ANSWER_MISSING.format(ref=question.ref))
    if len(text) > max_text:
        raise UserError(texts.TEXT_TOO_LONG.format(length=len(text), limit=max_text), "text")
    is_contact = may_handle(ctx, question)
    is_asker = question.asker_id == ctx.actor.id
    require(ctx, question, is_contact or is_asker, "answer")
    if question.status == Status.STANGD:
        raise wrong_status(question, "svara")
    kind = MessageKind.ANSWER if is_contact and not is_asker else MessageKind.FOLLOW_UP
    ctx.store.add_message(
        question_id=question.id,
        author_id=ctx.actor.id,
        kind=kind,
        text=text,
        at=ctx.now,
        source=ctx.source,
    )
    if not ctx.from_thread:
        template = texts.THREAD_ANSWER if kind == MessageKind.ANSWER else texts.THREAD_FOLLOW_UP
        ctx.store.enqueue(
            platform=question.origin_platform,
            kind=OutboxKind.THREAD,
            at=ctx.now,
            question_id=question.id,
            text=template.format(name=ctx.actor.name, text=text),
        )
    if kind == MessageKind.FOLLOW_UP:
        return _follow_up(ctx, question)
    changed(
        ctx,
        question,
        "answered",
        status=Status.BESVARAD,
        assignee_id=question.assignee_id or ctx.actor.id,
        claimed_at=question.claimed_at or ctx.now,
        first_response_at=question.first_response_at or ctx.now,
        answered_at=ctx.now,
    )
    asker = texts.NOTICE_ANSWER + texts.HELPED_PROMPT
    tell_parties(ctx, question, assignee=texts.NOTICE_ANSWERED_FOR_YOU, asker=asker)
    return Reply(texts.ANSWERED.format(ref=question.ref), ref=question.ref)


def _follow_up(ctx: Context, question: Question) -> Reply:
    """The asker wrote again. On an answered question that puts it back in the contact's
    queue (waiting for an answer again) and tells her so; on an open one she is told."""
    if question.status != Status.BESVARAD:
        ctx.store.audit(
            actor_id=ctx.actor.id, action="follow_up", at=ctx.now, question_id=question.id
        )
        notice = texts.NOTICE_FOLLOW_UP.format(by=ctx.actor.name, ref=question.ref)
        notify(ctx, question, question.assignee_id, notice)
        return Reply(texts.FOLLOWED_UP.format(ref=question.ref), ref=question.ref)
    changed(ctx, question, "follow_up", status=back_in_queue(question))
    notice = texts.NOTICE_FOLLOW_UP_BACK.format(by=ctx.actor.name, ref=question.ref)
    for person_id in _queue_keepers(ctx, question):
        notify(ctx, question, person_id, notice)
    return Reply(texts.FOLLOWED_UP.format(ref=question.ref), ref=question.ref)


def _queue_keepers(ctx: Context, question: Question) -> list[int]:
    """Who hears that a question is back: its assignee, or the admins when nobody has it."""
    if question.assignee_id is not None:
        return [question.assignee_id]
    return [p.id for p in ctx.store.people() if Role.ADMIN in p.roles]


def mark_answered(ctx: Context, ref: str | None) -> Reply:
    question = to_handle(ctx, ref, "besvarad", OPEN_STATUSES)
    changed(
        ctx,
        question,
        "marked_answered",
        status=Status.BESVARAD,
        answered_at=ctx.now,
        assignee_id=question.assignee_id or ctx.actor.id,
        claimed_at=question.claimed_at or ctx.now,
    )
    tell_parties(
        ctx,
        question,
        assignee=texts.NOTICE_MARKED_ASSIGNEE,
        asker=texts.NOTICE_MARKED_ASKER + texts.HELPED_PROMPT,
    )
    return Reply(texts.MARKED_ANSWERED.format(ref=question.ref), ref=question.ref)


def close(ctx: Context, ref: str | None) -> Reply:
    """A handler closes a question, or the asker closes her own."""
    question = load(ctx, ref, "stäng")
    allowed = question.asker_id == ctx.actor.id or may_handle(ctx, question)
    require(ctx, question, allowed, "close")
    if question.status not in NOT_CLOSED:
        raise wrong_status(question, "stäng")
    changed(ctx, question, "closed", status=Status.STANGD, closed_at=ctx.now)
    tell_parties(
        ctx, question, assignee=texts.NOTICE_CLOSED_ASSIGNEE, asker=texts.NOTICE_CLOSED_ASKER
    )
    return Reply(texts.CLOSED.format(ref=question.ref), ref=question.ref)


def reopen(ctx: Context, ref: str | None) -> Reply:
    question = load(ctx, ref, "återöppna")
    allowed = question.asker_id == ctx.actor.id or may_handle(ctx, question)
    require(ctx, question, allowed, "reopen")
    if question.status not in {Status.BESVARAD, Status.STANGD}:
        raise wrong_status(question, "återöppna")
    changed(ctx, question, "reopened", status=Status.ATEROPPNAD, reopened_at=ctx.now)
    notify(
        ctx,
        question,
        question.assignee_id,
        texts.NOTICE_REOPENED.format(by=ctx.actor.name, ref=question.ref),
    )
    return Reply(texts.REOPENED.format(ref=question.ref), ref=question.ref)


def forward(ctx: Context, ref: str | None, target: ChatUser | Typed) -> Reply:
    """Hand the question over to a person picked on the platform or named in text."""
    question = to_handle(ctx, ref, "flytta", NOT_CLOSED)
    if isinstance(target, ChatUser):
        person = ctx.store.person_by_identity(platform=ctx.platform, identity=target.identity)
        if person is None:
            raise UserError(texts.PERSON_NOT_IN_BRYGGAN)
        target_person = person
    else:
        target_person = resolve_person(ctx.store, ctx.platform, target.text)
    _forward_to(ctx, question, target_person)
    return Reply(
        texts.FORWARDED.format(ref=question.ref, name=target_person.name), ref=question.ref
    )


def _forward_to(ctx: Context, question: Question, target: Person) -> None:
    if not ({Role.CONTACT, Role.ADMIN} & target.roles):
        raise UserError(texts.PERSON_NOT_CONTACT.format(name=target.name))
    unit = ctx.store.unit(unit_id=question.unit_id)
    if not can_receive(ctx.store, target, question):
        raise UserError(
            texts.PERSON_CANNOT_RECEIVE.format(
                name=target.name,
                unit=unit.name,
                direction=texts.DIRECTION[question.direction],
                ref=question.ref,
            )
        )
    changed(ctx, question, "forwarded", detail=f"to={target.key}", assignee_id=target.id)
    notify(
        ctx,
        question,
        target.id,
        texts.NOTICE_FORWARDED.format(
            by=ctx.actor.name,
            ref=question.ref,
            category=next(
                (
                    c.name
                    for c in ctx.store.categories(include_inactive=True)
                    if c.slug == question.category
                ),
                question.category,
            ),
            unit=unit.name,
        ),
    )


def close_answered_elsewhere(
    ctx: Context, ref: str | None, *, thread_note: str, notice: str
) -> Question:
    """The asker closes an open question because something else answered it (the
    knowledge bank): closed as answered, the card and its thread say so, the assignee is
    told. Only the asker may, and only while the question is open."""
    question = load(ctx, ref, "kunskap löste")
    if question.asker_id != ctx.actor.id:
        raise UserError(texts.KNOWLEDGE_RESOLVE_WHO.format(ref=question.ref))
    if question.status == Status.STANGD:
        raise UserError(texts.KNOWLEDGE_RESOLVE_CLOSED.format(ref=question.ref))
    updated = changed(
        ctx,
        question,
        "resolved_from_bank",
        status=Status.STANGD,
        answered_at=question.answered_at or ctx.now,
        closed_at=ctx.now,
    )
    ctx.store.enqueue(
        platform=question.origin_platform,
        kind=OutboxKind.THREAD,
        at=ctx.now,
        question_id=question.id,
        text=thread_note,
    )
    notify(ctx, question, question.assignee_id, notice.format(ref=question.ref))
    return updated
