"""Events API listeners: replies in a card's thread become answers; the Home tab is drawn.

Slack redelivers an event it believes went unanswered (with `X-Slack-Retry-Num`); the
core claims each `event_id` once, in the same transaction as the answer, so a retry never
stores a second answer however it is timed.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import unescape
from bot.slack.courier import Courier
from bot.slack.home import home_view, load_home
from bot.slack.messenger import PLATFORM
from bot.slack.replies import render, tell
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import texts

logger = logging.getLogger(__name__)

Body = dict[str, Any]


REPLY_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
"""A plain reply, one also sent to the channel, one with a file (only its text is kept)."""


def thread_reply(event: Body) -> bool:
    """A person's new message inside a thread (not the root, not a bot, not an edit)."""
    thread = event.get("thread_ts")
    return bool(
        thread
        and thread != event.get("ts")
        and event.get("user")
        and event.get("subtype") in REPLY_SUBTYPES
        and not event.get("bot_id")
        and str(event.get("text") or "").strip()
    )


def retry_number(request: BoltRequest) -> int:
    """Slack's retry count for this delivery (0 for the first one)."""
    found = request.headers.get("x-slack-retry-num", ["0"])[0]
    return int(found) if str(found).isdigit() else 0


class Events:
    """The event listeners of one Bryggan."""

    def __init__(self, bryggan: Bryggan, courier: Courier) -> None:
        self.bryggan = bryggan
        self.courier = courier
        """Makes the Web API calls that answer a request, off the listener threads."""

    def register(self, bolt: App) -> None:
        bolt.event("message")(self.message)
        bolt.event("app_home_opened")(self.home_opened)

    def message(self, event: Body, body: Body, request: BoltRequest, client: WebClient) -> None:
        """A reply in a card's thread is an answer (contact) or a follow-up (asker); its
        later edit or deletion in Slack reaches what it stored."""
        if event.get("subtype") == "message_changed":
            self._edited(event, client)
            return
        if event.get("subtype") == "message_deleted":
            self._deleted(event)
            return
        if not thread_reply(event):
            return
        user, channel, thread = event["user"], event["channel"], event["thread_ts"]
        retry = retry_number(request)
        request_ = Request(
            PLATFORM,
            user,
            unescape(str(event.get("text") or "")),
            channel=channel,
            thread_root=thread,
            event_id=body.get("event_id"),
            message_id=event.get("ts"),
        )
        reply = self.bryggan.core.handle_thread_message(request_)
        if reply is None:
            # Slack's retry number is not on every delivery (Socket Mode with older bolt).
            logger.info(
                "Slack event %s (retry %d): nothing to answer, already handled or not a card's",
                body.get("event_id"),
                retry,
            )
            return
        text = reply.text
        if reply.identity_number:
            text = f"{text}\n{texts.SLACK_THREAD_REFUSED}"
        rendered = render(text, self.bryggan.core.registry)
        self.courier.send(
            "ephemeral",
            partial(tell, client, user=user, channel=channel, text=rendered, thread=thread),
        )

    def _edited(self, event: Body, client: WebClient) -> None:
        """`message_changed`: the new text of a message in a thread."""
        message = {"channel": event.get("channel"), **(event.get("message") or {})}
        if not thread_reply(message):
            return
        user, channel, thread = message["user"], message["channel"], message["thread_ts"]
        request = Request(
            PLATFORM,
            user,
            unescape(str(message.get("text") or "")),
            channel=channel,
            thread_root=thread,
            message_id=message.get("ts"),
        )
        reply = self.bryggan.core.handle_thread_edit(request)
        if reply is not None:
            rendered = render(reply.text, self.bryggan.core.registry)
            self.courier.send(
                "ephemeral",
                partial(tell, client, user=user, channel=channel, text=rendered, thread=thread),
            )

    def _deleted(self, event: Body) -> None:
        """`message_deleted`: a message in a thread removed by its author."""
        previous = event.get("previous_message") or {}
        if not previous.get("thread_ts") or not event.get("deleted_ts"):
            return
        request = Request(
            PLATFORM,
            str(previous.get("user") or ""),
            channel=event.get("channel"),
            thread_root=previous["thread_ts"],
            message_id=event["deleted_ts"],
        )
        self.bryggan.core.handle_thread_deletion(request)

    def home_opened(self, event: Body, client: WebClient) -> None:
        """Draw the Home tab fresh each time it is opened."""
        if event.get("tab", "home") != "home":
            return
        self.courier.send("views.publish", partial(self._publish_home, event["user"], client))

    def _publish_home(self, user: str, client: WebClient) -> None:
        view = home_view(load_home(self.bryggan.core.stores, user), self.bryggan.core.registry)
        try:
            client.views_publish(user_id=user, view=view)
        except (SlackApiError, SlackClientError):
            logger.exception("views.publish of the Home tab failed")
