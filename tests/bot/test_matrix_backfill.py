"""Nothing lost after downtime: 3,000 events while the bot was away, commands before and
after them all answered; a room over the configured limit is named in a WARNING. And a
thread-unaware client's reply to a message inside a card's thread counts in that thread.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.config import Config
from handlers.kernel import texts
from tests.bot.matrix_people import Participant, bot_joined, create_room, first, participant
from tests.bot.matrix_world import running_bot, unit_room, world_config, world_toml
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock, wait_until

REF = "F-2026-0001"


async def chatter(person: Participant, room: str, count: int) -> None:
    """`count` ordinary chat messages (none of Bryggan's business), a few at a time."""
    for start in range(0, count, 50):
        await asyncio.gather(
            *(
                person.say(room, f"Pratar om annat, nummer {n}")
                for n in range(start, min(count, start + 50))
            )
        )


async def answered(person: Participant, room: str, command: str, timeout: float = 120) -> str:
    reply = await person.until(
        lambda: first(person.replies_to(room, command)), f"a reply to {command}", timeout
    )
    return str(reply.body)


def test_commands_around_3000_events_of_downtime_are_all_answered(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")

    async def scenario() -> None:
        async with (
            participant(synapse, doctor_user, "doktorn") as doctor,
            participant(synapse, contact_user, "kontakten") as contact,
        ):
            room = await create_room(doctor, [bot.user_id, contact.user_id])
            await contact.join(room)

            def config(extra: str = "") -> Config:
                toml = world_toml(
                    synapse,
                    bot=bot,
                    doctor=doctor_user,
                    contact=contact_user,
                    room_id=room,
                    store_path=tmp_path / "bot-store",
                    matrix_extra="encrypt_direct_rooms = false\n" + extra,
                )
                return world_config(database_url, toml)

            async with running_bot(config(), bot, clock):
                await bot_joined(doctor, room, bot.user_id)
                hello = await doctor.say(room, "!hjälp")
                await answered(doctor, room, hello)

            before = await doctor.say(room, "!fråga kategori:sgi Första frågan under stoppet?")
            await chatter(doctor, room, 3000)
            after = await doctor.say(room, "!fråga kategori:sgi Sista frågan under stoppet?")
            async with running_bot(config(), bot, clock):
                assert (await answered(doctor, room, before)).startswith(
                    "Tack! Din fråga F-2026-0001 är registrerad."
                )
                assert (await answered(doctor, room, after)).startswith(
                    "Tack! Din fråga F-2026-0002 är registrerad."
                )
            assert "stopped at its limit" not in caplog.text

            # Over a small limit: the WARNING names the room; nothing else is claimed.
            lost = await doctor.say(room, "!fråga kategori:sgi En fråga före en flod?")
            await chatter(doctor, room, 300)
            caplog.set_level(logging.WARNING, logger="bot.matrix.backfill")
            async with running_bot(config("backfill_pages = 2"), bot, clock):
                wait_until(
                    lambda: f"backfill of {room} stopped at its limit" in caplog.text,
                    60,
                    "the backfill warning",
                    seen=lambda: caplog.text[-2000:],
                )
            assert "backfill_pages = 2, 200 events read" in caplog.text
            assert not doctor.replies_to(room, lost)

    asyncio.run(scenario())


def test_a_reply_to_an_answer_in_a_cards_thread_counts_in_that_thread(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            await doctor.say(room, "!fråga kategori:sgi Hur påverkas SGI vid deltid?")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            answer = await contact.say(room, "Den påverkas inte.", thread_root=card.event_id)
            await contact.until(
                lambda: contact.reactions(room, answer, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the answer",
            )
            # An older client replies to the answer, not in the thread.
            follow_up = await doctor.say(room, "Gäller det även vid 25 %?", reply_to=answer)
            await doctor.until(
                lambda: doctor.reactions(room, follow_up, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the follow-up",
            )
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None
                texts_in_thread = [m.text for m in store.messages(question_id=question.id)]
            assert texts_in_thread == ["Den påverkas inte.", "Gäller det även vid 25 %?"]

    asyncio.run(scenario())
