"""Purging free text a set number of days after a question is closed, everywhere it went.

The anonymous facts (category, direction, unit, timestamps, status) stay for statistics.
The text goes from the question and its thread messages, from every outbox row about the
question (sent or waiting) and from agenda points that name it, in one transaction; in the
same transaction the outbox gets a card update (the card then shows the purge mark) and a
`PURGE_EDIT` entry that edits Bryggan's own thread posts that quoted the text. Both are
delivered like every post: durably, retried, once.

A question answered but never closed would keep its text for ever; with
`close_answered_after` set it is closed automatically that long after its answer (the
asker is told and may reopen it), and the rule then applies to it too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.kernel import Clock, OutboxKind, Status, Store, StoreFactory, texts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeCandidate:
    """A question whose text would be purged now, for `bryggan purge --dry-run`."""

    ref: str
    messages: int
    """Thread messages that still hold text."""
    posts: int
    """Bryggan's own chat posts that quote the text and would be edited."""


@dataclass(frozen=True)
class PurgePreview:
    """What a purge would do now, without the text itself."""

    to_close: tuple[str, ...]
    """References of answered questions that would be closed first."""
    to_purge: tuple[PurgeCandidate, ...]


def close_answered(store: Store, now: datetime, *, after_days: int) -> list[str]:
    """Close questions answered more than `after_days` ago and never closed; the asker is
    told, and the card shows it. Returns their references."""
    closed = []
    for question_id in store.answered_before(cutoff=now - timedelta(days=after_days)):
        question = store.update_question(
            question_id=question_id, status=Status.STANGD, closed_at=now
        )
        store.audit(actor_id=None, action="auto_closed", at=now, question_id=question.id)
        for kind, recipient, text in (
            (OutboxKind.CARD_UPDATE, None, None),
            (
                OutboxKind.NOTICE,
                question.asker_id,
                texts.NOTICE_AUTO_CLOSED.format(
                    ref=question.ref, days=texts.plural(after_days, *texts.NOUNS["day"])
                ),
            ),
        ):
            store.enqueue(
                platform=question.origin_platform,
                kind=kind,
                at=now,
                question_id=question.id,
                recipient_id=recipient,
                text=text,
            )
        closed.append(question.ref)
    return closed


def purge_text(store: Store, now: datetime, *, days: int) -> int:
    """Purge the text of questions closed more than `days` days ago, and of agenda points,
    notes and sent posts older than that; queue the edits of the chat posts."""
    cutoff = now - timedelta(days=days)
    ids = store.closed_before(cutoff=cutoff)
    store.purge_pulse_text(before=cutoff)
    store.clear_sent_text(before=cutoff)
    if not ids:
        return 0
    purged = store.purge_free_text(question_ids=ids, at=now)
    store.purge_quoted_text(question_ids=ids)
    for question_id in ids:
        location = store.question(question_id=question_id).location
        if location is None:
            continue  # the card never went out; it is drawn purged if it ever does
        for kind in (OutboxKind.CARD_UPDATE, OutboxKind.PURGE_EDIT):
            store.enqueue(platform=location.platform, kind=kind, at=now, question_id=question_id)
    store.audit(actor_id=None, action="purged", at=now, detail=f"count={purged}")
    return purged


def purge_closed_questions(
    stores: StoreFactory, clock: Clock, *, days: int, close_answered_after: int | None = None
) -> int:
    """Close long-answered questions (when `close_answered_after` days are set), then purge
    the text of questions closed more than `days` days ago. Returns how many were purged."""
    now = clock()
    with stores() as store:
        closed = []
        if close_answered_after:
            closed = close_answered(store, now, after_days=close_answered_after)
        purged = purge_text(store, now, days=days)
    if closed:
        logger.info("closed %d questions answered long ago", len(closed))
    if purged:
        logger.info("purged free text of %d closed questions", purged)
    return purged


def preview_purge(
    stores: StoreFactory, clock: Clock, *, days: int, close_answered_after: int | None = None
) -> PurgePreview:
    """What `purge_closed_questions` would do now; nothing is changed."""
    now = clock()
    with stores() as store:
        closing: list[int] = []
        if close_answered_after:
            cutoff = now - timedelta(days=close_answered_after)
            closing = store.answered_before(cutoff=cutoff)
        ids = store.closed_before(cutoff=now - timedelta(days=days))
        # A question closed now is purged only `days` later, so none of `closing` is here.
        candidates = []
        for question_id in ids:
            messages, posts = store.purge_counts(question_ids=[question_id])
            ref = store.question(question_id=question_id).ref
            candidates.append(PurgeCandidate(ref, messages, posts))
        refs = tuple(store.question(question_id=i).ref for i in closing)
    return PurgePreview(refs, tuple(candidates))
