"""One person, three platforms, the same questions: `/frågor` in the console, the Slack
Home tab and `!frågor` in Element come from one read model in the core.

Anna is a contact for Kristianstad and Hässleholm. Waiting for her: a question assigned to
her, and one in Hässleholm that nobody could take (both contacts away); her own question is
listed under "mine". Someone else's question in a unit she does not serve is in no list.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from pathlib import Path

from bot.config import parse_config
from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from handlers.commands import Request
from handlers.kernel import texts
from tests.bot.matrix_people import bot_joined, create_room, first, participant
from tests.bot.matrix_world import running_bot
from tests.bot.slack_support import SLACK_TOML, SlackHarness, slack_env
from tests.bot.test_slack_home import open_home
from tests.matrix_homeserver import SynapseHomeserver
from tests.slack_stand_in import SlackStandIn
from tests.support import TEST_CONFIG, Clock

REF = re.compile(r"F-\d{4}-\d{4}")


def split_lists(text: str, mine_heading: str) -> tuple[set[str], set[str]]:
    """The references under "Väntar på dig" and under the person's own questions."""
    waiting, _, mine = text.partition(mine_heading)
    return set(REF.findall(waiting)), set(REF.findall(mine))


def test_console_slack_home_and_matrix_list_the_same_questions(
    synapse: SynapseHomeserver,
    slack_stand_in: SlackStandIn,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
) -> None:
    bot, anna_user = synapse.register_user("bryggan"), synapse.register_user("anna")
    matrix_toml = f"""
[matrix]
enabled = true
homeserver = "{synapse.base_url}"
user_id = "{bot.user_id}"
store_path = "{tmp_path / "bot-store"}"
allowed_inviters = ["{anna_user.user_id}"]
encrypt_direct_rooms = false
"""
    people = TEST_CONFIG.replace(
        'slack = "UANNA"', f'slack = "UANNA"\nmatrix = "{anna_user.user_id}"'
    )
    toml = people + SLACK_TOML.format(base_url=slack_stand_in.base_url) + matrix_toml
    config = parse_config(
        tomllib.loads(toml), "test-config", {"BRYGGAN_DATABASE_URL": database_url}, tmp_path
    )

    async def scenario() -> None:
        async with running_bot(config, bot, clock) as (app, _service):

            def say(user: str, line: str) -> str:
                reply = app.core.handle(Request("console", user, line))
                assert reply is not None
                return reply.text

            assigned = REF.findall(say("lisa", "/fråga enhet:kristianstad kategori:sgi Ett"))[0]
            assert "registrerad" in say("anna", "/frånvaro 23/11 23/11")
            assert "registrerad" in say("sofia", "/frånvaro 23/11 23/11")
            nobody = REF.findall(say("lisa", "/fråga enhet:hassleholm kategori:sgi Två"))[0]
            assert texts.UNASSIGNED in say("lisa", f"/visa {nobody}")
            clock.advance(days=1)  # the absences are over; the question stays unassigned
            own = REF.findall(
                say("anna", "/fråga enhet:kristianstad riktning:fk-vård kategori:regler Tre")
            )[0]
            elsewhere = REF.findall(
                say("olle", "/fråga enhet:lund riktning:vård-fk kategori:sgi Fyra")
            )[0]

            console = split_lists(say("anna", "/frågor"), texts.MY_QUESTIONS)
            assert console == ({assigned, nobody}, {own})
            assert elsewhere not in say("anna", "/frågor")

            service = SlackService(app, slack_settings(config, slack_env(slack_stand_in)))
            service.start()
            try:
                home = open_home(SlackHarness(app, service, slack_stand_in, clock), "UANNA", "E1")
            finally:
                service.stop()
            assert split_lists(home, texts.SLACK_HOME_MINE) == console

            async with participant(synapse, anna_user, "anna") as anna:
                room = await create_room(anna, [bot.user_id])
                await bot_joined(anna, room, bot.user_id)
                asked = await anna.say(room, "!frågor")
                reply = await anna.until(lambda: first(anna.replies_to(room, asked)), "!frågor")
            assert split_lists(reply.body, texts.MY_QUESTIONS) == console

    asyncio.run(scenario())
