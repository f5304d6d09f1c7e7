"""Several bot processes on one database: started together they take turns at the schema and
the directory; one of them leads the scheduled jobs and another takes over when it dies;
on SQLite a second bot process is refused."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.wiring import build
from handlers.kernel import OutboxKind
from storage.db import make_engine
from storage.leadership import Leadership, Presence, SecondProcess, sole_process
from tests.bot.test_cli_db import write_config
from tests.clock_shift import python_command
from tests.support import test_config as config_for
from tests.support import wait_until

START = "bot.cli"


def test_four_processes_starting_together_on_an_empty_database_all_come_up(
    database_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f'url = "{database_url}"')
    starts = [
        subprocess.Popen(
            python_command(START, "--config", str(config), "purge"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [(start.wait(timeout=120), *start.communicate()) for start in starts]
    assert [(code, out) for code, out, _ in outcomes] == [(0, "Gallrade 0 frågor.\n")] * 4
    assert all("Traceback" not in err for _, _, err in outcomes)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        people = connection.execute(text("SELECT count(*) FROM people")).scalar_one()
    engine.dispose()
    assert people > 0  # the directory was synced, once per person


LEADER = """
import sys
from storage.db import make_engine
from storage.leadership import Leadership
leadership = Leadership(make_engine(sys.argv[1]))
print("leads" if leadership.leads() else "follows", flush=True)
sys.stdin.read()  # holds the lead until it is killed
"""


def test_one_process_leads_the_scheduled_jobs_and_another_takes_over_when_it_dies(
    database_url: str,
) -> None:
    mine = Leadership(make_engine(database_url))
    if database_url.startswith("sqlite"):
        assert mine.leads()  # one process on SQLite (see the next test): it always leads
        return
    other = subprocess.Popen(
        [sys.executable, "-c", LEADER, database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == "leads\n"
        assert not mine.leads()
        other.kill()  # kill -9: the server ends its session and the lock with it
        other.wait(timeout=10)
        wait_until(mine.leads, 10, "the lead taken over")
        assert mine.leads()  # and kept
    finally:
        other.kill()
        mine.resign()
        mine.engine.dispose()


def test_a_second_bot_process_on_one_sqlite_file_is_refused_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "bryggan.db"
    config = write_config(tmp_path, f'url = "sqlite:///{database}"')
    config.write_text(config.read_text() + '\n[slack]\nenabled = true\nmode = "http"\n')
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    with sole_process(f"sqlite:///{database}"):  # a bot is already running on the file
        assert main(["--config", str(config), "run"]) == 1
        assert capsys.readouterr().err == (
            f"En annan Bryggan kör redan på SQLite-databasen {database}. SQLite klarar bara "
            "en process; stoppa den andra, eller använd PostgreSQL för att köra flera "
            "repliker.\n"
        )
        with pytest.raises(SecondProcess), sole_process(f"sqlite:///{database}"):
            pass
    with sole_process(f"sqlite:///{database}"):  # free again once the first has stopped
        pass


def test_the_only_process_frees_the_posts_a_killed_process_had_leased(
    database_url: str,
) -> None:
    app = build(config_for(database_url))
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    with app.core.stores() as store:
        store.enqueue(platform="console", kind=OutboxKind.CHANNEL, at=now, channel="C", text="Hej")
        [entry] = store.pending_posts(platform="console", now=now)
        assert store.lease_post(entry_id=entry.id, now=now, until=now + timedelta(minutes=10))
    first = Presence(app.database.engine)
    assert first.join()  # alone: the lease's holder is dead
    with app.core.stores() as store:
        assert store.release_leases(now=now) == 1
        assert [e.id for e in store.pending_posts(platform="console", now=now)] == [entry.id]
    if database_url.startswith("postgresql"):
        second = Presence(make_engine(database_url))
        assert not second.join()  # another process runs: its leases may be live
        second.leave()
        second.engine.dispose()
    first.leave()
    app.database.engine.dispose()
