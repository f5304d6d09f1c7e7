"""Putting Bryggan together: database, schema, directory and the core."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import Config
from bot.pulse_config import schedule_settings
from handlers.commands import Core, CoreSettings
from handlers.kernel import Clock, Store
from handlers.knowledge import (
    KNOWLEDGE_COMMAND,
    RESOLVED_COMMAND,
    SAVE_COMMAND,
    SEARCH_COMMAND,
)
from handlers.meetings import pulse_command
from handlers.statistics import STATISTICS_COMMAND
from storage.db import Database, make_engine, startup_lock, upgrade
from storage.directory import sync_directory

logger = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Bryggan:
    """One running Bryggan: its config, database and core, shared by every adapter."""

    config: Config
    database: Database
    core: Core

    @property
    def platforms(self) -> list[str]:
        """The chat platforms this process serves; the console when no other is enabled."""
        enabled = [p for p in ("slack", "matrix") if self.config.enabled(p)]
        return enabled or ["console"]

    @contextmanager
    def stores(self) -> Iterator[Store]:
        with self.database.transaction() as store:
            yield store


def build(config: Config, clock: Clock = system_clock, *, migrate: bool = True) -> Bryggan:
    """Open the database, apply migrations, load the directory and make the core."""
    database = Database(make_engine(config.database_url))
    with startup_lock(database.engine):
        if migrate:
            upgrade(database.engine)
        with database.session() as session:
            sync_directory(session, config.people, config.units)
    logger.info("database ready (%s)", database.engine.url.render_as_string(hide_password=True))
    settings = CoreSettings(max_text=config.max_text, retention_days=config.retention_days)
    core = Core(stores=database.transaction, clock=clock, settings=settings)
    app = Bryggan(config, database, core)
    core.registry.register(pulse_command(schedule_settings(config), tuple(app.platforms)))
    core.registry.register(STATISTICS_COMMAND)
    core.registry.register(KNOWLEDGE_COMMAND)
    core.registry.register(SEARCH_COMMAND)
    core.registry.register(SAVE_COMMAND)
    core.registry.register(RESOLVED_COMMAND)
    return app
