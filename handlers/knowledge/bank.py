"""Saving, finding, showing and keeping entries: what `/kunskap` and `/sök` run.

Every function runs inside the caller's transaction and raises `UserError` to refuse, so a
refusal changes nothing. The identity-number guard runs on the whole command in the core;
`save` and `edit` check title and text again, so a typed command from a form is held to
the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers.dates import local_today
from handlers.kernel import (
    Clock,
    Context,
    MessageKind,
    Question,
    Reply,
    Role,
    Status,
    StoreFactory,
    UserError,
    identity_refusal,
    texts,
)
from handlers.knowledge.model import (
    BODY_MAX,
    REVIEW_MONTHS,
    TITLE_MAX,
    KnowledgeEntry,
    knowledge_store,
)
from handlers.questions import load

ENTRY_PATTERN = re.compile(r"\b[Kk]-?(\d{1,9})\b")
SHOWN = 3
_EXCERPT = 160


def entry_id(typed: str) -> int | None:
    """The entry a person named: `K-12`, `k12`."""
    found = ENTRY_PATTERN.search(typed)
    return int(found.group(1)) if found else None


def review_date(today: date, months: int = REVIEW_MONTHS) -> date:
    """`months` after `today` (the last day of a shorter month when needed)."""
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    for day in range(today.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))


def find_entry(ctx: Context, typed: str) -> KnowledgeEntry:
    """The entry `typed` names, or a clear refusal."""
    number = entry_id(typed)
    if number is None:
        raise UserError(texts.KNOWLEDGE_ENTRY_MISSING)
    entry = knowledge_store(ctx.store).entry(entry_id=number)
    if entry is None:
        raise UserError(texts.KNOWLEDGE_UNKNOWN_ENTRY.format(typed=typed.strip()[:20]))
    return entry


def category_name(ctx: Context, slug: str) -> str:
    names = {c.slug: c.name for c in ctx.store.categories(include_inactive=True)}
    return names.get(slug, slug)


# saving ------------------------------------------------------------------------------------


def answered_question(ctx: Context, ref: str | None) -> Question:
    """The question to save from: answered, and the actor its contact or an admin."""
    question = load(ctx, ref, "kunskap spara")
    contacts = {c.person_id for c in ctx.store.unit_contacts(unit_id=question.unit_id)}
    is_contact = Role.CONTACT in ctx.actor.roles and (
        ctx.actor.id in contacts or question.assignee_id == ctx.actor.id
    )
    if not (ctx.actor.is_admin or is_contact):
        raise UserError(texts.KNOWLEDGE_SAVE_WHO)
    if question.answered_at is None or question.status not in {Status.BESVARAD, Status.STANGD}:
        raise UserError(texts.KNOWLEDGE_NOT_ANSWERED.format(ref=question.ref))
    return question


@dataclass(frozen=True)
class SaveDraft:
    """What the save form starts from: the question and its answers, to be rewritten."""

    ref: str
    title: str
    body: str


def save_draft(
    stores: StoreFactory, clock: Clock, *, platform: str, identity: str, ref: str | None
) -> SaveDraft | str:
    """The draft for the save form, or the refusal to show instead (a read, no change)."""
    with stores() as store:
        person = store.person_by_identity(platform=platform, identity=identity)
        if person is None:
            return texts.UNKNOWN_USER
        ctx = Context(store, person, clock(), platform)
        try:
            question = answered_question(ctx, ref)
        except UserError as refusal:
            return refusal.text
        answers = _answers(ctx, question)
    purged = texts.KNOWLEDGE_DRAFT_PURGED
    body = f"{question.text or purged}\n\n{' / '.join(answers) or purged}"
    return SaveDraft(question.ref, (question.text or "")[:TITLE_MAX], body[:BODY_MAX])


def _answers(ctx: Context, question: Question) -> list[str]:
    return [
        m.text
        for m in ctx.store.messages(question_id=question.id)
        if m.kind == MessageKind.ANSWER and m.text
    ]


def draft(ctx: Context, ref: str | None) -> Reply:
    """The question and its answers, to be rewritten as general knowledge."""
    question = answered_question(ctx, ref)
    answers = _answers(ctx, question)
    purged = texts.KNOWLEDGE_DRAFT_PURGED
    return Reply(
        texts.KNOWLEDGE_DRAFT.format(
            ref=question.ref,
            question=question.text or purged,
            answers=" / ".join(answers) or purged,
        ),
        ref=question.ref,
    )


def checked_text(ref: str, title: str, body: str) -> tuple[str, str]:
    """Title and text trimmed, present, short enough and free of identity numbers."""
    title, body = " ".join(title.split()), body.strip()
    if not title:
        raise UserError(texts.KNOWLEDGE_TITLE_MISSING.format(ref=ref), "rubrik")
    if len(title) > TITLE_MAX:
        raise UserError(
            texts.KNOWLEDGE_TITLE_TOO_LONG.format(length=len(title), limit=TITLE_MAX), "rubrik"
        )
    if not body:
        raise UserError(texts.KNOWLEDGE_BODY_MISSING.format(ref=ref), "text")
    if len(body) > BODY_MAX:
        raise UserError(
            texts.KNOWLEDGE_BODY_TOO_LONG.format(length=len(body), limit=BODY_MAX), "text"
        )
    for field, value, place in (
        ("rubrik", title, "knowledge_title"),
        ("text", body, "knowledge_text"),
    ):
        refusal = identity_refusal(value, place)
        if refusal:
            raise UserError(refusal, field)
    return title, body


def save(ctx: Context, ref: str | None, title: str, body: str, *, confirmed: bool) -> Reply:
    """Save an answered question, rewritten by its contact, as a knowledge entry."""
    question = answered_question(ctx, ref)
    title, body = checked_text(question.ref, title, body)
    if not confirmed:
        raise UserError(texts.KNOWLEDGE_NOT_CONFIRMED.format(ref=question.ref), "bekräftelse")
    review = review_date(local_today(ctx.now))
    entry = knowledge_store(ctx.store).add_entry(
        entry=KnowledgeEntry(
            id=0,
            title=title,
            body=body,
            category=question.category,
            direction=question.direction,
            author_id=ctx.actor.id,
            created_at=ctx.now,
            updated_at=ctx.now,
            review_on=review,
            source_question_id=question.id,
        )
    )
    ctx.store.audit(
        actor_id=ctx.actor.id,
        action="knowledge_saved",
        at=ctx.now,
        question_id=question.id,
        detail=f"entry={entry.id}",
    )
    return Reply(
        texts.KNOWLEDGE_SAVED.format(
            label=entry.label, title=entry.title, review=texts.day_label(review)
        ),
        ref=question.ref,
    )


# finding -----------------------------------------------------------------------------------


def search(ctx: Context, query: str, page: int = 1) -> Reply:
    """The best three entries for `query` (page 2 the next three, …)."""
    query = " ".join(query.split())
    if not query:
        raise UserError(texts.KNOWLEDGE_SEARCH_MISSING)
    page = max(page, 1)
    hits = knowledge_store(ctx.store).search_entries(
        query=query, limit=SHOWN + 1, offset=(page - 1) * SHOWN
    )
    if not hits:
        return Reply(texts.KNOWLEDGE_NO_HITS.format(query=query[:80]))
    lines = [texts.KNOWLEDGE_HITS.format(query=query[:80])]
    for hit in hits[:SHOWN]:
        entry = hit.entry
        excerpt = entry.body if len(entry.body) <= _EXCERPT else entry.body[:_EXCERPT] + "…"
        lines.append(
            texts.KNOWLEDGE_HIT.format(
                label=entry.label,
                title=entry.title,
                category=category_name(ctx, entry.category),
                excerpt=excerpt.replace("\n", " "),
            )
        )
    lines.append(texts.KNOWLEDGE_SHOW_HINT)
    if len(hits) > SHOWN:
        lines.append(texts.KNOWLEDGE_MORE.format(query=query[:80], page=page + 1))
    return Reply("\n".join(lines))


def show(ctx: Context, typed: str) -> Reply:
    entry = find_entry(ctx, typed)
    text = texts.KNOWLEDGE_ENTRY.format(
        label=entry.label,
        title=entry.title,
        body=entry.body,
        category=category_name(ctx, entry.category),
        author=ctx.store.person(person_id=entry.author_id).name,
        created=texts.day_label(entry.created_at.date()),
        review=texts.day_label(entry.review_on),
    )
    if entry.merged_into_id is not None:
        text += texts.KNOWLEDGE_ENTRY_MERGED.format(target=f"K-{entry.merged_into_id}")
    elif entry.retired_at is not None:
        text += texts.KNOWLEDGE_ENTRY_RETIRED
    return Reply(text)
