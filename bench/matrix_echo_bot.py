"""The baseline of `bench/bench_matrix.py`: a minimal matrix-nio echo bot.

It is the bot nio's own examples describe: `sync_forever` with an event callback that
answers every `!` message with a notice replying to it (the body echoed), joining the
rooms it is invited to. No database, no core. Its sync is set up like Bryggan's: the same
long-poll timeout, the same timeline filter, full state on the first sync, and in
encrypted rooms the same nio crypto (keys shared with unverified devices).

    python -m bench.matrix_echo_bot <homeserver> <user_id> <device_id> [store_dir]

The access token comes from `ECHO_BOT_TOKEN`; with `store_dir` the bot has end-to-end
encryption. It runs until it is terminated.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText

SYNC_TIMEOUT_MS = 30_000
"""Bryggan's default `sync_timeout_seconds`."""
TIMELINE_LIMIT = 50
"""Bryggan's default `timeline_limit`."""


async def echo(homeserver: str, user_id: str, device_id: str, store: str | None) -> None:
    config = AsyncClientConfig(encryption_enabled=store is not None, store_sync_tokens=False)
    if store:
        os.makedirs(store, exist_ok=True)
    client = AsyncClient(homeserver, user_id, store_path=store or "", config=config)
    client.restore_login(user_id, device_id, os.environ["ECHO_BOT_TOKEN"])

    async def on_message(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == user_id or not event.body.startswith("!"):
            return
        content: dict[str, Any] = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.mentions": {},
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await client.room_send(
            room.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == user_id and event.membership == "invite":
            await client.join(room.room_id)

    client.add_event_callback(on_message, RoomMessageText)
    client.add_event_callback(on_invite, InviteMemberEvent)
    try:
        await client.sync_forever(
            timeout=SYNC_TIMEOUT_MS,
            sync_filter={"room": {"timeline": {"limit": TIMELINE_LIMIT}}},
            full_state=True,
        )
    finally:
        await client.close()


def main() -> None:
    homeserver, user_id, device_id, *store = sys.argv[1:]
    asyncio.run(echo(homeserver, user_id, device_id, store[0] if store else None))


if __name__ == "__main__":
    main()
