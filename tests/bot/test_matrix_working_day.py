"""The asker's verdict and a follow-up in an Element room, against a real Synapse (#12):
the answered card asks "löste svaret din fråga?"; a 👎 on the card from the asker sends the
question back to the contact, a 👍 closes it; a 👍 from anyone else changes nothing; a
follow-up in the thread brings the answered question back ("väntar på svar igen").
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from nio import RoomSendResponse

from handlers.kernel import texts
from handlers.kernel.model import Status
from tests.bot.matrix_people import Participant, body_of, first
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock

REF = "F-2026-0001"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only, like the other Matrix flows (the core's tests run on both databases)."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


async def react(person: Participant, room: str, event_id: str, key: str) -> None:
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    sent = await person.client.room_send(room, "m.reaction", content)
    assert isinstance(sent, RoomSendResponse), sent


def in_thread(person: Participant, room: str, card: str, bot: str, text: str) -> Any:
    """The bot's post in the card's thread with exactly `text`, if it came."""
    return first(
        e
        for e in person.events(room, bot)
        if (e.source["content"].get("m.relates_to") or {}).get("event_id") == card
        and body_of(e.source["content"]) == text
    )


def test_the_askers_reaction_on_the_card_is_her_verdict(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id

            def status() -> Status:
                with s.app.stores() as store:
                    question = store.question_by_ref(ref=REF)
                    assert question is not None
                    return question.status

            def card_shows(text: str) -> bool:
                return text in body_of(doctor.card_now(room, card.event_id))

            await doctor.say(room, "!fråga kategori:sgi Hur påverkas SGI vid 50 %?")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            await doctor.until(
                lambda: doctor.reactions(room, card.event_id, bot) == {"🆕"}, "🆕 on the card"
            )
            claim = await contact.say(room, f"!ta {REF}")
            await contact.until(lambda: first(contact.replies_to(room, claim)), "!ta")
            await doctor.until(lambda: card_shows("· tagen ·"), "the card edited to tagen")
            await contact.say(room, "Ingen påverkan.", thread_root=card.event_id)
            await doctor.until(lambda: card_shows("löste svaret din fråga?"), "the question")
            assert "!hjälpte ja" in body_of(doctor.card_now(room, card.event_id))

            # The contact's 👍 is not a verdict: she is told, nothing changes.
            await react(contact, room, card.event_id, "👍")
            who = texts.HELPED_WHO.format(ref=REF)
            await contact.until(lambda: in_thread(contact, room, card.event_id, bot, who), who)
            assert status() == Status.BESVARAD

            # A follow-up brings it back to the contact.
            await doctor.say(room, "Och vid 25 %?", thread_root=card.event_id)
            await doctor.until(lambda: card_shows("väntar på svar igen"), "back with Karin")
            assert status() == Status.TAGEN
            await contact.say(room, "Samma vid 25 %.", thread_root=card.event_id)
            await doctor.until(lambda: card_shows("· besvarad ·"), "answered again")

            # 👎 from the asker: back to the contact; 👍 after the next answer closes it.
            await react(doctor, room, card.event_id, "👎🏽")
            no = texts.HELPED_NO.format(ref=REF, name="Karin Kontakt")
            await doctor.until(lambda: in_thread(doctor, room, card.event_id, bot, no), no)
            assert status() == Status.TAGEN
            await contact.say(room, "Då är det så här.", thread_root=card.event_id)
            await doctor.until(lambda: card_shows("· besvarad ·"), "answered a third time")
            await react(doctor, room, card.event_id, "👍")
            yes = texts.HELPED_YES.format(ref=REF)
            await doctor.until(lambda: in_thread(doctor, room, card.event_id, bot, yes), yes)
            await doctor.until(lambda: card_shows("· stängd ·"), "closed")
            assert "av Doktor Dahl" in body_of(doctor.card_now(room, card.event_id))
            assert status() == Status.STANGD

    asyncio.run(scenario())
