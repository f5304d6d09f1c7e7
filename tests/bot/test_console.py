"""The console chat as a newcomer meets it: `bryggan console` with lines piped in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.clock_shift import python_command, reference_year


def conversation(ref: str) -> str:
    """A question's life in the console; `ref` is the reference the question will get."""
    return f"""\
/fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?
@anna: /frågor
/ta {ref}
>{ref} Ingen påverkan så länge sjukskrivningen är på deltid.
@lisa: /visa {ref}
@anna: /stäng {ref}
@lisa: /fråga kategori:sgi Patient 19121212-1212 undrar
"""


def run_console(tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    return subprocess.run(
        python_command("bot.cli", *args, "console", "--echo"),
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_scripted_conversation_on_the_embedded_defaults(tmp_path: Path) -> None:
    ref = f"F-{reference_year()}-0001"
    result = run_console(tmp_path, conversation(ref))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bryggan.sqlite3").exists()
    expected_in_order = [
        f"Bryggan: Tack! Din fråga {ref} är registrerad. Till Anna Berg",
        f"[#kristianstad] 🆕 {ref} · ny · Vuxenpsykiatri Kristianstad",
        f"[till Anna Berg] Ny fråga till dig: {ref}",
        "Du är kontaktperson för Vuxenpsykiatri Kristianstad.",
        "Bryggan: Väntar på dig:",
        f"Bryggan: Du har tagit {ref}.",
        f"[#kristianstad] 👀 {ref} · tagen · handläggs av Anna Berg",
        f"Bryggan: Ditt svar på {ref} är sparat.",
        f"[#kristianstad] ✅ {ref} · besvarad · handläggs av Anna Berg",
        f"[till Lisa Ek] Anna Berg har svarat på din fråga {ref}.",
        "↳ Svar från Anna Berg",
        f"Bryggan: {ref} är stängd.",
        f"[#kristianstad] 🔒 {ref} · stängd · handläggs av Anna Berg",
        "Bryggan: Frågetexten innehåller ett personnummer eller samordningsnummer, så inget är "
        "sparat. Skriv avidentifierat, t.ex. ”kvinna, 45 år”.",
    ]
    positions = [out.find(text) for text in expected_in_order]
    assert -1 not in positions, out
    assert positions == sorted(positions)
    assert "19121212-1212" not in out + result.stderr  # --echo writes piped lines masked
    assert "lisa> /fråga kategori:sgi Patient [personnummer borttaget] undrar" in out


def test_piped_lines_are_not_written_back_without_echo(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    result = subprocess.run(
        python_command("bot.cli", "console"),
        input="/fråga kategori:sgi Patient 19121212-1212 undrar\n/fråga kategori:sgi Ren fråga\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "lisa>" not in result.stdout and "undrar" not in result.stdout
    assert "19121212" not in result.stdout + result.stderr
    assert "Bryggan: Frågetexten innehåller ett personnummer" in result.stdout
    assert "Bryggan: Tack! Din fråga F-" in result.stdout  # the replies, without the lines


def test_state_survives_a_restart(tmp_path: Path) -> None:
    year = reference_year()
    run_console(tmp_path, "/fråga kategori:sgi Första frågan\n")
    result = run_console(tmp_path, "/frågor\n/fråga kategori:sgi Andra frågan\n")
    assert f"F-{year}-0001 · ny" in result.stdout
    assert f"Din fråga F-{year}-0002 är registrerad" in result.stdout


def test_bad_config_exits_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[[people]]\nkey='x'\n", encoding="utf-8")
    result = run_console(tmp_path, "", "--config", "bad.toml")
    assert result.returncode == 2
    assert "Fel i konfigurationen: bad.toml: [[people]] nr 1: key och name krävs" in result.stderr
    assert "Traceback" not in result.stderr
