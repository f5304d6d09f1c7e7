"""Slash commands: `/fraga` (a form, or a one-liner) and `/bryggan <command>`.

A command is acknowledged within Slack's 3 seconds with the core's reply as the ephemeral
answer: the core validates and commits the change first (fast), so "registered" is true
when the user reads it; the card and notices go out afterwards through the outbox.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import unescape
from bot.slack.forms import DIRECTION_VALUES, AskChoices, ask_modal
from bot.slack.messenger import PLATFORM
from bot.slack.replies import ASK_COMMAND, MAIN_COMMAND, help_text, render, tell
from bot.wiring import Bryggan
from handlers import texts
from handlers.commands import Request
from handlers.grammar import command_word

logger = logging.getLogger(__name__)

HELP_WORDS = frozenset({"", "hjalp", "help"})


def ask_choices(bryggan: Bryggan, user: str, channel: str | None) -> AskChoices | None:
    """The form's options and starting values for `user`; None for an unknown user."""
    with bryggan.stores() as store:
        person = store.person_by_identity(platform=PLATFORM, identity=user)
        if person is None:
            return None
        defaults = store.person_defaults(person_id=person.id)
        in_channel = store.unit_by_channel(platform=PLATFORM, channel=channel) if channel else None
        stored = defaults.get("riktning")
        return AskChoices(
            units=store.units(),
            categories=store.categories(),
            unit=in_channel.slug if in_channel else defaults.get("enhet"),
            direction=next((v for d, v in DIRECTION_VALUES.items() if d.value == stored), None),
            channel=channel,
        )


def open_ask_form(client: WebClient, choices: AskChoices, *, trigger_id: str, user: str) -> None:
    """Open the question form at once (a trigger id lives 3 seconds); tell the user if not."""
    try:
        client.views_open(trigger_id=trigger_id, view=ask_modal(choices))
    except (SlackApiError, SlackClientError):
        logger.exception("views.open failed for the question form")
        text = render(texts.SLACK_FORM_FAILED)
        tell(client, user=user, channel=choices.channel, text=text)


class SlashCommands:
    """`/fraga` and `/bryggan` for one Bryggan."""

    def __init__(self, bryggan: Bryggan) -> None:
        self.bryggan = bryggan

    def register(self, bolt: App) -> None:
        bolt.command(ASK_COMMAND)(self.ask)
        bolt.command(MAIN_COMMAND)(self.other)

    @property
    def extension_words(self) -> list[str]:
        return list(self.bryggan.core.extensions)

    def ask(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """`/fraga` opens the form; `/fraga <fields and text>` asks in one line."""
        self._ask(ack, command, client, unescape(str(command.get("text") or "")).strip())

    def _ask(self, ack: Ack, command: dict[str, Any], client: WebClient, text: str) -> None:
        user, channel = command["user_id"], command.get("channel_id")
        if not text:
            choices = ask_choices(self.bryggan, user, channel)
            if choices is None:
                ack(text=render(texts.UNKNOWN_USER))
                return
            ack()
            open_ask_form(client, choices, trigger_id=command["trigger_id"], user=user)
            return
        request = Request(PLATFORM, user, f"{ASK_COMMAND} {text}", channel=channel)
        reply = self.bryggan.core.handle(request)
        ack(text=render(reply.text, self.extension_words) if reply else "")

    def other(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """`/bryggan <command>`: the core's grammar; help when empty; `fråga` as `/fraga`."""
        text = unescape(str(command.get("text") or "")).strip()
        if command_word(text) in HELP_WORDS:
            ack(text=help_text(self.extension_words))
            return
        if command_word(text) == "fraga":
            self._ask(ack, command, client, text.lstrip("/!").partition(" ")[2].strip())
            return
        request = Request(PLATFORM, command["user_id"], text, channel=command.get("channel_id"))
        reply = self.bryggan.core.handle(request)
        ack(text=render(reply.text, self.extension_words) if reply else "")
