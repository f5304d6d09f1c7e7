"""What the bot does with one message: run it through the core, answer in the room.

Core calls are synchronous and hit the database, so they run in a worker thread
(`asyncio.to_thread`): the event loop keeps syncing meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.matrix.client import Connection, MatrixFailure, TooLarge
from bot.matrix.events import Incoming, Kind
from bot.matrix.fit import ContentFor, content_size, split_to_fit
from bot.matrix.kept import KeptReplies
from bot.matrix.messenger import TransactionIds
from bot.matrix.render import HTML, reaction_content, reply_content, thread_content
from bot.matrix.tables import statistics_html
from bot.matrix.turns import ReplyTurns
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.kernel import Ask, Helped, Reply, Store, prefixed, texts
from handlers.knowledge import suggestions_after_asking
from handlers.questions import ask_choices

logger = logging.getLogger(__name__)

PLATFORM = "matrix"
SEND_ATTEMPTS = 3
MATRIX_COMMANDS = prefixed("!")
"""Matrix users type `!frågor`; the core's texts say `/frågor`."""
VERDICTS = {"👍": True, "👎": False}
"""The asker's reaction on an answered card: "Löste svaret din fråga?" (a skin tone or a
variation selector after the emoji is read past)."""


class MessageHandler:
    """Turns incoming messages into core requests and the core's replies into events."""

    def __init__(self, app: Bryggan, connection: Connection, txn_ids: TransactionIds) -> None:
        self.app = app
        self.connection = connection
        self.txn_ids = txn_ids
        self.turns = ReplyTurns()
        """The outbox waits on these, so replies go out before the posts they caused."""
        self.kept = KeptReplies(connection.settings.state_prefix)
        """Replies written with their command's commit (`Core.before_commit`)."""

    async def handle(self, incoming: Incoming) -> None:
        """Handle one message; a failure is logged, never allowed to stop the sync loop.
        Posts the message causes (its card, notices) wait until its reply is out."""
        try:
            with self.turns.replying():
                if incoming.kind is Kind.COMMAND:
                    await self._command(incoming)
                elif incoming.kind is Kind.EDIT:
                    await self._edit(incoming)
                elif incoming.kind is Kind.DELETION:
                    await self._deletion(incoming)
                elif incoming.kind is Kind.REACTION:
                    await self._reaction(incoming)
                else:
                    await self._thread_message(incoming)
        except Exception:
            logger.exception("message %s in %s failed", incoming.event_id, incoming.room_id)
        self.kept.handled.append(incoming.event_id)

    async def _command(self, incoming: Incoming) -> None:
        if self._bare_ask(incoming.text):
            guide = await asyncio.to_thread(self._ask_guide, incoming)
            if guide is not None:
                await self._reply(incoming, guide)
            return
        request = Request(
            PLATFORM,
            incoming.sender,
            incoming.text,
            channel=incoming.room_id,
            thread_root=incoming.thread_root,
            event_id=incoming.event_id,
        )
        reply = await asyncio.to_thread(self.app.core.handle, request)
        if reply is None:  # handled before a crash: the reply may not have gone out
            reply = await asyncio.to_thread(self._kept_reply, incoming.event_id)
        if reply is not None:
            await self._answer(incoming, reply)
            if reply.accepted and isinstance(self.app.core.registry.parse(incoming.text), Ask):
                await self._suggest(incoming, reply.ref)

    async def _suggest(self, incoming: Incoming, ref: str | None) -> None:
        """Knowledge-bank entries like the question just registered, after its reply."""
        stores = self.app.core.stores
        suggestion = await asyncio.to_thread(suggestions_after_asking, stores, ref)
        if suggestion:
            await self._reply(incoming, suggestion, name="suggestion")

    async def _edit(self, incoming: Incoming) -> None:
        """An edited answer or follow-up: the stored text follows the edit."""
        request = Request(
            PLATFORM,
            incoming.sender,
            incoming.text,
            channel=incoming.room_id,
            message_id=incoming.target,
        )
        reply = await asyncio.to_thread(self.app.core.handle_thread_edit, request)
        if reply is not None:
            await self._acknowledge(incoming, reply)

    async def _deletion(self, incoming: Incoming) -> None:
        """A redacted answer or follow-up: marked deleted, its card redrawn."""
        request = Request(
            PLATFORM, incoming.sender, channel=incoming.room_id, message_id=incoming.target
        )
        await asyncio.to_thread(self.app.core.handle_thread_deletion, request)

    async def _reaction(self, incoming: Incoming) -> None:
        """👍 or 👎 on a question's card: the asker's verdict (`Helped`), answered in the
        card's thread. Any other reaction, or one on another message, is nobody's business."""
        verdict = next((v for key, v in VERDICTS.items() if incoming.text.startswith(key)), None)
        card = incoming.target
        if verdict is None or card is None:
            return
        if not await asyncio.to_thread(self._is_card, incoming.room_id, card):
            return
        request = Request(
            PLATFORM,
            incoming.sender,
            channel=incoming.room_id,
            thread_root=card,
            event_id=incoming.event_id,
        )
        reply = await asyncio.to_thread(self.app.core.execute, request, Helped(None, verdict))
        if reply is not None:
            text = self.app.core.registry.render_hints(reply.text, MATRIX_COMMANDS)
            await self._send(incoming, "m.room.message", thread_content(card, text), "verdict")

    def _is_card(self, room_id: str, event_id: str) -> bool:
        with self.app.database.transaction() as store:
            found = store.question_by_location(
                platform=PLATFORM, channel=room_id, thread_root=event_id
            )
        return found is not None

    async def _thread_message(self, incoming: Incoming) -> None:
        request = Request(
            PLATFORM,
            incoming.sender,
            incoming.text,
            channel=incoming.room_id,
            thread_root=incoming.thread_root,
            event_id=incoming.event_id,
            message_id=incoming.event_id,
        )
        reply = await asyncio.to_thread(self.app.core.handle_thread_message, request)
        if reply is None:  # not a card's thread, or handled before a crash
            reply = await asyncio.to_thread(self._kept_reply, incoming.event_id)
        if reply is not None:
            await self._acknowledge(incoming, reply)

    async def _acknowledge(self, incoming: Incoming, reply: Reply) -> None:
        """A message in a card's thread (or its edit): stored, it gets a quiet ✅ (the card
        shows the status); refused, it gets the reply."""
        if reply.accepted:
            content = reaction_content(incoming.event_id, texts.MATRIX_SAVED_REACTION)
            await self._send(incoming, "m.reaction", content, "saved")
        else:
            await self._answer(incoming, reply)

    async def _answer(self, incoming: Incoming, reply: Reply) -> None:
        text = reply.text
        if reply.identity_number:
            redacted = await self._redact(incoming)
            text += "\n\n" + (texts.MATRIX_REDACTED if redacted else texts.MATRIX_NOT_REDACTED)
        await self._reply(incoming, text, statistics_html(reply, self.app.core.registry))

    async def _redact(self, incoming: Incoming) -> bool:
        """Remove a message with an identity number, when the bot's power level allows."""
        if not self.connection.can_redact(incoming.room_id):
            return False
        try:
            await self.connection.redact(
                incoming.room_id,
                incoming.event_id,
                reason=texts.MATRIX_REDACTION_REASON,
                txn_id=self.txn_ids.make("redact", incoming.event_id),
            )
        except MatrixFailure as error:
            logger.warning("could not redact %s: %s", incoming.event_id, error)
            return False
        return True

    async def _reply(
        self, incoming: Incoming, text: str, tables: str | None = None, name: str = "reply"
    ) -> None:
        """The reply as one notice, or as several when it is too long for one event;
        `tables`: an HTML body laying out /statistik's tables (`bot.matrix.tables`); `name`
        keeps the transaction ids of a second reply to one event apart from the first's."""
        thread = incoming.thread_root if incoming.in_thread else None
        text = self.app.core.registry.render_hints(text, MATRIX_COMMANDS)

        def content_for(part: str) -> dict[str, Any]:
            content = reply_content(incoming.event_id, part, thread_root=thread)
            html = {"format": HTML, "formatted_body": tables}
            return content | html if tables and part == text else content

        parts = split_to_fit(text, content_for, self.connection.budget(incoming.room_id))
        for index, part in enumerate(parts):
            what = name if index == 0 else f"{name}:{index + 1}"
            try:
                delivered = await self._send(incoming, "m.room.message", content_for(part), what)
            except TooLarge as error:
                # Never sent again as it is: in pieces of half its size, or else the person
                # hears why instead of nothing.
                logger.warning("%s to %s is too large: %s", what, incoming.event_id, error)
                delivered = await self._send_halves(incoming, part, content_for, what)
            if not delivered:
                return

    async def _send_halves(
        self, incoming: Incoming, part: str, content_for: ContentFor, what: str
    ) -> bool:
        half = content_size(content_for(part)) // 2
        try:
            for index, piece in enumerate(split_to_fit(part, content_for, half)):
                piece_what = f"{what}:half:{index + 1}"
                if not await self._send(incoming, "m.room.message", content_for(piece), piece_what):
                    return False
        except TooLarge as error:
            logger.error("%s to %s is too large even in pieces: %s", what, incoming.event_id, error)
            hint = self.app.core.registry.render_hints(texts.MATRIX_TOO_LARGE, MATRIX_COMMANDS)
            await self._send(incoming, "m.room.message", content_for(hint), "too-large")
            return False
        return True

    async def _send(
        self, incoming: Incoming, event_type: str, content: dict[str, Any], what: str
    ) -> bool:
        """Send with a few retries; the same transaction id each time, so never twice.
        An event too large for Matrix is not retried: `TooLarge` is raised at once."""
        txn = self.txn_ids.make(what, incoming.event_id)
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await self.connection.send(incoming.room_id, event_type, content, txn)
                return True
            except TooLarge:
                raise
            except MatrixFailure as error:
                if attempt == SEND_ATTEMPTS:
                    logger.error(
                        "%s to %s in %s not delivered after %d attempts: %s",
                        what,
                        incoming.event_id,
                        incoming.room_id,
                        attempt,
                        error,
                    )
                    return False
                logger.warning("%s to %s failed, retrying: %s", what, incoming.event_id, error)
                await asyncio.sleep(attempt)
        return False

    # in worker threads ---------------------------------------------------------------------

    def _kept_reply(self, event_id: str) -> Reply | None:
        with self.app.database.transaction() as store:
            return self.kept.kept(store, event_id)

    def _ask_guide(self, incoming: Incoming) -> str | None:
        """`!fråga` alone: the one-line grammar with this room's and person's defaults."""
        with self.app.database.transaction() as store:
            now = self.app.core.clock()
            if not store.claim_event(platform=PLATFORM, event_id=incoming.event_id, at=now):
                kept = self.kept.kept(store, incoming.event_id)
                return kept.text if kept is not None else None
            guide = self._guide(store, incoming)
            request = Request(PLATFORM, incoming.sender, incoming.text, event_id=incoming.event_id)
            self.kept.keep(store, request, Reply(guide))
        return guide

    def _guide(self, store: Store, incoming: Incoming) -> str:
        person = store.person_by_identity(platform=PLATFORM, identity=incoming.sender)
        if person is None:
            return texts.UNKNOWN_USER
        choices = ask_choices(store, person, PLATFORM, incoming.room_id)
        room_unit = store.unit_by_channel(platform=PLATFORM, channel=incoming.room_id)
        unit_hint = texts.MATRIX_ASK_UNIT_HINT.format(unit=room_unit.name) if room_unit else ""
        direction_hint = (
            texts.MATRIX_ASK_DIRECTION_HINT.format(direction=texts.DIRECTION[choices.direction])
            if choices.direction
            else ""
        )
        return texts.MATRIX_ASK_GUIDE.format(
            units=", ".join(u.slug for u in choices.units),
            unit_hint=unit_hint,
            categories=", ".join(c.slug for c in choices.categories),
            direction_hint=direction_hint,
        )

    def _bare_ask(self, text: str) -> bool:
        """`!fråga` with nothing after it: the guide instead of a refusal."""
        return self.app.core.registry.parse(text) == Ask(text="")
