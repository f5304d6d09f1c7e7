"""The bot's own membership: invites accepted or declined, removal from a unit room.

- An invite from an allowed inviter (or homeserver) is accepted; any other is declined
  with a reason the inviter sees in Element, instead of staying pending forever.
- Kicked or banned from a unit's room, the bot tells the admins once (per removal), with
  what happened and how to fix it; cards for the room cannot be posted meanwhile.
- Invited back and joined, the bot posts again the cards the outbox gave up on while it
  was away (cards still being retried go out on their own).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any
from urllib.parse import quote

from nio import InviteMemberEvent, JoinResponse, RoomMemberEvent

from bot.matrix.client import TRANSPORT_ERRORS, Connection, MatrixFailure
from bot.matrix.config import MatrixSettings
from bot.wiring import Bryggan
from handlers.delivery import blocked_key
from handlers.kernel import OPEN_STATUSES, OutboxKind, Role, Store, texts

logger = logging.getLogger(__name__)

PLATFORM = "matrix"
ALL_OPEN = 10_000


class Membership:
    """Acts on the bot's own membership changes. Use from the bot's event loop."""

    def __init__(self, app: Bryggan, connection: Connection, settings: MatrixSettings) -> None:
        self.app = app
        self.connection = connection
        self.settings = settings

    async def on_invite(self, room_id: str, invite_state: list[Any]) -> None:
        """Join when the inviter (or their homeserver) is allowed; decline otherwise."""
        inviter = next(
            (
                e.sender
                for e in invite_state
                if isinstance(e, InviteMemberEvent)
                and e.state_key == self.settings.user_id
                and e.membership == "invite"
            ),
            None,
        )
        if inviter is None or not self.settings.may_invite(inviter):
            logger.info("declining the invite to %s from %s (not allowed)", room_id, inviter)
            await self._decline(room_id)
            return
        try:
            await self.connection.call(
                self.connection.client.join(room_id), JoinResponse, f"join {room_id}"
            )
        except MatrixFailure as error:
            logger.warning("could not join %s: %s", room_id, error)
            return
        logger.info("joined %s on the invite of %s", room_id, inviter)
        reposted = await asyncio.to_thread(self._repost_lost_cards, room_id)
        if reposted:
            logger.info("posting %d cards again in %s", reposted, room_id)

    async def on_left(self, room_id: str, timeline: list[Any]) -> None:
        """Report a kick or ban of the bot from a unit room to the admins, once."""
        for event in timeline:
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.settings.user_id
                and event.membership in ("leave", "ban")
                and event.sender != self.settings.user_id
            ):
                await asyncio.to_thread(self._report_removal, room_id, event)

    async def _decline(self, room_id: str) -> None:
        client = self.connection.client
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/leave"
        headers = {
            "Authorization": f"Bearer {client.access_token}",
            "Content-Type": "application/json",
        }
        body = json.dumps({"reason": texts.MATRIX_INVITE_DECLINED})
        try:
            response = await client.send("POST", path, body, headers)
            status = response.status
            response.release()
        except TRANSPORT_ERRORS as error:
            logger.warning("could not decline the invite to %s: %s", room_id, error)
            return
        if status != 200:
            logger.warning("could not decline the invite to %s (HTTP %s)", room_id, status)

    # in worker threads ---------------------------------------------------------------------

    def _report_removal(self, room_id: str, event: RoomMemberEvent) -> None:
        banned = event.membership == "ban"
        content = event.source.get("content") or {}
        reason = content.get("reason") if isinstance(content.get("reason"), str) else ""
        with self.app.database.transaction() as store:
            unit = store.unit_by_channel(platform=PLATFORM, channel=room_id)
            if unit is None:
                return
            digest = hashlib.sha256(f"{room_id}\x1f{event.event_id}".encode()).hexdigest()
            now = self.app.core.clock()
            if not store.claim_job(key=f"matrix:removed:{digest[:32]}", at=now):
                return
            # The outbox need not tell them again today when a post to the room fails.
            store.claim_job(key=blocked_key(PLATFORM, room_id, now), at=now)
            text = texts.MATRIX_REMOVED.format(
                what=texts.MATRIX_BANNED if banned else texts.MATRIX_KICKED,
                unit=unit.name,
                room=room_id,
                by=event.sender,
                reason=texts.MATRIX_REMOVED_REASON.format(reason=reason) if reason else "",
                fix=(texts.MATRIX_BAN_FIX if banned else texts.MATRIX_KICK_FIX).format(
                    bot=self.settings.user_id
                ),
            )
            told = self._tell_admins(store, text)
        logger.warning(
            "the bot was %s from %s (%s) by %s; %d admins told",
            "banned" if banned else "removed",
            room_id,
            unit.name,
            event.sender,
            told,
        )

    def _tell_admins(self, store: Store, text: str) -> int:
        now = self.app.core.clock()
        admins = [p for p in store.people() if Role.ADMIN in p.roles]
        on_matrix = [p for p in admins if store.identity(person_id=p.id, platform=PLATFORM)]
        for admin in on_matrix:
            store.enqueue(
                platform=PLATFORM, kind=OutboxKind.NOTICE, at=now, recipient_id=admin.id, text=text
            )
        return len(on_matrix)

    def _repost_lost_cards(self, room_id: str) -> int:
        """Every waiting or parked post of the room's open questions whose card is not out
        (the card first, its thread posts after it) is made due now with fresh tries: the
        same outbox entries, so a card is never posted twice. Returns how many cards."""
        with self.app.database.transaction() as store:
            units = {
                u.id
                for u in store.units()
                if store.unit_channel(unit_id=u.id, platform=PLATFORM) == room_id
            }
            if not units:
                return 0
            lost = {
                q.ref
                for q in store.questions_for(statuses=list(OPEN_STATUSES), limit=ALL_OPEN)
                if q.unit_id in units and q.location is None
            }
            waiting = [p for p in store.waiting_posts() if p.platform == PLATFORM and p.ref in lost]
            if waiting:  # (no ids would mean every post)
                store.retry_posts(ids=[p.id for p in waiting], now=self.app.core.clock())
            return sum(1 for p in waiting if p.kind is OutboxKind.CARD)
