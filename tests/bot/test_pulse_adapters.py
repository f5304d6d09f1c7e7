"""Pulse meetings and reminders through the real adapters: Slack (against the stand-in)
and Matrix (against a real Synapse)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.scheduler import run_due_now
from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from bot.wiring import build
from handlers.commands import Request
from tests import support
from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.bot.slack_support import CHANNEL, SLACK_TOML, SlackHarness, ack_text, slack_env
from tests.handlers.meetings.pulse_support import at
from tests.matrix_homeserver import SynapseHomeserver
from tests.slack_stand_in import SlackStandIn
from tests.support import Clock, wait_until

SLACK_ADMIN = """
[[people]]
key = "ingrid"
name = "Ingrid Ek"
roles = ["admin"]
slack = "UINGRID"
"""


@pytest.fixture
def slack_with_admin(
    database_url: str, clock: Clock, slack_stand_in: SlackStandIn
) -> Iterator[SlackHarness]:
    toml = SLACK_TOML.format(base_url=slack_stand_in.base_url) + SLACK_ADMIN
    config = support.test_config(database_url, toml)
    bryggan = build(config, clock)
    service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in))).start()
    yield SlackHarness(bryggan, service, slack_stand_in, clock)
    service.stop()
    bryggan.database.engine.dispose()


def posted(slack: SlackHarness, channel: str, text: str, timeout: float = 5.0) -> str:
    """The first message in `channel` containing `text`, once the outbox pump posted it."""

    def found() -> str | None:
        for call in slack.stand_in.calls("chat.postMessage"):
            if call.get("channel") == channel and text in str(call.get("text")):
                return str(call["text"])
        return None

    def seen() -> list[tuple[object, object]]:
        calls = slack.stand_in.calls("chat.postMessage")
        return [(call.get("channel"), call.get("text")) for call in calls[-5:]]

    return wait_until(found, timeout, f"a post with {text!r} in {channel}", seen=seen)


def test_pulse_meetings_and_reminders_through_slack(slack_with_admin: SlackHarness) -> None:
    slack, clock = slack_with_admin, slack_with_admin.clock
    created = ack_text(
        slack.command(
            "puls ny varannan torsdag kl 13 enheter:ystad länk:https://m.se/p",
            "UINGRID",
            command="/bryggan",
        )
    )
    assert created.startswith("Pulsmöte 1 är skapat för Vuxenpsykiatri Ystad.")
    assert "Nytt pulsmöte för Vuxenpsykiatri Ystad" in posted(slack, CHANNEL, "Nytt pulsmöte")
    point = ack_text(
        slack.command(
            "puls punkt Genomgång av utfärdade läkarutlåtanden", "UNILS", command="/bryggan"
        )
    )
    assert point == (
        "Punkten är med på dagordningen till pulsmöte 1 torsdag 26 november 2026 kl 13:00."
    )
    clock.now = at(2026, 11, 24, 9, 0)
    run_due_now(slack.bryggan)
    agenda = posted(slack, CHANNEL, "Dagordning")
    assert "• Genomgång av utfärdade läkarutlåtanden (Nils Ek)" in agenda
    clock.now = at(2026, 11, 25, 15, 0)
    run_due_now(slack.bryggan)
    assert posted(slack, CHANNEL, "Påminnelse").startswith(
        "⏰ Påminnelse: Pulsmöte 1 i morgon, torsdag 26 november 2026 kl 13:00"
    )


def test_an_unclaimed_slack_question_reminds_its_contact(slack: SlackHarness) -> None:
    ref = slack.ask()
    slack.clock.now = at(2026, 11, 23, 17, 0)  # 8 working hours after Monday 09:00
    run_due_now(slack.bryggan)
    assert f"⏰ {ref} (SGI och övriga förmåner, Vuxenpsykiatri Ystad) väntar" in posted(
        slack, "UANNA", "väntar på att tas om hand"
    )


def test_pulse_meetings_in_a_matrix_room(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id

            def said(text: str) -> str | None:
                return next((b for b in doctor.bodies(room, bot) if text in b), None)

            # An admin creates the series from the console; the unit's room hears of it. The
            # outbox retries a post to a room its sync does not know yet only as the injected
            # clock moves: so only once it knows the room.
            rooms = s.service.bot.connection.client.rooms
            await doctor.until(lambda: room in rooms or None, "the bot's sync of the room")
            reply = s.app.core.handle(
                Request("console", "maria", "/puls ny varannan torsdag kl 13 enheter:malmo")
            )
            assert reply is not None and reply.text.startswith("Pulsmöte 1 är skapat")
            announced = await doctor.until(lambda: said("Nytt pulsmöte"), "the announcement")
            assert "!puls punkt <text>" in announced
            ask = await doctor.say(room, "!puls punkt Genomgång av utfärdade läkarutlåtanden")
            answer = await doctor.until(lambda: first(doctor.replies_to(room, ask)), "a reply")
            assert answer.body.startswith("Punkten är med på dagordningen till pulsmöte 1")
            clock.now = at(2026, 11, 24, 9, 0)
            await asyncio.to_thread(run_due_now, s.app)
            agenda = await doctor.until(lambda: said("📋 Dagordning"), "the agenda")
            assert "• Genomgång av utfärdade läkarutlåtanden (Doktor Dahl)" in agenda
            clock.now = at(2026, 11, 26, 12, 45)
            await asyncio.to_thread(run_due_now, s.app)
            soon = await doctor.until(lambda: said("börjar om 15 minuter"), "the reminder")
            assert soon.startswith("⏰ Pulsmöte 1 börjar om 15 minuter, kl 13:00")

    asyncio.run(scenario())
