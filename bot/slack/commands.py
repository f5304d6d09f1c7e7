"""Slash commands: `/fraga` (a form, or a one-liner) and `/bryggan <command>`.

A command is acknowledged within Slack's 3 seconds with the core's reply as the ephemeral
answer: the core validates and commits the change first (fast), so "registered" is true
when the user reads it; the card and notices go out afterwards through the outbox.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import escape, unescape
from bot.slack.courier import Courier
from bot.slack.forms import ask_modal
from bot.slack.knowledge import KnowledgeListeners
from bot.slack.messenger import PLATFORM
from bot.slack.replies import ASK_COMMAND, ASK_NAME, MAIN_COMMAND, help_text, render, tell
from bot.slack.tables import statistics_blocks
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import Help, Reply, texts
from handlers.questions import AskChoices, ask_choices

logger = logging.getLogger(__name__)


def form_choices(bryggan: Bryggan, user: str, channel: str | None) -> AskChoices | None:
    """The core's choices for the question form; None for an unknown user."""
    with bryggan.stores() as store:
        person = store.person_by_identity(platform=PLATFORM, identity=user)
        if person is None:
            return None
        return ask_choices(store, person, PLATFORM, channel)


def open_ask_form(
    client: WebClient, choices: AskChoices, *, trigger_id: str, user: str, channel: str | None
) -> None:
    """Open the question form at once (a trigger id lives 3 seconds); tell the user if not."""
    try:
        client.views_open(trigger_id=trigger_id, view=ask_modal(choices, channel))
    except (SlackApiError, SlackClientError):
        logger.exception("views.open failed for the question form")
        tell(client, user=user, channel=channel, text=escape(texts.SLACK_FORM_FAILED))


class SlashCommands:
    """`/fraga` and `/bryggan` for one Bryggan: the core's registry reads what follows."""

    def __init__(self, bryggan: Bryggan, courier: Courier) -> None:
        self.bryggan = bryggan
        self.courier = courier
        self.knowledge = KnowledgeListeners(bryggan, courier)
        """Makes the Web API calls that answer a request, off the listener threads."""
        self.registry = bryggan.core.registry

    def register(self, bolt: App) -> None:
        bolt.command(ASK_COMMAND)(self.ask)
        bolt.command(MAIN_COMMAND)(self.other)

    def ask(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """`/fraga` opens the form; `/fraga <fields and text>` asks in one line."""
        self._ask(ack, command, client, unescape(str(command.get("text") or "")).strip())

    def _ask(self, ack: Ack, command: dict[str, Any], client: WebClient, text: str) -> None:
        user, channel = command["user_id"], command.get("channel_id")
        if not text:
            choices = form_choices(self.bryggan, user, channel)
            if choices is None:
                ack(text=render(texts.UNKNOWN_USER, self.registry))
                return
            ack()
            trigger = command["trigger_id"]
            self.courier.send(
                "views.open",
                partial(
                    open_ask_form, client, choices, trigger_id=trigger, user=user, channel=channel
                ),
            )
            return
        request = Request(PLATFORM, user, text, channel=channel, command=ASK_NAME)
        reply = self._answer(ack, request)
        if reply is not None and reply.accepted:  # similar entries follow the ack
            self.knowledge.suggest(client, user=user, channel=channel, ref=reply.ref)

    def other(self, ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        """`/bryggan <command>`: the core's registry; help when empty; `fråga` as `/fraga`."""
        text = unescape(str(command.get("text") or "")).strip()
        word, _, arguments = text.partition(" ")
        spec = self.registry.find(word) if word else None
        if not word or (spec is not None and spec.kind is Help):
            ack(text=help_text(self.registry, arguments.strip()))
            return
        if spec is not None and spec.name == ASK_NAME:
            self._ask(ack, command, client, arguments.strip())
            return
        self._answer(ack, Request(PLATFORM, command["user_id"], text, command.get("channel_id")))

    def _answer(self, ack: Ack, request: Request) -> Reply | None:
        reply = self.bryggan.core.handle(request)
        blocks = statistics_blocks(reply, self.registry) if reply else None
        ack(text=render(reply.text, self.registry) if reply else "", blocks=blocks)
        return reply
