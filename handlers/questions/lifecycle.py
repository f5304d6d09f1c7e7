"""The life of one question: ask, claim, answer, mark answered, close, reopen, forward.

Each function runs inside the caller's transaction and raises `UserError` to refuse; the
caller then rolls back, so a refusal never changes anything.
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
    Refusal,
    Reply,
    Role,
    Status,
    Typed,
    UserError,
    texts,
)
from handlers.questions.people import resolve_person


def load(ctx: Context, ref: str | None, command: str) -> Question:
    """The question behind `ref`, or a clear refusal."""
    if ref is None:
        raise UserError(texts.REF_MISSING.format(command=command))
    question = ctx.store.question_by_ref(ref=ref)
    if question is None or not in_audience(ctx, question):
        raise UserError(texts.REF_UNKNOWN.format(ref=ref))
    return question


def unit_contact_ids(ctx: Context, question: Question) -> set[int]:
    return {c.person_id for c in ctx.store.unit_contacts(unit_id=question.unit_id)}


def may_handle(ctx: Context, question: Question) -> bool:
    """The assignee, the unit's contacts and admins may claim, answer, close and forward."""
    actor = ctx.actor
    return (
        actor.is_admin
        or question.assignee_id == actor.id
        or actor.id in unit_contact_ids(ctx, question)
    )


def in_audience(ctx: Context, question: Question) -> bool:
    """Who may see a question at all: asker, assignee, the unit's contacts and admins."""
    return question.asker_id == ctx.actor.id or may_handle(ctx, question)


def _require(ctx: Context, question: Question, allowed: bool, who: str) -> None:
    if not allowed:
        raise Refusal(
            texts.NOT_ALLOWED.format(who=texts.NOT_ALLOWED_WHO[who], ref=question.ref),
            actor_id=ctx.actor.id,
            question_id=question.id,
        )


def _wrong_status(question: Question, verb: str) -> UserError:
    return UserError(
        texts.WRONG_STATUS.format(
            ref=question.ref, status=texts.STATUS[question.status], verb=texts.VERB[verb]
        )
    )


def _changed(
    ctx: Context, question: Question, action: str, detail: str = "", **changes: object
) -> Question:
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


def _notify(ctx: Context, question: Question, person_id: int | None, text: str) -> None:
    if person_id is not None and person_id != ctx.actor.id:
        ctx.store.enqueue(
            platform=question.origin_platform,
            kind=OutboxKind.NOTICE,
            at=ctx.now,
            question_id=question.id,
            recipient_id=person_id,
            text=text,
        )


NOT_CLOSED = frozenset(Status) - {Status.STANGD}


def _to_handle(ctx: Context, ref: str | None, verb: str, statuses: frozenset[Status]) -> Question:
    """The question, if the actor may handle it and it is in one of `statuses`."""
    question = load(ctx, ref, verb)
    _require(ctx, question, may_handle(ctx, question), "handle")
    if question.status not in statuses:
        raise _wrong_status(question, verb)
    return question


def claim(ctx: Context, ref: str | None) -> Reply:
    question = _to_handle(ctx, ref, "ta", OPEN_STATUSES)
    _changed(
        ctx,
        question,
        "claimed",
        assignee_id=ctx.actor.id,
        status=Status.TAGEN,
        claimed_at=question.claimed_at or ctx.now,
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
    _require(ctx, question, is_contact or is_asker, "answer")
    if question.status == Status.STANGD:
        raise _wrong_status(question, "svara")
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
        ctx.store.audit(
            actor_id=ctx.actor.id, action="follow_up", at=ctx.now, question_id=question.id
        )
        _notify(
            ctx,
            question,
            question.assignee_id,
            texts.NOTICE_FOLLOW_UP.format(by=ctx.actor.name, ref=question.ref),
        )
        return Reply(texts.FOLLOWED_UP.format(ref=question.ref), ref=question.ref)
    _changed(
        ctx,
        question,
        "answered",
        status=Status.BESVARAD,
        assignee_id=question.assignee_id or ctx.actor.id,
        claimed_at=question.claimed_at or ctx.now,
        first_response_at=question.first_response_at or ctx.now,
        answered_at=ctx.now,
    )
    _notify(
        ctx,
        question,
        question.asker_id,
        texts.NOTICE_ANSWER.format(by=ctx.actor.name, ref=question.ref),
    )
    return Reply(texts.ANSWERED.format(ref=question.ref), ref=question.ref)


def mark_answered(ctx: Context, ref: str | None) -> Reply:
    question = _to_handle(ctx, ref, "besvarad", OPEN_STATUSES)
    _changed(
        ctx,
        question,
        "marked_answered",
        status=Status.BESVARAD,
        answered_at=ctx.now,
        assignee_id=question.assignee_id or ctx.actor.id,
        claimed_at=question.claimed_at or ctx.now,
    )
    return Reply(texts.MARKED_ANSWERED.format(ref=question.ref), ref=question.ref)


def close(ctx: Context, ref: str | None) -> Reply:
    question = _to_handle(ctx, ref, "stäng", NOT_CLOSED)
    _changed(ctx, question, "closed", status=Status.STANGD, closed_at=ctx.now)
    return Reply(texts.CLOSED.format(ref=question.ref), ref=question.ref)


def reopen(ctx: Context, ref: str | None) -> Reply:
    question = load(ctx, ref, "återöppna")
    allowed = question.asker_id == ctx.actor.id or may_handle(ctx, question)
    _require(ctx, question, allowed, "reopen")
    if question.status not in {Status.BESVARAD, Status.STANGD}:
        raise _wrong_status(question, "återöppna")
    _changed(ctx, question, "reopened", status=Status.ATEROPPNAD, reopened_at=ctx.now)
    _notify(
        ctx,
        question,
        question.assignee_id,
        texts.NOTICE_REOPENED.format(by=ctx.actor.name, ref=question.ref),
    )
    return Reply(texts.REOPENED.format(ref=question.ref), ref=question.ref)


def forward(ctx: Context, ref: str | None, target: ChatUser | Typed) -> Reply:
    """Hand the question over to a person picked on the platform or named in text."""
    question = _to_handle(ctx, ref, "flytta", NOT_CLOSED)
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
    _changed(ctx, question, "forwarded", detail=f"to={target.key}", assignee_id=target.id)
    unit = ctx.store.unit(unit_id=question.unit_id)
    _notify(
        ctx,
        question,
        target.id,
        texts.NOTICE_FORWARDED.format(
            by=ctx.actor.name, ref=question.ref, category=question.category, unit=unit.name
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
    updated = _changed(
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
    _notify(ctx, question, question.assignee_id, notice.format(ref=question.ref))
    return updated
