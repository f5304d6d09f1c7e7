"""A SQLite database held by another writer (a backup, a stuck process, a long job in this
one): a request waits a bounded time, then hears "try again in a moment" with nothing
written, well within Slack's three seconds; once the lock is gone it works again."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.kernel import texts
from storage.db import make_engine
from storage.models import OutboxRow, QuestionRow
from tests.support import Clock
from tests.support import test_config as config_for

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Hur påverkas SGI?"


@pytest.fixture
def sqlite_app(tmp_path: Path, clock: Clock) -> tuple[Bryggan, Path]:
    path = tmp_path / "bryggan.sqlite3"
    return build(config_for(f"sqlite:///{path}"), clock), path


def stored(app: Bryggan) -> tuple[int, int]:
    with app.database.session() as session:
        questions = session.scalar(select(func.count()).select_from(QuestionRow)) or 0
        posts = session.scalar(select(func.count()).select_from(OutboxRow)) or 0
    return questions, posts


def test_another_process_holding_the_write_lock(sqlite_app: tuple[Bryggan, Path]) -> None:
    app, path = sqlite_app
    other = sqlite3.connect(path, isolation_level=None)  # another process's connection
    other.execute("BEGIN IMMEDIATE")
    try:
        reply = app.core.handle(Request("console", "lisa", ASK))
        assert reply is not None and reply.text == texts.STORE_BUSY
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert stored(app) == (0, 0)
    again = app.core.handle(Request("console", "lisa", ASK))
    assert again is not None and again.accepted
    app.database.engine.dispose()


def test_a_long_unit_of_work_in_this_process(sqlite_app: tuple[Bryggan, Path]) -> None:
    app, _ = sqlite_app
    holding, done = threading.Event(), threading.Event()

    def long_job() -> None:
        with app.database.session():
            holding.set()
            done.wait(30)

    job = threading.Thread(target=long_job)
    job.start()
    try:
        holding.wait(10)
        reply = app.core.handle(Request("console", "lisa", ASK))
        assert reply is not None and reply.text == texts.STORE_BUSY
    finally:
        done.set()
        job.join(10)
    assert stored(app) == (0, 0)
    app.database.engine.dispose()


def test_a_table_locked_by_another_session_on_postgresql_or_sqlite(
    database_url: str, clock: Clock
) -> None:
    app = build(config_for(database_url), clock)
    other = make_engine(database_url)
    with other.connect() as holder:
        if database_url.startswith("postgresql"):
            holder.execute(text("LOCK TABLE questions IN ACCESS EXCLUSIVE MODE"))
        else:
            holder.execute(text("SELECT 1"))  # Bryggan's engine begins IMMEDIATE: the writer
        reply = app.core.handle(Request("console", "lisa", ASK))
        assert reply is not None and reply.text == texts.STORE_BUSY
        holder.rollback()
    assert stored(app) == (0, 0)
    again = app.core.handle(Request("console", "lisa", ASK))
    assert again is not None and again.accepted
    other.dispose()
    app.database.engine.dispose()
