"""The life of a question through the core, on a real database."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel import texts
from handlers.kernel.model import Status
from storage.models import AuditRow, MessageRow, PersonRow, QuestionRow
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Hur påverkas SGI vid 50 %?"


def say(app: Bryggan, user: str, text: str, **where: str) -> str:
    reply = app.core.handle(Request("console", user, text, **where))
    assert reply is not None
    return reply.text


def question(app: Bryggan, ref: str = "F-2026-0001") -> QuestionRow:
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == ref))
        assert row is not None
        session.expunge(row)
        return row


def test_ask_claim_answer_close(app: Bryggan, clock: Clock) -> None:
    messenger = RecordingMessenger()
    sender = OutboxSender(app.core.stores, messenger, clock)

    reply = say(app, "lisa", ASK)
    assert reply.startswith("Tack! Din fråga F-2026-0001 är registrerad.")
    assert "Till Anna Berg, kontaktperson för Vuxenpsykiatri Kristianstad." in reply
    assert sender.drain() == 2
    channel, card = messenger.cards[0]
    assert channel == "kristianstad"
    assert card.category == "SGI och övriga förmåner" and card.direction == "vård → FK"
    assert card.assignee is not None and card.assignee.name == "Anna Berg"
    assert messenger.notices[0][0] == "anna" and "F-2026-0001" in messenger.notices[0][1]

    clock.advance(minutes=5)
    assert "Du har tagit F-2026-0001" in say(app, "anna", "/ta F-2026-0001")
    clock.advance(minutes=10)
    assert "sparat" in say(app, "anna", "/svara F-2026-0001 Ingen påverkan på SGI.")
    sender.drain()
    assert messenger.updates[-1].status == Status.BESVARAD
    assert "Ingen påverkan på SGI." in messenger.thread[0][1]
    answered = "Anna Berg har svarat på din fråga F-2026-0001."
    assert ("lisa", answered + texts.HELPED_PROMPT.format(ref="F-2026-0001")) in messenger.notices

    clock.advance(minutes=1)
    assert say(app, "anna", "/stäng F-2026-0001") == "F-2026-0001 är stängd."
    row = question(app)
    assert row.status == "stangd"
    assert row.created_at < row.claimed_at < row.answered_at < row.closed_at  # type: ignore[operator]
    assert row.first_response_at == row.answered_at
    with app.database.session() as session:
        actions = list(session.scalars(select(AuditRow.action).order_by(AuditRow.id)))
        assert actions == ["asked", "claimed", "answered", "closed"]
        details = " ".join(session.scalars(select(AuditRow.detail)))
        assert "SGI" not in details


def assignee_id(app: Bryggan, key: str) -> int:
    with app.database.session() as session:
        found = session.scalar(select(PersonRow.id).where(PersonRow.key == key))
        assert found is not None
        return found


def test_references_are_sequential_and_never_reused(app: Bryggan) -> None:
    refs = [say(app, "lisa", ASK).split()[3] for _ in range(3)]
    assert refs == ["F-2026-0001", "F-2026-0002", "F-2026-0003"]
    say(app, "lisa", "/fråga enhet:nowhere kategori:sgi Hej")  # refused, rolled back
    assert say(app, "lisa", ASK).split()[3] == "F-2026-0004"


def test_thread_reply_from_contact_is_an_answer(app: Bryggan, clock: Clock) -> None:
    messenger = RecordingMessenger()
    sender = OutboxSender(app.core.stores, messenger, clock)
    say(app, "lisa", ASK)
    sender.drain()
    request = Request(
        "console", "anna", "Svar i tråden", channel="kristianstad", thread_root="ts-1"
    )
    reply = app.core.handle_thread_message(request)
    assert reply is not None and "sparat" in reply.text
    sender.drain()
    assert messenger.thread == []  # already in the thread: not posted again
    assert messenger.updates[-1].status == Status.BESVARAD
    stranger = Request("console", "anna", "hej", channel="kristianstad", thread_root="other")
    assert app.core.handle_thread_message(stranger) is None


def test_follow_up_from_asker_notifies_assignee(app: Bryggan, clock: Clock) -> None:
    messenger = RecordingMessenger()
    sender = OutboxSender(app.core.stores, messenger, clock)
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Nej.")
    assert "följdfråga" in say(app, "lisa", "/svara F-2026-0001 Gäller det även vid 25 %?")
    sender.drain()
    back = "Frågan är tillbaka hos dig och väntar på svar."
    assert (
        "anna",
        f"Lisa Ek har skrivit en följdfråga på F-2026-0001. {back}",
    ) in messenger.notices
    assert question(app).status == "tagen"


def test_reopen_by_asker_and_states(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    assert "går inte att återöppna" in say(app, "lisa", "/återöppna F-2026-0001")
    say(app, "anna", "/besvarad F-2026-0001")
    assert say(app, "lisa", "/ateroppna F-2026-0001") == "F-2026-0001 är återöppnad."
    assert question(app).status == "ateroppnad"
    say(app, "anna", "/stang F-2026-0001")
    assert "går inte att stänga" in say(app, "anna", "/stäng F-2026-0001")
    assert "går inte att svara" in say(app, "anna", "/svara F-2026-0001 sent svar")


def test_forward_to_another_contact(app: Bryggan, clock: Clock) -> None:
    messenger = RecordingMessenger()
    sender = OutboxSender(app.core.stores, messenger, clock)
    say(app, "lisa", ASK)
    assert say(app, "anna", "/flytta F-2026-0001 @berit") == "F-2026-0001 är flyttad till Berit Ås."
    sender.drain()
    assert messenger.notices[-1][0] == "berit"
    assert messenger.notices[-1][1].startswith("Anna Berg har flyttat F-2026-0001 till dig")
    # Sofia serves Hässleholm, Rut FK → vård: neither can receive a vård → FK question
    # for Kristianstad (#12).
    assert say(app, "berit", "/flytta F-2026-0001 @sofia") == (
        "Sofia Holm är inte kontaktperson för Vuxenpsykiatri Kristianstad åt det hållet "
        "(vård → FK) och kan inte ta emot F-2026-0001."
    )
    assert "kan inte ta emot" in say(app, "berit", "/flytta F-2026-0001 @rut")
    assert question(app).assignee_id == assignee_id(app, "berit")
    assert "är inte kontaktperson" in say(app, "anna", "/flytta F-2026-0001 @olle")
    assert "hittar ingen användare" in say(app, "anna", "/flytta F-2026-0001 @nobody")


def test_list_mine_for_asker_and_contact(app: Bryggan) -> None:
    assert say(app, "lisa", "/frågor") == "Du har inga öppna frågor just nu."
    say(app, "lisa", ASK)
    assert "Dina frågor:\n• F-2026-0001 · ny · Vuxenpsykiatri Kristianstad" in say(
        app, "lisa", "/frågor"
    )
    assert say(app, "anna", "/fragor").startswith("Väntar på dig:\n• F-2026-0001")


def test_show_includes_thread(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Ingen påverkan.")
    shown = say(app, "lisa", "/visa f-2026-1")
    assert "F-2026-0001 · besvarad" in shown
    assert "↳ Svar från Anna Berg" in shown and "Ingen påverkan." in shown


def test_redelivered_event_is_handled_once(app: Bryggan) -> None:
    first = app.core.handle(Request("slack", "ULISA", ASK, event_id="Ev1"))
    again = app.core.handle(Request("slack", "ULISA", ASK, event_id="Ev1"))
    assert first is not None and again is None
    with app.database.session() as session:
        assert session.scalar(select(func.count()).select_from(QuestionRow)) == 1


def test_unknown_user_gets_a_polite_refusal(app: Bryggan) -> None:
    assert "känner inte igen dig" in say(app, "intruder", ASK)


def test_answer_text_kept_in_thread_messages(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Svar ett")
    with app.database.session() as session:
        assert list(session.scalars(select(MessageRow.text))) == ["Svar ett"]


def test_consent_metadata_is_recorded_never_an_identity(app: Bryggan) -> None:
    line = (
        "/fråga enhet:kristianstad kategori:sgi samtycke:muntligt samtycke_av:Dr.Ek "
        "samtycke_datum:20/11 Fråga med samtycke"
    )
    assert "är registrerad" in say(app, "lisa", line)
    row = question(app)
    assert (row.consent_mode, row.consent_form, row.consent_by) == ("samtycke", "muntligt", "Dr.Ek")
    assert str(row.consent_on) == "2026-11-20"
    assert "framtiden" in say(app, "lisa", line.replace("20/11", "2026-12-01"))
    # A day ahead is refused, not taken as last year's (#12).
    assert "framtiden (30 nov 2026)" in say(app, "lisa", line.replace("20/11", "30/11"))
    assert "med samtycke (muntligt, 20 nov 2026)" in say(app, "lisa", "/visa F-2026-0001")
