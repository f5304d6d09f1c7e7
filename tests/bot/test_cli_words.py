"""The `bryggan` command speaks Swedish, and a problem outside Bryggan (a database that is
down, a file that cannot be written) is one Swedish line, never a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import main
from tests.bot.test_cli_db import write_config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`bryggan <argv>` in this process: exit code, stdout, stderr (argparse exits too)."""
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_is_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.startswith("användning: bryggan")
    assert "flaggor:" in out and "visa den här hjälpen och avsluta" in out
    assert "console      chatta med Bryggan i terminalen" in out
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in out


def test_a_mistyped_command_is_answered_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "consol")
    assert code == 2
    assert "bryggan: fel: kommando: 'consol' finns inte; välj bland 'run', 'console'" in err
    code, _, err = run(capsys, "db")
    assert (code, err.splitlines()[-1]) == (2, "bryggan db: fel: det här saknas: upgrade")


def test_other_programs_in_the_process_keep_argparse_as_it_was(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "--help")
    assert argparse.ArgumentParser(prog="annat").format_usage() == "usage: annat [-h]\n"


@pytest.mark.parametrize("command", [["db", "upgrade"], ["purge"], ["console"]])
def test_a_database_that_is_down_is_one_line_without_the_password(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://bryggan:hemligt@127.0.0.1:1/bryggan"
    config = write_config(tmp_path, f'url = "{url}"')
    code, out, err = run(capsys, "--config", str(config), *command)
    assert (code, out) == (1, "")
    assert err == (
        "Databasen postgresql://127.0.0.1:1/bryggan går inte att nå. Kontrollera url under"
        " [database] i configen (eller BRYGGAN_DATABASE_URL) och att databasservern är igång.\n"
    )
    assert "hemligt" not in err


def test_a_file_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, f'url = "sqlite:///{tmp_path / "bryggan.db"}"')
    target = tmp_path / "saknas" / "export.csv"
    code, out, err = run(
        capsys,
        *("--config", str(config), "export", "--from", "2026-10-01", "--to", "2026-10-31"),
        *("--out", str(target)),
    )
    assert (code, out) == (1, "")
    assert err == (
        f"Filen {target} går inte att använda: den eller mappen den ska ligga i finns inte.\n"
    )
    assert not target.parent.exists()
