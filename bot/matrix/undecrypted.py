"""Encrypted events that arrived before their room key: kept, and retried when keys come.

A Megolm key travels as a to-device message, separately from the room event, and over
federation it often arrives later. Such an event is not an error to answer: it is kept
(also in the database, with the sync token, so a restart does not lose it), the key is
requested from the sending device, and decryption is retried after every sync.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from nio import EncryptionError, Event, LocalProtocolError, MegolmEvent

from bot.matrix.client import TRANSPORT_ERRORS, Connection

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 24 * 3600
MAX_KEPT = 500


@dataclass(frozen=True)
class Waiting:
    room_id: str
    source: dict[str, Any]

    @property
    def event_id(self) -> str:
        return str(self.source.get("event_id", ""))

    @property
    def sent_ms(self) -> int:
        value = self.source.get("origin_server_ts", 0)
        return value if isinstance(value, int) else 0


class UndecryptedEvents:
    """The waiting room for encrypted events whose keys have not arrived yet."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.waiting: dict[str, Waiting] = {}
        self.changed = False
        self._requested: set[str] = set()

    def load(self, saved: str | None) -> None:
        """Restore what the last run kept (`dump()`'s output)."""
        for item in json.loads(saved) if saved else []:
            waiting = Waiting(item["room_id"], item["event"])
            self.waiting[waiting.event_id] = waiting

    def dump(self) -> str:
        self.changed = False
        items = [{"room_id": w.room_id, "event": w.source} for w in self.waiting.values()]
        return json.dumps(items, separators=(",", ":"))

    async def keep(self, room_id: str, event: MegolmEvent) -> None:
        """Keep an undecryptable event and ask the sending device for its key once."""
        if event.event_id in self.waiting:
            return
        logger.info("event %s in %s waits for its room key", event.event_id, room_id)
        self.waiting[event.event_id] = Waiting(room_id, dict(event.source))
        self.changed = True
        while len(self.waiting) > MAX_KEPT:
            oldest = min(self.waiting.values(), key=lambda w: w.sent_ms)
            logger.warning("dropping undecryptable event %s: too many waiting", oldest.event_id)
            del self.waiting[oldest.event_id]
        await self._request_key(room_id, event)

    def ready(self) -> list[tuple[str, Event]]:
        """Events that can be decrypted now (oldest first), removed from the waiting room.
        Events whose key has not come within a day are given up, with a log line."""
        decrypted: list[tuple[int, str, Event]] = []
        now_ms = int(time.time() * 1000)
        for event_id, waiting in list(self.waiting.items()):
            event = MegolmEvent.from_dict(dict(waiting.source))
            if not isinstance(event, MegolmEvent):
                del self.waiting[event_id]
                continue
            event.room_id = waiting.room_id
            try:
                clear = self.connection.client.decrypt_event(event)
            except (EncryptionError, LocalProtocolError):
                if now_ms - waiting.sent_ms > MAX_AGE_SECONDS * 1000:
                    logger.warning(
                        "gave up on event %s from %s: its room key never arrived",
                        event_id,
                        event.sender,
                    )
                    del self.waiting[event_id]
                    self.changed = True
                continue
            del self.waiting[event_id]
            self.changed = True
            decrypted.append((waiting.sent_ms, waiting.room_id, clear))
        # Remember a key request only while an event waits for that key (bounded by MAX_KEPT).
        waited_for = (w.source.get("content", {}).get("session_id") for w in self.waiting.values())
        self._requested &= {str(session) for session in waited_for}
        return [(room_id, event) for _, room_id, event in sorted(decrypted, key=lambda d: d[0])]

    async def _request_key(self, room_id: str, event: MegolmEvent) -> None:
        """An `m.room_key_request` to the device that encrypted the event."""
        session_id = event.session_id
        if not session_id or session_id in self._requested or not event.device_id:
            return
        self._requested.add(session_id)
        event.room_id = room_id
        client = self.connection.client
        message = event.as_key_request(event.sender, client.device_id, device_id=event.device_id)
        try:
            await client.to_device(message)
        except TRANSPORT_ERRORS as error:
            logger.info("room key request for %s not sent: %s", event.event_id, error)
