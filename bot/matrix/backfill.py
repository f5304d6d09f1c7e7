"""Catching up after downtime: the events a cut-short sync left out, back to the saved token.

When a room had more events than `timeline_limit` while the bot was away, the sync says
so (`limited`) and gives a `prev_batch` token. The events between that token and the
bot's last saved one are read from `/messages`, 100 per page, until the saved token is
reached. `backfill_pages` bounds this for a room that had a flood of events; reaching it
is a WARNING that names the room and the part of its history that was not read.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from nio import MessageDirection, RoomMessagesResponse

from bot.matrix.client import Connection

logger = logging.getLogger(__name__)

PAGE = 100


async def backfill(
    connection: Connection, room_id: str, prev_batch: str, since: str | None, max_pages: int
) -> list[Any]:
    """The events between `since` (the saved token) and `prev_batch`, oldest first."""
    events: list[Any] = []
    start = prev_batch
    for _ in range(max_pages):
        page = await connection.call(
            connection.client.room_messages(
                room_id, start=start, end=since, direction=MessageDirection.back, limit=PAGE
            ),
            RoomMessagesResponse,
            f"messages in {room_id}",
        )
        events.extend(page.chunk)
        if not page.chunk or not page.end or page.end == start:
            break
        start = page.end
    else:
        _warn_gap(room_id, events, max_pages)
    logger.info("caught up on %d earlier events in %s", len(events), room_id)
    events.reverse()
    return events


def _warn_gap(room_id: str, events: list[Any], max_pages: int) -> None:
    oldest = events[-1] if events else None
    at_ms = getattr(oldest, "server_timestamp", None)
    when = (
        datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="seconds")
        if isinstance(at_ms, int)
        else "an unknown time"
    )
    logger.warning(
        "backfill of %s stopped at its limit (backfill_pages = %d, %d events read): the "
        "events sent there before %s (before event %s) back to the bot's last sync were "
        "not read; commands among them are not answered. Raise backfill_pages to read more.",
        room_id,
        max_pages,
        len(events),
        when,
        getattr(oldest, "event_id", "?"),
    )
