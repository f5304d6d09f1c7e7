"""Why the due job queued a post, noted for the check at send time (`recheck`).

The note is a row in `adapter_state` keyed by a digest of the outbox entry's own fields
(platform, kind, when, where, to whom, text), so no schema change is needed and the outbox
can find it from the entry alone."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any, cast

from handlers.kernel import Store

logger = logging.getLogger(__name__)


def state_key(
    *, platform: str, kind: str, at: datetime, text: str | None, channel: Any, recipient: Any
) -> str:
    """The `adapter_state` key of an entry's note (seconds only: a timestamp may come back
    from the database with less precision)."""
    moment = at.astimezone(UTC).replace(microsecond=0).isoformat()
    fields = "\x1f".join(map(str, (platform, kind, moment, channel, recipient, text)))
    return "recheck:" + hashlib.sha1(fields.encode(), usedforsecurity=False).hexdigest()


MARKS = ("⏰", "⚠", "📋", "📅")
"""How every post the due job queues begins (its reminders, escalations, digests, agendas
and holiday notices): the outbox looks for a note only behind these, so other posts cost
no extra read."""


def may_have_note(text: str | None) -> bool:
    """Whether a post may carry a note (see `MARKS`)."""
    return text is not None and text.startswith(MARKS)


def enqueue_noted(store: Store, purpose: str, **fields: Any) -> None:
    """`store.enqueue(**fields)`, noting `purpose` for the check at send time."""
    store.enqueue(**fields)
    if not may_have_note(fields.get("text")):  # a text changed: sent, but not checked again
        logger.error("post for %s does not begin with one of %s: not noted", purpose, MARKS)
        return
    key = state_key(
        platform=fields["platform"],
        kind=str(fields["kind"]),
        at=fields["at"],
        text=fields.get("text"),
        channel=fields.get("channel"),
        recipient=fields.get("recipient_id"),
    )
    store.set_state(key=key, value=purpose)


class _Noting:
    """The store, with every post it queues noted with one purpose."""

    def __init__(self, store: Store, purpose: str) -> None:
        self._store = store
        self._purpose = purpose

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def enqueue(self, **fields: Any) -> None:
        enqueue_noted(self._store, self._purpose, **fields)


def noting(store: Store, purpose: str) -> Store:
    """The store seen through `_Noting`, for code that queues posts itself."""
    return cast(Store, _Noting(store, purpose))
