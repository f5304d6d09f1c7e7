"""The README's absence lines in `bryggan console` with lines piped in: an absence saved
with a substitute, listed with its number, and cancelled; a reversed range refused."""

from __future__ import annotations

import re
from pathlib import Path

from tests.bot.test_console import run_console

LINES = """\
@anna: /frånvaro 11/12 7/12
@anna: /frånvaro mån–fre ersättare @sofia
@anna: /frånvaro
@anna: /frånvaro ta-bort 1
@anna: /frånvaro
"""
DAY = r"\d{1,2} [a-zé]{3}"


def test_an_absence_listed_and_cancelled_in_the_console(tmp_path: Path) -> None:
    result = run_console(tmp_path, LINES)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Bryggan: Slutdatumet 7 dec ligger före startdatumet 11 dec." in out
    saved = re.search(
        rf"Bryggan: Frånvaro registrerad ({DAY}) \d{{4}}–({DAY} \d{{4}}) \(nr 1\)\. "
        r"Sofia Holm tar dina nya frågor under tiden\.",
        out,
    )
    assert saved, out
    start, end = saved.groups()
    assert f"Bryggan: Din frånvaro:\n  • nr 1 · {start}–{end} · ersättare Sofia Holm" in out
    assert f"Bryggan: Frånvaro nr 1 (Anna Berg, {start}–{end}) är borttagen." in out
    assert out.rstrip().endswith(
        "Bryggan: Du har ingen frånvaro registrerad nu eller framöver. Anmäl med "
        "/frånvaro <från> <till> [ersättare @namn]."
    )
