"""An absence registered ahead: on its first day, from 07:00 Stockholm time, whoever now
receives the absent contact's questions and the admins get one list of her open assigned
questions with `/flytta alla …`; once, across restarts and two processes, and not again
when the absence was saved on that day or is changed. Through the core, the due job and the
database (SQLite and, when set, PostgreSQL). Monday 23 November 2026 (tests.support.Clock):
Anna is the contact for Kristianstad, Berit its backup, Maria an admin."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.scheduler import run_due_now
from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from tests import support
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:planering riktning:vård-fk Hur planerar vi?"
LISTED = "Anna Berg är frånvarande 26 nov–27 nov och har 2 frågor som väntar: "
THURSDAY_7 = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
"""07:00 in Stockholm on the absence's first day."""


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def lists(app: Bryggan, clock: Clock) -> dict[str, list[str]]:
    """The absence lists sent since the last call, per person (other notices dropped)."""
    messenger = RecordingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()
    found: dict[str, list[str]] = {}
    for person, text in messenger.notices:
        if "Flytta alla med /flytta alla" in text:
            found.setdefault(person, []).append(text)
    return found


def ahead(app: Bryggan, clock: Clock, absence: str = "/frånvaro 26/11 27/11") -> None:
    """Two questions for Anna, then her absence Thursday–Friday saved on Monday."""
    say(app, "lisa", ASK)
    say(app, "lisa", ASK)
    saved = say(app, "anna", absence)
    assert "frågor kvar" not in saved
    assert lists(app, clock) == {}


def due_at(app: Bryggan, clock: Clock, moment: datetime) -> list[str]:
    clock.now = moment
    return [k for k in run_due_now(app).sent if k.startswith("absence:")]


def test_registered_ahead_the_list_goes_out_at_seven_on_the_first_day_once(
    app: Bryggan, clock: Clock
) -> None:
    ahead(app, clock)
    assert due_at(app, clock, datetime(2026, 11, 25, 15, 0, tzinfo=UTC)) == []  # Wednesday
    assert due_at(app, clock, datetime(2026, 11, 26, 5, 59, tzinfo=UTC)) == []  # 06:59
    assert lists(app, clock) == {}
    assert due_at(app, clock, THURSDAY_7) == ["absence:assigned:1:2026-11-26"]
    told = lists(app, clock)
    assert told == {
        "berit": [LISTED + "F-2026-0001, F-2026-0002. Flytta alla med /flytta alla anna berit."],
        "maria": [LISTED + "F-2026-0001, F-2026-0002. Flytta alla med /flytta alla anna berit."],
    }
    assert due_at(app, clock, datetime(2026, 11, 26, 6, 1, tzinfo=UTC)) == []
    assert due_at(app, clock, datetime(2026, 11, 27, 6, 0, tzinfo=UTC)) == []  # Friday
    assert lists(app, clock) == {}
    assert say(app, "berit", "/flytta alla anna berit").startswith("2 frågor flyttade")


def test_after_a_stop_the_first_run_sends_it_and_a_change_does_not_again(
    app: Bryggan, clock: Clock
) -> None:
    ahead(app, clock)
    assert due_at(app, clock, datetime(2026, 11, 27, 9, 30, tzinfo=UTC)) != []  # down Thursday
    assert set(lists(app, clock)) == {"berit", "maria"}
    changed = say(app, "anna", "/frånvaro ändra 1 26/11 4/12")
    assert changed.startswith("Frånvaro nr 1 gäller nu 26 nov 2026–4 dec 2026")
    assert due_at(app, clock, datetime(2026, 11, 30, 6, 0, tzinfo=UTC)) == []
    assert lists(app, clock) == {}


def test_moved_ahead_or_cancelled_before_it_begins(app: Bryggan, clock: Clock) -> None:
    ahead(app, clock)
    say(app, "anna", "/frånvaro ändra 1 27/11 30/11")  # now Friday–Monday
    assert due_at(app, clock, THURSDAY_7) == []
    assert lists(app, clock) == {}
    assert due_at(app, clock, datetime(2026, 11, 27, 6, 0, tzinfo=UTC)) != []
    [text] = lists(app, clock)["berit"]
    assert text.startswith("Anna Berg är frånvarande 27 nov–30 nov och har 2 frågor")
    say(app, "lisa", ASK)
    say(app, "berit", "/frånvaro 7/12 8/12")
    say(app, "berit", "/frånvaro ta-bort 2")
    assert due_at(app, clock, datetime(2026, 12, 7, 6, 0, tzinfo=UTC)) == []
    assert lists(app, clock) == {}


def test_nothing_when_she_has_no_open_assigned_questions(app: Bryggan, clock: Clock) -> None:
    say(app, "anna", "/frånvaro 26/11 27/11")
    assert due_at(app, clock, THURSDAY_7) == []
    assert lists(app, clock) == {}


def test_registered_on_the_day_only_the_immediate_list_goes_out(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    say(app, "lisa", ASK)
    clock.now = datetime(2026, 11, 26, 5, 30, tzinfo=UTC)  # Thursday 06:30, before the job
    saved = say(app, "anna", "/frånvaro idag fredag")
    assert saved.endswith(
        "Du har 2 frågor kvar; Berit Ås och administratörerna har fått en lista och kan flytta dem."
    )
    assert {p: len(t) for p, t in lists(app, clock).items()} == {"berit": 1, "maria": 1}
    assert due_at(app, clock, THURSDAY_7) == []
    assert due_at(app, clock, datetime(2026, 11, 27, 6, 0, tzinfo=UTC)) == []
    assert lists(app, clock) == {}


def test_two_processes_send_one_list(app: Bryggan, clock: Clock, database_url: str) -> None:
    ahead(app, clock)
    clock.now = THURSDAY_7
    other = build(support.test_config(database_url), clock)
    try:
        runs = [threading.Thread(target=run_due_now, args=(p,)) for p in (app, other)]
        for run in runs:
            run.start()
        for run in runs:
            run.join(60)
        run_due_now(other), run_due_now(app)  # and after a restart: nothing
        assert {p: len(t) for p, t in lists(app, clock).items()} == {"berit": 1, "maria": 1}
    finally:
        other.database.engine.dispose()


def test_the_substitute_named_ahead_gets_it_with_herself_as_the_target(
    app: Bryggan, clock: Clock
) -> None:
    ahead(app, clock, "/frånvaro 26/11 27/11 ersättare @maria")
    assert due_at(app, clock, THURSDAY_7) == ["absence:assigned:1:2026-11-26"]
    assert lists(app, clock) == {
        "maria": [LISTED + "F-2026-0001, F-2026-0002. Flytta alla med /flytta alla anna maria."]
    }
