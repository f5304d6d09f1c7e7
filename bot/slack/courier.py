"""Keeping bolt's listener threads free, so that every request is acknowledged in time.

bolt runs listeners on a small thread pool and waits up to 3 seconds for each to call
`ack()`. A listener that then calls Slack (an ephemeral, `views.open`, a DM) holds its
thread for as long as Slack takes, rate limits included; five such calls used to leave
the next request unacknowledged while it still ran later. So:

* `Courier` makes the Web API calls that answer a request on its own bounded pool; a
  listener hands them over and returns at once.
* `ListenerPool` is bolt's listener pool, but a listener that waited longer than
  `ACK_DEADLINE` for a thread is not run: Slack has already shown the user an error, and
  running it later would make the user's retry a duplicate.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

ACK_DEADLINE = 2.5
"""Seconds a listener may wait for a thread and still acknowledge within Slack's 3."""


class Courier:
    """Runs Web API calls that follow a request, `workers` at a time, at most `backlog`
    waiting (beyond that a reply is dropped with a warning; nothing durable is lost: cards
    and notices go through the outbox)."""

    def __init__(self, workers: int = 8, backlog: int = 500) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="slack-courier")
        self._room = threading.BoundedSemaphore(backlog)

    def send(self, what: str, call: Callable[[], object]) -> None:
        """Run `call` soon on a courier thread; `what` names it in the log if it fails."""
        if not self._room.acquire(blocking=False):
            logger.warning("too many Slack replies waiting: %s dropped", what)
            return

        def run() -> None:
            try:
                call()
            except Exception:
                logger.exception("Slack call %s failed", what)
            finally:
                self._room.release()

        self._pool.submit(run)

    def stop(self) -> None:
        """Finish what was handed over, then stop."""
        self._pool.shutdown(wait=True)


class ListenerPool(ThreadPoolExecutor):
    """bolt's `listener_executor`: skips a listener that waited past `deadline` seconds."""

    def __init__(
        self,
        workers: int = 5,
        deadline: float = ACK_DEADLINE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(workers, thread_name_prefix="slack-listener")
        self.deadline = deadline
        self.clock = clock

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        queued = self.clock()

        def run() -> Any:
            waited = self.clock() - queued
            if waited > self.deadline:
                logger.warning(
                    "a Slack request waited %.1f s for a listener thread: not handled "
                    "(Slack has already told the user it failed)",
                    waited,
                )
                return None
            return fn(*args, **kwargs)

        return super().submit(run)
