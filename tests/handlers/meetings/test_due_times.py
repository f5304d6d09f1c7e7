"""The due job reads only the questions that fall due or changed, and still finds exactly
the right ones: after claims, answers and reopenings, a moved deadline, a restart, downtime,
changed SLA settings, and keys the earlier full-scan job already claimed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from bot.pulse_config import schedule_settings
from bot.wiring import Bryggan, build
from handlers.meetings import run_due
from tests import support
from tests.handlers.meetings.pulse_support import Posts, at, say
from tests.support import Clock

ASK = "/fråga kategori:sgi Hur påverkas SGI vid deltid?"


def ask_many(app: Bryggan, clock: Clock, count: int, first: int = 0) -> None:
    """`count` questions to Kristianstad (Anna), one a minute from Monday 23 Nov 09:`first`."""
    for number in range(first, first + count):
        clock.now = at(2026, 11, 23, 9 + number // 60, number % 60)
        say(app, "lisa", f"/fråga kategori:sgi Fråga nummer {number}")


@contextmanager
def statements(app: Bryggan) -> Iterator[list[str]]:
    """The SQL statements run against the database inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(app.database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.database.engine, "before_cursor_execute", record)


def refs_reminded(posts: Posts) -> list[str]:
    """The questions each notice reminds of (a digest names several), in order."""
    refs: list[str] = []
    for _, text in posts.messenger.notices:
        refs += dict.fromkeys(re.findall(r"F-\d{4}-\d{4}", text))
    return refs


def test_a_quiet_minute_reads_no_question_and_a_due_one_reads_only_that(
    app: Bryggan, clock: Clock
) -> None:
    ask_many(app, clock, 3)
    posts = Posts(app, clock)
    assert posts.run(at(2026, 11, 23, 9, 40)).questions_read == 3  # new: each looked at once
    with statements(app) as few:
        assert posts.run(at(2026, 11, 23, 9, 41)).questions_read == 0
    ask_many(app, clock, 40, first=42)  # F-2026-0004 … F-2026-0043, 09:42 to 10:21
    assert posts.run(at(2026, 11, 23, 10, 30)).questions_read == 40
    with statements(app) as many:
        assert posts.run(at(2026, 11, 23, 10, 31)).questions_read == 0
    assert len(many) == len(few)  # 43 open questions cost what 3 did
    posts.clear()
    report = posts.run(at(2026, 11, 23, 17, 0))  # F-0001, asked 09:00: 8 working hours
    assert report.questions_read == 1
    assert report.sent == ["sla:F-2026-0001:remind"]
    assert refs_reminded(posts) == ["F-2026-0001"]
    posts.clear()
    report = posts.run(at(2026, 11, 24, 8, 2))  # asked 09:01 and 09:02: due 08:01 and 08:02
    assert refs_reminded(posts) == ["F-2026-0002", "F-2026-0003"]
    assert report.questions_read == 2


