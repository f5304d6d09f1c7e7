"""The core's replies as Slack shows them, and the ways a listener answers one person.

Slack's command scheme is `/fraga` for asking plus `/bryggan <command>` for everything else,
so the command hints inside the core's texts (`/ta F-…`, `/svara …`) are rewritten to what a
Slack user can type (`/bryggan ta F-…`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import MAX_FALLBACK, clip, escape
from handlers import texts
from handlers.matching import fold

logger = logging.getLogger(__name__)

ASK_COMMAND = "/fraga"
MAIN_COMMAND = "/bryggan"
CORE_WORDS = frozenset(
    {
        "fragor",
        "mina",
        "visa",
        "ta",
        "svara",
        "besvarad",
        "stang",
        "ateroppna",
        "flytta",
        "franvaro",
        "hjalp",
        "help",
        "kategori",
        "kategorier",
    }
)
"""The core's command words besides "fråga" (folded), reachable as `/bryggan <word>`."""
_HINT = re.compile(r"(?<![\w/])/(?P<word>[^\W\d_][\w-]*)")


def slack_hints(text: str, extra_words: Iterable[str] = ()) -> str:
    """Rewrite `/ta`, `/svara`, `/fråga` … in a core text into Slack's two commands."""
    words = CORE_WORDS | {fold(w) for w in extra_words}

    def swap(found: re.Match[str]) -> str:
        word = fold(found.group("word"))
        if word == "fraga":
            return ASK_COMMAND
        if word in words:
            return f"{MAIN_COMMAND} {found.group('word')}"
        return found.group(0)

    return _HINT.sub(swap, text)


def render(text: str, extra_words: Iterable[str] = ()) -> str:
    """A core reply as Slack mrkdwn: command hints for Slack, control characters escaped."""
    return clip(escape(slack_hints(text, extra_words)), MAX_FALLBACK)


def help_text(extra_words: Iterable[str] = ()) -> str:
    """`/bryggan hjälp`: the Slack ways in first, then the core's command list."""
    return render(f"{texts.SLACK_HELP_INTRO}\n\n{texts.HELP}", extra_words)


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
        except SlackClientError as error:
            logger.warning("ephemeral to %s failed (%s); sending a DM", user, error)
    try:
        client.chat_postMessage(channel=user, text=text)
    except (SlackApiError, SlackClientError):
        logger.exception("could not tell %s the outcome of their action", user)
