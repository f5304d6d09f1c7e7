"""Fixtures: a real database (SQLite always, PostgreSQL when BRYGGAN_TEST_POSTGRES_URL is
set), and a Bryggan wired to it with a hand-moved clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from bot.wiring import Bryggan, build
from storage.db import make_engine
from tests.clock_shift import WALL_CLOCK, shift_from_environment
from tests.support import Clock, test_config

pytest_plugins = ["tests.slack_fixtures", "tests.matrix_fixtures", "tests.bot.slack_support"]


def pytest_configure(config: pytest.Config) -> None:
    """`TESTS_WALL_CLOCK` runs the suite as if today were that day (tests/clock_shift.py)."""
    shifted = shift_from_environment()
    if shifted is not None:
        config.stash[SHIFTED_TO] = shifted


def pytest_report_header(config: pytest.Config) -> str | None:
    shifted = config.stash.get(SHIFTED_TO, None)
    return f"wall clock shifted to {shifted.isoformat()} ({WALL_CLOCK})" if shifted else None


SHIFTED_TO = pytest.StashKey[datetime]()
POSTGRES_URL = os.environ.get("BRYGGAN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[Bryggan]:
    bryggan = build(test_config(database_url), clock)
    yield bryggan
    bryggan.database.engine.dispose()


@pytest.hookimpl(specname="pytest_report_header")
def pytest_report_header_postgres() -> str:
    """Whether the PostgreSQL variants run, in the header (the URL with its password
    hidden)."""
    if not POSTGRES_URL:
        return "PostgreSQL variants NOT collected: set BRYGGAN_TEST_POSTGRES_URL to run them"
    return f"PostgreSQL variants: {make_url(POSTGRES_URL).render_as_string(hide_password=True)}"
