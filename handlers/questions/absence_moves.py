"""`/flytta alla <från-person> <till-person>`: every open question of someone who is away
handed to the one who stands in, in one go (the notice about an absence suggests it)."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.kernel import (
    Context,
    OutboxKind,
    Person,
    Reply,
    UserError,
    fold,
    texts,
)
from handlers.questions.absence_people import open_assigned, receives, ref_list
from handlers.questions.people import resolve_person

_MAX_WORDS = 8
"""Two names are a few words; each cut below looks both up, so a long line is refused."""


@dataclass(frozen=True)
class MoveAll:
    """`/flytta alla …`: the two people as typed (`anna sofia`, `@anna @sofia`)."""

    people: str


def parse_move_all(arguments: str) -> MoveAll | None:
    """`/flytta alla <från> <till>`; None for anything else (`/flytta F-… @person`)."""
    head, _, rest = arguments.strip().partition(" ")
    return MoveAll(rest.strip()) if fold(head) == "alla" else None


def _two_people(ctx: Context, typed: str) -> tuple[Person, Person]:
    """The first and second person named; names may have spaces (`Anna Berg sofia`)."""
    words = typed.split()
    if not 2 <= len(words) <= _MAX_WORDS:
        raise UserError(texts.MOVE_ALL_USAGE)
    first_error: UserError | None = None
    for cut in range(1, len(words)):
        try:
            return (
                resolve_person(ctx.store, ctx.platform, " ".join(words[:cut])),
                resolve_person(ctx.store, ctx.platform, " ".join(words[cut:])),
            )
        except UserError as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def move_all(ctx: Context, command: MoveAll) -> Reply:
    """Move every open question assigned to one person to another; all or nothing."""
    source, target = _two_people(ctx, command.people)
    if not (ctx.actor.is_admin or ctx.actor.id in {source.id, target.id}):
        raise UserError(texts.MOVE_ALL_WHO.format(name=source.name))
    if source.id == target.id:
        raise UserError(texts.MOVE_ALL_SAME.format(name=target.name))
    waiting = open_assigned(ctx, source.id)
    if not waiting:
        raise UserError(texts.MOVE_ALL_NONE.format(name=source.name))
    contacts = ctx.store.unit_contacts()
    for question in waiting:
        if not receives(contacts, target, question.unit_id, question.direction):
            raise UserError(
                texts.MOVE_ALL_CANNOT.format(
                    name=target.name,
                    ref=question.ref,
                    unit=ctx.store.unit(unit_id=question.unit_id).name,
                    direction=texts.DIRECTION[question.direction],
                )
            )
    for question in waiting:
        ctx.store.update_question(question_id=question.id, assignee_id=target.id)
        ctx.store.audit(
            actor_id=ctx.actor.id,
            action="forwarded",
            at=ctx.now,
            question_id=question.id,
            detail=f"to={target.key} all_from={source.key}",
        )
        ctx.store.enqueue(
            platform=question.origin_platform,
            kind=OutboxKind.CARD_UPDATE,
            at=ctx.now,
            question_id=question.id,
        )
    refs = ref_list(waiting)
    count = texts.questions(len(waiting))
    if target.id != ctx.actor.id:
        ctx.store.enqueue(
            platform=ctx.platform,
            kind=OutboxKind.NOTICE,
            at=ctx.now,
            recipient_id=target.id,
            text=texts.NOTICE_MOVED_ALL.format(
                by=ctx.actor.name, count=count, source=source.name, refs=refs
            ),
        )
    return Reply(
        texts.MOVE_ALL_DONE.format(
            moved=texts.plural(len(waiting), "fråga flyttad", "frågor flyttade"),
            source=source.name,
            target=target.name,
            refs=refs,
        )
    )
