"""The retention purge reaches Matrix, against a real Synapse: the card, every edit the bot
sent of it and the bot's "Svar från …" thread post are redacted (Synapse drops their
content, which an `m.replace` edit keeps in the history), read back from the homeserver; a
room where the bot may not redact gets the edit instead, and the admins are told once."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.retention_jobs import purge_now
from handlers.delivery.purged_posts import purge_posts
from handlers.kernel import BotPost, OutboxKind, texts
from storage.models import OutboxRow
from tests.bot.matrix_people import Participant, body_of, first, participant
from tests.bot.matrix_world import Scene, unit_room
from tests.matrix_homeserver import SynapseHomeserver, http_json
from tests.support import Clock

REF = "F-2026-0001"
QUESTION = "Hur påverkas SGI för Ödegaard-Blom vid 50 %?"
ANSWER = "Ödegaard-Blom behåller sin SGI."
SECRET = "Ödegaard-Blom"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only, like the other Synapse flows; the purge itself runs on both databases
    in tests/handlers/test_retention_reach.py."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


def room_url(synapse: SynapseHomeserver, room: str, version: str = "v3") -> str:
    return f"{synapse.base_url}/_matrix/client/{version}/rooms/{urllib.parse.quote(room, safe='')}"


def event_of(synapse: SynapseHomeserver, token: str, room: str, event_id: str) -> Any:
    """One event as Synapse serves it now (`/rooms/{id}/event/{eventId}`)."""
    url = f"{room_url(synapse, room)}/event/{urllib.parse.quote(event_id, safe='')}"
    return http_json("GET", url, access_token=token)


def timeline(synapse: SynapseHomeserver, token: str, room: str) -> list[Any]:
    """The room's events as Synapse returns them (`/messages`), newest first."""
    url = f"{room_url(synapse, room)}/messages?dir=b&limit=500"
    chunk: list[Any] = http_json("GET", url, access_token=token)["chunk"]
    return chunk


def edit_ids(synapse: SynapseHomeserver, token: str, room: str, event_id: str) -> list[str]:
    """The ids of an event's `m.replace` edits (Synapse's relations API)."""
    url = f"{room_url(synapse, room, 'v1')}/relations/{urllib.parse.quote(event_id, safe='')}"
    chunk = http_json("GET", f"{url}/m.replace?limit=100", access_token=token)["chunk"]
    return [e["event_id"] for e in chunk]


def edits_of(synapse: SynapseHomeserver, token: str, room: str, event_id: str) -> list[Any]:
    """The new contents of an event's `m.replace` edits still readable, newest first."""
    return [
        e["content"]["m.new_content"]
        for e in timeline(synapse, token, room)
        if (e.get("content", {}).get("m.relates_to") or {}).get("rel_type") == "m.replace"
        and e["content"]["m.relates_to"].get("event_id") == event_id
    ]


def redacted(event: Any) -> bool:
    """Redacted by the purge: no content left, and the purge's reason."""
    because = event.get("unsigned", {}).get("redacted_because", {})
    reason = because.get("content", {}).get("reason")
    return bool(event["content"] == {} and reason == texts.PURGED_REDACTION)


def plain(found: Any) -> str:
    """Everything in an event or a content, as readable text."""
    return json.dumps(found, ensure_ascii=False)


def redactions(synapse: SynapseHomeserver, token: str, room: str) -> list[str]:
    events = timeline(synapse, token, room)
    return [e["event_id"] for e in events if e["type"] == "m.room.redaction"]


