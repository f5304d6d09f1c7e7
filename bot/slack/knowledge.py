"""The knowledge bank in Slack: the card's "Spara i kunskapsbanken" (a modal with the
question and answer as a draft), similar entries after a question is registered with a
"Det löste min fråga" button each, and the Home tab's search.

Presses and forms become typed commands (`SaveKnowledge`, `ResolvedByKnowledge`); the
search query is what the person typed, run as `/sök`. The suggestions are computed after
the question's ack, on the courier, so they never delay it.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import SAVE_KNOWLEDGE_ACTION as SAVE_ACTION
from bot.slack.blocks import SEARCH_KNOWLEDGE_ACTION as SEARCH_ACTION
from bot.slack.blocks import Block, button, clip, escape, plain, section
from bot.slack.courier import Courier
from bot.slack.forms import metadata, modal
from bot.slack.messenger import PLATFORM
from bot.slack.replies import render, tell
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import texts
from handlers.kernel.commands import ResolvedByKnowledge, SaveKnowledge
from handlers.knowledge import SaveDraft, Suggestion, save_draft, suggestion_for

logger = logging.getLogger(__name__)

Body = dict[str, Any]
SAVE_VIEW = "bryggan_kunskap_spara"
RESOLVED_ACTION = "bryggan_kunskap_loste"
SEARCH_VIEW = "bryggan_kunskap_sok"
TITLE_BLOCK, TEXT_BLOCK, CONFIRM_BLOCK, QUERY_BLOCK = "rubrik", "text", "bekräftelse", "sokord"
_CONFIRMED = "bekräftat"


def save_modal(draft: SaveDraft, channel: str | None) -> Block:
    """The draft to rewrite as general knowledge, and the confirmation it must carry."""
    title = {"type": "plain_text_input", "initial_value": draft.title, "max_length": 200}
    body = {
        "type": "plain_text_input",
        "multiline": True,
        "initial_value": draft.body,
        "max_length": 3000,
    }
    confirm = {
        "type": "checkboxes",
        "options": [{"text": plain(texts.SLACK_KNOWLEDGE_CONFIRM, 75), "value": _CONFIRMED}],
    }
    blocks = [
        section(escape(texts.SLACK_KNOWLEDGE_INTRO.format(ref=draft.ref))),
        _input(TITLE_BLOCK, texts.SLACK_KNOWLEDGE_TITLE, title),
        _input(TEXT_BLOCK, texts.SLACK_KNOWLEDGE_TEXT, body),
        _input(CONFIRM_BLOCK, texts.SLACK_KNOWLEDGE_CONFIRM_LABEL, confirm),
    ]
    return modal(
        SAVE_VIEW,
        texts.SLACK_KNOWLEDGE_SAVE_TITLE,
        blocks,
        submit=texts.SLACK_KNOWLEDGE_SAVE,
        private_metadata=json.dumps({"ref": draft.ref, "channel": channel}),
    )


def _input(block_id: str, label: str, element: Block) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {"action_id": block_id, **element},
    }


def save_command(ref: str | None, values: dict[str, Any]) -> SaveKnowledge:
    """The typed command a submitted save modal stands for."""

    def typed(block: str) -> str:
        return str((values.get(block, {}).get(block) or {}).get("value") or "")

    picked = (values.get(CONFIRM_BLOCK, {}).get(CONFIRM_BLOCK) or {}).get("selected_options")
    confirmed = any(option.get("value") == _CONFIRMED for option in picked or [])
    return SaveKnowledge(ref, typed(TITLE_BLOCK), typed(TEXT_BLOCK), confirmed)


def search_modal(results: str = "") -> Block:
    """The Home tab's search: a query field, and the results of the last search."""
    field = {"type": "plain_text_input", "max_length": 200}
    blocks = [_input(QUERY_BLOCK, texts.SLACK_KNOWLEDGE_QUERY, field)]
    if results:
        blocks.append(section(escape(clip(results, 2900))))
    return modal(SEARCH_VIEW, texts.SLACK_KNOWLEDGE_SEARCH_TITLE, blocks, submit=texts.SLACK_SEARCH)


def suggestion_blocks(suggestion: Suggestion, shown: str) -> list[Block]:
    """The suggestion as a message: its text, then one "Det löste min fråga" per entry."""
    buttons = [
        button(
            texts.SLACK_KNOWLEDGE_RESOLVED.format(label=label),
            RESOLVED_ACTION,
            f"{suggestion.ref} {label}",
        )
        for label in suggestion.labels
    ]
    actions = {"type": "actions", "block_id": "bryggan_kunskap", "elements": buttons}
    return [section(escape(shown)), actions]


