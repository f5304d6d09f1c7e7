"""The core's replies as Slack shows them, and the ways a listener answers one person.

Slack's command scheme is `/fraga` for asking plus `/bryggan <command>` for everything else,
so the command hints inside the core's texts (`/ta F-…`, `/svara …`) are rewritten, from
the core's command registry, to what a Slack user can type (`/bryggan ta F-…`).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import MAX_FALLBACK, clip, escape
from handlers.kernel import CommandSpec, Registry, texts

logger = logging.getLogger(__name__)

ASK_COMMAND = "/fraga"
MAIN_COMMAND = "/bryggan"
ASK_NAME = "fråga"


def slack_invocation(spec: CommandSpec[Any], word: str) -> str:
    """`/fraga` for asking (its own slash command), `/bryggan <word>` for the rest."""
    return ASK_COMMAND if spec.name == ASK_NAME else f"{MAIN_COMMAND} {word}"


def render(text: str, registry: Registry) -> str:
    """A core reply as Slack mrkdwn: command hints for Slack, control characters escaped."""
    return clip(escape(registry.render_hints(text, slack_invocation)), MAX_FALLBACK)


def help_text(registry: Registry, topic: str = "") -> str:
    """`/bryggan hjälp`: the Slack ways in first, then the registry's command list."""
    if topic:
        return render(registry.help(topic), registry)
    return render(f"{texts.SLACK_HELP_INTRO}\n\n{registry.help()}", registry)


def tell(client: WebClient, *, user: str, channel: str | None, text: str, thread: str = "") -> None:
    """An ephemeral message to `user` in `channel`; a DM when that is not possible."""
    if channel:
        try:
            client.chat_postEphemeral(
                channel=channel, user=user, text=text, thread_ts=thread or None
            )
            return
        except SlackApiError as error:
            logger.warning("ephemeral to %s failed (%s); sending a DM", user, error.response)
        except (SlackClientError, OSError) as error:  # a timeout too
            logger.warning("ephemeral to %s failed (%s); sending a DM", user, error)
    try:
        client.chat_postMessage(channel=user, text=text)
    except (SlackApiError, SlackClientError, OSError):
        logger.exception("could not tell %s the outcome of their action", user)
