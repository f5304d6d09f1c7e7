"""Replies first: a person's answer goes out before the posts their command caused.

When `!fråga` commits, two things want the homeserver at once: the reply the person is
waiting for ("F-… är registrerad"), sent by the sync loop, and the card, sent by the
outbox worker. Sent together they compete for the same room (a homeserver persists a
room's events one at a time) and the reply arrives later. So before each post the outbox
waits for the replies that were under way at that moment: at most those, never for the
sync loop to fall idle, so a burst of commands delays posts but cannot starve them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReplyTurns:
    """Counts replies started and finished; `wait()` lets the ones under way finish."""

    def __init__(self, max_wait: float = 5.0) -> None:
        self.max_wait = max_wait
        self._changed = threading.Condition()
        self._started = 0
        self._finished = 0

    @contextmanager
    def replying(self) -> Iterator[None]:
        """Around handling one message, from before the core runs until its reply is out."""
        with self._changed:
            self._started += 1
        try:
            yield
        finally:
            with self._changed:
                self._finished += 1
                self._changed.notify_all()

    def wait(self) -> bool:
        """Block (in the outbox worker) until every reply under way now has gone out, or
        `max_wait` seconds; False on the timeout."""
        with self._changed:
            target = self._started
            return self._changed.wait_for(lambda: self._finished >= target, self.max_wait)
