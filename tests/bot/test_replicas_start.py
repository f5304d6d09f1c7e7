"""Replicas started together on an empty database: they take turns at the schema and the
directory instead of crashing on each other's tables."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine
from tests.bot.test_cli_db import write_config
from tests.clock_shift import python_command

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
