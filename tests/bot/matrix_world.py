"""A unit room with the bot in it, for the Matrix adapter's tests.

The bot is the real adapter (`MatrixService`), in process, on its own thread and loop; the
doctor and the contact are `Participant`s (`tests.bot.matrix_people`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.matrix.config import matrix_settings
from bot.matrix.runner import MatrixService
from bot.wiring import Bryggan, build
from tests.bot.matrix_people import Participant, bot_joined, create_room, participant
from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver
from tests.support import Clock, test_config


def world_toml(
    synapse: SynapseHomeserver,
    *,
    bot: RegisteredUser,
    doctor: RegisteredUser,
    contact: RegisteredUser,
    room_id: str,
    store_path: Path,
    allowed_inviters: list[str] | None = None,
    matrix_extra: str = "",
    admin: RegisteredUser | None = None,
) -> str:
    """`[matrix]`, the doctor (an asker on the care side), the contact (FK's contact for
    the unit Malmö) and the unit, whose Matrix room is `room_id`."""
    inviters = allowed_inviters if allowed_inviters is not None else [doctor.user_id]
    listed = ", ".join(f'"{i}"' for i in inviters)
    admin_toml = (
        f'''
[[people]]
key = "admin"
name = "Ada Admin"
roles = ["admin"]
matrix = "{admin.user_id}"
'''
        if admin
        else ""
    )
    return (
        admin_toml
        + f"""
[matrix]
enabled = true
homeserver = "{synapse.base_url}"
user_id = "{bot.user_id}"
store_path = "{store_path}"
allowed_inviters = [{listed}]
{matrix_extra}

[[people]]
key = "doktor"
name = "Doktor Dahl"
roles = ["asker"]
side = "vard"
matrix = "{doctor.user_id}"

[[people]]
key = "kontakt"
name = "Karin Kontakt"
roles = ["contact"]
matrix = "{contact.user_id}"

[[units]]
slug = "malmo"
name = "Vuxenpsykiatri Malmö"
vard_till_fk = ["kontakt"]
matrix_room = "{room_id}"
"""
    )


def bot_env(bot: RegisteredUser) -> dict[str, str]:
    return {"MATRIX_PASSWORD": bot.password}


def world_config(database_url: str, toml: str) -> Config:
    return test_config(database_url, toml)


@contextlib.asynccontextmanager
async def running_bot(
    config: Config, bot: RegisteredUser, clock: Clock | None = None, *, drain_interval: float = 0.5
) -> AsyncIterator[tuple[Bryggan, MatrixService]]:
    """The adapter started in process; waits for its first sync and stops it on exit."""
    app = build(config, clock or Clock())
    service = MatrixService(
        app, matrix_settings(config, bot_env(bot)), drain_interval=drain_interval
    )
    service.start()
    try:
        assert await asyncio.to_thread(service.bot.ready.wait, 30), "the bot never synced"
        yield app, service
    finally:
        await asyncio.to_thread(service.stop)
        app.database.engine.dispose()


@dataclass
class Scene:
    """A unit room with the bot, a doctor and the unit's contact, all joined."""

    bot: RegisteredUser
    doctor: Participant
    contact: Participant
    room: str
    app: Bryggan
    service: MatrixService

    @property
    def bot_id(self) -> str:
        return self.bot.user_id


@contextlib.asynccontextmanager
async def unit_room(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    *,
    bot_power: int | None = 50,
    encrypted: bool = False,
    matrix_extra: str = "encrypt_direct_rooms = false",
    admin: RegisteredUser | None = None,
) -> AsyncIterator[Scene]:
    """The standard scene; `bot_power` 50 lets the bot redact (None: no power at all);
    `admin` is listed as an admin with that Matrix id."""
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")
    stores = (tmp_path / "doktor", tmp_path / "kontakt") if encrypted else (None, None)
    async with (
        participant(synapse, doctor_user, "doktorn", stores[0]) as doctor,
        participant(synapse, contact_user, "kontakten", stores[1]) as contact,
    ):
        powers = {bot.user_id: bot_power} if bot_power else None
        room = await create_room(
            doctor, [bot.user_id, contact.user_id], encrypted=encrypted, powers=powers
        )
        await contact.join(room)
        toml = world_toml(
            synapse,
            bot=bot,
            doctor=doctor_user,
            contact=contact_user,
            room_id=room,
            store_path=tmp_path / "bot-store",
            matrix_extra=matrix_extra,
            admin=admin,
        )
        async with running_bot(world_config(database_url, toml), bot, clock) as (app, service):
            await bot_joined(doctor, room, bot.user_id)
            await bot_joined(contact, room, bot.user_id)
            yield Scene(bot, doctor, contact, room, app, service)
