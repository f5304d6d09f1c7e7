"""A background thread that drains Slack's outbox: at start, whenever the core commits a
Slack command, and every few seconds (for retries and posts queued by scheduled jobs)."""

from __future__ import annotations

import logging
import threading

from handlers.outbox import OutboxSender

logger = logging.getLogger(__name__)


class OutboxPump:
    """Runs `sender.drain()` in one daemon thread; `wake()` is cheap and thread-safe."""

    def __init__(self, sender: OutboxSender, interval: float = 5.0) -> None:
        self.sender = sender
        self.interval = interval
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self, platform: str = "slack") -> None:
        """Ask for a drain now; the core's `on_commit` calls this with the platform name."""
        if platform == self.sender.messenger.platform:
            self._wake.set()

    def start(self) -> OutboxPump:
        """Start the thread; its first drain delivers everything pending since last run."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="slack-outbox", daemon=True)
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
            self._wake.clear()
            try:
                self.sender.drain()
            except Exception:
                logger.exception("draining the Slack outbox failed; trying again shortly")
            self._wake.wait(self.interval)
