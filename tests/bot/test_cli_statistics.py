"""`bryggan report --period` and `bryggan export`: a range typed backwards gets the same one
Swedish line as `/statistik`, naming both days, exit code 2, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.wiring import Bryggan
from storage.models import AuditRow, QuestionRow
from tests.statistics_seed import seed_questions
from tests.support import TEST_CONFIG

REVERSED = (
    "Perioden går baklänges: 30 nov 2026 kommer efter 1 okt 2026. Skriv den tidigaste dagen "
    "först (med år om den ligger ett annat år)."
)


def rows(app: Bryggan) -> tuple[int, int]:
    with app.database.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (QuestionRow, AuditRow)
        )


@pytest.mark.parametrize(
    "arguments",
    [
        ["report", "--period", "från 2026-11-30 till 2026-10-01"],
        ["report", "--period", "30/11 2026 - 1/10 2026", "--format", "html"],
        ["export", "--from", "2026-11-30", "--to", "2026-10-01", "--format", "xlsx"],
    ],
)
def test_a_reversed_range_is_one_swedish_line_and_nothing_is_written(
    app: Bryggan,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
) -> None:
    seed_questions(app)
    before = rows(app)
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + f'\n[database]\nurl = "{database_url}"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--config", str(config), *arguments, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err == REVERSED + "\n"
    assert captured.out == ""
    assert not out.exists()
    assert rows(app) == before
