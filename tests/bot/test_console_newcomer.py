"""The console as a newcomer tries it: names in any case, /hjälp says who you can be, and the
console's clock (`--now`, `/klocka`) brings reminders and the Monday summary without waiting."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console import Console
from bot.console_clock import ConsoleClock
from bot.wiring import Bryggan, build
from handlers.kernel import STOCKHOLM
from tests import support
from tests.clock_shift import python_command
from tests.handlers.meetings.pulse_support import at

ASK = "/fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?"


@pytest.fixture
def console(database_url: str, tmp_path: Path) -> Iterator[Console]:
    clock = ConsoleClock()
    clock.move_to(at(2026, 12, 7, 7, 55))  # a Monday, before the summary at 08:00
    extra = f'[statistics]\nchart_dir = "{tmp_path / "diagram"}"\n'
    app: Bryggan = build(support.test_config(database_url, extra), clock)
    chat = Console(app, io.StringIO())
    chat.since = clock()
    yield chat
    app.database.engine.dispose()


def console_at(tmp_path: Path, stdin: str, now: str) -> subprocess.CompletedProcess[str]:
    """`bryggan console --now <now>` with lines piped in, on the embedded example config."""
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    return subprocess.run(
        python_command("bot.cli", "console", "--echo", "--now", now),
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def said(console: Console, *lines: str) -> str:
    out = console.out
    assert isinstance(out, io.StringIO)
    start = len(out.getvalue())
    for line in lines:
        console.say(line)
    return out.getvalue()[start:]


def test_a_name_in_any_case_is_that_person(console: Console) -> None:
    said(console, ASK)
    upper = said(console, "@Anna: /frågor")
    assert upper.startswith("anna> /frågor\nBryggan: Väntar på dig:")
    assert said(console, "@ANNA: /frågor").split("\n", 1)[1] == upper.split("\n", 1)[1]
    assert console.user == "anna"
    unknown = said(console, "@nisse: /frågor")
    assert unknown == (
        "Bryggan: Jag känner inte till ”@nisse”. Du kan vara: @lisa, @olle, @anna, @sofia, "
        "@berit, @rut, @karl, @maria.\n"
    )
    assert console.user == "anna"


def test_help_lists_who_you_can_be_and_the_clock(console: Console) -> None:
    help_text = said(console, "/hjälp")
    assert "  I konsolen:\n" in help_text
    assert "Du är nu @lisa." in help_text
    assert "/klocka visar Bryggans klocka: måndag 7 december 2026 kl 07:55." in help_text
    assert "  @lisa: Lisa Ek, frågeställare (vården, Vuxenpsykiatri Kristianstad)\n" in help_text
    assert "  @karl: Karl Strand, frågeställare (FK)\n" in help_text
    assert (
        "  @anna: Anna Berg, kontaktperson (Vuxenpsykiatri Kristianstad, Vuxenpsykiatri "
        "Hässleholm)\n"
    ) in help_text
    assert "  @maria: Maria Lund, administratör" in help_text
    assert "I konsolen" not in said(console, "/hjälp frånvaro")


def test_moving_the_clock_brings_the_weekly_summary_and_reminders(console: Console) -> None:
    said(console, ASK)
    shown = said(console, "/klocka")
    assert shown == "lisa> /klocka\nBryggan: Bryggans klocka: måndag 7 december 2026 kl 07:55.\n"
    summary = said(console, "/klocka +10m")
    assert "Bryggan: Bryggans klocka är nu måndag 7 december 2026 kl 08:05." in summary
    assert "[#kristianstad] 📊 Veckosammanfattning v. 49 2026 (30 nov–6 dec)" in summary
    assert "Sedan start: 1 fråga. Öppna nu: 1, varav 0 efter frist." in summary
    assert "(bifogad fil: " in summary and ".png)" in summary
    assert "Veckosammanfattning" not in said(console, "/klocka +1h")  # once a week
    later = said(console, "/klocka +3d")
    assert "Bryggans klocka är nu torsdag 10 december 2026 kl 09:05." in later
    assert "[till Anna Berg] ⏰ F-2026-0001 (SGI och övriga förmåner, " in later
    assert "[till Maria Lund] ⚠️ F-2026-0001 " in later
    assert console.app.core.clock().astimezone(STOCKHOLM).day == 10


def test_a_time_that_cannot_be_read_changes_nothing(console: Console) -> None:
    before = console.app.core.clock()
    refused = said(console, "/klocka +2x")
    assert refused == (
        "lisa> /klocka +2x\nBryggan: Jag förstår inte tiden ”+2x”. Skriv till exempel "
        "/klocka +2d, /klocka +3h, /klocka måndag 08:00 eller /klocka 2026-12-07 09:00.\n"
    )
    assert abs((console.app.core.clock() - before).total_seconds()) < 60


def test_console_now_starts_the_chat_at_that_moment(tmp_path: Path) -> None:
    result = console_at(tmp_path, "/klocka\n@Maria: /klocka\n", "2026-12-07 09:00")
    assert result.returncode == 0, result.stderr
    assert (
        "lisa> /klocka\nBryggan: Bryggans klocka: måndag 7 december 2026 kl 09:0" in result.stdout
    )
    assert "maria> /klocka\n" in result.stdout


def test_a_bad_now_is_one_swedish_line(tmp_path: Path) -> None:
    result = console_at(tmp_path, "", "igår typ")
    assert result.returncode == 2
    assert '--now: ”igår typ” är ingen tid; skriv till exempel --now "2026-12-07 09:00".' in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
