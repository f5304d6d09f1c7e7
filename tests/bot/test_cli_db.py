"""`bryggan db upgrade` and `bryggan purge` as an administrator runs them: the CLI entry with
a config file, what it prints, and what the database holds afterwards."""

from __future__ import annotations

import csv
import os
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from bot.cli import main
from bot.config import load_config
from bot.wiring import Bryggan, build
from handlers.commands import Request
from storage.db import MIGRATIONS, make_engine, upgrade
from storage.models import AuditRow, Base, MessageRow, QuestionRow
from tests.clock_shift import python_command
from tests.support import TEST_CONFIG, Clock

RETENTION_DAYS = 30
UPGRADED = "Databasen är uppgraderad.\n"
OLD_QUESTION = "Hur påverkas SGI om patienten går ner till 50 %?"
OLD_ANSWER = "Ingen påverkan så länge sjukskrivningen är på deltid."
RECENT_QUESTION = "Gäller samma sak vid 25 %?"
OPEN_QUESTION = "Kan vi boka ett avstämningsmöte?"


@pytest.fixture(autouse=True)
def _config_decides_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """`BRYGGAN_DATABASE_URL` would override the config file under test."""
    monkeypatch.delenv("BRYGGAN_DATABASE_URL", raising=False)


def write_config(folder: Path, database: str) -> Path:
    """The test directory plus `database` (a `[database]` body) and a 30-day retention."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    extra = f"\n[database]\n{database}\n\n[retention]\ndays = {RETENTION_DAYS}\n"
    path.write_text(TEST_CONFIG + extra, encoding="utf-8")
    return path


def url_config(tmp_path: Path, database_url: str) -> Path:
    return write_config(tmp_path / "etc", f'url = "{database_url}"')


def stockholm_day(moment: datetime) -> date:
    """The local date in Stockholm, the way the product dates questions."""
    return moment.astimezone(ZoneInfo("Europe/Stockholm")).date()


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def schema_version(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as connection:
        version: str = connection.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar_one()
    return version


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`bryggan <argv>` in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def say(app: Bryggan, user: str, line: str) -> str:
    reply = app.core.handle(Request("console", user, line))
    assert reply is not None, line
    assert reply.accepted, reply.text
    return reply.text


def ref_in(reply: str) -> str:
    found = re.search(r"F-\d{4}-\d{4}", reply)
    assert found, reply
    return found.group(0)


# -- db upgrade ---------------------------------------------------------------------------------


def test_db_upgrade_creates_the_schema_on_a_fresh_database(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == set()
        config = url_config(tmp_path, database_url)
        assert cli(capsys, "--config", str(config), "db", "upgrade") == (0, UPGRADED, "")
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert schema_version(engine) == head_revision()
        with engine.connect() as connection:  # the schema only: no directory, no questions
            assert connection.execute(select(QuestionRow.id)).all() == []
    finally:
        engine.dispose()


def test_db_upgrade_at_head_changes_nothing_and_keeps_the_data(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = url_config(tmp_path, database_url)
    app = build(load_config(config), Clock())
    try:
        ref = ref_in(say(app, "lisa", f"/fråga kategori:sgi {OLD_QUESTION}"))
    finally:
        app.database.engine.dispose()
    for _ in range(2):
        assert cli(capsys, "--config", str(config), "db", "upgrade") == (0, UPGRADED, "")
    engine = make_engine(database_url)
    try:
        assert schema_version(engine) == head_revision()
        with engine.connect() as connection:
            rows = connection.execute(select(QuestionRow.ref, QuestionRow.text)).all()
        assert [tuple(row) for row in rows] == [(ref, OLD_QUESTION)]
    finally:
        engine.dispose()


def test_db_upgrade_brings_an_older_schema_to_head(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0001")  # as left by the first release
        assert "pulse_series" not in inspect(engine).get_table_names()
        config = url_config(tmp_path, database_url)
        assert cli(capsys, "--config", str(config), "db", "upgrade") == (0, UPGRADED, "")
        assert schema_version(engine) == head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_db_upgrade_as_a_command_finds_the_database_beside_its_config(tmp_path: Path) -> None:
    """`python -m bot.cli --config … db upgrade` from another folder: a relative
    `[database] path` is read from the config file's folder, not the working directory."""
    config = write_config(tmp_path / "etc", 'path = "bryggan.sqlite3"')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    result = subprocess.run(
        python_command("bot.cli", "--config", str(config), "db", "upgrade"),
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, UPGRADED), result.stderr
    assert "Traceback" not in result.stderr
    assert list(elsewhere.iterdir()) == []
    engine = make_engine(f"sqlite:///{tmp_path / 'etc' / 'bryggan.sqlite3'}")
    try:
        assert schema_version(engine) == head_revision()
    finally:
        engine.dispose()


