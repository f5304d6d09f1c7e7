"""The retention purge reaches Matrix, against a real Synapse: the card and the bot's
"Svar från …" thread post are edited (`m.replace`), read back from the homeserver."""

from __future__ import annotations

import asyncio
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from bot.retention_jobs import purge_now
from handlers.kernel import texts
from tests.bot.matrix_people import body_of, first
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import SynapseHomeserver, http_json
from tests.support import Clock

REF = "F-2026-0001"
QUESTION = "Hur påverkas SGI för Ödegaard-Blom vid 50 %?"
ANSWER = "Ödegaard-Blom behåller sin SGI."


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only, like the other Synapse flows; the purge itself runs on both databases
    in tests/handlers/test_retention_reach.py."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


def edits_of(synapse: SynapseHomeserver, token: str, room: str, event_id: str) -> list[Any]:
    """The new contents of an event's `m.replace` edits, as Synapse returns the room's
    timeline (`/messages`), newest first."""
    url = (
        f"{synapse.base_url}/_matrix/client/v3/rooms/{urllib.parse.quote(room, safe='')}"
        "/messages?dir=b&limit=100"
    )
    events = http_json("GET", url, access_token=token)["chunk"]
    return [
        e["content"]["m.new_content"]
        for e in events
        if (e.get("content", {}).get("m.relates_to") or {}).get("rel_type") == "m.replace"
        and e["content"]["m.relates_to"].get("event_id") == event_id
    ]


def test_purge_edits_the_card_and_the_thread_post_in_synapse(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            await doctor.say(room, f"!fråga kategori:sgi {QUESTION}")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            await contact.say(room, f"!svara {REF} {ANSWER}")
            post = await doctor.until(
                lambda: first(
                    e
                    for e in doctor.events(room, bot)
                    if body_of(e.source["content"]).startswith("Svar från Karin Kontakt:")
                ),
                "the answer in the card's thread",
            )
            await contact.say(room, f"!stäng {REF}")
            token = doctor.user.access_token
            await doctor.until(
                lambda: "· stängd ·" in body_of(doctor.card_now(room, card.event_id)), "stängd"
            )

            clock.advance(days=91)
            assert await asyncio.to_thread(purge_now, s.app) == 1

            purged = f"Svar från Karin Kontakt:\n{texts.PURGED_POST}"

            def post_edited() -> bool:
                edits = edits_of(synapse, token, room, post.event_id)
                return bool(edits) and edits[0]["body"] == purged

            await doctor.until(post_edited, "the thread post edited in Synapse")
            await doctor.until(
                lambda: texts.PURGED in edits_of(synapse, token, room, card.event_id)[0]["body"],
                "the card edited in Synapse",
            )
            card_now = edits_of(synapse, token, room, card.event_id)[0]
            assert "· stängd ·" in card_now["body"] and REF in card_now["body"]
            assert "Ödegaard-Blom" not in card_now["body"] + card_now.get("formatted_body", "")
            assert len(edits_of(synapse, token, room, post.event_id)) == 1  # edited once

    asyncio.run(scenario())
