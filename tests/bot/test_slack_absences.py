"""`/bryggan frånvaro …` and `/bryggan flytta alla …` in Slack, against the Slack stand-in:
refusals change nothing, an absence is listed and cancelled, and a contact who goes away
hands her open questions over in one command (the cards are redrawn)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AbsenceRow, QuestionRow
from tests.bot.slack_support import SlackHarness, ack_text, card_text


def absence_count(slack: SlackHarness) -> int:
    with slack.bryggan.database.session() as session:
        return len(session.scalars(select(AbsenceRow)).all())


def frånvaro(slack: SlackHarness, text: str) -> str:
    return ack_text(slack.command(f"frånvaro {text}".strip(), "UANNA", command="/bryggan"))


def test_refusals_in_slack_save_nothing(slack: SlackHarness) -> None:
    assert "Slutdatumet 7 dec ligger före startdatumet 11 dec" in frånvaro(slack, "11/12 7/12")
    long = frånvaro(slack, "1/12 28/2")
    assert "blir 90 dagar lång" in long and "/bryggan frånvaro 1/12 28/2 bekräfta" in long
    assert "Du kan inte ersätta dig själv" in frånvaro(slack, "7/12 11/12 ersättare <@UANNA>")
    assert absence_count(slack) == 0


def test_an_absence_listed_and_cancelled_in_slack(slack: SlackHarness) -> None:
    assert frånvaro(slack, "mån–fre").startswith("Frånvaro registrerad 30 nov 2026–4 dec 2026")
    listed = frånvaro(slack, "")
    assert "• nr 1 · 30 nov–4 dec 2026" in listed
    assert "/bryggan frånvaro ta-bort &lt;nr&gt;" in listed
    assert (
        frånvaro(slack, "ta-bort 1") == "Frånvaro nr 1 (Anna Berg, 30 nov–4 dec 2026) är borttagen."
    )
    assert absence_count(slack) == 0


def test_going_away_with_open_questions_and_moving_them_all(slack: SlackHarness) -> None:
    ref = slack.ask()
    saved = frånvaro(slack, "idag fredag")
    assert "Du har 1 fråga kvar; Berit Ås och administratörerna" in saved
    moved = ack_text(slack.command("flytta alla anna berit", "UANNA", command="/bryggan"))
    assert moved == f"1 fråga flyttad från Anna Berg till Berit Ås: {ref}."
    with slack.bryggan.database.session() as session:
        question = session.scalars(select(QuestionRow)).one()
        assert question.assignee_id is not None
    update = slack.stand_in.wait_for("chat.update")[0]
    assert "Berit Ås" in card_text(update)
