"""Answering room-key requests, so that a contact's new Element session reads earlier cards.

nio answers key requests only from the bot's own devices. Bryggan also answers a request
from another person's device when all of this holds, and otherwise refuses it with a log
line saying why:
- the key is for one of the bot's own messages (its cards, replies and posts; never for
  what other people wrote, which is theirs to share);
- the requester is a member of the room now;
- the requesting device is cross-signed by its owner: its signature by the owner's
  self-signing key, which is signed by the owner's master key, verifies (ed25519 over
  canonical JSON, as `cross_signing` signs).
"""

from __future__ import annotations

import logging
from typing import Any

from nio import KeysClaimResponse, KeysQueryResponse, RoomKeyRequest

from bot.matrix.client import FAILURES, Connection, MatrixFailure
from bot.matrix.cross_signing import CrossSigning, verifies

logger = logging.getLogger(__name__)


class KeySharing:
    """Decides on and answers other people's room-key requests. Use from the bot's loop."""

    def __init__(self, connection: Connection, cross_signing: CrossSigning) -> None:
        self.connection = connection
        self.cross_signing = cross_signing

    async def answer(self, to_device_events: list[Any]) -> None:
        """Answer the key requests among one sync's to-device events, in order."""
        for event in to_device_events:
            if isinstance(event, RoomKeyRequest) and event.sender != self.connection.user_id:
                try:
                    await self._answer(event)
                except FAILURES as error:
                    logger.warning("room key request %s not answered: %s", event.request_id, error)

    async def _answer(self, request: RoomKeyRequest) -> None:
        refusal = await self._refusal(request)
        who = f"{request.sender} ({request.requesting_device_id})"
        if refusal is not None:
            logger.info("refused the room key for %s to %s: %s", request.room_id, who, refusal)
            return
        async with self.connection.crypto_lock:
            await self._share(request)
        logger.info("shared the room key for %s with %s", request.room_id, who)

    async def _refusal(self, request: RoomKeyRequest) -> str | None:
        """Why the request must not be answered, or None when it may."""
        client = self.connection.client
        olm = client.olm
        room = client.rooms.get(request.room_id)
        if room is None or request.sender not in room.users or request.sender in room.invited_users:
            return "not a member of the room"
        if request.sender_key != olm.account.identity_keys["curve25519"]:
            return "not a key of the bot's own messages"
        if (
            olm.inbound_group_store.get(request.room_id, request.sender_key, request.session_id)
            is None
        ):
            return "the bot does not have that key"
        if not await self._cross_signed(request.sender, request.requesting_device_id):
            return "the device is not cross-signed by its owner"
        return None

    async def _cross_signed(self, user_id: str, device_id: str) -> bool:
        """The device is signed by the owner's self-signing key, signed by their master key."""
        published = await self.cross_signing.query(user_id)
        master = published.get("master_keys", {}).get(user_id)
        self_signing = published.get("self_signing_keys", {}).get(user_id)
        device = published.get("device_keys", {}).get(user_id, {}).get(device_id)
        if not all(isinstance(k, dict) for k in (master, self_signing, device)):
            return False
        assert isinstance(master, dict) and isinstance(self_signing, dict)
        assert isinstance(device, dict)
        return any(
            verifies(self_signing, user_id, master_key)
            for master_key in master.get("keys", {}).values()
        ) and any(
            verifies(device, user_id, self_signing_key)
            for self_signing_key in self_signing.get("keys", {}).values()
        )

    async def _share(self, request: RoomKeyRequest) -> None:
        """Send the session, Olm-encrypted to the requesting device alone."""
        client = self.connection.client
        olm = client.olm
        device = olm.device_store[request.sender].get(request.requesting_device_id)
        if device is None:
            olm.users_for_key_query.add(request.sender)
            await self.connection.call(client.keys_query(), KeysQueryResponse, "keys_query")
            device = olm.device_store[request.sender].get(request.requesting_device_id)
        if device is None:
            raise MatrixFailure(f"device {request.requesting_device_id} is unknown")
        session = olm.session_store.get(device.curve25519)
        if session is None:
            claim = client.keys_claim({request.sender: [request.requesting_device_id]})
            await self.connection.call(claim, KeysClaimResponse, "keys_claim")
            session = olm.session_store.get(device.curve25519)
        if session is None:
            raise MatrixFailure(f"no Olm session with {request.requesting_device_id}")
        group_session = olm.inbound_group_store.get(
            request.room_id, request.sender_key, request.session_id
        )
        # nio builds the m.forwarded_room_key it would send to the bot's own devices.
        message = olm._encrypt_forwarding_key(request.room_id, group_session, session, device)
        await self.connection.call(client.to_device(message), None, "to_device")
