"""Replies and posts that used to be too large for Matrix arrive, in encrypted rooms too,
and a bot post never pings the room, whatever its points say.

Against the real Synapse: the people read what their clients decrypted, and whether a post
highlighted them is asked of Synapse's own notification list.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.scheduler import run_due_now
from handlers.commands import Request
from tests.bot.matrix_people import Participant
from tests.bot.matrix_world import Scene, unit_room
from tests.handlers.meetings.pulse_support import at
from tests.matrix_homeserver import SynapseHomeserver, http_json
from tests.support import Clock

REF = "F-2026-0001"
ANSWER = "Sjukpenninggrundande inkomst påverkas inte av deltid, men anmäl ändringen. " * 25


def core(s: Scene, platform: str, user: str, text: str) -> str:
    reply = s.app.core.handle(Request(platform, user, text))
    assert reply is not None
    return reply.text


async def replies(person: Participant, room: str, event_id: str, count: int) -> list[Any]:
    def all_there() -> list[Any] | None:
        found = person.replies_to(room, event_id)
        return found if len(found) >= count else None

    return await person.until(all_there, f"{count} replies to {event_id}", timeout=60)


def test_visa_of_a_question_with_40_long_answers_arrives_in_an_encrypted_room(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock, encrypted=True) as s:
            doctor, room = s.doctor, s.room
            ask = await doctor.say(room, "!fråga kategori:sgi Hur påverkas SGI vid deltid?")
            await replies(doctor, room, ask, 1)
            for n in range(1, 41):
                said = core(s, "matrix", s.contact.user_id, f"/svara {REF} Svar {n}: {ANSWER}")
                assert "F-2026-0001" in said, said
            show = await doctor.say(room, f"!visa {REF}")
            parts = await replies(doctor, room, show, 2)
            total = int(parts[1].body.split(" av ", 1)[1].split(")", 1)[0])
            parts = await replies(doctor, room, show, total)
            assert all(p.decrypted for p in parts), "a part went out in clear text"
            assert REF in parts[0].body
            for index, part in enumerate(parts[1:], start=2):
                assert part.body.startswith(f"(fortsättning {index} av {total})")
            shown = "\n".join(p.body for p in parts)
            assert all(f"Svar {n}: Sjukpenninggrundande" in shown for n in range(1, 41))

    asyncio.run(scenario())


def test_an_agenda_of_500_overdue_questions_arrives_in_an_encrypted_room(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock, encrypted=True) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            created = core(
                s, "console", "maria", "/puls ny varannan torsdag kl 13 enheter:malmo,lund"
            )
            assert created.startswith("Pulsmöte 1 är skapat")
            for n in range(500):
                asked = core(
                    s,
                    "console",
                    "olle",
                    f"/fråga enhet:lund kategori:sgi riktning:vård-fk Fråga {n} om SGI vid deltid?",
                )
                assert asked.startswith("Tack!"), asked
                clock.advance(seconds=1)
            clock.now = at(2026, 11, 24, 9, 0)
            await asyncio.to_thread(run_due_now, s.app)

            def agenda() -> Any:
                return next(
                    (
                        e
                        for e in doctor.events(room, bot)
                        if "📋 Dagordning" in getattr(e, "body", "")
                    ),
                    None,
                )

            posted = await doctor.until(agenda, "the agenda", timeout=60)
            assert posted.decrypted
            assert (
                "Obesvarade frågor över tidsgränsen: 500 st. De 20 som väntat längst:"
                in posted.body
            )
            listed = [line for line in posted.body.splitlines() if "väntat" in line and "•" in line]
            assert len(listed) == 20 and listed[0].startswith("• F-2026-0001 ")

    asyncio.run(scenario())


def highlighted(s: Scene, participant: Participant) -> set[str]:
    """Event ids Synapse highlighted for the person (its push rules, server side)."""
    answer = http_json(
        "GET",
        f"{s.service.settings.homeserver}/_matrix/client/v3/notifications?only=highlight",
        access_token=participant.user.access_token,
    )
    return {n["event"]["event_id"] for n in answer["notifications"]}


def test_at_room_in_an_agenda_point_highlights_nobody(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            core(s, "console", "maria", "/puls ny varannan torsdag kl 13 enheter:malmo")
            point = await doctor.say(room, "!puls punkt @room alla ska läsa rutinen för samtycke")
            await replies(doctor, room, point, 1)
            # The check can fail: the room's creator writing @room does highlight everyone.
            control = await doctor.say(room, "@room kaffe i fikarummet")
            clock.now = at(2026, 11, 24, 9, 0)
            await asyncio.to_thread(run_due_now, s.app)

            def agenda() -> Any:
                return next(
                    (
                        e
                        for e in contact.events(room, bot)
                        if "📋 Dagordning" in getattr(e, "body", "")
                    ),
                    None,
                )

            posted = await contact.until(agenda, "the agenda", timeout=30)
            assert "@room alla ska läsa rutinen" in posted.body
            assert posted.source["content"]["m.mentions"] == {}
            seen = highlighted(s, contact)
            assert control in seen, "Synapse highlighted nothing: the check proves nothing"
            assert posted.event_id not in seen

    asyncio.run(scenario())


def test_an_event_synapse_refuses_as_too_large_goes_out_in_smaller_pieces(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The bot believes far more fits in one event than does: Synapse says M_TOO_LARGE.
    monkeypatch.setattr("bot.matrix.client.content_budget", lambda encrypted: 200_000)

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            long = "\n".join(
                f"Rad {n}: " + "Sjukpenninggrundande inkomst. " * 30 for n in range(100)
            )
            # Posted directly (not through the outbox, which waits and retries): only once
            # the bot's own sync knows the room.
            rooms = s.service.bot.connection.client.rooms
            await doctor.until(lambda: room in rooms or None, "the bot's sync of the room")
            await asyncio.to_thread(
                s.service.messenger.post_message,
                channel=room,
                text=long,
                attachment=None,
                key="ett-långt-inlägg",
            )

            def posted_lines() -> set[str] | None:
                lines = {
                    line.split(":")[0]
                    for body in doctor.bodies(room, bot)
                    for line in body.splitlines()
                    if line.startswith("Rad ")
                }
                return lines if len(lines) == 100 else None

            await doctor.until(posted_lines, "all 100 lines of the long post")

            ask = await doctor.say(room, "!fråga kategori:sgi Hur påverkas SGI vid deltid?")
            await replies(doctor, room, ask, 1)
            for n in range(1, 41):
                core(s, "matrix", s.contact.user_id, f"/svara {REF} Svar {n}: {ANSWER}")
            show = await doctor.say(room, f"!visa {REF}")

            def shown() -> str | None:
                text = "\n".join(p.body for p in doctor.replies_to(room, show))
                return text if all(f"Svar {n}: " in text for n in range(1, 41)) else None

            await doctor.until(shown, "every answer of !visa", timeout=60)
        assert caplog.text.count("M_TOO_LARGE") >= 2, "Synapse never refused: nothing was tested"

    asyncio.run(scenario())
