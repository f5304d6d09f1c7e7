"""Every question command × every role: allowed or refused as specified, and a question is
never shown to anyone outside its unit's audience (asker, assignee, unit contacts, admins)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from storage.models import AuditRow, MessageRow, QuestionRow

REF = "F-2026-0001"
ASK = "/fråga enhet:kristianstad kategori:regler riktning:vård-fk Vad gäller?"
# kristianstad: anna (contact, gets the question), berit (backup), rut (other direction)
ROLES = {
    "asker": "lisa",
    "other_asker": "olle",
    "assignee": "anna",
    "unit_backup": "berit",
    "unit_other_direction": "rut",
    "other_unit_contact": "sofia",
    "admin": "maria",
}
AUDIENCE = {"asker", "assignee", "unit_backup", "unit_other_direction", "admin"}
# The unit's contact for the other direction (rut, FK → vård) may read a vård → FK
# question but not act on it (#12).
HANDLERS = {"assignee", "unit_backup", "admin"}
# command → (state to prepare, who may do it)
COMMANDS: dict[str, tuple[str, set[str]]] = {
    "visa": ("ny", AUDIENCE),
    "ta": ("ny", HANDLERS),
    "besvarad": ("ny", HANDLERS),
    "stäng": ("ny", HANDLERS | {"asker"}),
    "flytta": ("ny", HANDLERS),
    "släpp": ("ny", HANDLERS),
    "svara": ("ny", HANDLERS | {"asker"}),
    "återöppna": ("stangd", HANDLERS | {"asker"}),
}
ARGS = {"flytta": " @berit", "svara": " Ett svar"}
REFUSALS = ("Det får bara", "Jag hittar ingen fråga", f"{REF} går vård → FK")


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def snapshot(app: Bryggan) -> tuple[object, ...]:
    with app.database.session() as session:
        row = session.scalar(select(QuestionRow).where(QuestionRow.ref == REF))
        assert row is not None
        messages = session.scalar(select(func.count()).select_from(MessageRow))
        return (row.status, row.assignee_id, row.answered_at, row.closed_at, messages)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_permission_matrix(app: Bryggan, command: str, role: str) -> None:
    state, allowed = COMMANDS[command]
    say(app, "lisa", ASK)
    if state == "stangd":
        say(app, "maria", f"/stäng {REF}")
    before = snapshot(app)
    reply = say(app, ROLES[role], f"/{command} {REF}{ARGS.get(command, '')}")
    if role in allowed:
        assert not reply.startswith(REFUSALS), reply
        assert command == "visa" or snapshot(app) != before
    else:
        assert reply.startswith(REFUSALS), reply
        assert snapshot(app) == before
        if role not in AUDIENCE:
            assert "Vad gäller?" not in reply


@pytest.mark.parametrize("role", sorted(ROLES))
def test_question_lists_show_only_the_audience(app: Bryggan, role: str) -> None:
    say(app, "lisa", ASK)
    listed = REF in say(app, ROLES[role], "/frågor")
    # /frågor lists my own questions and those waiting for me (assigned or unassigned in my units)
    assert listed == (role in {"asker", "assignee"})


def test_refusals_are_audited_without_content(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    say(app, "lisa", f"/ta {REF}")
    with app.database.session() as session:
        rows = session.execute(select(AuditRow.action, AuditRow.detail)).all()
    assert ("refused", "") in [tuple(r) for r in rows]


def test_unknown_user_is_refused_for_every_command(app: Bryggan) -> None:
    say(app, "lisa", ASK)
    before = snapshot(app)
    for command in COMMANDS:
        assert "känner inte igen dig" in say(app, "stranger", f"/{command} {REF}")
    assert snapshot(app) == before
