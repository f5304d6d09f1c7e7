"""Reminders for several questions come as one notice per person and moment, once across
two processes; a queued reminder is checked again when the outbox sends it: dropped when
the question was taken or the meeting moved, rewritten when only some still apply, marked
late when it waited through a stop."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.scheduler import run_due_now
from bot.wiring import Bryggan, build
from handlers.kernel import texts
from storage.models import OutboxRow
from tests import support
from tests.handlers.meetings.pulse_support import SERIES, Posts, at, audit_details, say
from tests.support import Clock

DUE = at(2026, 11, 23, 17, 0)
"""Questions asked at 08:57-08:59 on Monday are 8 working hours old by 17:00."""


MONDAY = at(2026, 11, 23, 8, 57)


def ask(app: Bryggan, clock: Clock, count: int, first: datetime = MONDAY) -> Posts:
    """`count` questions to Kristianstad (Anna), one a minute from `first`."""
    for number in range(count):
        clock.now = first + timedelta(minutes=number)
        say(app, "lisa", f"/fråga kategori:sgi Fråga nummer {number}")
    posts = Posts(app, clock)
    posts.drain()
    posts.clear()
    return posts


def pending(app: Bryggan) -> int:
    with app.database.session() as session:
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        return int(session.scalar(query) or 0)


def test_three_due_questions_come_as_one_notice(app: Bryggan, clock: Clock) -> None:
    posts = ask(app, clock, 3)
    report = posts.run(DUE)
    assert len(report.sent) == 3
    [(person, text)] = posts.messenger.notices
    assert person == "anna"
    assert text.startswith(
        "⏰ 3 frågor väntar på dig: F-2026-0001, F-2026-0002, F-2026-0003.\n"
        "• F-2026-0001 (SGI och övriga förmåner, Vuxenpsykiatri Kristianstad): inte tagen än, "
        "ställd 23 nov 2026 08:57\n"
    )
    assert text.endswith(
        "Ta en med /ta F-2026-0001, lämna över den med /flytta F-2026-0001 "
        "@person eller svara med /svara F-2026-0001 <text>."
    )
    posts.clear()
    assert posts.run(at(2026, 11, 23, 17, 6)).sent == []
    assert posts.messenger.notices == []


def test_one_due_question_is_one_plain_reminder(app: Bryggan, clock: Clock) -> None:
    posts = ask(app, clock, 1)
    posts.run(DUE)
    [(person, text)] = posts.messenger.notices
    assert person == "anna" and text.startswith("⏰ F-2026-0001 (SGI och övriga förmåner")
    assert "frågor väntar" not in text and "1 frågor" not in text


def test_two_processes_send_one_digest(app: Bryggan, clock: Clock, database_url: str) -> None:
    ask(app, clock, 3)
    clock.now = DUE
    other = build(support.test_config(database_url), clock)
    try:
        runs = [threading.Thread(target=run_due_now, args=(p,)) for p in (app, other)]
        for run in runs:
            run.start()
        for run in runs:
            run.join(60)
        run_due_now(other), run_due_now(app)  # and a minute later, after a restart: nothing
        posts = Posts(app, clock)
        posts.drain()
        assert [p for p, _ in posts.messenger.notices] == ["anna"]
    finally:
        other.database.engine.dispose()


@pytest.mark.parametrize(
    "change",
    ["/ta F-2026-0001", "/svara F-2026-0001 SGI påverkas inte.", "/stäng F-2026-0001"],
)
def test_a_reminder_for_a_question_taken_answered_or_closed_meanwhile_is_dropped(
    app: Bryggan, clock: Clock, change: str
) -> None:
    posts = ask(app, clock, 1)
    clock.now = DUE
    assert run_due_now(app).sent == ["sla:F-2026-0001:remind"]  # queued, not yet sent
    assert "F-2026-0001" in say(app, "anna", change)
    posts.drain()
    assert [t for p, t in posts.messenger.notices if p == "anna" and t.startswith("⏰")] == []
    assert pending(app) == 0
    assert audit_details(app, "outbox_dropped") == ["notice:remind=1"]


def test_a_digest_is_rewritten_to_the_questions_still_waiting(app: Bryggan, clock: Clock) -> None:
    posts = ask(app, clock, 3)
    clock.now = DUE
    run_due_now(app)
    say(app, "anna", "/ta F-2026-0002")
    posts.clear()
    posts.drain()
    [digest] = [t for p, t in posts.messenger.notices if p == "anna" and t.startswith("⏰")]
    assert digest.startswith("⏰ 2 frågor väntar på dig: F-2026-0001, F-2026-0003.\n")
    assert "F-2026-0002" not in digest


@pytest.mark.parametrize(
    ("change", "announced"),
    [
        ("/puls flytta 26/11 till 27/11 kl 10", "är flyttat till"),
        ("/puls ställ in 26/11", "är inställt"),
    ],
)
def test_a_meeting_reminder_for_a_moved_or_cancelled_date_is_dropped(
    app: Bryggan, clock: Clock, change: str, announced: str
) -> None:
    say(app, "maria", SERIES)
    posts = Posts(app, clock)
    posts.drain()
    clock.now = at(2026, 11, 25, 15, 0)
    assert "puls:1:2026-11-26T12:00Z:reminder:d1-1500" in run_due_now(app).sent
    say(app, "maria", change)
    posts.clear()
    posts.drain()
    assert [t for t in posts.channel("kristianstad") if t.startswith("⏰")] == []
    assert announced in posts.channel("kristianstad")[0]
    assert "puls:1:2026-11-26T12:00Z:reminder:d1-1500" in audit_details(app, "outbox_dropped")


def test_after_a_long_stop_a_passed_meeting_is_not_reminded_and_a_question_is_marked_late(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "maria", SERIES)
    ask(app, clock, 1, at(2026, 11, 24, 16, 0))  # 1 + 7 working hours: Wednesday 15:00
    clock.now = at(2026, 11, 25, 15, 0)  # the day-before reminder and the question's, queued
    run_due_now(app)
    clock.now = at(2026, 11, 28, 10, 0)  # the bot stopped before sending; back on Saturday
    posts = Posts(app, clock)
    posts.drain()
    assert [t for t in posts.channel("kristianstad") if t.startswith("⏰")] == []
    [late] = [t for p, t in posts.messenger.notices if p == "anna"]
    assert late.startswith(texts.QUEUED_LATE.format(when="25 nov 2026 15:00") + "⏰ F-2026-0001")
