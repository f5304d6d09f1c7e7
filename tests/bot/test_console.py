"""The console chat as a newcomer meets it: `bryggan console` with lines piped in."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

YEAR = datetime.now().year

CONVERSATION = f"""\
/fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?
@anna: /frågor
/ta F-{YEAR}-0001
>F-{YEAR}-0001 Ingen påverkan så länge sjukskrivningen är på deltid.
@lisa: /visa F-{YEAR}-0001
@anna: /stäng F-{YEAR}-0001
@lisa: /fråga kategori:sgi Patient 19121212-1212 undrar
"""


def run_console(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args, "console"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_scripted_conversation_on_the_embedded_defaults(tmp_path: Path) -> None:
    result = run_console(tmp_path, CONVERSATION)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bryggan.sqlite3").exists()
    expected_in_order = [
        f"Bryggan: Tack! Din fråga F-{YEAR}-0001 är registrerad. Till Anna Berg",
        f"[#kristianstad] 🆕 F-{YEAR}-0001 · ny · Vuxenpsykiatri Kristianstad",
        f"[till Anna Berg] Ny fråga till dig: F-{YEAR}-0001",
        "Bryggan: Väntar på dig:",
        f"Bryggan: Du har tagit F-{YEAR}-0001.",
        f"[#kristianstad] 👀 F-{YEAR}-0001 är nu tagen · handläggs av Anna Berg",
        f"Bryggan: Ditt svar på F-{YEAR}-0001 är sparat.",
        f"[#kristianstad] ✅ F-{YEAR}-0001 är nu besvarad",
        f"[till Lisa Ek] Anna Berg har svarat på din fråga F-{YEAR}-0001.",
        "↳ Svar från Anna Berg",
        f"Bryggan: F-{YEAR}-0001 är stängd.",
        f"[#kristianstad] 🔒 F-{YEAR}-0001 är nu stängd",
        "personnummer eller samordningsnummer",
    ]
    positions = [out.find(text) for text in expected_in_order]
    assert -1 not in positions, out
    assert positions == sorted(positions)
    assert (
        "19121212-1212" not in out.split("lisa> /fråga kategori:sgi Patient")[1].split("\n", 1)[1]
    )


def test_state_survives_a_restart(tmp_path: Path) -> None:
    run_console(tmp_path, "/fråga kategori:sgi Första frågan\n")
    result = run_console(tmp_path, "/frågor\n/fråga kategori:sgi Andra frågan\n")
    assert f"F-{YEAR}-0001 · ny" in result.stdout
    assert f"Din fråga F-{YEAR}-0002 är registrerad" in result.stdout


def test_bad_config_exits_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[[people]]\nkey='x'\n", encoding="utf-8")
    result = run_console(tmp_path, "", "--config", "bad.toml")
    assert result.returncode == 2
    assert "Fel i konfigurationen: bad.toml: [[people]] nr 1: key och name krävs" in result.stderr
    assert "Traceback" not in result.stderr
