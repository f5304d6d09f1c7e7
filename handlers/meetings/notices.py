"""The questions' reminders, escalations and deadline reminders as notices to people: one
notice per person and moment.

The due job hands over every question item that falls due in one run; each is claimed
(`claim_job`, its own key) and its notices queued in one transaction, grouped by person: a
person with one question gets the plain reminder, one with several a digest ("3 frågor
väntar på dig: F-…, F-…, F-…"). So each reminder still goes out once, across restarts and
two processes, and nobody gets ten messages at 08:00. Each notice is noted with its
questions, so that the outbox drops or rewrites it if they are taken meanwhile (`recheck`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from handlers.kernel import OutboxKind, Question, Role, StoreFactory, texts
from handlers.meetings.model import MeetingStore, meeting_store
from handlers.meetings.purposes import enqueue_noted
from handlers.meetings.reminders import Decision, DueItem, DueKind, ScheduleSettings, decide

logger = logging.getLogger(__name__)

NOTICE_PREFIX = "notice:"
"""The purpose of a question notice: `notice:remind=12,deadline=17@2026-12-03`."""

_Part = tuple[DueItem, Question, str]


def missed(store: MeetingStore, item: DueItem, now: datetime) -> None:
    """Log a due thing that is too late to send (a warning and an audit entry)."""
    late = now - item.due_at
    logger.warning("missed %s (due %s, %s ago): not sent", item.key, item.due_at, late)
    store.audit(actor_id=None, action="job_missed", at=now, detail=item.key)


def run_question_items(
    stores: StoreFactory,
    items: Sequence[DueItem],
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> tuple[list[str], list[str], set[str]]:
    """Claim the due items, log the missed ones and queue the rest as one notice per
    person; returns the keys sent, the keys missed and the platforms posted to. Raises
    (nothing is kept) when the transaction fails: the caller retries them next minute."""
    sent: list[str] = []
    lost: list[str] = []
    with stores() as opened:
        store = meeting_store(opened)
        due: list[tuple[DueItem, Question]] = []
        for item in items:
            decision = decide(item, now, settings.grace)
            if decision in (Decision.WAIT, Decision.SKIP) or not store.claim_job(
                key=item.key, at=now
            ):
                continue
            if decision == Decision.MISSED:
                missed(store, item, now)
                lost.append(item.key)
                continue
            assert item.question_id is not None
            due.append((item, store.question(question_id=item.question_id)))
            sent.append(item.key)
        used = _queue(store, due, now, platforms, settings)
    return sent, lost, used


def _queue(
    store: MeetingStore,
    due: Sequence[tuple[DueItem, Question]],
    now: datetime,
    platforms: Sequence[str],
    settings: ScheduleSettings,
) -> set[str]:
    per_person: dict[tuple[str, int], list[_Part]] = defaultdict(list)
    for item, question in due:
        recipients, text = _notice(store, question, item, settings)
        platform = question.origin_platform if question.origin_platform in platforms else None
        for person_id in recipients:
            per_person[(platform or platforms[0], person_id)].append((item, question, text))
        store.audit(actor_id=None, action=f"sla_{item.kind.value}", at=now, question_id=question.id)
    for (platform, person_id), parts in per_person.items():
        single = parts[0][2] if len(parts) == 1 else None
        text = single or digest_text(store, [(i.kind.value, q) for i, q, _ in parts])
        enqueue_noted(
            store,
            NOTICE_PREFIX + ",".join(_purpose(i, q) for i, q, _ in parts),
            platform=platform,
            kind=OutboxKind.NOTICE,
            at=now,
            question_id=parts[0][1].id if single else None,
            recipient_id=person_id,
            text=text,
        )
    return {platform for platform, _ in per_person}


def _purpose(item: DueItem, question: Question) -> str:
    part = f"{item.kind.value}={question.id}"
    if item.kind == DueKind.DEADLINE and question.deadline is not None:
        part += f"@{question.deadline.isoformat()}"
    return part


def digest_text(store: MeetingStore, parts: Sequence[tuple[str, Question]]) -> str:
    """One notice for several questions: a line each, and how to act on them."""
    names = {c.slug: c.name for c in store.categories(include_inactive=True)}
    lines = []
    for kind, question in parts:
        why = texts.SLA_DIGEST_WHY[kind]
        if kind == "remind" and question.assignee_id is None:
            why = texts.SLA_DIGEST_WHY["unassigned"]
        lines.append(
            texts.SLA_DIGEST_LINE.format(
                ref=question.ref,
                category=names.get(question.category, question.category),
                unit=store.unit(unit_id=question.unit_id).name,
                why=why.format(
                    asked=texts.time_label(question.created_at),
                    deadline=texts.day_label(question.deadline) if question.deadline else "",
                ),
            )
        )
    refs = [q.ref for _, q in parts]
    return texts.SLA_DIGEST.format(
        count=texts.plural(len(refs), *texts.NOUNS["question"]),
        refs=", ".join(refs),
        lines="\n".join(lines),
        ref=refs[0],
    )


def _notice(
    store: MeetingStore, question: Question, item: DueItem, settings: ScheduleSettings
) -> tuple[list[int], str]:
    """Who is told, and what: the assignee (the admins when there is none), or on
    escalation the unit's backups and the admins."""
    unit = store.unit(unit_id=question.unit_id)
    category = {c.slug: c.name for c in store.categories(include_inactive=True)}
    facts = {
        "ref": question.ref,
        "category": category.get(question.category, question.category),
        "unit": unit.name,
        "asked": texts.time_label(question.created_at),
    }
    admins = [p.id for p in store.people() if Role.ADMIN in p.roles]
    if item.kind == DueKind.SLA_ESCALATE:
        told = list(dict.fromkeys([*_backups(store, question), *admins]))
        assignee = (
            texts.SLA_WITH.format(name=store.person(person_id=question.assignee_id).name)
            if question.assignee_id
            else texts.SLA_NOBODY
        )
        hours = settings.sla.hours_for(unit.slug) + settings.sla.escalate_after_hours
        working_hours = texts.plural(hours, *texts.NOUNS["working_hour"])
        text = texts.SLA_ESCALATE.format(**facts, hours=working_hours, assignee=assignee)
        return [p for p in told if p != question.assignee_id], text
    if question.assignee_id is None:
        return admins, texts.SLA_REMIND_UNASSIGNED.format(**facts)
    template = texts.DEADLINE_REMIND if item.kind == DueKind.DEADLINE else texts.SLA_REMIND
    deadline = texts.day_label(question.deadline) if question.deadline else ""
    return [question.assignee_id], template.format(**facts, deadline=deadline)


def _backups(store: MeetingStore, question: Question) -> list[int]:
    return [
        c.person_id
        for c in store.unit_contacts(unit_id=question.unit_id)
        if c.backup and c.direction == question.direction
    ]
