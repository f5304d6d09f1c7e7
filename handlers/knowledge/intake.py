"""Before asking: similar entries shown with the registration reply, and "Det löste min
fråga", which closes the question as answered from the bank.

The suggestion is computed after the question's transaction has committed (the adapter
calls `suggestions_after_asking` once it has the reply), in its own read transaction with
a strict time budget: it can never delay or undo the acknowledgement.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from handlers.kernel import Context, Reply, StoreFactory, UserError, texts
from handlers.knowledge.bank import find_entry
from handlers.knowledge.model import knowledge_store
from handlers.questions import close_answered_elsewhere

logger = logging.getLogger(__name__)

SUGGESTED = 3
BUDGET_MS = 300
"""The most the suggestion may take in the database; past it none is shown."""


@dataclass(frozen=True)
class Suggestion:
    """Entries like a question just registered: their labels and the text to show."""

    ref: str
    labels: tuple[str, ...]
    text: str


def suggestion_for(
    stores: StoreFactory, ref: str | None, *, budget_ms: int = BUDGET_MS
) -> Suggestion | None:
    """At most three entries like the question `ref` (its category counts); None when
    nothing fits or the budget ran out."""
    if ref is None:
        return None
    try:
        with stores() as store:
            question = store.question_by_ref(ref=ref)
            if question is None or not question.text:
                return None
            hits = knowledge_store(store).search_entries(
                query=question.text,
                category=question.category,
                limit=SUGGESTED,
                budget_ms=budget_ms,
            )
    except Exception:  # a suggestion is a courtesy: the question is already registered
        logger.exception("knowledge suggestions failed")
        return None
    if not hits:
        return None
    lines = [texts.KNOWLEDGE_SUGGESTIONS]
    lines += [
        texts.KNOWLEDGE_SUGGESTION.format(label=hit.entry.label, title=hit.entry.title)
        for hit in hits
    ]
    lines.append(texts.KNOWLEDGE_SUGGESTIONS_OUTRO.format(ref=question.ref))
    labels = tuple(hit.entry.label for hit in hits)
    return Suggestion(question.ref, labels, "\n".join(lines))


def suggestions_after_asking(
    stores: StoreFactory, ref: str | None, *, budget_ms: int = BUDGET_MS
) -> str | None:
    """The suggestion's text, to show the asker after the registration reply."""
    found = suggestion_for(stores, ref, budget_ms=budget_ms)
    return found.text if found else None


def resolved_by_entry(ctx: Context, ref: str | None, typed_entry: str) -> Reply:
    """The asker says an entry answered the question: it is closed as answered from the
    bank, and the use is counted for the entry and the question's category."""
    entry = find_entry(ctx, typed_entry)
    if entry.retired_at is not None:
        raise UserError(texts.KNOWLEDGE_ALREADY_RETIRED.format(label=entry.label))
    question = close_answered_elsewhere(
        ctx,
        ref,
        thread_note=texts.KNOWLEDGE_RESOLVED_THREAD.format(label=entry.label, title=entry.title),
        notice=texts.KNOWLEDGE_NOTICE_RESOLVED.replace("{label}", entry.label),
    )
    knowledge_store(ctx.store).record_use(
        entry_id=entry.id,
        question_id=question.id,
        unit_id=question.unit_id,
        category=question.category,
        at=ctx.now,
    )
    return Reply(
        texts.KNOWLEDGE_RESOLVED.format(label=entry.label, ref=question.ref), ref=question.ref
    )
