"""The core's `Messenger` on Slack: cards, card updates with status reactions, thread posts,
direct messages and plain channel posts.

Every Slack failure becomes one `DeliveryError`, so the outbox retries it and, in the end,
tells the asker; the core never sees a Slack type. Rate limits (HTTP 429) are first waited
out inside the client by slack_sdk's `RateLimitErrorRetryHandler` (see `bot.slack.app`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import (
    MAX_FALLBACK,
    card_blocks,
    card_fallback,
    clip,
    escape,
    status_reaction,
)
from bot.slack.replies import render
from handlers.delivery import DeliveryError
from handlers.kernel import ChatLocation, Person, Registry, texts
from handlers.questions import CardView

logger = logging.getLogger(__name__)

PLATFORM = "slack"
CARD_EVENT = "bryggan_card"
"""Message metadata type of a question card; its payload names the reference."""
HISTORY_PAGES = 20
"""How far back `find_card` looks: pages of 200 messages."""
_NOT_EDITABLE = frozenset({"cant_update_message", "edit_window_closed"})
"""`chat.update` refusals after which the purge deletes the post instead."""


class SlackMessenger:
    """Posts through one `WebClient` (thread-safe: each call is its own HTTP request).

    Slack's Web API takes no idempotency key, so the delivery's `key` is not used; cards
    are kept from repeating by `bot.slack.delivery.SlackCardGuard` instead."""

    platform = PLATFORM

    def __init__(self, client: WebClient, registry: Registry) -> None:
        self.client = client
        self.registry = registry
        """The core's commands, for Slack's command hints in what is posted."""

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation:
        """Post the card; its message ts is the thread root for answers."""
        answer = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=card_fallback(card),
                blocks=card_blocks(card),
                unfurl_links=False,
                unfurl_media=False,
                metadata={"event_type": CARD_EVENT, "event_payload": {"ref": card.ref}},
            ),
            channel=channel,
        )
        return ChatLocation(PLATFORM, str(answer.get("channel") or channel), str(answer["ts"]))

    def find_card(self, *, channel: str, ref: str, since: datetime) -> ChatLocation | None:
        """The card of `ref` if it is already in `channel`: found by its message metadata
        among the messages posted since ten minutes before `since` (clocks differ)."""
        oldest = f"{since.timestamp() - 600:.6f}"
        cursor = ""
        for _page in range(HISTORY_PAGES):
            page_of: dict[str, Any] = {"channel": channel, "oldest": oldest, "limit": 200}
            page_of["include_all_metadata"] = True
            if cursor:
                page_of["cursor"] = cursor
            answer = self._call(
                "conversations.history", partial(self.client.conversations_history, **page_of)
            )
            for message in answer.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == CARD_EVENT and payload.get("ref") == ref:
                    return ChatLocation(PLATFORM, channel, str(message["ts"]))
            cursor = str((answer.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
        return None

    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None:
        """Redraw the card, then react with the new status's emoji (once per emoji)."""
        self._call(
            "chat.update",
            lambda: self.client.chat_update(
                channel=location.channel,
                ts=location.thread_root,
                text=card_fallback(card),
                blocks=card_blocks(card),
            ),
            channel=location.channel,
        )
        reaction = status_reaction(card.status)
        if reaction is None:
            return
        try:
            self.client.reactions_add(
                channel=location.channel, timestamp=location.thread_root, name=reaction
            )
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                raise DeliveryError(f"reactions.add: {_reason(error)}") from error
        except SlackClientError as error:
            raise DeliveryError(f"reactions.add: {error}") from error

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> list[str]:
        """The post in the card's thread; returns its ts (for the retention purge's edit)."""
        answer = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=location.channel,
                thread_ts=location.thread_root,
                text=clip(escape(text), MAX_FALLBACK),
                unfurl_links=False,
            ),
            channel=location.channel,
        )
        return [str(answer["ts"])]

    def replace_post(self, *, channel: str, message_id: str, text: str, key: str) -> None:
        """Replace the text of one of the bot's own posts (`chat.update`); one Slack will
        not let it edit is deleted instead, and one already gone needs nothing more."""
        try:
            self.client.chat_update(channel=channel, ts=message_id, text=escape(text))
        except SlackApiError as error:
            code = error.response.get("error")
            if code in _NOT_EDITABLE:
                self._call(
                    "chat.delete",
                    partial(self.client.chat_delete, channel=channel, ts=message_id),
                    channel=channel,
                )
            elif code != "message_not_found":
                raise DeliveryError(f"chat.update: {_reason(error)}") from error
        except (SlackClientError, OSError) as error:
            raise DeliveryError(f"chat.update: {error}") from error

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None:
        """A direct message from the app; a person without a Slack id is skipped."""
        if not identity:
            logger.info("no Slack id for %s: notice not sent on Slack", person.key)
            return
        self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=identity, text=render(text, self.registry), unfurl_links=False
            ),
            person=f"{person.name} ({identity})",
        )

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        """A plain channel post; with an attachment, the file is uploaded with the text."""
        body = render(text, self.registry)
        if attachment and Path(attachment).is_file():
            self._call(
                "files.uploadV2",
                lambda: self.client.files_upload_v2(
                    channel=channel, file=attachment, initial_comment=body
                ),
                channel=channel,
            )
            return
        if attachment:
            logger.warning("attachment %s is missing; posting the text alone", attachment)
        self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(channel=channel, text=body, unfurl_links=False),
            channel=channel,
        )

    def _call(
        self, method: str, call: Callable[[], Any], *, channel: str = "", person: str = ""
    ) -> Any:
        """Make one Web API call; a failure becomes a `DeliveryError`, marked permanent
        (with Swedish advice for the admins) when only a person can fix it."""
        try:
            return call()
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            advice = _advice(code, channel=channel, person=person)
            raise DeliveryError(
                f"{method}: {_reason(error)}",
                permanent=bool(advice),
                advice=advice,
                target=person or channel,
            ) from error
        except (SlackClientError, OSError) as error:
            raise DeliveryError(f"{method}: {error}") from error


def channel_advice(client: WebClient, channel: str) -> str:
    """Why the bot cannot post in `channel`, as advice for the admins; "" when it can (or
    when Slack cannot say just now: posting will tell)."""
    try:
        answer = client.conversations_info(channel=channel)
    except SlackApiError as error:
        return _advice(str(error.response.get("error", "")), channel=channel, person="")
    except (SlackClientError, OSError):
        return ""
    info = answer.get("channel") or {}
    if info.get("is_archived"):
        return _advice("is_archived", channel=channel, person="")
    if info.get("is_member") is False:
        return _advice("not_in_channel", channel=channel, person="")
    return ""


def _advice(code: str, *, channel: str, person: str) -> str:
    """What the admins are told about an error that retrying cannot fix; "" for others."""
    if person and code in texts.SLACK_CANNOT_DM_ERRORS:
        return texts.SLACK_CANNOT_DM.format(person=person, error=code)
    template = texts.SLACK_CHANNEL_ERRORS.get(code)
    return template.format(channel=channel) if template and channel else ""


def _reason(error: SlackApiError) -> str:
    response = error.response
    return f"HTTP {response.status_code} {response.get('error', 'error')}"
