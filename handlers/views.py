"""Read-only commands: show one question with its thread, list my questions, help."""

from __future__ import annotations

from handlers import texts
from handlers.cards import build_card, card_lines
from handlers.context import Context, Reply
from handlers.model import OPEN_STATUSES, MessageKind, Question, Status
from handlers.questions import load


def show(ctx: Context, ref: str | None) -> Reply:
    question = load(ctx, ref, "visa")
    lines = card_lines(build_card(ctx.store, question, ctx.platform))
    for message in ctx.store.messages(question_id=question.id):
        author = ctx.store.person(person_id=message.author_id).name
        label = "Svar" if message.kind == MessageKind.ANSWER else "Följdfråga"
        body = message.text if message.text is not None else texts.PURGED
        lines.append(f"  ↳ {label} från {author} ({texts.time_label(message.created_at)}): {body}")
    return Reply("\n".join(lines), ref=question.ref)


def _line(ctx: Context, question: Question) -> str:
    unit = ctx.store.unit(unit_id=question.unit_id).name
    text = question.text or ""
    summary = text if len(text) <= 60 else text[:57] + "…"
    status = texts.STATUS[question.status] + ("" if question.assignee_id else ", otilldelad")
    return f"• {question.ref} · {status} · {unit} · {summary}"


def list_mine(ctx: Context) -> Reply:
    """My own open questions, and for contacts the ones waiting for me."""
    store = ctx.store
    mine = store.questions_for(asker_id=ctx.actor.id, statuses=[*OPEN_STATUSES, Status.BESVARAD])
    waiting = store.questions_for(assignee_id=ctx.actor.id, statuses=list(OPEN_STATUSES))
    my_units = sorted({c.unit_id for c in store.unit_contacts() if c.person_id == ctx.actor.id})
    if my_units:
        waiting += store.questions_for(unassigned_in_units=my_units, statuses=list(OPEN_STATUSES))
    lines: list[str] = []
    if waiting:
        lines += [texts.WAITING_FOR_ME, *(_line(ctx, q) for q in waiting)]
    if mine:
        lines += [texts.MY_QUESTIONS, *(_line(ctx, q) for q in mine)]
    return Reply("\n".join(lines) if lines else texts.NO_QUESTIONS)
