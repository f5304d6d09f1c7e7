"""Direct rooms with people, for notices ("Ny fråga till dig: …").

The bot reuses the direct room Element knows (the account's `m.direct` data) while the
person is still in it, and otherwise creates one (end-to-end encrypted unless the config
says not to), invites them and records it in `m.direct` so every client agrees.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from nio import DirectRoomsResponse, MatrixRoom, RoomCreateResponse, RoomPreset

from bot.matrix.client import TRANSPORT_ERRORS, Connection, MatrixFailure

logger = logging.getLogger(__name__)
MEGOLM = "m.megolm.v1.aes-sha2"


class DirectRooms:
    """Finds or creates the direct room with a person. Use from the bot's event loop."""

    def __init__(self, connection: Connection, *, encrypted: bool) -> None:
        self.connection = connection
        self.encrypted = encrypted
        self._known: dict[str, str] = {}

    async def room_for(self, user_id: str) -> str:
        """The direct room with `user_id`, created (and the person invited) if need be."""
        known = self._known.get(user_id)
        if known and self._present(known, user_id):
            return known
        direct = await self._direct_map()
        for room_id in direct.get(user_id, []):
            if self._present(room_id, user_id):
                self._known[user_id] = room_id
                return room_id
        room_id = await self._create(user_id)
        direct[user_id] = [*direct.get(user_id, []), room_id]
        await self._save_direct_map(direct)
        self._known[user_id] = room_id
        return room_id

    def _present(self, room_id: str, user_id: str) -> bool:
        """The bot is in the room and the person is joined or invited."""
        room = self.connection.client.rooms.get(room_id)
        return room is not None and user_id in room.users

    async def _direct_map(self) -> dict[str, list[str]]:
        try:
            response = await self.connection.client.list_direct_rooms()
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"m.direct: {error}") from error
        # No m.direct yet is an error response (M_NOT_FOUND): start an empty map.
        if isinstance(response, DirectRoomsResponse):
            return {k: list(v) for k, v in response.rooms.items() if isinstance(v, list)}
        return {}

    async def _save_direct_map(self, direct: dict[str, list[str]]) -> None:
        client = self.connection.client
        path = f"/_matrix/client/v3/user/{quote(client.user_id, safe='')}/account_data/m.direct"
        headers = {
            "Authorization": f"Bearer {client.access_token}",
            "Content-Type": "application/json",
        }
        try:
            response = await client.send("PUT", path, json.dumps(direct), headers)
            status = response.status
            response.release()
        except TRANSPORT_ERRORS as error:
            status = 0
            logger.warning("m.direct not updated: %s", error)
        if status != 200:
            # The room works anyway; only Element's "direct message" grouping is missing.
            logger.warning("m.direct not updated (HTTP %s)", status)

    async def _create(self, user_id: str) -> str:
        initial_state: list[dict[str, Any]] = []
        if self.encrypted:
            initial_state.append(
                {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
            )
        try:
            created = await self.connection.client.room_create(
                is_direct=True,
                preset=RoomPreset.trusted_private_chat,
                invite=[user_id],
                initial_state=initial_state,
            )
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"direct room for {user_id}: {error}") from error
        if not isinstance(created, RoomCreateResponse):
            raise MatrixFailure(f"direct room for {user_id}: {created}")
        room_id: str = created.room_id
        self._remember(room_id, user_id)
        logger.info("created direct room %s with %s", room_id, user_id)
        return room_id

    def _remember(self, room_id: str, user_id: str) -> None:
        """Tell nio about the room and the invite now instead of waiting for a sync.

        Waiting could deadlock: the outbox worker delivering this notice holds the
        database (SQLite has one writer), and the sync loop saves its token there. And a
        sync may already have shown the room *before* the invite was sent: the invitee
        must be a member before the first message, or they never get its room key. nio
        completes the members (`joined_members`) and their keys before that message.
        """
        client = self.connection.client
        room = client.rooms.get(room_id)
        if room is None:
            room = MatrixRoom(room_id, client.user_id, self.encrypted)
            client.rooms[room_id] = room
        room.add_member(client.user_id, None, None)
        room.add_member(user_id, None, None, invited=True)
        if self.encrypted:
            room.encrypted = True
            client.encrypted_rooms.add(room_id)
