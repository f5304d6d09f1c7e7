"""People in Element for the Matrix adapter's tests, played by nio clients on the real
Synapse of `tests.matrix_fixtures`.

A `Participant` remembers everything its syncs delivered, so a test can wait for "the card
shows tagen" without caring which sync brought it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import peewee  # type: ignore[import-untyped]  # no stubs (types-peewee) installed
from nio import (
    JoinResponse,
    KeysUploadResponse,
    RedactionEvent,
    RoomCreateResponse,
    RoomSendResponse,
    SyncError,
)

from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver, logged_in_client

T = TypeVar("T")
MEGOLM = "m.megolm.v1.aes-sha2"
_NIO_STORES = threading.RLock()


def _serialize_nio_stores() -> None:
    """nio's SqliteStore binds its peewee models (classes shared by the whole process) to
    its own database file for the length of each call. Here the bot and the test people
    are separate encrypted nio clients on two threads of one process, so those bindings
    would race: queries land in another client's file, or in none. Taking the bindings in
    turn removes the race. (In production the bot is the only nio client in its process.)
    """
    context: Any = peewee._BoundModelsContext
    if getattr(context, "serialized_for_tests", False):
        return
    enter, leave = context.__enter__, context.__exit__

    def locked_enter(self: Any) -> Any:
        _NIO_STORES.acquire()
        try:
            return enter(self)
        except BaseException:
            _NIO_STORES.release()
            raise

    def locked_exit(self: Any, *exc: Any) -> Any:
        try:
            return leave(self, *exc)
        finally:
            _NIO_STORES.release()

    context.__enter__, context.__exit__ = locked_enter, locked_exit
    context.serialized_for_tests = True


_serialize_nio_stores()


@dataclass
class Participant:
    """A person in Element, played by a nio client that keeps every event it synced."""

    client: Any
    user: RegisteredUser
    name: str
    timeline: dict[str, list[Any]] = field(default_factory=dict)
    invites: set[str] = field(default_factory=set)

    @property
    def user_id(self) -> str:
        return self.user.user_id

    async def sync(self) -> None:
        response = await self.client.sync(timeout=250)
        if isinstance(response, SyncError):
            raise AssertionError(f"{self.user_id} could not sync: {response}")
        for room_id, info in response.rooms.join.items():
            self.timeline.setdefault(room_id, []).extend(info.timeline.events)
        self.invites.update(response.rooms.invite)

    async def until(self, check: Callable[[], T | None], what: str, timeout: float = 15.0) -> T:
        """Sync until `check()` gives something (not None/False) and return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value is not None and value is not False:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} never saw {what}; saw:\n{self.summary()}")
            await self.sync()

    async def say(
        self,
        room_id: str,
        body: str,
        *,
        thread_root: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        """Send an `m.text` as Element would (a thread reply or a plain reply with its
        quoted fallback) and return its event id."""
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if thread_root:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        elif reply_to:
            content["body"] = f"> <@bryggan:bryggan.test> F-kortet\n> andra raden\n\n{body}"
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        if self.client.olm is not None and self.client.should_query_keys:
            await self.client.keys_query()
        sent = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        assert isinstance(sent, RoomSendResponse), sent
        event_id: str = sent.event_id
        return event_id

    async def join(self, room_id: str) -> None:
        joined = await self.client.join(room_id)
        assert isinstance(joined, JoinResponse), joined

    # reading what arrived -------------------------------------------------------------------

    def events(self, room_id: str, sender: str | None = None) -> list[Any]:
        events = self.timeline.get(room_id, [])
        return [e for e in events if sender is None or e.sender == sender]

    def bodies(self, room_id: str, sender: str) -> list[str]:
        """The plain bodies of the messages `sender` sent in the room."""
        return [body_of(_content(e)) for e in self.events(room_id, sender) if body_of(_content(e))]

    def replies_to(self, room_id: str, event_id: str) -> list[Any]:
        """Events answering `event_id` (`m.in_reply_to` it)."""
        return [e for e in self.events(room_id) if _relation(e).get("in_reply_to") == event_id]

    def cards(self, room_id: str, bot_id: str) -> list[Any]:
        """The bot's original card events (not edits) in the room."""
        return [
            e
            for e in self.events(room_id, bot_id)
            if _content(e).get("msgtype") == "m.text"
            and "m.new_content" not in _content(e)
            and _content(e).get("format") == "org.matrix.custom.html"
        ]

    def card_now(self, room_id: str, card_id: str) -> dict[str, Any]:
        """The card's content as it shows now: its latest edit, else the original."""
        current: dict[str, Any] = {}
        for event in self.events(room_id):
            content = _content(event)
            if event.event_id == card_id and not current:
                current = content
            relation = content.get("m.relates_to") or {}
            if relation.get("rel_type") == "m.replace" and relation.get("event_id") == card_id:
                current = content["m.new_content"]
        return current

    def reactions(self, room_id: str, event_id: str, sender: str) -> set[str]:
        """The reaction keys `sender` has on `event_id` now (redacted ones removed)."""
        redacted = {e.redacts for e in self.events(room_id) if isinstance(e, RedactionEvent)}
        return {
            _relation(e)["key"]
            for e in self.events(room_id, sender)
            if _relation(e).get("rel_type") == "m.annotation"
            and _relation(e).get("event_id") == event_id
            and e.event_id not in redacted
        }

    def redacted(self, room_id: str, event_id: str) -> bool:
        return any(
            isinstance(e, RedactionEvent) and e.redacts == event_id for e in self.events(room_id)
        )

    def summary(self) -> str:
        lines = []
        for room_id, events in self.timeline.items():
            for e in events:
                body = getattr(e, "body", None) or str(_content(e))[:80]
                lines.append(f"  {room_id[:8]} {e.sender} {type(e).__name__}: {body[:90]!r}")
        return "\n".join(lines[-40:])


def _content(event: Any) -> dict[str, Any]:
    content = event.source.get("content", {})
    return content if isinstance(content, dict) else {}


def _relation(event: Any) -> dict[str, Any]:
    relation = dict(_content(event).get("m.relates_to") or {})
    reply = relation.get("m.in_reply_to") or {}
    relation["in_reply_to"] = reply.get("event_id")
    return relation


def body_of(content: dict[str, Any]) -> str:
    return str(content.get("body", ""))


@contextlib.asynccontextmanager
async def participant(
    synapse: SynapseHomeserver, user: RegisteredUser, name: str, store: Path | None = None
) -> AsyncIterator[Participant]:
    """A logged-in person; with `store`, an end-to-end capable device with keys uploaded."""
    async with logged_in_client(synapse.base_url, user, store_dir=store) as client:
        if store is not None:
            assert isinstance(await client.keys_upload(), KeysUploadResponse)
        yield Participant(client, user, name)


async def create_room(
    owner: Participant,
    invite: list[str],
    *,
    encrypted: bool = False,
    powers: dict[str, int] | None = None,
) -> str:
    """A private room created by `owner`, optionally encrypted, with extra power levels."""
    initial_state = []
    if encrypted:
        initial_state.append(
            {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
        )
    created = await owner.client.room_create(
        invite=invite,
        initial_state=initial_state,
        power_level_override={"users": powers} if powers else None,
    )
    assert isinstance(created, RoomCreateResponse), created
    room_id: str = created.room_id
    return room_id


async def bot_joined(person: Participant, room_id: str, bot_id: str) -> None:
    """Wait until `person` sees the bot as a joined member of the room."""

    def joined() -> bool:
        room = person.client.rooms.get(room_id)
        return bool(room and bot_id in room.users and bot_id not in room.invited_users)

    await person.until(joined, f"{bot_id} join {room_id}")


def first(items: Any) -> Any:
    """The first item, or None."""
    return next(iter(items), None)
