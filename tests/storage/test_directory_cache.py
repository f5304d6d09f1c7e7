"""The directory kept in memory (storage/directory_cache.py) never shows a person an old
state: a `/kategori` change or a config reload counts for the next command at once, and
for a second process on the same database (a replica) within its recheck interval."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.wiring import Bryggan, build
from handlers.commands import Request
from storage.directory import PersonSpec, sync_directory
from tests import support
from tests.support import Clock

ASK = "/fråga enhet:kristianstad kategori:{slug} riktning:vård-fk Hur gör vi med {slug}?"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


class Seconds:
    """A monotonic clock for the directory's recheck, moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def replicas(database_url: str, clock: Clock) -> Iterator[tuple[Bryggan, Bryggan, Seconds]]:
    """Two processes' worth of Bryggan on one database, the second's recheck on a hand clock."""
    config = support.test_config(database_url)
    first, second = build(config, clock), build(config, clock, migrate=False)
    seconds = Seconds()
    second.database.directory.clock = seconds
    yield first, second, seconds
    first.database.engine.dispose()
    second.database.engine.dispose()


def test_a_new_category_can_be_used_at_once(app: Bryggan) -> None:
    assert "Kategorin finns inte" not in say(app, "lisa", ASK.format(slug="sgi"))  # read, kept
    assert "tandvard" in say(app, "lisa", ASK.format(slug="tandvard"))  # refused: unknown
    assert "tandvard" in say(app, "maria", "/kategori ny tandvard Tandvård")
    assert "F-2026-0002" in say(app, "lisa", ASK.format(slug="tandvard"))
    assert "tandvard" in say(app, "maria", "/kategori ta-bort tandvard")
    assert "F-2026-0003" not in say(app, "lisa", ASK.format(slug="tandvard"))


def test_a_reloaded_config_counts_for_the_next_command(app: Bryggan) -> None:
    assert "F-2026-0001" in say(app, "lisa", ASK.format(slug="sgi"))
    assert "F-2026" not in say(app, "nils", ASK.format(slug="sgi"))  # not known yet
    people = [*app.config.people, PersonSpec("nils", "Nils Ny", ("asker",), {"console": "nils"})]
    with app.database.session() as session:
        sync_directory(session, people, app.config.units)
    assert "F-2026-0002" in say(app, "nils", ASK.format(slug="sgi"))


def test_a_replica_sees_a_change_within_its_recheck_interval(
    replicas: tuple[Bryggan, Bryggan, Seconds],
) -> None:
    first, second, seconds = replicas
    assert "F-2026-0001" in say(second, "lisa", ASK.format(slug="sgi"))  # second keeps it
    assert "tandvard" in say(first, "maria", "/kategori ny tandvard Tandvård")
    seconds.now += second.database.directory.recheck / 2
    assert "F-2026" not in say(second, "lisa", ASK.format(slug="tandvard"))  # not yet
    seconds.now += second.database.directory.recheck
    assert "F-2026-0002" in say(second, "lisa", ASK.format(slug="tandvard"))
