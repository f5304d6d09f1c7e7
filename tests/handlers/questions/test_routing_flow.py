"""Routing as the asker and contact see it, through the core and the database."""

from __future__ import annotations

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:planering riktning:vård-fk Hur planerar vi?"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def test_substitute_named_in_the_reply_and_notice(app: Bryggan, clock: Clock) -> None:
    """Anna serves Kristianstad and Hässleholm (vård → FK): only an admin may receive both
    units' questions, so Maria stands in."""
    assert "Frånvaro registrerad" in say(app, "anna", "/frånvaro 20/11 14/12 ersättare @maria")
    messenger = RecordingMessenger()
    reply = say(app, "lisa", ASK)
    assert "Till Maria Lund, som ersätter Anna Berg (frånvarande t.o.m. 14 dec)." in reply
    OutboxSender(app.core.stores, messenger, clock).drain()
    assert messenger.notices[0][0] == "maria"
    assert "ersätter Anna Berg" in messenger.notices[0][1]


def test_backup_when_contact_absent(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 2026-11-20 2026-11-30")
    assert "Till Berit Ås, reserv för Anna Berg (frånvarande t.o.m. 30 nov)." in say(
        app, "lisa", ASK
    )


def test_unassigned_tells_admins(app: Bryggan, clock: Clock) -> None:
    say(app, "anna", "/frånvaro 20/11 30/11")
    say(app, "berit", "/frånvaro 20/11 30/11")
    reply = say(app, "lisa", ASK)
    assert "otilldelad" in reply and "Administratörerna får besked" in reply
    messenger = RecordingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()
    assert [who for who, _ in messenger.notices] == ["maria"]
    assert messenger.cards[0][1].assignee is None


def test_load_balancing_between_shared_contacts(app: Bryggan) -> None:
    ask = "/fråga enhet:hassleholm kategori:regler riktning:vård-fk Fråga"
    replies = [say(app, "lisa", ask) for _ in range(4)]
    assigned = [("Anna" in r, "Sofia" in r) for r in replies]
    assert assigned == [(True, False), (False, True), (True, False), (False, True)]
    assert "som har minst att göra" in replies[0]


def test_fk_side_asker_defaults_to_fk_direction(app: Bryggan) -> None:
    reply = say(app, "karl", "/fråga enhet:kristianstad kategori:prognos Hur ser prognosen ut?")
    assert "Till Rut Nilsson" in reply


def test_channel_of_a_unit_defaults_the_unit(app: Bryggan) -> None:
    reply = app.core.handle(
        Request(
            "console", "olle", "/fråga kategori:regler riktning:vård-fk X", channel="hassleholm"
        )
    )
    assert reply is not None and "Vuxenpsykiatri Hässleholm" in reply.text


def test_unassigned_questions_wait_for_every_contact_of_the_unit(app: Bryggan) -> None:
    say(app, "anna", "/frånvaro 20/11 30/11")
    say(app, "berit", "/frånvaro 20/11 30/11")
    say(app, "lisa", ASK)
    waiting = say(app, "berit", "/frågor")
    assert waiting.startswith("Väntar på dig:\n• F-2026-0001 · ny, otilldelad")
    # Rut is the unit's contact for FK → vård: she sees it is not hers to take (#12).
    assert say(app, "rut", "/frågor") == "Du har inga öppna frågor just nu."
    assert "går vård → FK" in say(app, "rut", "/ta F-2026-0001")
    assert "Du har tagit" in say(app, "berit", "/ta F-2026-0001")
    assert say(app, "berit", "/frågor").startswith("Väntar på dig:\n• F-2026-0001 · tagen ·")
