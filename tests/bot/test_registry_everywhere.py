"""A command declared once in the core's registry is in every adapter's parsing and help:
the console, Slack (`/bryggan <command>`) and Matrix (`!command`, over a real Synapse)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bot.console import Console
from bot.wiring import Bryggan
from handlers.kernel.context import Context, Reply
from handlers.kernel.registry import extension
from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.bot.slack_support import SlackHarness, ack_text
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock


def add_probe(app: Bryggan) -> None:
    """`provkommando <text>`: echoes its arguments and tells how to run the next step."""

    def run(ctx: Context, arguments: str) -> Reply:
        return Reply(f"Prov: {arguments}. Fortsätt med /provkommando igen.")

    probe = extension("provkommando", run, summary="ett prov", usage="<text>")
    app.core.registry.register(probe)


def test_the_console_parses_and_lists_an_added_command(app: Bryggan) -> None:
    add_probe(app)
    out = io.StringIO()
    console = Console(app, out, echo=False)
    console.say("/hjälp")
    console.say("/provkommando hej")
    console.say("/provkomando hej")
    shown = out.getvalue()
    assert "/provkommando <text> – ett prov" in shown
    assert "Prov: hej. Fortsätt med /provkommando igen." in shown
    assert "Menade du /provkommando?" in shown


def test_slack_parses_and_lists_an_added_command(slack: SlackHarness) -> None:
    add_probe(slack.bryggan)
    shown = ack_text(slack.command("hjälp", command="/bryggan"))
    assert "/bryggan provkommando &lt;text&gt; – ett prov" in shown
    assert "/fraga enhet:" in shown  # asking has its own slash command
    answer = ack_text(slack.command("provkommando hej", command="/bryggan"))
    assert answer == "Prov: hej. Fortsätt med /bryggan provkommando igen."
    one = ack_text(slack.command("hjälp provkommando", command="/bryggan"))
    assert one.startswith("/bryggan provkommando &lt;text&gt;")


def test_matrix_parses_and_lists_an_added_command(
    synapse: SynapseHomeserver, tmp_path: Path, clock: Clock
) -> None:
    database_url = f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as scene:
            add_probe(scene.app)
            doctor, room = scene.doctor, scene.room
            helped = await doctor.say(room, "!hjälp")
            help_reply = await doctor.until(lambda: first(doctor.replies_to(room, helped)), "help")
            assert "!provkommando <text> – ett prov" in help_reply.body
            assert "!fråga enhet:" in help_reply.body and "/fråga" not in help_reply.body
            probe = await doctor.say(room, "!provkommando hej")
            answer = await doctor.until(lambda: first(doctor.replies_to(room, probe)), "answer")
            assert answer.body == "Prov: hej. Fortsätt med !provkommando igen."

    asyncio.run(scenario())
