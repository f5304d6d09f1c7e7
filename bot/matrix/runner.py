"""Starting and stopping the Matrix adapter: the sync thread and the outbox worker.

`start_matrix(app)` is what `bryggan run` calls; `MatrixService` is the same thing with
its parts in reach (tests wait on `service.bot.ready`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from bot.matrix.bot import MatrixBot
from bot.matrix.config import MatrixSettings, matrix_settings
from bot.matrix.messenger import MatrixMessenger, MatrixOutboxSender
from bot.wiring import Bryggan

logger = logging.getLogger(__name__)


class OutboxWorker:
    """Drains the Matrix outbox in its own thread: when a command commits, every
    `interval` seconds for retries that fall due, and once the first sync is done."""

    def __init__(
        self, sender: MatrixOutboxSender, ready: threading.Event, interval: float = 2.0
    ) -> None:
        self.sender = sender
        self.ready = ready
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="matrix-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self, _platform: str = "") -> None:
        """Drain soon (a command on any platform may have queued a Matrix post)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.ready.wait(self.interval):
                continue
            try:
                self.sender.drain()
            except Exception:
                logger.exception("draining the Matrix outbox failed")
            self._wake.wait(self.interval)
            self._wake.clear()


class MatrixService:
    """The running adapter: bot (sync thread) plus outbox worker, wired to the core."""

    def __init__(self, app: Bryggan, settings: MatrixSettings, *, drain_interval: float = 2.0):
        self.app = app
        self.settings = settings
        self.bot = MatrixBot(app, settings)
        self.messenger = MatrixMessenger(
            self.bot.loop, self.bot.connection, self.bot.direct, self.bot.txn_ids
        )
        self.sender = MatrixOutboxSender(
            app.core.stores, self.messenger, app.core.clock, self.bot.handler.turns
        )
        self.worker = OutboxWorker(self.sender, self.bot.ready, drain_interval)

    def start(self) -> None:
        self.app.core.before_commit.append(self.bot.handler.kept.keep)
        self.bot.start()
        self.app.core.on_commit.append(self.worker.wake)
        self.worker.start()

    def stop(self) -> None:
        """Let an in-flight post finish, then stop syncing."""
        if self.worker.wake in self.app.core.on_commit:
            self.app.core.on_commit.remove(self.worker.wake)
        self.worker.stop()
        self.bot.stop()
        if self.bot.handler.kept.keep in self.app.core.before_commit:
            self.app.core.before_commit.remove(self.bot.handler.kept.keep)


def start_matrix(app: Bryggan, env: Mapping[str, str] | None = None) -> Callable[[], None]:
    """Start the Matrix adapter from the `[matrix]` table; returns its stop function."""
    service = MatrixService(app, matrix_settings(app.config, env))
    service.start()
    logger.info("Matrix adapter started for %s", service.settings.user_id)
    return service.stop
