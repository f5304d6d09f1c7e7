"""Starting and stopping the Matrix adapter: the sync thread and the outbox pump.

`start_matrix(app)` is what `bryggan run` calls; `MatrixService` is the same thing with
its parts in reach (tests wait on `service.bot.ready`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from bot.matrix.bot import MatrixBot
from bot.matrix.config import MatrixSettings, matrix_settings
from bot.matrix.messenger import MatrixMessenger
from bot.outbox_pump import OutboxPump
from bot.wiring import Bryggan
from handlers.delivery import OutboxSender

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
        self.sender = OutboxSender(app.core.stores, self.messenger, app.core.clock)
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


def start_matrix(app: Bryggan, env: Mapping[str, str] | None = None) -> Callable[[], None]:
    """Start the Matrix adapter from the `[matrix]` table; returns its stop function."""
    service = MatrixService(app, matrix_settings(app.config, env))
    service.start()
    logger.info("Matrix adapter started for %s", service.settings.user_id)
    return service.stop
