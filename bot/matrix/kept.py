"""Replies kept until they are out, so that a crash cannot swallow one.

The core commits a command, then the bot sends the reply. Killed in between, the bot
would replay the event after the restart, the core would drop it as already handled
(`None`), and the person would never hear that their question was registered. So the
reply is written in the command's own transaction (`Core.before_commit`) and deleted
with the sync token of its batch, when it is certainly out. A replayed event whose reply
is still kept gets it sent again, under the same transaction id: if the first send did
reach the homeserver, the homeserver returns that event instead of a second one.

A kept reply lives for one sync batch (milliseconds) unless the bot dies; it may hold
free text (`!visa` answers with the thread), which is why it is never kept longer.
"""

from __future__ import annotations

import hashlib
import json

from handlers.commands import Request
from handlers.kernel import Reply, Store

PLATFORM = "matrix"


class KeptReplies:
    """The replies of the current sync batch, by event id, in the adapter_state table."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.handled: list[str] = []
        """Events handled in the current batch: their kept replies go with its token."""

    def key(self, event_id: str) -> str:
        """≤ 120 characters, whatever the event id (the prefix is at most 98)."""
        return f"{self.prefix}re:{hashlib.sha256(event_id.encode()).hexdigest()[:16]}"

    def keep(self, store: Store, request: Request, reply: Reply) -> None:
        """The core's `before_commit` hook: keep a Matrix event's reply with its commit."""
        if request.platform == PLATFORM and request.event_id:
            value = json.dumps({"text": reply.text, "ref": reply.ref, "field": reply.field})
            store.set_state(key=self.key(request.event_id), value=value)

    def kept(self, store: Store, event_id: str) -> Reply | None:
        """The reply kept for an event handled before a crash, if it may not be out."""
        value = store.get_state(key=self.key(event_id))
        if value is None:
            return None
        saved = json.loads(value)
        return Reply(saved["text"], ref=saved["ref"], field=saved["field"])

    def settle(self, store: Store) -> None:
        """Forget the replies of the batch just finished (in its token's transaction)."""
        for event_id in self.handled:
            store.delete_state(key=self.key(event_id))
        self.handled.clear()
