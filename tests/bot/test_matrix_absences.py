"""`!frånvaro` in an Element room against a real Synapse: a reversed range is refused and
nothing is saved; an absence is saved, listed with its number and cancelled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import AbsenceRow
from tests.bot.matrix_people import first
from tests.bot.matrix_world import Scene, unit_room
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the database side runs on both in tests/handlers/questions."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


async def said(scene: Scene, line: str) -> str:
    """What the bot answers the contact's line in the unit's room."""
    contact, room = scene.contact, scene.room
    event = await contact.say(room, line)
    reply = await contact.until(lambda: first(contact.replies_to(room, event)), line)
    body: str = reply.body
    return body


def absence_count(scene: Scene) -> int:
    with scene.app.database.session() as session:
        return len(session.scalars(select(AbsenceRow)).all())


def test_an_absence_refused_saved_listed_and_cancelled_in_element(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as scene:
            refused = await said(scene, "!frånvaro 11/12 7/12")
            assert refused.startswith("Slutdatumet 7 dec ligger före startdatumet 11 dec.")
            assert "!frånvaro 7/12 11/12" in refused
            assert absence_count(scene) == 0
            saved = await said(scene, "!frånvaro mån–fre")
            assert saved == "Frånvaro registrerad 30 nov 2026–4 dec 2026 (nr 1)."
            listed = await said(scene, "!frånvaro")
            assert "• nr 1 · 30 nov–4 dec 2026" in listed
            assert "!frånvaro ta-bort <nr>" in listed
            removed = await said(scene, "!frånvaro ta-bort 1")
            assert removed == "Frånvaro nr 1 (Karin Kontakt, 30 nov–4 dec 2026) är borttagen."
            assert absence_count(scene) == 0

    asyncio.run(scenario())
