"""Which process runs the scheduled jobs, and keeping SQLite to one process.

Several `bryggan run` processes may share one PostgreSQL database (replicas, for
availability). Each scheduled job is claimed once in `job_runs` anyway, but only one of
them, the leader, runs the scheduler: the one holding a session advisory lock on a
connection it keeps for that. When the leader dies the server drops its connection and
the lock with it, and the next replica to ask becomes leader.

SQLite cannot be shared safely by several bot processes, so there is always one leader
and `sole_process` refuses a second `bryggan run` on the same file (a lock file beside it,
with the `filelock` library). Command-line tools (`bryggan purge`, `outbox`, `report`) are
not bot processes and do not take it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, exc, make_url, text

logger = logging.getLogger(__name__)

SCHEDULER_LOCK = 0x42525953
"""The advisory lock key ("BRYS") whose holder runs the scheduled jobs."""


PRESENCE_LOCK = 0x42525950
"""The advisory lock key ("BRYP") every running bot process holds shared."""


class Presence:
    """The bot processes on one database. Each holds a shared advisory lock while it runs;
    `join` first tries the lock exclusively, which succeeds only when no other bot process
    runs: then the outbox leases left by a killed process can be released at once instead
    of expiring. On SQLite a bot process is always alone (`sole_process`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: Connection | None = None

    def join(self) -> bool:
        """Join the running processes; True when there were none."""
        if self.engine.dialect.name != "postgresql":
            return True
        connection = self.engine.connect()
        key = {"key": PRESENCE_LOCK}
        alone = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar_one()
        )
        if alone:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), key)
        connection.commit()
        self._held = connection
        return alone

    def leave(self) -> None:
        if self._held is not None:
            _release(self._held, "SELECT pg_advisory_unlock_shared(:key)", PRESENCE_LOCK)
            self._held = None


def _release(connection: Connection, unlock: str, key: int) -> None:
    """Unlock and give the connection back. (Closing alone would return it to the pool
    with the session, and a session's advisory locks, still alive.)"""
    try:
        connection.execute(text(unlock), {"key": key})
        connection.commit()
        connection.close()
    except exc.DBAPIError:
        connection.invalidate()  # the session is gone, and its locks with it


def lock_key(name: str) -> int:
    """A stable advisory lock key for `name` (a signed 64-bit integer)."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SecondProcess(Exception):
    """Another bot process already uses this SQLite database."""


class Leadership:
    """`leads()` is True while this process is the leader; it tries to become leader when
    it is not. Thread-safe. `key` names what is led (the scheduled jobs by default; see
    `lock_key` for others, such as one Matrix account's sync)."""

    def __init__(self, engine: Engine, key: int = SCHEDULER_LOCK) -> None:
        self.engine = engine
        self.key = key
        self._held: Connection | None = None
        self._lock = threading.Lock()

    def leads(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        with self._lock:
            if self._held is not None and self._alive(self._held):
                return True
            self._held = None
            try:
                connection = self.engine.connect()
            except exc.DBAPIError:
                logger.warning("database unreachable: not leading the scheduled jobs for now")
                return False
            try:
                taken = connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                ).scalar_one()
                connection.commit()
            except exc.DBAPIError:
                connection.close()
                logger.warning("database unreachable: not leading the scheduled jobs for now")
                return False
            if taken:
                self._held = connection
                return True
            connection.close()
            return False

    def resign(self) -> None:
        """Give the lead up (at shutdown), so that another replica takes over at once."""
        with self._lock:
            if self._held is not None:
                _release(self._held, "SELECT pg_advisory_unlock(:key)", self.key)
                self._held = None

    @staticmethod
    def _alive(connection: Connection) -> bool:
        try:
            connection.execute(text("SELECT 1"))
            connection.commit()
        except exc.DBAPIError:
            logger.warning("lost the database connection that held the scheduler's lead")
            connection.invalidate()
            return False
        return True


@contextmanager
def sole_process(database_url: str) -> Iterator[None]:
    """Held while a bot process runs on a SQLite file; raises `SecondProcess` when another
    one already does. Does nothing for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    lock = FileLock(f"{Path(url.database).resolve()}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout as error:
        raise SecondProcess(url.database) from error
    try:
        yield
    finally:
        lock.release()
