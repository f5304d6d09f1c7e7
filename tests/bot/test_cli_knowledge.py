"""`bryggan report --kunskapsbank`: the bank for a training day, as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config
from bot.wiring import build
from tests.bot.test_cli_db import write_config
from tests.handlers.knowledge.test_knowledge_flow import save_entry


def test_the_bank_is_exported_by_category_for_a_training_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, f'url = "sqlite:///{tmp_path / "bryggan.db"}"')
    app = build(load_config(config))
    label = save_entry(app)
    app.database.engine.dispose()
    capsys.readouterr()

    assert main(["--config", str(config), "report", "--kunskapsbank"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Kunskapsbanken")
    assert "## SGI och övriga förmåner" in markdown and label in markdown

    page = tmp_path / "kunskapsbanken.html"
    args = ["report", "--kunskapsbank", "--format", "html", "--out", str(page)]
    assert main(["--config", str(config), *args]) == 0
    assert f"{label}" in page.read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    assert main(["--config", str(config), "report", "--kunskapsbank", "--format", "xlsx"]) == 2
    assert "md eller html" in capsys.readouterr().err