def test_a_catch_up_reads_batch_after_batch(
    app: Bryggan, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("handlers.meetings.scheduling.QUESTION_BATCH", 2)
    ask_many(app, clock, 5)
    posts = Posts(app, clock)
    posts.drain()
    posts.clear()
    report = posts.run(at(2026, 11, 24, 9, 0))  # never run before; all five reminders due
    assert report.questions_read == 5
    assert report.missed == ["sla:F-2026-0001:remind"]  # due 17:00 yesterday, beyond grace
    assert sorted(refs_reminded(posts)) == [f"F-2026-000{n}" for n in range(2, 6)]
    assert posts.run(at(2026, 11, 24, 9, 1)).questions_read == 0


def test_claimed_answered_and_reopened(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2026, 11, 23, 9, 0)
    say(app, "lisa", ASK.replace("sgi", "sgi frist:3/12"))
    posts = Posts(app, clock)
    posts.run(at(2026, 11, 23, 9, 30))
    clock.now = at(2026, 11, 23, 10, 0)
    say(app, "anna", "/ta F-2026-0001")
    say(app, "anna", "/svara F-2026-0001 Ingen påverkan.")
    posts.run(at(2026, 11, 23, 10, 1))
    posts.clear()
    assert posts.run(at(2026, 11, 23, 17, 0)).sent == []  # claimed: no SLA reminder
    assert posts.run(at(2026, 12, 2, 9, 0)).sent == []  # answered: no deadline reminder
    clock.now = at(2026, 12, 2, 9, 30)
    say(app, "lisa", "/återöppna F-2026-0001")
    posts.drain()
    posts.clear()
    report = posts.run(at(2026, 12, 2, 9, 31))  # reopened: the deadline reminder is due again
    assert report.sent == ["sla:F-2026-0001:deadline:2026-12-03"]
    assert [key for key, _ in posts.messenger.notices] == ["anna"]
    assert "har frist 3 dec 2026" in posts.messenger.notices[0][1]
    assert posts.run(at(2026, 12, 2, 9, 32)).questions_read == 0


def test_a_deadline_moved_earlier_moves_its_reminder(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2026, 11, 23, 9, 0)
    say(app, "lisa", ASK.replace("sgi", "sgi frist:10/12"))
    say(app, "anna", "/ta F-2026-0001")
    posts = Posts(app, clock)
    posts.run(at(2026, 11, 23, 9, 30))  # its next look is set for 9 December
    with app.core.stores() as store:
        question = store.question_by_ref(ref="F-2026-0001")
        assert question is not None
        store.update_question(question_id=question.id, deadline=date(2026, 12, 3))
    posts.drain()
    posts.clear()
    assert posts.run(at(2026, 12, 2, 8, 59)).sent == []
    report = posts.run(at(2026, 12, 2, 9, 0))
    assert report.sent == ["sla:F-2026-0001:deadline:2026-12-03"]
    assert "har frist 3 dec 2026" in posts.messenger.notices[0][1]
    posts.clear()
    assert posts.run(at(2026, 12, 9, 9, 0)).sent == []  # nothing for the old deadline


def test_a_restart_keeps_the_due_times_and_downtime_is_logged_once(
    app: Bryggan, clock: Clock, database_url: str
) -> None:
    ask_many(app, clock, 2)
    Posts(app, clock).run(at(2026, 11, 23, 9, 30))
    app.database.engine.dispose()
    restarted = build(support.test_config(database_url), clock)
    try:
        posts = Posts(restarted, clock)
        assert posts.run(at(2026, 11, 23, 16, 59)).questions_read == 0
        assert posts.run(at(2026, 11, 23, 17, 0)).sent == ["sla:F-2026-0001:remind"]
        assert posts.run(at(2026, 11, 23, 17, 1)).sent == []
        restarted.database.engine.dispose()  # down from Monday evening to Wednesday
        again = build(support.test_config(database_url), clock)
        posts = Posts(again, clock)
        posts.clear()
        report = posts.run(at(2026, 11, 25, 10, 0))
        assert report.sent == []
        assert sorted(report.missed) == [
            "sla:F-2026-0001:escalate",
            "sla:F-2026-0002:escalate",
            "sla:F-2026-0002:remind",
        ]
        assert posts.messenger.notices == []
        report = posts.run(at(2026, 11, 25, 10, 1))
        assert (report.missed, report.questions_read) == ([], 0)
        again.database.engine.dispose()
    finally:
        restarted.database.engine.dispose()


def test_changed_sla_settings_recompute_the_stored_times(
    app: Bryggan, clock: Clock, database_url: str
) -> None:
    clock.now = at(2026, 11, 23, 9, 0)
    say(app, "lisa", ASK)
    Posts(app, clock).run(at(2026, 11, 23, 9, 1))  # stored: 17:00, after 8 working hours
    app.database.engine.dispose()
    shorter = build(support.test_config(database_url, "[sla]\nworking_hours = 2\n"), clock)
    try:
        posts = Posts(shorter, clock)
        assert posts.run(at(2026, 11, 23, 10, 59)).sent == []
        assert posts.run(at(2026, 11, 23, 11, 0)).sent == ["sla:F-2026-0001:remind"]
        assert refs_reminded(posts) == ["F-2026-0001"]
    finally:
        shorter.database.engine.dispose()


def test_keys_claimed_by_the_earlier_job_are_not_sent_again(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2026, 11, 23, 9, 0)
    say(app, "lisa", ASK)
    with app.core.stores() as store:  # as the full-scan job before 0004 left it
        store.claim_job(key="sla:F-2026-0001:remind", at=at(2026, 11, 23, 17, 0))
    posts = Posts(app, clock)
    posts.drain()
    posts.clear()
    assert posts.run(at(2026, 11, 23, 17, 0)).sent == []
    assert posts.messenger.notices == []
    assert posts.run(at(2026, 11, 24, 12, 0)).sent == ["sla:F-2026-0001:escalate"]


def test_a_reminder_that_failed_is_sent_the_next_minute(
    app: Bryggan, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = at(2026, 11, 23, 9, 0)
    say(app, "lisa", ASK)
    posts = Posts(app, clock)
    posts.run(at(2026, 11, 23, 9, 1))
    posts.clear()
    clock.now = at(2026, 11, 23, 17, 0)
    settings = schedule_settings(app.config)
    failed = run_due(app.core.stores, clock, (), settings)  # no platform to post to: it fails
    assert failed.failed == {"sla:F-2026-0001:remind"} and failed.sent == []
    assert "sla:F-2026-0001:remind failed; it is retried next minute" in caplog.text
    report = posts.run(at(2026, 11, 23, 17, 1))
    assert report.sent == ["sla:F-2026-0001:remind"]
    assert refs_reminded(posts) == ["F-2026-0001"]
