"""Read models and read-only commands: one question with its thread, my questions, the
question form's choices. Every adapter renders these; none builds its own."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.kernel import (
    OPEN_STATUSES,
    Category,
    Context,
    Direction,
    MessageKind,
    Person,
    Question,
    Reply,
    Status,
    Store,
    Unit,
    UserError,
    texts,
)
from handlers.questions.cards import build_card, card_lines, status_label
from handlers.questions.lifecycle import load
from handlers.questions.queues import QueueFilter, filtered, heading, parse_filter

PER_LIST = 50
"""Questions per list; one more is read to know whether there are more."""
PER_PAGE = 20
"""Questions per list on one page of `/frågor`."""
ALL_OPEN = 10_000
"""Enough to read every open question of one person (a unit has a few a week)."""


@dataclass(frozen=True)
class QuestionLists:
    """What one person has going: questions waiting for them (assigned to them, or
    unassigned in a unit they are a contact for) and their own open or answered questions.
    `more_*` tell that a list was cut at `PER_LIST`."""

    waiting: list[Question]
    mine: list[Question]
    more_waiting: bool = False
    more_mine: bool = False


def question_lists(store: Store, person: Person, *, limit: int = PER_LIST) -> QuestionLists:
    """The same lists for `/frågor`, Slack's Home tab and Matrix's `!frågor`: the
    longest-waiting first. Waiting for a contact: what is assigned to her and what nobody
    has in the units and directions she serves; for an admin also every unassigned
    question (she is told of those)."""
    mine = store.questions_for(
        asker_id=person.id, statuses=[*OPEN_STATUSES, Status.BESVARAD], limit=ALL_OPEN
    )
    waiting = store.questions_for(
        assignee_id=person.id, statuses=list(OPEN_STATUSES), limit=ALL_OPEN
    )
    if person.is_admin:
        waiting += store.question_queue(
            statuses=list(OPEN_STATUSES), unassigned=True, limit=ALL_OPEN
        )
    else:
        served = {
            (c.unit_id, c.direction) for c in store.unit_contacts() if c.person_id == person.id
        }
        if served:
            unassigned = store.questions_for(
                unassigned_in_units=sorted({unit for unit, _ in served}),
                statuses=list(OPEN_STATUSES),
                limit=ALL_OPEN,
            )
            waiting += [q for q in unassigned if (q.unit_id, q.direction) in served]
    waiting.sort(key=lambda q: (q.created_at, q.id))
    mine.sort(key=lambda q: (q.created_at, q.id))
    return QuestionLists(waiting[:limit], mine[:limit], len(waiting) > limit, len(mine) > limit)


@dataclass(frozen=True)
class AskChoices:
    """What a question form offers, and what it starts with for this person and place."""

    units: list[Unit]
    categories: list[Category]
    unit: str | None = None
    """The slug of the channel's unit, else the person's own."""
    direction: Direction | None = None


def ask_choices(store: Store, person: Person, platform: str, channel: str | None) -> AskChoices:
    """The units, categories and defaults a question by `person` in `channel` starts from."""
    defaults = store.person_defaults(person_id=person.id)
    in_channel = store.unit_by_channel(platform=platform, channel=channel) if channel else None
    side = defaults.get("riktning")
    return AskChoices(
        units=store.units(),
        categories=store.categories(),
        unit=in_channel.slug if in_channel else defaults.get("enhet"),
        direction=Direction(side) if side in set(Direction) else None,
    )


def show(ctx: Context, ref: str | None) -> Reply:
    question = load(ctx, ref, "visa")
    lines = card_lines(build_card(ctx.store, question, ctx.platform))
    for message in ctx.store.messages(question_id=question.id):
        author = ctx.store.person(person_id=message.author_id).name
        label = "Svar" if message.kind == MessageKind.ANSWER else "Följdfråga"
        body = (
            texts.MESSAGE_DELETED
            if message.deleted
            else message.text
            if message.text is not None
            else texts.PURGED
        )
        lines.append(f"  ↳ {label} från {author} ({texts.time_label(message.created_at)}): {body}")
    return Reply("\n".join(lines), ref=question.ref)


def _line(ctx: Context, question: Question) -> str:
    unit = ctx.store.unit(unit_id=question.unit_id).name
    text = question.text or ""
    summary = text if len(text) <= 60 else text[:57] + "…"
    status = status_label(question) + ("" if question.assignee_id else ", otilldelad")
    return f"• {question.ref} · {status} · {unit} · {summary}"


def list_mine(ctx: Context, typed: str = "") -> Reply:
    """My own open questions, and for contacts the ones waiting for me: the
    longest-waiting first, `PER_PAGE` of each list per page, with the counts when paged.
    With filters (`otilldelade`, `öppna`, `stängda`, `alla`, `enhet:<enhet>`) one list."""
    wanted = parse_filter(ctx, typed)
    if wanted.any:
        return _list_filtered(ctx, wanted)
    page = wanted.page
    lists = question_lists(ctx.store, ctx.actor, limit=ALL_OPEN)
    pages = max(1, -(-max(len(lists.waiting), len(lists.mine)) // PER_PAGE))
    if page > pages:
        raise UserError(texts.QUESTIONS_NO_SUCH_PAGE.format(page=page, pages=pages))
    shown = slice((page - 1) * PER_PAGE, page * PER_PAGE)
    lines: list[str] = []
    if lists.waiting[shown]:
        lines += [texts.WAITING_FOR_ME, *(_line(ctx, q) for q in lists.waiting[shown])]
    if lists.mine[shown]:
        lines += [texts.MY_QUESTIONS, *(_line(ctx, q) for q in lists.mine[shown])]
    if pages > 1:
        counts = texts.QUESTIONS_COUNTS.format(waiting=len(lists.waiting), mine=len(lists.mine))
        lines.append(texts.QUESTIONS_PAGE.format(page=page, pages=pages, counts=counts))
        if page < pages:
            lines.append(texts.QUESTIONS_NEXT_PAGE.format(next=page + 1))
    return Reply("\n".join(lines) if lines else texts.NO_QUESTIONS)


def _list_filtered(ctx: Context, wanted: QueueFilter) -> Reply:
    """One filtered list, the longest-waiting first, `PER_PAGE` per page."""
    found = filtered(ctx, wanted)
    if not found:
        return Reply(texts.QUESTIONS_NONE_FILTERED.format(filters=wanted.label()))
    pages = -(-len(found) // PER_PAGE)
    if wanted.page > pages:
        raise UserError(texts.QUESTIONS_NO_SUCH_PAGE.format(page=wanted.page, pages=pages))
    shown = found[(wanted.page - 1) * PER_PAGE : wanted.page * PER_PAGE]
    lines = [heading(wanted, len(found)), *(_line(ctx, q) for q in shown)]
    if pages > 1:
        counts = texts.questions(len(found))
        lines.append(texts.QUESTIONS_PAGE.format(page=wanted.page, pages=pages, counts=counts))
        if wanted.page < pages:
            lines.append(
                texts.QUESTIONS_NEXT_PAGE_FILTERED.format(
                    filters=wanted.label(), next=wanted.page + 1
                )
            )
    return Reply("\n".join(lines))
