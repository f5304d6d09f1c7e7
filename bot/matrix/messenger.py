"""The core's synchronous `Messenger` on Matrix, called from the outbox pump's thread.

Each call schedules a coroutine on the bot's event loop (`run_coroutine_threadsafe`) and
waits for it; a refusal, a transport failure or a timeout becomes `DeliveryError`, so the
outbox retries with backoff and finally tells the asker.

Every event is sent with a transaction id derived from the delivery's `key` (the same on
every retry of one outbox entry) and from what the event is ("card", "edit", …). When a
post is retried after a crash or a lost response, the homeserver recognises the
transaction and returns the event it already has: no second card, no double notice.
Each post first lets the replies under way go out (`ReplyTurns`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import mimetypes
from collections.abc import Coroutine
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from nio import UploadResponse
from nio.api import RelationshipType

from bot.matrix.client import TRANSPORT_ERRORS, Connection, Forbidden, MatrixFailure, TooLarge
from bot.matrix.direct import DirectRooms
from bot.matrix.fit import ContentFor, content_size, split_to_fit
from bot.matrix.render import (
    NO_MENTIONS,
    card_content,
    direct_content,
    edit_content,
    matrix_text,
    reaction_content,
    replacement_content,
    room_post_content,
    thread_content,
)
from bot.matrix.turns import ReplyTurns
from handlers.delivery import DeliveryError
from handlers.kernel import ChatLocation, Person, Registry, texts
from handlers.questions import CardView

logger = logging.getLogger(__name__)

PLATFORM = "matrix"
T = TypeVar("T")


class TransactionIds:
    """Deterministic Matrix transaction ids. The salt is stored once per database, so a
    new database never collides with transactions a reused device sent before."""

    def __init__(self, salt: str) -> None:
        self.salt = salt

    def make(self, *parts: str) -> str:
        return hashlib.sha256("\x1f".join([self.salt, *parts]).encode()).hexdigest()[:40]


class MatrixMessenger:
    """Posts through the bot's connection; never call it from the bot's own loop."""

    platform = PLATFORM

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        connection: Connection,
        direct: DirectRooms,
        txn_ids: TransactionIds,
        *,
        registry: Registry,
        turns: ReplyTurns | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.registry = registry
        """The core's commands: hints in posted texts become `!…`."""
        self.loop = loop
        self.connection = connection
        self.direct = direct
        self.txn_ids = txn_ids
        self.turns = turns
        self.timeout = timeout

    def post_card(self, *, channel: str, card: CardView, key: str) -> ChatLocation:
        """The card in the room; its event id is the thread root for answers."""
        event_id = self._run(self._post_card(key, channel, card))
        return ChatLocation(PLATFORM, channel, event_id)

    def update_card(self, *, location: ChatLocation, card: CardView, key: str) -> None:
        """Edit the card (`m.replace`) and let its reaction show the new status."""
        self._run(self._update_card(key, location, card))

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> list[str]:
        """The post in the card's thread; returns its event ids (one per part)."""

        def content_for(part: str) -> dict[str, Any]:
            return thread_content(location.thread_root, part)

        text = matrix_text(text, self.registry)
        return self._run(self._send_text(key, location.channel, text, content_for, "thread"))

    def replace_post(self, *, channel: str, message_id: str, text: str, key: str) -> None:
        """Edit one of the bot's own posts (`m.replace`) to `text`; redacted instead where
        the edit cannot be made."""
        self._run(self._replace_post(key, channel, message_id, text))

    def redact_post(self, *, channel: str, message_id: str, reason: str, key: str) -> bool:
        """Redact one of the bot's own events and every edit (`m.replace`) the bot sent of
        it: the homeserver drops their content, which an edit alone keeps in the history.
        False, with nothing changed, where the room's power levels forbid the bot to redact."""
        return self._run(self._redact_post(key, channel, message_id, reason))

    def notify(self, *, person: Person, identity: str | None, text: str, key: str) -> None:
        """A message in the person's direct room; a person without a Matrix id is skipped."""
        if not identity:
            logger.info("no Matrix id for %s: notice not sent on Matrix", person.key)
            return
        self._run(self._notify(key, identity, text))

    def post_message(self, *, channel: str, text: str, attachment: str | None, key: str) -> None:
        """A plain post in a room, followed by the attached file (an image) if any."""
        self._run(self._post_message(key, channel, text, attachment))

    # coroutines, run on the bot's loop ----------------------------------------------------

    async def _post_card(self, key: str, channel: str, card: CardView) -> str:
        event_id = await self._send(
            key, channel, "m.room.message", card_content(card, self.registry), "card"
        )
        # A new card has no reactions to look up: a repeated post repeats the transaction
        # ids, so the homeserver returns the reaction it already has.
        content = reaction_content(event_id, card.status_emoji)
        await self._send(key, channel, "m.reaction", content, f"react:{card.status_emoji}")
        return event_id

    async def _update_card(self, key: str, location: ChatLocation, card: CardView) -> None:
        content = edit_content(location.thread_root, card, self.registry)
        await self._send(key, location.channel, "m.room.message", content, "edit")
        await self._show_status(key, location.channel, location.thread_root, card.status_emoji)

    async def _show_status(self, key: str, room_id: str, event_id: str, emoji: str) -> None:
        """Exactly one status reaction from the bot on the card: the current one."""
        own = await self.connection.own_reactions(room_id, event_id)
        if emoji not in own:
            content = reaction_content(event_id, emoji)
            await self._send(key, room_id, "m.reaction", content, f"react:{emoji}")
        for key, reaction_id in own.items():
            if key != emoji:
                txn = self.txn_ids.make(key, f"unreact:{reaction_id}")
                await self.connection.redact(room_id, reaction_id, reason="status", txn_id=txn)

    async def _notify(self, key: str, user_id: str, text: str) -> None:
        room_id = await self.direct.room_for(user_id)
        text = matrix_text(text, self.registry)
        await self._send_text(key, room_id, text, direct_content, "notice")

    async def _post_message(
        self, key: str, channel: str, text: str, attachment: str | None
    ) -> None:
        text = matrix_text(text, self.registry)
        await self._send_text(key, channel, text, room_post_content, "message")
        if attachment and Path(attachment).is_file():
            await self._send_file(key, channel, Path(attachment))
        elif attachment:
            logger.warning("attachment %s is missing; posted the text alone", attachment)

    async def _replace_post(self, key: str, room_id: str, event_id: str, text: str) -> None:
        content = replacement_content(event_id, matrix_text(text, self.registry))
        try:
            await self._send(key, room_id, "m.room.message", content, f"replace:{event_id}")
        except TooLarge:
            txn = self.txn_ids.make(key, f"redact:{event_id}")
            await self.connection.redact(room_id, event_id, reason=text, txn_id=txn)

    async def _redact_post(self, key: str, room_id: str, event_id: str, reason: str) -> bool:
        # The edits first: a retry then finds the ones left (a redacted edit is no longer
        # listed), and each redaction has its own transaction id, so none is sent twice.
        try:
            for edit_id in await self._own_edits(room_id, event_id):
                txn = self.txn_ids.make(key, f"purge:{edit_id}")
                await self.connection.redact(room_id, edit_id, reason=reason, txn_id=txn)
            txn = self.txn_ids.make(key, f"purge:{event_id}")
            await self.connection.redact(room_id, event_id, reason=reason, txn_id=txn)
        except Forbidden as error:
            logger.warning("may not redact %s in %s: %s", event_id, room_id, error)
            return False
        return True

    async def _own_edits(self, room_id: str, event_id: str) -> list[str]:
        """The bot's own `m.replace` edits of an event, from the homeserver's relations API
        (the relation stays in clear in encrypted rooms, so nothing is decrypted)."""
        client, found = self.connection.client, []
        relations = client.room_get_event_relations(room_id, event_id, RelationshipType.replacement)
        try:
            async for event in relations:
                if event.sender == self.connection.user_id:
                    found.append(event.event_id)
        except AttributeError as error:  # nio iterates an error response as if it paged
            raise MatrixFailure(f"edits of {event_id} could not be read") from error
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"edits of {event_id}: {error}") from error
        return found

    async def _send_file(self, key: str, room_id: str, path: Path) -> None:
        room = self.connection.client.rooms.get(room_id)
        encrypted = bool(room is not None and room.encrypted)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        size = path.stat().st_size
        try:
            with path.open("rb") as data:
                uploaded, keys = await self.connection.client.upload(
                    data, content_type=mime, filename=path.name, encrypt=encrypted, filesize=size
                )
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"upload {path.name}: {error}") from error
        if not isinstance(uploaded, UploadResponse):
            raise MatrixFailure(f"upload {path.name}: {uploaded}")
        content: dict[str, Any] = {
            "msgtype": "m.image" if mime.startswith("image/") else "m.file",
            "body": path.name,
            "info": {"mimetype": mime, "size": size},
            "m.mentions": NO_MENTIONS,
        }
        if encrypted and keys is not None:
            content["file"] = {**keys, "url": uploaded.content_uri}
        else:
            content["url"] = uploaded.content_uri
        await self._send(key, room_id, "m.room.message", content, "file")

    async def _send_text(
        self, key: str, room_id: str, text: str, content_for: ContentFor, what: str
    ) -> list[str]:
        """`text` as one event, or as several when it is too long for one; each part has
        its own transaction id, so a retried delivery repeats none of them."""
        if not room_id.startswith("!"):
            raise MatrixFailure(f"{room_id!r} is not a Matrix room id (set matrix_room)")
        budget, sent = self.connection.budget(room_id), []
        for index, part in enumerate(split_to_fit(text, content_for, budget)):
            part_what = what if index == 0 else f"{what}:{index + 1}"
            try:
                sent.append(
                    await self._send(key, room_id, "m.room.message", content_for(part), part_what)
                )
            except TooLarge as error:
                # The homeserver counted more than the budget: never the same event again,
                # but the part in pieces of half its size (a retry of the entry does the same).
                logger.warning("%s to %s is too large, sent in pieces: %s", what, room_id, error)
                half = content_size(content_for(part)) // 2
                for piece_index, piece in enumerate(split_to_fit(part, content_for, half)):
                    piece_what = f"{part_what}:half:{piece_index + 1}"
                    content = content_for(piece)
                    sent.append(
                        await self._send(key, room_id, "m.room.message", content, piece_what)
                    )
        return sent

    async def _send(
        self, key: str, room_id: str, event_type: str, content: dict[str, Any], what: str
    ) -> str:
        if not room_id.startswith("!"):
            raise MatrixFailure(f"{room_id!r} is not a Matrix room id (set matrix_room)")
        txn_id = self.txn_ids.make(key, what)
        return await self.connection.send(room_id, event_type, content, txn_id)

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run on the bot's loop and wait; every failure is a DeliveryError."""
        if self.turns is not None:
            self.turns.wait()
        if self.loop.is_closed():
            coroutine.close()
            raise DeliveryError("the Matrix connection is stopped")
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(self.timeout)
        except FutureTimeout as error:
            future.cancel()
            raise DeliveryError(f"Matrix did not answer within {self.timeout:.0f} s") from error
        except CancelledError as error:
            raise DeliveryError("the Matrix connection stopped during the post") from error
        except Forbidden as error:
            advice = texts.MATRIX_FORBIDDEN.format(room=error.room_id or "?")
            raise DeliveryError(
                str(error), permanent=True, advice=advice, target=error.room_id
            ) from error
        except MatrixFailure as error:
            raise DeliveryError(str(error)) from error
        except Exception as error:
            logger.exception("unexpected failure in a Matrix post")
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
