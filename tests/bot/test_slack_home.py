"""The App Home tab lists my questions and those waiting for me; its button opens the form."""

from __future__ import annotations

import json

from handlers.kernel import texts
from tests.bot.slack_support import SlackHarness, as_json
from tests.slack_stand_in import block_actions_body, event_callback_body
from tests.support import wait_until


def open_home(slack: SlackHarness, user: str, event_id: str) -> str:
    event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    assert slack.dispatch(event_callback_body(event, event_id)).status == 200
    calls = wait_until(
        lambda: [c for c in slack.stand_in.calls("views.publish") if c["user_id"] == user],
        5,
        f"views.publish of {user}'s Home tab",
        seen=lambda: [c["user_id"] for c in slack.stand_in.calls("views.publish")],
    )
    view = as_json(calls[-1]["view"])
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return json.dumps(view, ensure_ascii=False)


def test_home_shows_my_questions_and_those_waiting_for_me(slack: SlackHarness) -> None:
    ref = slack.ask("Hur påverkas SGI vid halvtid?")
    lisa = open_home(slack, "ULISA", "EvH1")
    assert "Mina frågor" in lisa and ref in lisa and "Hur påverkas SGI vid halvtid?" in lisa
    anna = open_home(slack, "UANNA", "EvH2")
    waiting, _, mine = anna.partition("Mina frågor")
    assert texts.WAITING_FOR_ME in waiting and ref in waiting
    assert ref not in mine and texts.SLACK_HOME_NONE in mine


def test_home_for_an_unknown_user_explains(slack: SlackHarness) -> None:
    assert texts.UNKNOWN_USER in open_home(slack, "UNOBODY", "EvH3")


def test_the_home_button_opens_the_question_form(slack: SlackHarness) -> None:
    body = block_actions_body("bryggan_ny_fraga", "ULISA", value="ny", block_id="bryggan_home")
    assert slack.dispatch(body).status == 200
    view = as_json(slack.stand_in.wait_for("views.open")[0]["view"])
    assert view["callback_id"] == "bryggan_fraga"
    assert json.loads(view["private_metadata"]) == {"channel": None}
