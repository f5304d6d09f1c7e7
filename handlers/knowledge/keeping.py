"""Keeping the bank true: review dates, the weekly review reminder, admins' edit, retire
and merge, and the bank's lines for `/statistik`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handlers.dates import local_today
from handlers.kernel import (
    Clock,
    Context,
    OutboxKind,
    Reply,
    Role,
    StoreFactory,
    UserError,
    texts,
)
from handlers.knowledge.bank import checked_text, find_entry, review_date
from handlers.knowledge.model import KnowledgeEntry, knowledge_store


def _require_admin(ctx: Context) -> None:
    if not ctx.actor.is_admin:
        raise UserError(texts.KNOWLEDGE_ADMIN_ONLY)


def _in_use(entry: KnowledgeEntry) -> None:
    if entry.retired_at is not None:
        raise UserError(texts.KNOWLEDGE_ALREADY_RETIRED.format(label=entry.label))


def edit(ctx: Context, typed: str, title: str, body: str) -> Reply:
    """An admin rewrites an entry; its review date starts over."""
    _require_admin(ctx)
    entry = find_entry(ctx, typed)
    _in_use(entry)
    title, body = checked_text(entry.label, title, body)
    updated = knowledge_store(ctx.store).update_entry(
        entry_id=entry.id,
        title=title,
        body=body,
        updated_at=ctx.now,
        review_on=review_date(local_today(ctx.now)),
    )
    ctx.store.audit(actor_id=ctx.actor.id, action="knowledge_edited", at=ctx.now, detail=_d(entry))
    return Reply(texts.KNOWLEDGE_EDITED.format(label=updated.label, title=updated.title))


def retire(ctx: Context, typed: str) -> Reply:
    _require_admin(ctx)
    entry = find_entry(ctx, typed)
    _in_use(entry)
    knowledge_store(ctx.store).update_entry(entry_id=entry.id, retired_at=ctx.now)
    ctx.store.audit(actor_id=ctx.actor.id, action="knowledge_retired", at=ctx.now, detail=_d(entry))
    return Reply(texts.KNOWLEDGE_RETIRED.format(label=entry.label))


def merge(ctx: Context, source_typed: str, target_typed: str) -> Reply:
    """`source` goes up in `target`: retired, pointing at it."""
    _require_admin(ctx)
    source, target = find_entry(ctx, source_typed), find_entry(ctx, target_typed)
    if source.id == target.id:
        raise UserError(texts.KNOWLEDGE_MERGE_SAME)
    _in_use(source)
    _in_use(target)
    knowledge_store(ctx.store).update_entry(
        entry_id=source.id, retired_at=ctx.now, merged_into_id=target.id
    )
    ctx.store.audit(
        actor_id=ctx.actor.id,
        action="knowledge_merged",
        at=ctx.now,
        detail=f"{_d(source)} into={target.id}",
    )
    return Reply(texts.KNOWLEDGE_MERGED.format(source=source.label, target=target.label))


def reviewed(ctx: Context, typed: str) -> Reply:
    """The author or an admin has read the entry through: the next review in 12 months."""
    entry = find_entry(ctx, typed)
    _in_use(entry)
    if not (ctx.actor.is_admin or ctx.actor.id == entry.author_id):
        raise UserError(texts.KNOWLEDGE_REVIEW_WHO.format(label=entry.label))
    review = review_date(local_today(ctx.now))
    knowledge_store(ctx.store).update_entry(entry_id=entry.id, review_on=review)
    ctx.store.audit(
        actor_id=ctx.actor.id, action="knowledge_reviewed", at=ctx.now, detail=_d(entry)
    )
    return Reply(texts.KNOWLEDGE_REVIEWED.format(label=entry.label, review=texts.day_label(review)))


def _d(entry: KnowledgeEntry) -> str:
    return f"entry={entry.id}"


def due_lines(entries: Sequence[KnowledgeEntry]) -> str:
    lines = [texts.KNOWLEDGE_DUE]
    lines += [
        texts.KNOWLEDGE_DUE_LINE.format(
            label=e.label, title=e.title, review=texts.day_label(e.review_on)
        )
        for e in entries
    ]
    return "\n".join([*lines, texts.KNOWLEDGE_DUE_OUTRO])


def list_due(ctx: Context) -> Reply:
    """Entries past their review date: all for an admin, one's own for an author."""
    due = knowledge_store(ctx.store).entries_due(on=local_today(ctx.now))
    if not ctx.actor.is_admin:
        due = [e for e in due if e.author_id == ctx.actor.id]
    return Reply(due_lines(due) if due else texts.KNOWLEDGE_NOTHING_DUE)


def send_review_reminders(stores: StoreFactory, clock: Clock, platforms: Sequence[str]) -> int:
    """Once a week (ISO week, Stockholm): each author gets their entries past review and
    each admin the whole list, as direct messages on every platform served. Returns the
    number of messages queued; a second run in the same week queues none."""
    now = clock()
    year, week, _ = local_today(now).isocalendar()
    with stores() as store:
        if not store.claim_job(key=f"knowledge-review:{year}-W{week:02d}", at=now):
            return 0
        due = knowledge_store(store).entries_due(on=local_today(now))
        if not due:
            return 0
        lists: dict[int, list[KnowledgeEntry]] = {}
        for entry in due:
            lists.setdefault(entry.author_id, []).append(entry)
        for person in store.people():
            if Role.ADMIN in person.roles:
                lists[person.id] = list(due)
        for person_id, entries in lists.items():
            for platform in platforms:
                store.enqueue(
                    platform=platform,
                    kind=OutboxKind.NOTICE,
                    at=now,
                    recipient_id=person_id,
                    text=due_lines(entries),
                )
        return len(lists) * len(platforms)


def statistics_lines(
    ctx: Context, *, start: datetime, end: datetime, unit_ids: Sequence[int] | None
) -> list[str]:
    """For `/statistik`: questions resolved from the bank in [start, end) in `unit_ids`
    (None: every unit), by category, the most used entries, and the entries due for review."""
    bank = knowledge_store(ctx.store)
    usage = bank.knowledge_usage(start=start, end=end, unit_ids=unit_ids)
    names = {c.slug: c.name for c in ctx.store.categories(include_inactive=True)}
    lines = [texts.KNOWLEDGE_STAT_RESOLVED.format(count=usage.resolved)]
    for slug, count in sorted(usage.by_category.items(), key=lambda item: (-item[1], item[0])):
        lines.append(
            texts.KNOWLEDGE_STAT_BY_CATEGORY.format(category=names.get(slug, slug), count=count)
        )
    if usage.top_entries:
        lines.append(texts.KNOWLEDGE_STAT_TOP)
        lines += [
            texts.KNOWLEDGE_STAT_TOP_LINE.format(
                label=f"K-{u.entry_id}", title=u.title, count=u.uses
            )
            for u in usage.top_entries
        ]
    due = bank.entries_due(on=local_today(ctx.now))
    lines.append(texts.KNOWLEDGE_STAT_DUE.format(count=len(due)))
    return lines
