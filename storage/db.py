"""Engine, transactions and migrations."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from handlers.kernel import StoreBusy
from storage.directory_cache import DirectoryCache
from storage.repository import SqlStore

MIGRATIONS = Path(__file__).parent / "migrations"

BUSY_WAIT = 2.0
"""Seconds a unit of work waits for SQLite's writer before `StoreBusy`: well under 3."""

POOL_SIZE = 12
"""PostgreSQL connections kept open: Slack's listener threads (5), Matrix's handlers, the
outboxes (one per platform), the scheduler, the health check and a few spare."""

UNREACHABLE = (exc.OperationalError, exc.InterfaceError)
"""What a database that cannot be reached or opened raises, for the CLI to answer in one line."""


def where(url: str) -> str:
    """The database a URL names, for a message: no password, no driver."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    host = f"{parsed.host or 'localhost'}:{parsed.port}" if parsed.port else parsed.host or ""
    return f"{parsed.get_backend_name()}://{host}/{parsed.database or ''}"


def make_engine(url: str, **options: Any) -> Engine:
    """An engine that never puts statement parameters (free text) into error messages."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"check_same_thread": False, "timeout": BUSY_WAIT})
    else:
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_timeout", BUSY_WAIT)
        # Kept connections for every thread that works at once (POOL_SIZE), so that none is
        # opened and closed per request; psycopg prepares a statement on a connection after
        # its fifth use (prepare_threshold), so kept connections also run prepared ones.
        options.setdefault("pool_size", POOL_SIZE)
        options.setdefault("max_overflow", POOL_SIZE)
    engine = create_engine(url, hide_parameters=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_lock_timeout)
    return engine


def _postgres_lock_timeout(connection: Any, _record: Any) -> None:
    """A row or table lock is waited for at most BUSY_WAIT, so a request is answered in
    time; migrations and the start-up lock lift the limit for their own transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(BUSY_WAIT * 1000)}ms'")
    connection.commit()


def _unlimited_lock_wait(connection: Connection) -> None:
    """For this transaction only: wait for locks as long as it takes (PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL lock_timeout = 0"))


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # The sqlite3 module left to itself emits BEGIN only before the first INSERT, UPDATE or
    # DELETE. A SAVEPOINT before that (`claim_event`, `claim_job`) then opened the
    # transaction itself, and its RELEASE committed at once: the claim survived a rollback
    # or a crash of the rest, and the event was dropped as handled ever after. So
    # transactions are begun explicitly (`_sqlite_begin`), as SQLAlchemy documents.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_WAIT * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """IMMEDIATE: take the write lock at the start, so that a transaction that reads and
    then writes waits for another process's writer (busy_timeout) instead of failing."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


STARTUP_LOCK = 0x42525947
"""The PostgreSQL advisory lock key ("BRYG") held while a process migrates and syncs."""


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Held while a starting process migrates the schema and syncs the directory, so that
    replicas started together take turns instead of creating the same tables at once. On
    PostgreSQL a session advisory lock (released by the server if the process dies); SQLite
    serialises these transactions already (BEGIN IMMEDIATE)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        _unlimited_lock_wait(connection)
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema with Alembic (imported only when there is work for it:
    a schema already at the newest revision is left alone without loading Alembic)."""
    if revision == "head" and _at_head(engine):
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        _unlimited_lock_wait(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


_REVISION = re.compile(r'^(down_)?revision(?:: [^=]+)? = ["\']?([\w]+|None)["\']?', re.M)


def head_revision() -> str | None:
    """The newest migration: the one no other names as its `down_revision` (read from the
    files' text, not through Alembic). None when that is not a single one."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """Whether the database's schema is at the newest migration already."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version"))
            return [row[0] for row in current] == [head]
    except exc.DBAPIError:  # no schema yet
        return False


def _busy(error: exc.OperationalError) -> bool:
    """SQLite's "database is locked", or PostgreSQL's lock_timeout (55P03)."""
    if getattr(error.orig, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(error.orig) or "database is busy" in str(error.orig)


class Database:
    """Opens one transaction per unit of work: commit on success, roll back on error.

    A unit of work waits at most `BUSY_WAIT` seconds for what it needs: on SQLite the
    writer (another of our threads, or another process such as a backup), on PostgreSQL a
    row or table lock or a pooled connection. Then it raises `StoreBusy`, so that a request
    is answered "try again in a moment" within Slack's 3 seconds, with nothing written."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.directory = DirectoryCache()
        """The directory (people, units, categories …) kept in memory; see its module."""
        self.directory.watch(self._sessions)
        # SQLite has one writer at a time; queue our own threads instead of meeting
        # "database is locked" when two deferred transactions both want to write.
        self._lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self._lock is not None and not self._lock.acquire(timeout=BUSY_WAIT):
            raise StoreBusy(f"another unit of work held the database for {BUSY_WAIT:g} s")
        try:
            with self._sessions.begin() as session:
                yield session
        except exc.TimeoutError as error:  # no pooled connection came free in time
            raise StoreBusy(str(error)) from error
        except exc.OperationalError as error:
            if _busy(error):
                raise StoreBusy(str(error.orig)) from error
            raise
        finally:
            if self._lock is not None:
                self._lock.release()

    @contextmanager
    def transaction(self) -> Iterator[SqlStore]:
        with self.session() as session:
            yield SqlStore(session, self.directory)
