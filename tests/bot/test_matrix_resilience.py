"""Rate limits and an outage, on a homeserver of this module's own with real rate limits.

The bot's account keeps Synapse's message rate limit, so a burst of work meets HTTP 429;
nio's retries (left on in the bot's client config) wait them out and nothing is dropped.
Then the homeserver goes away and comes back: posts fail fast into the outbox's retries
instead of hanging, and the bot reconnects on its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.commands import Request
from handlers.delivery.outbox import DeliveryError
from handlers.kernel.model import ChatLocation
from tests.bot.matrix_people import bot_joined, create_room, first, participant
from tests.bot.matrix_world import running_bot, world_config, world_toml
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock

ASKS = 4


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: nothing here depends on the database, and the suite stays quick. The
    tests whose point is the database (restart, the key that comes late) run on both."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


@pytest.fixture(scope="module")
def strict_synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseHomeserver]:
    """A homeserver where a user may send 2 events at once, then 8 a second."""
    server = SynapseHomeserver(
        tmp_path_factory.mktemp("strict-synapse"),
        extra_config={"rc_message": {"per_second": 8, "burst_count": 2}},
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_rate_limits_are_waited_out_and_an_outage_is_ridden_out(
    strict_synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = strict_synapse
    caplog.set_level(logging.WARNING, logger="nio")
    bot = server.register_user("bryggan", lift_ratelimit=False)
    doctor_user, contact_user = server.register_user("doktor"), server.register_user("kontakt")

    async def scenario() -> None:
        async with (
            participant(server, doctor_user, "doktorn") as doctor,
            participant(server, contact_user, "kontakten") as contact,
        ):
            room = await create_room(doctor, [bot.user_id, contact.user_id])
            await contact.join(room)
            toml = world_toml(
                server,
                bot=bot,
                doctor=doctor_user,
                contact=contact_user,
                room_id=room,
                store_path=tmp_path / "bot-store",
                matrix_extra="encrypt_direct_rooms = false",
            )
            async with running_bot(world_config(database_url, toml), bot, clock) as (app, svc):
                await bot_joined(doctor, room, bot.user_id)
                asks = [
                    await doctor.say(room, f"!fråga kategori:sgi Fråga nummer {n}?")
                    for n in range(1, ASKS + 1)
                ]
                await doctor.until(
                    lambda: (
                        all(doctor.replies_to(room, a) for a in asks)
                        and len(doctor.cards(room, bot.user_id)) == ASKS
                    ),
                    "every reply and every card despite the rate limit",
                    timeout=40,
                )
                limited = [r for r in caplog.records if "429" in r.getMessage()]
                assert limited, "the burst never met the rate limit, so it proves nothing"

                port = server.port
                server.stop()
                card = doctor.cards(room, bot.user_id)[0]
                # Refused at once as unreachable; a post that hung would end in the
                # messenger's own timeout instead ("did not answer within …").
                with pytest.raises(DeliveryError, match="Cannot connect to host"):
                    await asyncio.to_thread(
                        svc.messenger.post_in_thread,
                        location=ChatLocation("matrix", room, card.event_id),
                        text="Går det fram?",
                        key="ping-during-outage",
                    )

                # Meanwhile a question comes in another way (the console, another platform):
                # its card waits in the outbox and goes out once Matrix is back.
                request = Request("matrix", doctor_user.user_id, "!fråga kategori:sgi Nu?", room)
                reply = await asyncio.to_thread(app.core.handle, request)
                assert reply is not None and reply.accepted

                server.start()
                assert server.port == port, "the homeserver came back on another port"
                clock.advance(minutes=10)  # the outbox's retries fall due
                await doctor.until(
                    lambda: len(doctor.cards(room, bot.user_id)) == ASKS + 1,
                    "the card queued during the outage",
                    timeout=30,
                )
                ping = await doctor.say(room, "!frågor")
                answered = await doctor.until(
                    lambda: first(doctor.replies_to(room, ping)), "an answer after the outage"
                )
                assert f"F-2026-000{ASKS + 1}" in answered.body

    asyncio.run(scenario())
