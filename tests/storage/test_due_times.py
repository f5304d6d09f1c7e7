"""The stored due times: a question the due job read is not given a stale time when its
status or deadline changed in between, and the read goes by due time, in batches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import Status
from handlers.meetings.scheduling import due_store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def ask(app: Bryggan, count: int) -> None:
    for number in range(count):
        reply = app.core.handle(Request("console", "lisa", f"/fråga kategori:sgi Fråga {number}"))
        assert reply is not None and reply.accepted


def test_a_change_after_the_read_keeps_the_question_due(app: Bryggan) -> None:
    ask(app, 2)
    with app.core.stores() as opened:
        read = due_store(opened).due_questions(until=NOW, after=None, limit=10)
    assert [q.ref for q, _ in read] == ["F-2026-0001", "F-2026-0002"]
    with app.core.stores() as opened:  # someone claims the first one meanwhile
        opened.update_question(question_id=read[0][0].id, status=Status.TAGEN)
    later = NOW + timedelta(days=3)
    with app.core.stores() as opened:
        due_store(opened).set_due_times(times=[(q, later) for q, _ in read])
    with app.core.stores() as opened:
        store = due_store(opened)
        assert [q.ref for q, _ in store.due_questions(until=NOW, after=None, limit=10)] == [
            "F-2026-0001"
        ]
        assert [q.ref for q, _ in store.due_questions(until=later, after=None, limit=10)] == [
            "F-2026-0001",
            "F-2026-0002",
        ]


def test_a_deadline_set_after_the_read_keeps_the_question_due(app: Bryggan) -> None:
    ask(app, 1)
    with app.core.stores() as opened:
        read = due_store(opened).due_questions(until=NOW, after=None, limit=10)
    with app.core.stores() as opened:
        opened.update_question(question_id=read[0][0].id, deadline=date(2026, 12, 3))
    with app.core.stores() as opened:
        due_store(opened).set_due_times(times=[(read[0][0], None)])
    with app.core.stores() as opened:
        assert len(due_store(opened).due_questions(until=NOW, after=None, limit=10)) == 1


def test_the_read_goes_in_batches_by_due_time_then_id(app: Bryggan) -> None:
    ask(app, 5)
    with app.core.stores() as opened:
        store = due_store(opened)
        first = store.due_questions(until=NOW, after=None, limit=2)
        second = store.due_questions(until=NOW, after=(first[-1][1], first[-1][0].id), limit=2)
        third = store.due_questions(until=NOW, after=(second[-1][1], second[-1][0].id), limit=2)
    assert [[q.ref[-1] for q, _ in batch] for batch in (first, second, third)] == [
        ["1", "2"],
        ["3", "4"],
        ["5"],
    ]
