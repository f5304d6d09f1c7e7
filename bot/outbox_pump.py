"""`OutboxPump`: the thread that delivers one platform's outbox, for Slack and Matrix alike.

One wake-up rule: a drain at start (everything pending since the last run), whenever the
core commits (`wake`, registered in the core's `on_commit`), and every `interval` seconds
for retries that fall due and posts queued by scheduled jobs. A platform that cannot post
before it is connected (Matrix, until its first sync) passes a `ready` event: nothing is
drained before it is set.
"""

from __future__ import annotations

import logging
import threading

from handlers.delivery import OutboxSender

logger = logging.getLogger(__name__)


class OutboxPump:
    """Runs `sender.drain()` in one daemon thread; `wake()` is cheap and thread-safe."""

    def __init__(
        self,
        sender: OutboxSender,
        interval: float,
        *,
        ready: threading.Event | None = None,
    ) -> None:
        self.sender = sender
        self.interval = interval
        self.ready = ready
        self.platform = sender.messenger.platform
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self, platform: str = "") -> None:
        """Drain now. The core's `on_commit` calls this with the platform of the command,
        but a command may queue posts for another one (a Slack user claiming a question
        asked on Matrix updates its Matrix card), so every commit wakes every pump; a
        drain with nothing due is one short query."""
        self._wake.set()

    def start(self) -> OutboxPump:
        """Start the thread; its first drain delivers everything pending since last run."""
        if self._thread is None:
            name = f"{self.platform}-outbox"
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current drain (a post in flight is finished, not cut off)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            if self.ready is not None and not self.ready.wait(self.interval):
                continue
            self._wake.clear()
            try:
                self.sender.drain()
            except Exception:
                logger.exception(
                    "draining the %s outbox failed; trying again shortly", self.platform
                )
            self._wake.wait(self.interval)