# -- purge --------------------------------------------------------------------------------------


def test_purge_removes_the_free_text_of_old_closed_questions_and_keeps_the_facts(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three questions asked 40 days ago: one closed then (purged), one closed 10 days ago
    and one still open (both kept). `bryggan purge` runs on the real clock, as from cron."""
    config_path = url_config(tmp_path, database_url)
    asked_at = datetime.now(UTC) - timedelta(days=RETENTION_DAYS + 10)
    clock = Clock(asked_at)
    app = build(load_config(config_path), clock)
    consent_day = stockholm_day(asked_at) - timedelta(days=1)
    try:
        old = ref_in(
            say(
                app,
                "lisa",
                "/fråga kategori:sgi samtycke:muntligt samtycke_av:Dr.Ek "
                f"samtycke_datum:{consent_day.isoformat()} {OLD_QUESTION}",
            )
        )
        recent = ref_in(say(app, "lisa", f"/fråga kategori:sgi {RECENT_QUESTION}"))
        still_open = ref_in(say(app, "lisa", f"/fråga kategori:avstämning {OPEN_QUESTION}"))
        say(app, "anna", f"/svara {old} {OLD_ANSWER}")
        say(app, "anna", f"/stäng {old}")
        clock.advance(days=RETENTION_DAYS)  # ten days ago
        say(app, "anna", f"/stäng {recent}")
    finally:
        app.database.engine.dispose()

    assert cli(capsys, "--config", str(config_path), "purge") == (0, "Gallrade 1 fråga.\n", "")

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = {row.ref: row for row in connection.execute(select(QuestionRow)).all()}
            purged = rows[old]
            assert (purged.text, purged.consent_by, purged.purged_at is not None) == (
                None,
                None,
                True,
            )
            assert (purged.category, purged.direction, purged.status) == (
                "sgi_formaner",
                "vard_till_fk",
                "stangd",
            )
            assert (purged.consent_mode, purged.consent_form) == ("samtycke", "muntligt")
            assert purged.answered_at is not None and purged.closed_at is not None
            assert (rows[recent].text, rows[recent].purged_at) == (RECENT_QUESTION, None)
            assert (rows[still_open].text, rows[still_open].purged_at) == (OPEN_QUESTION, None)
            answers = connection.execute(
                select(MessageRow.text).where(MessageRow.question_id == purged.id)
            ).all()
            assert [row.text for row in answers] == [None]
            audit = connection.execute(
                select(AuditRow.action, AuditRow.detail, AuditRow.actor_id)
            ).all()
            assert ("purged", "count=1", None) in [tuple(row) for row in audit]
            assert not any(OLD_QUESTION in row.detail for row in audit)
    finally:
        engine.dispose()

    # Run again: nothing more to purge.
    assert cli(capsys, "--config", str(config_path), "purge") == (0, "Gallrade 0 frågor.\n", "")

    # What people see: the purged question says so, the others are as they were.
    app = build(load_config(config_path), Clock(datetime.now(UTC)))
    try:
        shown = say(app, "lisa", f"/visa {old}")
        assert "gallringsregeln" in shown
        assert OLD_QUESTION not in shown and OLD_ANSWER not in shown and "Dr.Ek" not in shown
        assert RECENT_QUESTION in say(app, "lisa", f"/visa {recent}")
    finally:
        app.database.engine.dispose()

    # The anonymous facts stay for the statistics: the export still lists all three.
    out = tmp_path / "export.csv"
    day = stockholm_day(asked_at).isoformat()
    code, printed, _ = cli(
        capsys,
        "--config",
        str(config_path),
        "export",
        "--from",
        day,
        "--to",
        day,
        "--out",
        str(out),
    )
    assert (code, printed) == (0, f"Exporterade 3 frågor till {out}.\n")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        exported = {row["Referens"]: row for row in csv.DictReader(handle, delimiter=";")}
    assert set(exported) == {old, recent, still_open}
    assert (exported[old]["Kategorikod"], exported[old]["Status"]) == ("sgi_formaner", "stängd")
    assert exported[old]["Stängd"] != "" and exported[old]["Samtyckesform"] == "muntligt"
