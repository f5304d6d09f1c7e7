"""`bryggan run` with both Slack and Matrix configured: one process serves both."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest

from bot.matrix.client import Backoff
from bot.matrix.config import matrix_settings
from bot.matrix.runner import MatrixService
from bot.runner import start_platforms
from bot.wiring import build
from handlers.commands import Request
from handlers.kernel import texts
from tests.bot.matrix_people import bot_joined, create_room, first, participant
from tests.bot.matrix_world import bot_env, world_config, world_toml
from tests.bot.slack_support import CHANNEL, SLACK_TOML, card_text, slack_env
from tests.matrix_homeserver import SynapseHomeserver
from tests.slack_stand_in import SlackStandIn
from tests.support import Clock, wait_until


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: this is about starting the platforms, not about the database."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


def test_run_starts_slack_and_matrix_together(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    slack_stand_in: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")
    for name, value in {**slack_env(slack_stand_in), **bot_env(bot)}.items():
        monkeypatch.setenv(name, value)

    async def scenario() -> None:
        async with participant(synapse, doctor_user, "doktorn") as doctor:
            room = await create_room(doctor, [bot.user_id])
            toml = world_toml(
                synapse,
                bot=bot,
                doctor=doctor_user,
                contact=contact_user,
                room_id=room,
                store_path=tmp_path / "bot-store",
                matrix_extra="encrypt_direct_rooms = false",
            )
            app = build(
                world_config(
                    database_url, toml + SLACK_TOML.format(base_url=slack_stand_in.base_url)
                ),
                clock,
            )
            stops = await asyncio.to_thread(start_platforms, app)
            try:
                assert len(stops) == 2
                await bot_joined(doctor, room, bot.user_id)
                ask = await doctor.say(room, "!fråga kategori:sgi Från Element?")
                reply = await doctor.until(lambda: first(doctor.replies_to(room, ask)), "reply")
                assert reply.body.startswith("Tack! Din fråga F-2026-0001 är registrerad.")

                from_slack = Request("slack", "UNILS", "/fraga kategori:sgi Från Slack?", CHANNEL)
                answer = await asyncio.to_thread(app.core.handle, from_slack)
                assert answer is not None and answer.ref == "F-2026-0002"
                posted = await asyncio.to_thread(slack_stand_in.wait_for, "chat.postMessage")
                assert any("Från Slack?" in card_text(call) for call in posted)
                await doctor.until(lambda: first(doctor.cards(room, bot.user_id)), "Matrix card")
                assert all("Från Slack?" not in c.body for c in doctor.cards(room, bot.user_id))
            finally:
                for stop in stops:
                    await asyncio.to_thread(stop)
                app.database.engine.dispose()
            assert app.core.on_commit == []

    asyncio.run(scenario())


def test_an_access_token_logs_in_on_its_device_and_a_wrong_one_is_retried_not_fatal(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")

    async def scenario() -> None:
        async with participant(synapse, doctor_user, "doktorn") as doctor:
            room = await create_room(doctor, [bot.user_id])
            toml = world_toml(
                synapse,
                bot=bot,
                doctor=doctor_user,
                contact=contact_user,
                room_id=room,
                store_path=tmp_path / "bot-store",
            )
            config = world_config(database_url, toml)
            app = build(config, clock)

            with monkeypatch.context() as patched:
                # An hour between login attempts: only a stop that ends the pause ends it.
                patched.setattr("bot.matrix.bot.Backoff", partial(Backoff, first=3600.0))
                wrong = MatrixService(app, matrix_settings(config, {"MATRIX_ACCESS_TOKEN": "nej"}))
                wrong.start()
                await asyncio.to_thread(
                    wait_until,
                    lambda: [r for r in caplog.records if "login failed" in r.getMessage()],
                    10,
                    "a failed login with the wrong token",
                    seen=lambda: [r.getMessage() for r in caplog.records],
                )
                assert not wrong.bot.ready.is_set()
                await asyncio.to_thread(wrong.stop)
            assert wrong.bot.loop.is_closed(), "stopping left the login backoff running"

            token = {"MATRIX_ACCESS_TOKEN": bot.access_token}
            service = MatrixService(app, matrix_settings(config, token))
            service.start()
            try:
                await bot_joined(doctor, room, bot.user_id)
                ping = await doctor.say(room, "!frågor")
                reply = await doctor.until(lambda: first(doctor.replies_to(room, ping)), "reply")
                assert reply.body == texts.NO_QUESTIONS
                assert service.bot.connection.client.device_id == bot.device_id
            finally:
                await asyncio.to_thread(service.stop)
                app.database.engine.dispose()

    asyncio.run(scenario())
