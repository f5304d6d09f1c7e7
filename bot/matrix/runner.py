"""Starting and stopping the Matrix adapter: the sync thread and the outbox pump.

`start_matrix(app)` is what `bryggan run` calls; `MatrixService` is the same thing with
its parts in reach (tests wait on `service.bot.ready`). With several processes on one
PostgreSQL database one of them syncs a bot account and the others stand by
(`MatrixStandby`): two syncs of one account would answer every command twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from bot.matrix.bot import MatrixBot
from bot.matrix.config import MatrixSettings, matrix_settings
from bot.matrix.messenger import MatrixMessenger
from bot.outbox_pump import OutboxPump
from bot.wiring import Bryggan
from handlers.delivery import OutboxSender
from storage.leadership import Leadership, lock_key

logger = logging.getLogger(__name__)


class MatrixService:
    """The running adapter: bot (sync thread) plus outbox pump, wired to the core."""

    def __init__(self, app: Bryggan, settings: MatrixSettings, *, drain_interval: float = 2.0):
        self.app = app
        self.settings = settings
        self.bot = MatrixBot(app, settings)
        bot = self.bot
        self.messenger = MatrixMessenger(
            bot.loop,
            bot.connection,
            bot.direct,
            bot.txn_ids,
            registry=app.core.registry,
            turns=bot.handler.turns,
        )
        self.sender = OutboxSender(
            app.core.stores, self.messenger, app.core.clock, platforms=app.platforms
        )
        # Nothing goes out before the first sync: until then nio does not know the rooms.
        self.pump = OutboxPump(self.sender, drain_interval, ready=bot.ready)

    def start(self) -> None:
        self.app.core.before_commit.append(self.bot.handler.kept.keep)
        self.bot.start()
        self.app.core.on_commit.append(self.pump.wake)
        self.pump.start()

    def stop(self) -> None:
        """Let an in-flight post finish, then stop syncing."""
        if self.pump.wake in self.app.core.on_commit:
            self.app.core.on_commit.remove(self.pump.wake)
        self.pump.stop()
        self.bot.stop()
        if self.bot.handler.kept.keep in self.app.core.before_commit:
            self.app.core.before_commit.remove(self.bot.handler.kept.keep)


class MatrixStandby:
    """Runs a `MatrixService` while this process holds its bot account's lock; asks every
    `interval` seconds, so another process takes over when the syncing one stops."""

    def __init__(self, app: Bryggan, settings: MatrixSettings, interval: float = 15.0) -> None:
        self.app = app
        self.settings = settings
        self.interval = interval
        self.owner = Leadership(app.database.engine, lock_key(f"matrix:{settings.user_id}"))
        self.service: MatrixService | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="matrix-standby", daemon=True)

    def start(self) -> MatrixStandby:
        self.check()
        self._thread.start()
        return self

    def check(self) -> None:
        leads = self.owner.leads()
        if leads and self.service is None:
            self.service = MatrixService(self.app, self.settings)
            self.service.start()
            logger.warning("this process syncs Matrix for %s", self.settings.user_id)
        elif not leads and self.service is not None:
            self.service.stop()
            self.service = None
            logger.warning("another process syncs Matrix for %s now", self.settings.user_id)
        elif not leads:
            logger.info("standing by: another process syncs Matrix for %s", self.settings.user_id)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self.service is not None:
            self.service.stop()
            self.service = None
        self.owner.resign()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.check()
            except Exception:
                logger.exception("checking who syncs Matrix failed")


def start_matrix(app: Bryggan, env: Mapping[str, str] | None = None) -> Callable[[], None]:
    """Start the Matrix adapter from the `[matrix]` table (or stand by while another
    process syncs the same account); returns its stop function."""
    standby = MatrixStandby(app, matrix_settings(app.config, env)).start()
    logger.info("Matrix adapter started for %s", standby.settings.user_id)
    return standby.stop
