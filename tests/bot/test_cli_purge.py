"""`bryggan purge --dry-run` as an administrator runs it: the references and counts that
would go, never the text, and nothing changed; a bad retention value is one Swedish line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import load_config
from bot.wiring import build
from storage.db import make_engine
from storage.models import MessageRow, QuestionRow
from tests.bot.test_cli_db import RETENTION_DAYS, cli, ref_in, say, url_config
from tests.support import Clock

OLD_QUESTION = "Hur påverkas SGI för Ödegaard-Blom?"
OLD_ANSWER = "Ödegaard-Blom behåller sin SGI."


@pytest.fixture(autouse=True)
def _config_decides_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRYGGAN_DATABASE_URL", raising=False)


def snapshot(database_url: str) -> list[tuple[object, ...]]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            questions = connection.execute(
                select(QuestionRow.ref, QuestionRow.status, QuestionRow.text)
            ).all()
            messages = connection.execute(select(MessageRow.text)).all()
            rows: list[tuple[object, ...]] = [tuple(r) for r in questions]
            return rows + [tuple(r) for r in messages]
    finally:
        engine.dispose()


def test_dry_run_lists_references_and_counts_and_changes_nothing(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_path = url_config(tmp_path, database_url)
    clock = Clock(datetime.now(UTC) - timedelta(days=RETENTION_DAYS + 40))
    app = build(load_config(config_path), clock)
    try:
        old = ref_in(say(app, "lisa", f"/fråga kategori:sgi {OLD_QUESTION}"))
        left_open = ref_in(say(app, "lisa", "/fråga kategori:sgi Gäller det vid 25 %?"))
        say(app, "anna", f"/svara {old} {OLD_ANSWER}")
        say(app, "anna", f"/stäng {old}")
        say(app, "anna", f"/svara {left_open} Ja, samma sak.")  # answered, never closed
    finally:
        app.database.engine.dispose()
    before = snapshot(database_url)

    code, out, err = cli(capsys, "--config", str(config_path), "purge", "--dry-run")

    assert (code, err) == (0, "")
    assert out == (
        f"Skulle stängas först (besvarade för länge sedan): {left_open}.\n"
        "Skulle gallras: 1 fråga, 1 meddelande och 0 inlägg i chatten.\n"
        f"  {old}: 1 meddelande, 0 inlägg\n"
    )
    assert "Ödegaard" not in out
    assert snapshot(database_url) == before

    assert cli(capsys, "--config", str(config_path), "purge")[:2] == (0, "Gallrade 1 fråga.\n")
    after = cli(capsys, "--config", str(config_path), "purge", "--dry-run")
    assert after == (0, "Inget att gallra.\n", "")
    statuses = {row[0]: row[1] for row in snapshot(database_url) if len(row) == 3}
    assert statuses == {old: "stangd", left_open: "stangd"}


@pytest.mark.parametrize(
    ("table", "line", "named"),
    [
        ("retention", "close_answered_after_days = -1", "[retention] close_answered_after_days"),
        ("housekeeping", "job_runs_days = 7", "[housekeeping] job_runs_days"),
        ("housekeeping", 'audit_days = "två år"', "[housekeeping] audit_days"),
    ],
)
def test_a_bad_retention_value_is_one_swedish_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, line: str, named: str
) -> None:
    path = tmp_path / "config.toml"
    database = tmp_path / "bryggan.sqlite3"
    path.write_text(f'[database]\npath = "{database}"\n\n[{table}]\n{line}\n', encoding="utf-8")
    code, out, err = cli(capsys, "--config", str(path), "purge", "--dry-run")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and named in err and "ska vara ett heltal" in err
    assert not database.exists()


def test_purge_help_is_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli(capsys, "purge", "--help")
    shown = capsys.readouterr().out
    assert "--dry-run" in shown and "visa bara vad som skulle gallras" in shown