class KnowledgeListeners:
    """The knowledge bank's buttons and modals for one Bryggan."""

    def __init__(self, bryggan: Bryggan, courier: Courier) -> None:
        self.bryggan = bryggan
        self.registry = bryggan.core.registry
        self.courier = courier

    def register(self, bolt: App) -> None:
        bolt.action(SAVE_ACTION)(self.open_save)
        bolt.view(SAVE_VIEW)(self.submit_save)
        bolt.action(RESOLVED_ACTION)(self.resolved)
        bolt.action(SEARCH_ACTION)(self.open_search)
        bolt.view(SEARCH_VIEW)(self.submit_search)

    def _tell(self, client: WebClient, user: str, channel: str | None, text: str) -> None:
        text = render(text, self.registry)
        self.courier.send("ephemeral", partial(tell, client, user=user, channel=channel, text=text))

    def open_save(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        """ "Spara i kunskapsbanken" on a card: the draft in a modal, or why not."""
        ack()
        self.courier.send("views.open", partial(self._open_save, body, action, client))

    def _open_save(self, body: Body, action: Body, client: WebClient) -> None:
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        core = self.bryggan.core
        draft = save_draft(
            core.stores,
            core.clock,
            platform=PLATFORM,
            identity=user,
            ref=str(action.get("value") or "") or None,
        )
        if isinstance(draft, str):
            tell(client, user=user, channel=channel, text=render(draft, self.registry))
            return
        try:
            client.views_open(trigger_id=body["trigger_id"], view=save_modal(draft, channel))
        except (SlackApiError, SlackClientError):
            logger.exception("views.open failed for Spara i kunskapsbanken")
            text = render(texts.SLACK_FORM_FAILED, self.registry)
            tell(client, user=user, channel=channel, text=text)

    def submit_save(self, ack: Ack, body: Body, view: Body) -> None:
        """Save the rewritten text; a refusal shows on its field."""
        meta = metadata(view)
        values = view.get("state", {}).get("values", {})
        command = save_command(str(meta.get("ref") or "") or None, values)
        request = Request(PLATFORM, body["user"]["id"], channel=meta.get("channel"))
        reply = self.bryggan.core.execute(request, command)
        if reply is None:
            ack()
        elif reply.accepted:
            saved = [section(escape(render(reply.text, self.registry)))]
            done = modal("bryggan_kunskap_sparad", texts.SLACK_KNOWLEDGE_SAVE_TITLE, saved)
            ack(response_action="update", view=done)
        else:
            block = reply.field if reply.field and reply.field in values else TEXT_BLOCK
            text = clip(render(reply.text, self.registry), 2000)
            ack(response_action="errors", errors={block: text})

    def resolved(self, ack: Ack, body: Body, action: Body, client: WebClient) -> None:
        """ "Det löste min fråga": the question is closed as answered from the bank."""
        ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        ref, _, label = str(action.get("value") or "").partition(" ")
        number = int(label[2:]) if label[2:].isdigit() else 0
        command = ResolvedByKnowledge(ref or None, number)
        reply = self.bryggan.core.execute(Request(PLATFORM, user, channel=channel), command)
        if reply is not None:
            self._tell(client, user, channel, reply.text)

    def open_search(self, ack: Ack, body: Body, client: WebClient) -> None:
        """ "Sök i kunskapsbanken" on the Home tab, or in the question form: there the search
        goes on top, and closing it returns to the question as it was."""
        ack()
        show = client.views_push if body.get("view") else client.views_open
        open_view = partial(show, trigger_id=body["trigger_id"], view=search_modal())
        self.courier.send("views.open", open_view)

    def submit_search(self, ack: Ack, body: Body, view: Body) -> None:
        """Run what the person typed as `/sök`, and show the results in the same modal."""
        values = view.get("state", {}).get("values", {})
        query = str((values.get(QUERY_BLOCK, {}).get(QUERY_BLOCK) or {}).get("value") or "")
        request = Request(PLATFORM, body["user"]["id"], query, command="sök")
        reply = self.bryggan.core.handle(request)
        results = render(reply.text, self.registry) if reply else ""
        ack(response_action="update", view=search_modal(results))

    def suggest(
        self, client: WebClient, *, user: str, channel: str | None, ref: str | None
    ) -> None:
        """After a question is registered (and acked): similar entries, on the courier."""
        self.courier.send("suggestions", partial(self._suggest, client, user, channel, ref))

    def _suggest(self, client: WebClient, user: str, channel: str | None, ref: str | None) -> None:
        suggestion = suggestion_for(self.bryggan.core.stores, ref)
        if suggestion is None:
            return
        shown = render(suggestion.text, self.registry)
        blocks = suggestion_blocks(suggestion, shown)
        try:
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, text=shown, blocks=blocks)
            else:
                client.chat_postMessage(channel=user, text=shown, blocks=blocks)
        except (SlackApiError, SlackClientError, OSError):
            logger.exception("could not show knowledge suggestions for %s", ref)
