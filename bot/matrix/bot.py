"""The sync loop: one thread, one event loop, one nio client.

Exactly once, across restarts and crashes:
- the sync token is saved only after every event of its batch has been handled, so a
  crash replays the batch instead of losing it;
- the core drops a replayed event by its Matrix event id (`Request.event_id`);
- a batch the server cut short (`limited`) is completed from `/messages` back to the
  saved token, so nothing sent while the bot was down is skipped;
- on the very first start (no token) the history is skipped, and in a room the bot has
  just joined, everything before its own join is skipped: old commands are never replayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import secrets
import threading
import time
from typing import Any

from nio import (
    MegolmEvent,
    RoomGetEventResponse,
    SyncResponse,
)

from bot.matrix.backfill import backfill
from bot.matrix.client import FAILURES, Backoff, Connection, MatrixFailure
from bot.matrix.config import MatrixSettings
from bot.matrix.cross_signing import CrossSigning
from bot.matrix.direct import DirectRooms
from bot.matrix.events import classify, own_join_index
from bot.matrix.handling import MessageHandler
from bot.matrix.key_sharing import KeySharing
from bot.matrix.membership import Membership
from bot.matrix.messenger import TransactionIds
from bot.matrix.undecrypted import UndecryptedEvents
from bot.wiring import Bryggan

logger = logging.getLogger(__name__)

SAVE_EVERY = 60.0
"""Seconds a sync token may stay unsaved while the batches hold nothing to handle."""
CROSS_SIGN_RETRY = 600.0
"""Seconds between attempts to cross-sign the device when an attempt failed."""


class MatrixBot:
    """Logs in, syncs and hands every new message to the `MessageHandler`."""

    def __init__(self, app: Bryggan, settings: MatrixSettings) -> None:
        self.app = app
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.connection = Connection(settings)
        self.ready = threading.Event()
        """Set once the first sync has arrived: rooms are known, so posts may go out."""
        self.undecrypted = UndecryptedEvents(self.connection)
        self.direct = DirectRooms(self.connection, encrypted=settings.encrypt_direct_rooms)
        self.txn_ids = TransactionIds("")
        self.handler = MessageHandler(app, self.connection, self.txn_ids)
        self.cross_signing = CrossSigning(self.connection)
        self.cross_signed = False
        self.key_sharing = KeySharing(self.connection, self.cross_signing)
        self.membership = Membership(app, self.connection, settings)
        """True once this device is signed by the account's self-signing key."""
        self._cross_sign_tried = float("-inf")
        self._key = settings.state_prefix
        self._token: str | None = None
        self._saved_at = float("-inf")
        self._device_id: str | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Load the saved state and start the sync thread (returns at once)."""
        with self.app.database.transaction() as store:
            salt = store.get_state(key=self._key + "txn_salt")
            if salt is None:
                salt = secrets.token_hex(16)
                store.set_state(key=self._key + "txn_salt", value=salt)
            self._device_id = store.get_state(key=self._key + "device_id")
            self._token = store.get_state(key=self._key + "next_batch")
            self.undecrypted.load(store.get_state(key=self._key + "undecrypted"))
        self.txn_ids.salt = salt
        self._thread = threading.Thread(target=self._thread_main, name="matrix-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the batch in hand, then stop; the next start continues from there."""
        if self._thread is None:
            return
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._request_stop)
        self._thread.join(timeout)
        self._thread = None

    def _request_stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def _thread_main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        except Exception:
            logger.exception("the Matrix adapter stopped on an error")
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            if await self._log_in():
                await self._sync_forever()
        finally:
            await self.connection.close()

    @property
    def stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _pause(self, seconds: float) -> None:
        """Sleep without blocking the loop; a stop request ends the pause at once."""
        assert self._stop is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _log_in(self) -> bool:
        backoff = Backoff()
        while not self.stopping:
            try:
                device_id = await self.connection.login(self._device_id)
                break
            except MatrixFailure as error:
                delay = backoff.next()
                logger.error("Matrix login failed (%s); retrying in %.0f s", error, delay)
                await self._pause(delay)
        else:
            return False
        if device_id != self._device_id:
            await asyncio.to_thread(self._save, {"device_id": device_id})
            self._device_id = device_id
        logger.info("logged in to Matrix as %s on device %s", self.settings.user_id, device_id)
        await self._show_name()
        await self._cross_sign()
        return True

    async def _cross_sign(self) -> None:
        """Cross-sign this device (and the account, the first time); a failure is logged
        with what to do, and tried again after `CROSS_SIGN_RETRY` seconds."""
        self._cross_sign_tried = time.monotonic()
        try:
            await self.cross_signing.ensure()
            self.cross_signed = True
        except FAILURES as error:
            logger.error(
                "the bot's Matrix device is not cross-signed, so Element may withhold room "
                "keys from it: %s",
                error,
            )

    async def _show_name(self) -> None:
        name = self.settings.display_name
        if not name:
            return
        try:
            current = await self.connection.client.get_displayname()
            if getattr(current, "displayname", None) != name:
                await self.connection.set_display_name(name)
        except FAILURES as error:
            logger.warning("display name not set: %s", error)

    async def _sync_forever(self) -> None:
        backoff = Backoff()
        first = True
        while not self.stopping:
            try:
                response = await self._next_sync(first)
            except MatrixFailure as error:
                delay = backoff.next()
                logger.warning("Matrix sync failed (%s); retrying in %.1f s", error, delay)
                if "M_UNKNOWN_TOKEN" in str(error) and self.settings.password:
                    await self._log_in()
                await self._pause(delay)
                continue
            if response is None:
                return
            # nio now knows every room (the first sync carries the full state): posts from
            # the outbox may go out while the batch is being handled.
            self.ready.set()
            try:
                await self.connection.housekeeping()
                if not self.cross_signed and self._cross_sign_due():
                    await self._cross_sign()
                await self.key_sharing.answer(list(response.to_device_events))
                await self._handle(response)
                undecrypted = self.undecrypted.dump() if self.undecrypted.changed else None
                if self._must_save(response, undecrypted):
                    values = {"next_batch": response.next_batch}
                    if undecrypted is not None:
                        values["undecrypted"] = undecrypted
                    await asyncio.to_thread(self._save, values, settle=True)
                    self._saved_at = time.monotonic()
            except Exception:
                # Typically the database; the same batch is fetched and handled again.
                delay = backoff.next()
                logger.exception("Matrix batch not finished; retrying in %.1f s", delay)
                await self._pause(delay)
                continue
            backoff.reset()
            self._token = response.next_batch
            first = False

    def _cross_sign_due(self) -> bool:
        return time.monotonic() - self._cross_sign_tried >= CROSS_SIGN_RETRY

    def _must_save(self, response: SyncResponse, undecrypted: str | None) -> bool:
        """Whether this batch's token must be saved now: something in it was handled (or
        kept for later), it is the very first, or it has gone unsaved for `SAVE_EVERY`.
        Most batches hold only the bot's own posts; replaying those after a crash does
        nothing, so their tokens need no transaction of their own."""
        return (
            self._token is None
            or bool(self.handler.kept.handled)
            or undecrypted is not None
            or bool(response.rooms.invite)
            or bool(response.rooms.leave)
            or time.monotonic() - self._saved_at >= SAVE_EVERY
        )

    async def _next_sync(self, first: bool) -> SyncResponse | None:
        """The next batch after the saved token, or None when asked to stop meanwhile.

        The first sync of a run asks for the full room state (nio keeps rooms in memory
        only), with the timeline still starting at the saved token.
        """
        assert self._stop is not None
        sync = self.connection.call(
            self.connection.client.sync(
                timeout=0 if first else self.settings.sync_timeout_ms,
                sync_filter={"room": {"timeline": {"limit": self.settings.timeline_limit}}},
                since=self._token,
                full_state=True if first else None,
            ),
            SyncResponse,
            "sync",
        )
        request = asyncio.ensure_future(sync)
        stopped = asyncio.ensure_future(self._stop.wait())
        done, _ = await asyncio.wait({request, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if request not in done:
            request.cancel()
            await asyncio.gather(request, return_exceptions=True)
            return None
        stopped.cancel()
        response: SyncResponse = request.result()
        return response

    async def _handle(self, response: SyncResponse) -> None:
        self.handler.kept.handled.clear()
        for room_id, info in response.rooms.invite.items():
            await self.membership.on_invite(room_id, info.invite_state)
        for room_id, info in response.rooms.leave.items():
            await self.membership.on_left(room_id, list(info.timeline.events))
        if self._token is None:
            logger.info("first Matrix start: earlier messages are not answered")
            return
        for room_id, event in self.undecrypted.ready():
            await self._on_event(room_id, event)
        for room_id, info in response.rooms.join.items():
            events = list(info.timeline.events)
            if info.timeline.limited and info.timeline.prev_batch:
                events = await self._backfill(room_id, info.timeline.prev_batch) + events
            start = own_join_index([e.source for e in events], self.settings.user_id) + 1
            for event in events[start:]:
                await self._on_event(room_id, event)

    async def _on_event(self, room_id: str, event: Any) -> None:
        if isinstance(event, MegolmEvent):
            await self.undecrypted.keep(room_id, event)
            return
        incoming = classify(
            event.source,
            room_id,
            bot_user_id=self.settings.user_id,
            bot_names=[self.settings.display_name or ""],
        )
        if incoming is None:
            return
        if incoming.thread_root and not incoming.in_thread:
            # A thread-unaware client's reply to a message inside a thread: it belongs
            # to that thread (a card's answers and follow-ups included).
            root = await self._thread_of(room_id, incoming.thread_root)
            incoming = dataclasses.replace(incoming, thread_root=root)
        await self.handler.handle(incoming)

    async def _thread_of(self, room_id: str, event_id: str) -> str:
        """The root of the thread `event_id` is in, or `event_id` itself."""
        try:
            found = await self.connection.call(
                self.connection.client.room_get_event(room_id, event_id),
                RoomGetEventResponse,
                f"event {event_id}",
            )
        except MatrixFailure as error:
            logger.info("the replied-to event %s is not readable: %s", event_id, error)
            return event_id
        relation = found.event.source.get("content", {}).get("m.relates_to") or {}
        root = relation.get("event_id")
        if relation.get("rel_type") == "m.thread" and isinstance(root, str):
            return root
        return event_id

    async def _backfill(self, room_id: str, prev_batch: str) -> list[Any]:
        """The events a cut-short sync left out: from `prev_batch` back to our token."""
        pages = self.settings.backfill_pages
        return await backfill(self.connection, room_id, prev_batch, self._token, pages)

    def _save(self, values: dict[str, str], *, settle: bool = False) -> None:
        """Save adapter state; with `settle`, also forget the replies of the batch handled
        (they are out), in the same transaction as its sync token."""
        with self.app.database.transaction() as store:
            for key, value in values.items():
                store.set_state(key=self._key + key, value=value)
            if settle:
                self.handler.kept.settle(store)
