"""A person in Element for `bench/bench_matrix.py`: a nio client that keeps a long-poll
sync running and notes when each event arrived, so latency is measured as the person
sees it: from just before their message is sent to the sync that delivers the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from nio import RoomSendResponse, SyncError

from tests.matrix_homeserver import RegisteredUser, logged_in_client

SYNC_TIMEOUT_MS = 30_000


class TimedUser:
    """Sends messages and waits for replies to them; `replies` maps a message's event id
    to (arrival time, reply event) for the first reply that arrived."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.replies: dict[str, tuple[float, Any]] = {}
        self.members: dict[str, set[str]] = {}
        self._news = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    @property
    def user_id(self) -> str:
        user_id: str = self.client.user_id
        return user_id

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._sync_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _sync_forever(self) -> None:
        while True:
            response = await self.client.sync(timeout=SYNC_TIMEOUT_MS)
            arrived = time.perf_counter()
            if isinstance(response, SyncError):
                raise RuntimeError(f"{self.user_id} could not sync: {response}")
            for room_id, info in response.rooms.join.items():
                for event in info.timeline.events:
                    self._note(event, arrived)
                room = self.client.rooms.get(room_id)
                if room is not None:
                    self.members[room_id] = set(room.users) - set(room.invited_users)
            if self.client.olm is not None and self.client.should_query_keys:
                await self.client.keys_query()
            async with self._news:
                self._news.notify_all()

    def _note(self, event: Any, arrived: float) -> None:
        content = event.source.get("content") or {}
        relation = content.get("m.relates_to") or {}
        target = (relation.get("m.in_reply_to") or {}).get("event_id")
        if isinstance(target, str) and target not in self.replies:
            self.replies[target] = (arrived, event)

    async def wait_for(self, check: Any, what: str, timeout: float = 60.0) -> Any:
        """Wait until `check()` gives something truthy and return it."""
        async with self._news:
            try:
                await asyncio.wait_for(self._news.wait_for(check), timeout)
            except TimeoutError as error:
                raise RuntimeError(f"{self.user_id} never saw {what}") from error
        return check()

    async def joined(self, room_id: str, user_id: str) -> None:
        await self.wait_for(lambda: user_id in self.members.get(room_id, ()), f"{user_id} join")

    async def send(self, room_id: str, body: str) -> str:
        content = {"msgtype": "m.text", "body": body}
        sent = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        if not isinstance(sent, RoomSendResponse):
            raise RuntimeError(f"{self.user_id} could not send: {sent}")
        event_id: str = sent.event_id
        return event_id

    async def round_trip(self, room_id: str, body: str) -> tuple[float, str]:
        """Seconds from just before sending `body` until the sync that brought the first
        reply to it, and the reply's text."""
        began = time.perf_counter()
        event_id = await self.send(room_id, body)
        arrived, reply = await self.wait_for(
            lambda: self.replies.get(event_id), f"a reply to {body!r}"
        )
        return arrived - began, str(reply.source.get("content", {}).get("body", ""))


@contextlib.asynccontextmanager
async def timed_user(
    base_url: str, user: RegisteredUser, store: Path | None = None
) -> AsyncIterator[TimedUser]:
    """A logged-in person syncing in the background (end-to-end capable with `store`)."""
    async with logged_in_client(base_url, user, store_dir=store) as client:
        if store is not None:
            await client.keys_upload()
        person = TimedUser(client)
        person.start()
        try:
            yield person
        finally:
            await person.stop()
