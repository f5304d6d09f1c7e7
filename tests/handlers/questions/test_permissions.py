"""Who may do what with a question; refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.wiring import Bryggan
from handlers.commands import Request
from storage.models import QuestionRow

ASK = "/fråga enhet:kristianstad kategori:regler riktning:vård-fk Vilka regler gäller?"
REF = "F-2026-0001"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def status(app: Bryggan) -> tuple[str, int | None]:
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == REF))
        assert row is not None
        return row.status, row.assignee_id


@pytest.mark.parametrize("command", ["ta", "besvarad", "stäng", "flytta F-2026-0001 @sofia"])
def test_other_asker_is_refused_and_nothing_changes(app: Bryggan, command: str) -> None:
    say(app, "lisa", ASK)
    before = status(app)
    line = f"/{command}" if " " in command else f"/{command} {REF}"
    # olle is not in the question's audience: the question does not exist for him
    assert (
        say(app, "olle", line)
        == f"Jag hittar ingen fråga med referensen {REF}. Skriv /frågor för att se dina."
    )
    assert status(app) == before


@pytest.mark.parametrize("command", ["ta", "besvarad", "släpp"])
def test_asker_may_not_handle_own_question(app: Bryggan, command: str) -> None:
    say(app, "lisa", ASK)
    reply = say(app, "lisa", f"/{command} {REF}")
    assert reply.startswith("Det får bara den som har tagit frågan, enhetens kontaktpersoner")
    assert status(app)[0] == "ny"


def test_contact_of_another_unit_cannot_see_it(app: Bryggan) -> None:
    say(app, "lisa", ASK)  # kristianstad: anna, berit, rut
    assert "hittar ingen fråga" in say(app, "sofia", f"/visa {REF}")
    assert "hittar ingen fråga" in say(app, "sofia", f"/ta {REF}")


def test_backup_contact_and_admin_may_handle(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    assert "Du har tagit" in say(app, "berit", f"/ta {REF}")
    assert status(app)[0] == "tagen"
    assert say(app, "maria", f"/stäng {REF}") == f"{REF} är stängd."


def test_asker_may_reopen_but_other_asker_may_not(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", f"/stäng {REF}")
    assert "hittar ingen fråga" in say(app, "olle", f"/återöppna {REF}")
    assert say(app, "lisa", f"/återöppna {REF}") == f"{REF} är återöppnad."


def test_only_admins_change_categories(app: Bryggan) -> None:
    assert say(app, "anna", "/kategori ny utbildning Utbildningsfrågor") == (
        "Det kan bara en administratör göra."
    )
    assert "heter nu ”Utbildningsfrågor”" in say(
        app, "maria", "/kategori ny utbildning Utbildningsfrågor"
    )
    assert "utbildning: Utbildningsfrågor" in say(app, "lisa", "/kategori")
    say(app, "maria", "/kategori byt utbildning Utbildning och kompetens")
    say(app, "maria", "/kategori ta bort utbildning")
    assert "utbildning" not in say(app, "lisa", "/kategori")
    assert "ingen kategori" in say(app, "lisa", "/fråga enhet:lund kategori:utbildning Hej")
