"""The directory in memory: people, identities, units, channels, contacts and categories.

Every question used to read them again (nine of its seventeen statements). They change
rarely: at start and on a config reload (`sync_directory`) and with `/kategori`. So one
`Directory` snapshot is read once per process and kept until one of those tables is
written:

* in this process, any write to them through a session of the `Database` (ORM objects or
  DML statements, seen by session events) marks the transaction; when it commits, the
  snapshot is dropped and the next request reads a new one. The writing transaction itself
  reads the tables directly, so it sees its own change.
* with several processes on one database (replicas), the writing transaction also stores a
  new random version in `adapter_state` (`VERSION_KEY`); each process reads that one row at
  most every `recheck` seconds (default 1 s) and reloads when it changed. A change made by
  another replica is seen within that second; a per-request check would cost a statement
  (a round trip on PostgreSQL) on every question.

Absences and open counts change per request and are never kept here.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from handlers.kernel import Category, Direction, Person, Role, Unit, UnitContact
from storage.models import (
    CategoryRow,
    IdentityRow,
    PersonRow,
    StateRow,
    UnitChannelRow,
    UnitContactRow,
    UnitRow,
)

VERSION_KEY = "directory:version"
CHANGED = "bryggan.directory_changed"
"""`Session.info` key: this transaction wrote a directory table."""
_ROWS = (PersonRow, IdentityRow, UnitRow, UnitChannelRow, UnitContactRow, CategoryRow)
_TABLES = frozenset(row.__tablename__ for row in _ROWS)


@dataclass(frozen=True)
class Directory:
    """One consistent reading of the directory tables, indexed as the store looks them up."""

    version: str | None
    people: dict[int, Person]
    active_people: tuple[int, ...]
    person_keys: dict[str, int]
    by_identity: dict[tuple[str, str], int]
    identities: dict[tuple[int, str], str]
    defaults: dict[int, dict[str, str]]
    units: dict[int, Unit]
    active_units: tuple[int, ...]
    contacts: tuple[UnitContact, ...]
    channels: dict[tuple[int, str], str]
    by_channel: dict[tuple[str, str], int]
    categories: tuple[Category, ...]
    """Every category, active or not, in the order they are shown."""


def to_person(row: PersonRow) -> Person:
    roles = frozenset(Role(r) for r in row.roles.split(",") if r)
    return Person(row.id, row.key, row.name, roles)


def read_version(session: Session) -> str | None:
    return session.scalar(select(StateRow.value).where(StateRow.key == VERSION_KEY))


def load_directory(session: Session, version: str | None) -> Directory:
    """Read the six tables (six statements) into one snapshot."""
    people = list(session.scalars(select(PersonRow).order_by(PersonRow.id)))
    identities = list(session.scalars(select(IdentityRow).order_by(IdentityRow.id)))
    units = list(session.scalars(select(UnitRow).order_by(UnitRow.id)))
    contacts = session.scalars(
        select(UnitContactRow).order_by(UnitContactRow.position, UnitContactRow.id)
    )
    channels = list(session.scalars(select(UnitChannelRow).order_by(UnitChannelRow.id)))
    categories = session.scalars(
        select(CategoryRow).order_by(CategoryRow.position, CategoryRow.slug)
    )
    active = {p.id for p in people if p.active}
    by_identity: dict[tuple[str, str], int] = {}
    for identity in identities:
        if identity.person_id in active:
            by_identity.setdefault((identity.platform, identity.identity), identity.person_id)
    by_channel: dict[tuple[str, str], int] = {}
    for channel in channels:
        by_channel.setdefault((channel.platform, channel.channel), channel.unit_id)
    return Directory(
        version=version,
        people={p.id: to_person(p) for p in people},
        active_people=tuple(p.id for p in people if p.active),
        person_keys={p.key: p.id for p in people},
        by_identity=by_identity,
        identities={(i.person_id, i.platform): i.identity for i in reversed(identities)},
        defaults={
            p.id: {
                k: v
                for k, v in {"enhet": p.default_unit, "riktning": p.default_direction}.items()
                if v
            }
            for p in people
        },
        units={u.id: Unit(u.id, u.slug, u.name) for u in units},
        active_units=tuple(u.id for u in units if u.active),
        contacts=tuple(
            UnitContact(c.unit_id, c.person_id, Direction(c.direction), c.backup) for c in contacts
        ),
        channels={(c.unit_id, c.platform): c.channel for c in reversed(channels)},
        by_channel=by_channel,
        categories=tuple(Category(c.slug, c.name, c.active) for c in categories),
    )


class DirectoryCache:
    """The kept snapshot of one database, shared by its threads (see the module)."""

    def __init__(self, recheck: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.recheck = recheck
        self.clock = clock
        self._lock = threading.Lock()
        self._snapshot: Directory | None = None
        self._checked = 0.0
        self._generation = 0

    def get(self, session: Session) -> Directory:
        """The snapshot, read in `session` when there is none or the version moved on."""
        now, snapshot, generation = self.clock(), self._snapshot, self._generation
        if snapshot is not None and now - self._checked < self.recheck:
            return snapshot
        version = read_version(session)
        if snapshot is None or snapshot.version != version:
            snapshot = load_directory(session, version)
        with self._lock:
            if generation == self._generation:  # no commit changed it while we read
                self._snapshot, self._checked = snapshot, now
        return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._snapshot = None

    def watch(self, sessions: sessionmaker[Session]) -> None:
        """Follow every session `sessions` makes: a transaction that writes a directory
        table stores a new version before it commits and drops the snapshot after."""
        event.listen(sessions, "before_flush", _note_flushed)
        event.listen(sessions, "do_orm_execute", _note_statement)
        event.listen(sessions, "before_commit", _bump_version)
        event.listen(sessions, "after_commit", self._after_commit)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(CHANGED, False):
            self.invalidate()


def _note_flushed(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(CHANGED):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _ROWS):
            session.info[CHANGED] = True
            return


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if isinstance(table, Table) and table.name in _TABLES:
        state.session.info[CHANGED] = True


def _bump_version(session: Session) -> None:
    """A new version for the other processes, in the transaction that changed it."""
    session.flush()  # a pending write decides whether there is a change
    if not session.info.get(CHANGED):
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    value = uuid.uuid4().hex
    statement = insert(StateRow).values(key=VERSION_KEY, value=value)
    session.execute(
        statement.on_conflict_do_update(index_elements=[StateRow.key], set_={"value": value})
    )
