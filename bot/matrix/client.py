"""The bot's nio client: login on a persistent device, crypto housekeeping, checked sends.

Every request's answer is checked here: an error response or a transport failure
becomes `MatrixFailure`, so callers never have to remember to look at a nio response.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import Any

import aiohttp
from nio import (
    Api,
    AsyncClient,
    AsyncClientConfig,
    EncryptionError,
    ErrorResponse,
    LocalProtocolError,
    LoginResponse,
    MegolmEvent,
    OlmUnverifiedDeviceError,
    ProfileSetDisplayNameResponse,
    RoomRedactResponse,
    RoomSendResponse,
    SendRetryError,
    WhoamiResponse,
)
from nio.api import RelationshipType

from bot.matrix.config import MatrixSettings
from bot.matrix.fit import content_budget, content_size

logger = logging.getLogger(__name__)

TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    aiohttp.ClientError,
    TimeoutError,
    OSError,
    LocalProtocolError,
    SendRetryError,
    OlmUnverifiedDeviceError,
    EncryptionError,
)


class MatrixFailure(Exception):
    """A Matrix request failed: the homeserver refused it or could not be reached."""


class TooLarge(MatrixFailure):
    """The event is over Matrix's size limit: sending it again as it is cannot help."""


class Forbidden(MatrixFailure):
    """The homeserver refused the bot (`M_FORBIDDEN`): not in the room, or too low a power
    level. `room_id` names the room when the request was about one."""

    def __init__(self, message: str, room_id: str = "") -> None:
        super().__init__(message)
        self.room_id = room_id


FAILURES: tuple[type[BaseException], ...] = (MatrixFailure, *TRANSPORT_ERRORS)
"""Everything a Matrix request may fail with, refusals and transport errors alike."""


def client_config(settings: MatrixSettings) -> AsyncClientConfig:
    """Encryption on; nio's rate-limit retries on (`max_limit_exceeded=None`: a 429 is
    waited out as the server asks, never turned into a dropped message); transport
    failures surface after a few tries so our own backoff and the outbox take over.
    The sync token is *not* stored by nio: it would save it before the batch is handled.
    """
    options: dict[str, Any] = {
        "encryption_enabled": True,
        "store_sync_tokens": False,
        "max_limit_exceeded": None,
        "max_timeouts": 2,
        "request_timeout": 30,
    }
    if settings.store_key:
        options["pickle_key"] = settings.store_key
    return AsyncClientConfig(**options)


class Backoff:
    """Growing, jittered pauses between reconnect attempts (1 s, 2 s, 4 s … 60 s)."""

    def __init__(self, first: float = 1.0, cap: float = 60.0) -> None:
        self.first, self.cap, self.failures = first, cap, 0

    def next(self) -> float:
        delay = min(self.cap, self.first * float(2**self.failures))
        self.failures += 1
        return delay * random.uniform(0.8, 1.2)

    def reset(self) -> None:
        self.failures = 0


