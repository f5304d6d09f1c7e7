"""Buttons and modals: the question form's submission, its consent toggle, the card's
buttons (Ta, Besvarad, Stäng, Återöppna, Flytta) and the Home tab's "Ställ en fråga".

The form is validated and committed by the core *before* the ack, so the ack can carry
field errors (`response_action: errors`) or the confirmation; the card and notices are
posted after the ack by the outbox pump. Buttons ack at once and then run the same typed
command as typing it would, with the same permissions; the outcome is told ephemerally.
Nothing here writes command text for the core: presses and forms become typed commands.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import FORWARD_ACTION, HELPED_ACTIONS, REF_ACTIONS
from bot.slack.commands import form_choices, open_ask_form
from bot.slack.courier import Courier
from bot.slack.forms import (
    ASK_VIEW,
    CONSENT_ACTION,
    FORWARD_BLOCK,
    FORWARD_VIEW,
    ask_command,
    ask_modal,
    confirmation,
    consent_chosen,
    field_errors,
    forward_modal,
    forward_target,
    metadata,
)
from bot.slack.home import NEW_QUESTION_ACTION
from bot.slack.knowledge import KnowledgeListeners
from bot.slack.messenger import PLATFORM
from bot.slack.replies import render, tell
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import ChatUser, Forward, Helped, texts

logger = logging.getLogger(__name__)

Body = dict[str, Any]
_REF_ACTION = re.compile("^(" + "|".join(map(re.escape, REF_ACTIONS)) + ")$")
_HELPED_ACTION = re.compile("^(" + "|".join(map(re.escape, HELPED_ACTIONS)) + ")$")


def _place(body: Body) -> tuple[str, str | None, str]:
    """Who pressed, in which channel, and in which thread when the pressed message is in
    one ("" for a card: Slack would not show an ephemeral in a thread that has no reply)."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return body["user"]["id"], channel, str(container.get("thread_ts") or "")


class Interactions:
    """The interactive listeners of one Bryggan."""

    def __init__(self, bryggan: Bryggan, courier: Courier) -> None:
        self.bryggan = bryggan
        self.registry = bryggan.core.registry
        self.courier = courier
        """Makes the Web API calls that answer a request, off the listener threads."""
        self.knowledge = KnowledgeListeners(bryggan, courier)

    def _tell(
        self, client: WebClient, *, user: str, channel: str | None, text: str, thread: str = ""
    ) -> None:
        """Tell `user` ephemerally (or by DM), through the courier."""
        self.courier.send(
            "ephemeral", partial(tell, client, user=user, channel=channel, text=text, thread=thread)
        )

    def register(self, bolt: App) -> None:
        bolt.view(ASK_VIEW)(self.submit_question)
        bolt.action(CONSENT_ACTION)(self.toggle_consent)
        bolt.action(_REF_ACTION)(self.press)
        bolt.action(_HELPED_ACTION)(self.press)
        bolt.action(FORWARD_ACTION)(self.open_forward)
        bolt.view(FORWARD_VIEW)(self.submit_forward)
        bolt.action(NEW_QUESTION_ACTION)(self.new_question)
        self.knowledge.register(bolt)

    def submit_question(self, ack: Ack, body: Body, view: Body, client: WebClient) -> None:
        """Validate and store the question, then ack with field errors or the thanks;
        similar entries of the knowledge bank follow the ack."""
        values = view.get("state", {}).get("values", {})
        channel = metadata(view).get("channel")
        request = Request(PLATFORM, body["user"]["id"], channel=channel)
        try:
            command = ask_command(values)
        except ValueError:  # a date or choice Slack would never send
            ack(response_action="errors", errors=field_errors(None, texts.BAD_FORM, values))
            return
        reply = self.bryggan.core.execute(request, command)
        if reply is None:
            ack()
        elif reply.accepted:
            ack(response_action="update", view=confirmation(reply.text))
            self.knowledge.suggest(client, user=request.user, channel=channel, ref=reply.ref)
        else:
            ack(response_action="errors", errors=field_errors(reply.field, reply.text, values))

    def toggle_consent(self, ack: Ack, body: Body, client: WebClient) -> None:
        """Choosing "med samtycke" adds who obtained consent, when and how (and back)."""
        ack()
        self.courier.send("views.update", partial(self._redraw_form, body, client))

    def _redraw_form(self, body: Body, client: WebClient) -> None:
        view = body["view"]
        user = body["user"]["id"]
        channel = metadata(view).get("channel")
        choices = form_choices(self.bryggan, user, channel)
        if choices is None:
            return
        consent = consent_chosen(view.get("state", {}).get("values", {}))
        modal = ask_modal(choices, channel, consent=consent)
        try:
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=modal)
        except SlackApiError as error:
            logger.warning("views.update of the form failed: %s", error.response.get("error"))
        except SlackClientError:
            logger.exception("views.update of the form failed")

    def press(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        """A card button: the same typed command as typing it, told back ephemerally."""
        ack()
        user, channel, thread = _place(body)
        ref = str(action.get("value") or "") or None
        action_id = action["action_id"]
        command = (
            Helped(ref, HELPED_ACTIONS[action_id])
            if action_id in HELPED_ACTIONS
            else REF_ACTIONS[action_id](ref)
        )
        reply = self.bryggan.core.execute(Request(PLATFORM, user, channel=channel), command)
        if reply is not None:
            text = render(reply.text, self.registry)
            self._tell(client, user=user, channel=channel, text=text, thread=thread)

    def open_forward(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        """ "Flytta": a small modal to pick the person; permissions are checked on submit."""
        ack()
        self.courier.send("views.open", partial(self._open_forward, body, action, client))

    def _open_forward(self, body: Body, action: Body, client: WebClient) -> None:
        user, channel, _ = _place(body)
        try:
            client.views_open(
                trigger_id=body["trigger_id"],
                view=forward_modal(str(action.get("value", "")), channel),
            )
        except (SlackApiError, SlackClientError):
            logger.exception("views.open failed for Flytta")
            text = render(texts.SLACK_FORM_FAILED, self.registry)
            tell(client, user=user, channel=channel, text=text)  # already on the courier

    def submit_forward(self, ack: Ack, body: Body, view: Body, client: WebClient) -> None:
        """Hand the question to the picked person; a refusal shows on the person field."""
        meta = metadata(view)
        user, channel = body["user"]["id"], meta.get("channel")
        target = forward_target(view.get("state", {}).get("values", {}))
        command = Forward(str(meta.get("ref") or "") or None, ChatUser(target))
        reply = self.bryggan.core.execute(Request(PLATFORM, user, channel=channel), command)
        if reply is not None and not reply.accepted:
            ack(response_action="errors", errors={FORWARD_BLOCK: reply.text})
            return
        ack()
        if reply is not None:
            self._tell(client, user=user, channel=channel, text=render(reply.text, self.registry))

    def new_question(self, ack: Ack, body: Body, client: WebClient) -> None:
        """The Home tab's "Ställ en fråga" button."""
        ack()
        user = body["user"]["id"]
        choices = form_choices(self.bryggan, user, None)
        if choices is None:
            self._tell(
                client, user=user, channel=None, text=render(texts.UNKNOWN_USER, self.registry)
            )
            return
        trigger = body["trigger_id"]
        self.courier.send(
            "views.open",
            partial(open_ask_form, client, choices, trigger_id=trigger, user=user, channel=None),
        )
