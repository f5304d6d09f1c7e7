"""The permission matrix over Slack's own ways in: every card button × every role, and the
Home tab for every role. The core's matrix (tests/handlers/questions/test_permission_matrix.py)
covers the commands; this checks that the buttons map to the same rules, that a refusal
changes nothing and reveals nothing, and that no Home tab shows a question to anyone
outside its unit's audience."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.slack.config import slack_settings
from bot.slack.runner import SlackService
from bot.wiring import build
from handlers.kernel.model import Status
from tests.bot.slack_support import SLACK_TOML, SlackHarness, slack_env
from tests.slack_stand_in import SlackStandIn, event_callback_body
from tests.support import TEST_CONFIG, Clock

QUESTION = "Vad gäller vid halvtid för SGI?"
# Questions asked in CYSTAD go to unit ystad: anna (vård→FK), berit (backup), rut (FK→vård).
ROLES = {
    "asker": "lisa",
    "other_asker": "olle",
    "assignee": "anna",
    "unit_backup": "berit",
    "unit_other_direction": "rut",
    "other_unit_contact": "sofia",
    "admin": "maria",
}
AUDIENCE = {"asker", "assignee", "unit_backup", "unit_other_direction", "admin"}
# Rut serves the other direction (FK → vård): she may read a vård → FK question, not act (#12).
HANDLERS = {"assignee", "unit_backup", "admin"}
BUTTONS = {  # action id → (state to prepare, roles allowed)
    "bryggan_ta": (Status.NY, HANDLERS),
    "bryggan_besvarad": (Status.NY, HANDLERS),
    "bryggan_stang": (Status.NY, HANDLERS | {"asker"}),
    "bryggan_ateroppna": (Status.STANGD, HANDLERS | {"asker"}),
    "bryggan_slapp": (Status.TAGEN, HANDLERS),
    "bryggan_hjalpte_ja": (Status.BESVARAD, {"asker"}),
}
PREPARE = {
    Status.STANGD: "bryggan_stang",
    Status.TAGEN: "bryggan_ta",
    Status.BESVARAD: "bryggan_besvarad",
}
REFUSALS = ("Det får bara", "Jag hittar ingen fråga", "Bara den som ställde")


def slack_id(key: str) -> str:
    return f"U{key.upper()}"


@pytest.fixture
def everyone(database_url: str, slack_stand_in: SlackStandIn) -> Iterator[SlackHarness]:
    """The Slack harness with a Slack id for every person in the test directory."""
    directory = re.sub(
        r'^key = "(\w+)"$',
        lambda m: f'{m.group(0)}\nslack = "{slack_id(m.group(1))}"',
        TEST_CONFIG.replace('slack = "ULISA"\n', "").replace('slack = "UANNA"\n', ""),
        flags=re.MULTILINE,
    )
    data = tomllib.loads(directory + SLACK_TOML.format(base_url=slack_stand_in.base_url))
    env = {"BRYGGAN_DATABASE_URL": database_url}
    config = parse_config(data, "test-config", env, Path.cwd())
    clock = Clock()
    bryggan = build(config, clock)
    service = SlackService(bryggan, slack_settings(config, slack_env(slack_stand_in))).start()
    yield SlackHarness(bryggan, service, slack_stand_in, clock)
    service.stop()
    bryggan.database.engine.dispose()


def state(slack: SlackHarness, ref: str) -> tuple[object, ...]:
    question = slack.question(ref)
    assert question is not None
    return (question.status, question.assignee_id, question.answered_at, question.closed_at)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_every_button_for_every_role(everyone: SlackHarness, button: str, role: str) -> None:
    prepared, allowed = BUTTONS[button]
    ref = everyone.ask(f"kategori:sgi {QUESTION}", user="ULISA")
    if prepared in PREPARE:
        earlier = len(everyone.stand_in.calls("chat.postEphemeral"))
        everyone.press(PREPARE[prepared], ref, "UANNA")
        everyone.stand_in.wait_for("chat.postEphemeral", earlier + 1)  # Anna's outcome
    everyone.flush()
    calls = len(everyone.stand_in.calls("chat.postEphemeral"))
    before = state(everyone, ref)
    presser = slack_id(ROLES[role])
    assert everyone.press(button, ref, presser).status == 200
    told = everyone.stand_in.wait_for("chat.postEphemeral", calls + 1)[calls]
    assert told["user"] == presser
    refused = told["text"].startswith((*REFUSALS, f"{ref} går vård → FK"))
    assert refused == (role not in allowed), told["text"]
    assert (state(everyone, ref) == before) == refused
    if role not in AUDIENCE:
        assert QUESTION not in json.dumps(everyone.stand_in.calls("chat.postEphemeral"))


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_home_tab_shows_a_question_only_to_its_audience(
    everyone: SlackHarness, role: str
) -> None:
    ref = everyone.ask(f"kategori:sgi {QUESTION}", user="ULISA")
    event = {"type": "app_home_opened", "user": slack_id(ROLES[role]), "tab": "home"}
    assert everyone.post(event_callback_body(event, f"EvHome{role}")).status == 200
    view = json.dumps(everyone.stand_in.wait_for("views.publish")[0]["view"], ensure_ascii=False)
    shown = ref in view or QUESTION in view
    # Home lists my own questions and those waiting for me, as /frågor does.
    assert shown == (role in {"asker", "assignee"})
    if role not in AUDIENCE:
        assert QUESTION not in view