async def answered_and_closed(s: Scene) -> tuple[Any, Any]:
    """A question asked, answered and closed in the unit room: its card and the bot's
    "Svar från …" thread post, with the question's text in both."""
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
    await doctor.until(
        lambda: "· stängd ·" in body_of(doctor.card_now(room, card.event_id)), "stängd"
    )
    return card, post


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_purge_redacts_the_card_its_edits_and_the_thread_post_in_synapse(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock, encrypted: bool
) -> None:
    """In an encrypted room Synapse holds ciphertext: the edits are found by their relation,
    which stays in clear, and redacted just the same."""

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock, encrypted=encrypted) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            token = doctor.user.access_token
            card, post = await answered_and_closed(s)
            status_edits = edit_ids(synapse, token, room, card.event_id)
            assert status_edits  # "besvarad", "stängd": each edit carried the question
            if not encrypted:
                assert SECRET in plain(event_of(synapse, token, room, status_edits[0]))

            clock.advance(days=91)
            assert await asyncio.to_thread(purge_now, s.app) == 1
            await asyncio.to_thread(s.service.sender.drain)

            await doctor.until(
                lambda: redacted(event_of(synapse, token, room, card.event_id)) or None,
                "the card redacted in Synapse",
            )
            for event_id in (card.event_id, post.event_id, *status_edits):
                assert redacted(event_of(synapse, token, room, event_id)), event_id
            # Nothing the bot sent in the room still carries the text, edits included
            # (the purge's own redraw of the card too), and nothing new took the card's place.
            events = timeline(synapse, token, room)
            own = [plain(e["content"]) for e in events if e["sender"] == bot]
            assert not [c for c in own if SECRET in c]
            assert not [c for c in own if texts.PURGED_POST in c or texts.PURGED in c]
            assert edit_ids(synapse, token, room, card.event_id) == []  # none left readable

            # A second drain, and the same purge entry sent again (a retry after a lost
            # answer), change nothing: the same transaction ids, no new redaction.
            before = redactions(synapse, token, room)
            await asyncio.to_thread(s.service.sender.drain)
            posts = [BotPost("matrix", room, post.event_id, "Svar från Karin Kontakt:")]
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None
            with s.app.database.engine.connect() as connection:
                kind = OutboxKind.PURGE_EDIT.value
                entry_id = connection.scalar(select(OutboxRow.id).where(OutboxRow.kind == kind))
            entry_key = f"outbox-{entry_id}"
            refused = await asyncio.to_thread(
                purge_posts, s.service.messenger, posts, question.location, entry_key
            )
            assert refused == []
            assert redactions(synapse, token, room) == before

    asyncio.run(scenario())


async def forbid_redactions(doctor: Participant, synapse: SynapseHomeserver, room: str) -> None:
    """The room's creator lets only power 100 send redactions (the bot has 50)."""
    url = f"{room_url(synapse, room)}/state/m.room.power_levels/"
    token = doctor.user.access_token
    levels = http_json("GET", url, access_token=token)
    levels.setdefault("events", {})["m.room.redaction"] = 100
    http_json("PUT", url, levels, access_token=token)


def test_without_the_power_to_redact_the_posts_are_edited_and_the_admins_told_once(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    admin_user = synapse.register_user("admin")

    async def scenario() -> None:
        async with (
            participant(synapse, admin_user, "administratören") as admin,
            unit_room(synapse, tmp_path, database_url, clock, admin=admin_user) as s,
        ):
            doctor, room, bot = s.doctor, s.room, s.bot_id
            token = doctor.user.access_token
            card, post = await answered_and_closed(s)
            await forbid_redactions(doctor, synapse, room)

            clock.advance(days=91)
            assert await asyncio.to_thread(purge_now, s.app) == 1
            await asyncio.to_thread(s.service.sender.drain)

            purged = f"Svar från Karin Kontakt:\n{texts.PURGED_POST}"

            def post_edited() -> bool:
                edits = edits_of(synapse, token, room, post.event_id)
                return bool(edits) and edits[0]["body"] == purged

            await doctor.until(post_edited, "the thread post edited in Synapse")
            card_now = edits_of(synapse, token, room, card.event_id)[0]
            assert texts.PURGED in card_now["body"] and "· stängd ·" in card_now["body"]
            assert SECRET not in plain(card_now)
            assert not redacted(event_of(synapse, token, room, card.event_id))

            direct = await admin.until(lambda: first(admin.invites), "a direct room")
            await admin.join(direct)

            def notices() -> list[str]:
                return [b for b in admin.bodies(direct, bot) if "får inte radera" in b]

            notice = (await admin.until(lambda: notices() or None, "the admins' notice"))[0]
            assert notice == texts.PURGE_NOT_REDACTED.format(room=room, platform="Matrix")

            # A second purge entry for the room (the same refusal) tells them nothing more.
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None
                store.enqueue(
                    platform="matrix",
                    kind=OutboxKind.PURGE_EDIT,
                    at=clock(),
                    question_id=question.id,
                )
            await asyncio.to_thread(s.service.sender.drain)
            await admin.sync()
            assert len(notices()) == 1
            assert edits_of(synapse, token, room, post.event_id)[0]["body"] == purged

    asyncio.run(scenario())