class Connection:
    """One logged-in `AsyncClient`. Use it only from the bot's event loop."""

    def __init__(self, settings: MatrixSettings) -> None:
        settings.store_path.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self.client = AsyncClient(
            settings.homeserver,
            settings.user_id,
            store_path=str(settings.store_path),
            config=client_config(settings),
        )
        # Olm state is not safe under interleaved requests: sends and key housekeeping
        # take turns (the long-poll sync does not need the lock).
        self.crypto_lock = asyncio.Lock()

    @property
    def user_id(self) -> str:
        return self.settings.user_id

    async def login(self, saved_device_id: str | None) -> str:
        """Log in on the configured or saved device (so the crypto store stays valid) and
        upload keys if needed; returns the device id to save."""
        client, settings = self.client, self.settings
        if settings.access_token:
            client.access_token = settings.access_token
            whoami = await self.call(client.whoami(), WhoamiResponse, "whoami")
            if whoami.user_id != settings.user_id or not whoami.device_id:
                raise MatrixFailure(
                    f"the access token belongs to {whoami.user_id}, not {settings.user_id}"
                )
            client.restore_login(settings.user_id, whoami.device_id, settings.access_token)
        else:
            client.device_id = settings.device_id or saved_device_id
            await self.call(
                client.login(settings.password, device_name=settings.device_name),
                LoginResponse,
                "login",
            )
        if client.olm is None:
            raise MatrixFailure("the crypto store could not be opened (is vodozemac installed?)")
        await self.housekeeping()
        device_id: str = client.device_id
        return device_id

    async def set_display_name(self, name: str) -> None:
        """Show the bot under `name` in member lists (once; it is a state change)."""
        await self.call(
            self.client.set_displayname(name), ProfileSetDisplayNameResponse, "displayname"
        )

    async def housekeeping(self) -> None:
        """What `sync_forever` does between syncs: upload our one-time keys, learn the
        devices of people we share encrypted rooms with, open Olm sessions, and send
        queued to-device messages (key requests, key shares)."""
        client = self.client
        async with self.crypto_lock:
            try:
                if client.should_upload_keys:
                    await self.call(client.keys_upload(), None, "keys_upload")
                if client.should_query_keys:
                    await self.call(client.keys_query(), None, "keys_query")
                if client.should_claim_keys:
                    users = client.get_users_for_key_claiming()
                    await self.call(client.keys_claim(users), None, "keys_claim")
                await client.send_to_device_messages()
            except FAILURES as error:
                logger.warning("Matrix key housekeeping failed (retried next sync): %s", error)

    async def send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str
    ) -> str:
        """Send one event (encrypted if the room is) and return its event id.

        `txn_id` makes a repeated send idempotent: the homeserver answers a second request
        with the same id on this device with the first event instead of a copy.
        """
        encrypted = self.encrypted(room_id)
        size, budget = content_size(content), content_budget(encrypted)
        if size > budget:
            raise TooLarge(f"{event_type} for {room_id} is {size} bytes; at most {budget} fit")
        # Only encrypting touches Olm state; posts to plain rooms may overlap.
        turn = self.crypto_lock if encrypted else contextlib.nullcontext()
        async with turn:
            if encrypted and event_type == "m.reaction" and room_id in self.client.rooms:
                request = self._send_encrypted_reaction(room_id, content, txn_id)
            else:
                request = self.client.room_send(
                    room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
                )
            try:
                response = await self.call(
                    request, RoomSendResponse, f"send {event_type} to {room_id}"
                )
            except Forbidden as error:
                raise Forbidden(str(error), room_id) from error
        event_id: str = response.event_id
        return event_id

    async def _send_encrypted_reaction(
        self, room_id: str, content: dict[str, Any], txn_id: str
    ) -> Any:
        """A reaction in an encrypted room, encrypted (nio sends reactions in clear): the
        same steps as nio's `room_send`, without its exception for `m.reaction`. The
        relation stays in clear, as the spec asks, so the server can still group them."""
        client = self.client
        if not client.rooms[room_id].members_synced:
            await self.call(client.joined_members(room_id), None, f"members of {room_id}")
            if client.should_query_keys:
                await self.call(client.keys_query(), None, "keys_query")
        if client.olm.should_share_group_session(room_id):
            await self.call(
                client.share_group_session(room_id, ignore_unverified_devices=True),
                None,
                f"room key for {room_id}",
            )
        event_type, encrypted = client.encrypt(room_id, "m.reaction", content)
        method, path, data = Api.room_send(
            client.access_token, room_id, event_type, encrypted, txn_id
        )
        return await client._send(RoomSendResponse, method, path, data, (room_id,))

    def encrypted(self, room_id: str) -> bool:
        """Whether events to the room are encrypted (an unknown room counts as encrypted:
        the smaller budget is the safe guess)."""
        room = self.client.rooms.get(room_id)
        return room is None or bool(room.encrypted)

    def budget(self, room_id: str) -> int:
        """The most bytes of content one event to the room may carry."""
        return content_budget(self.encrypted(room_id))

    async def redact(self, room_id: str, event_id: str, *, reason: str, txn_id: str) -> None:
        await self.call(
            self.client.room_redact(room_id, event_id, reason=reason, tx_id=txn_id),
            RoomRedactResponse,
            f"redact in {room_id}",
        )

    def can_redact(self, room_id: str) -> bool:
        """Whether the bot's power level lets it redact other people's events here."""
        room = self.client.rooms.get(room_id)
        return bool(room is not None and room.power_levels.can_user_redact(self.user_id))

    async def own_reactions(self, room_id: str, event_id: str) -> dict[str, str]:
        """The bot's reactions on an event: emoji → reaction event id."""
        found: dict[str, str] = {}
        relations = self.client.room_get_event_relations(
            room_id, event_id, RelationshipType.annotation
        )
        try:
            async for found_event in relations:
                event = found_event
                if isinstance(event, MegolmEvent):  # an encrypted reaction: ours we can read
                    event.room_id = room_id
                    try:
                        event = self.client.decrypt_event(event)
                    except (EncryptionError, LocalProtocolError):
                        continue
                relation = event.source.get("content", {}).get("m.relates_to", {})
                if event.sender == self.user_id and isinstance(relation.get("key"), str):
                    found[relation["key"]] = event.event_id
        except AttributeError as error:  # nio iterates an error response as if it paged
            raise MatrixFailure(f"relations of {event_id} could not be read") from error
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"relations of {event_id}: {error}") from error
        return found

    async def close(self) -> None:
        await self.client.close()

    async def call(self, request: Any, expected: type | None, what: str) -> Any:
        """Await a nio request; an error response or a transport failure is MatrixFailure.

        `expected` is the success type; None accepts anything but an `ErrorResponse`.
        """
        try:
            response = await request
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"{what}: {type(error).__name__}: {error}") from error
        failed = (
            isinstance(response, ErrorResponse)
            if expected is None
            else not isinstance(response, expected)
        )
        if failed:
            if getattr(response, "status_code", None) == "M_TOO_LARGE":
                raise TooLarge(f"{what}: {response}")
            if getattr(response, "status_code", None) == "M_FORBIDDEN":
                raise Forbidden(f"{what}: {response}")
            raise MatrixFailure(f"{what}: {response}")
        return response
