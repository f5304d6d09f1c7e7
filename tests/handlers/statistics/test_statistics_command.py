"""`/statistik` through the core as people type it: who sees which units, periods in Swedish,
the reply's figures and tables, refusals."""

from __future__ import annotations

import re

import pytest

from bot.wiring import Bryggan
from handlers.commands import Request
from tests.statistics_seed import NOW, seed_questions
from tests.support import Clock

Q4 = "/statistik kvartal 4 2026"
ALL_UNITS = "alla enheter"


@pytest.fixture
def seeded(app: Bryggan, clock: Clock) -> Bryggan:
    seed_questions(app)
    clock.now = NOW
    return app


def say(app: Bryggan, user: str, text: str, platform: str = "console") -> str:
    reply = app.core.handle(Request(platform, user, text))
    assert reply is not None
    return reply.text


def cells(text: str, name: str) -> list[str]:
    """The cells after `name` in the table row that starts with it."""
    row = next(line for line in text.splitlines() if line.startswith(name + " "))
    return re.split(r"\s{2,}", row[len(name) :].strip())


def test_an_admin_gets_a_short_summary_and_a_hint_to_the_tables(seeded: Bryggan) -> None:
    lines = say(seeded, "maria", Q4).splitlines()
    assert lines == [
        "📊 Statistik kvartal 4 2026 · alla enheter",
        "Frågor: 12 (kvartal 3 2026: 3, +300 %) · hanterade 10 · öppna 2",
        "Mediantid till svar 3 tim (förra perioden 1 tim), till första reaktion 1 tim",
        "Flest frågor: SGI och övriga förmåner 4 · Planering framåt 2"
        " · Arbetsförmåga och återgång i arbete 2",
        "Tabeller per kategori, riktning och enhet: /statistik tabell kvartal 4 2026",
    ]


@pytest.mark.parametrize("user", ["maria", "anna", "berit", "karl"])
@pytest.mark.parametrize("phrase", ["kvartal 4 2026", "", "v. 43 2026", "vecka 53 2026", "2026"])
def test_the_summary_fits_a_phone_for_everyone(seeded: Bryggan, user: str, phrase: str) -> None:
    """Under eight lines, none of them a table row."""
    lines = say(seeded, user, f"/statistik {phrase}").splitlines()
    assert len(lines) < 8
    assert not [line for line in lines if "```" in line or "  " in line]


def test_the_tables_on_request(seeded: Bryggan) -> None:
    text = say(seeded, "maria", f"/statistik tabell {Q4[len('/statistik ') :]}")
    lines = text.splitlines()
    assert lines[0] == "📊 Statistik kvartal 4 2026 · alla enheter"
    assert "Tabeller per kategori" not in text
    assert "SGI och övriga förmåner                            4          4      0      1" in text
    assert "Resultat av genomförda behandlingar/insatser       0          0      0      1" in text
    assert "vård → FK       8          7      1      2" in text
    assert "FK → vård       4          3      1      1" in text
    assert "Vuxenpsykiatri Kristianstad       7          6      1      1" in text
    assert "Vuxenpsykiatri Lund               2          1      1      1" in text
    assert "Totalt                          1 tim         3 tim   3 tim  12 tim 48 min" in text
    assert "Vuxenpsykiatri Hässleholm       2 tim  3 tim 36 min  10 tim  21 tim 12 min" in text
    assert text.count("```") == 2
    assert say(seeded, "maria", "/statistik Tabeller kvartal 4 2026") == text


def test_help_tells_of_the_tables(seeded: Bryggan) -> None:
    listed = say(seeded, "maria", "/hjälp")
    assert "/statistik [tabell] [period] [enhet:<enhet>] – " in listed
    full = say(seeded, "maria", "/hjälp statistik")
    assert "/statistik tabell … visar också tabellerna per kategori, riktning och enhet." in full


def test_contacts_see_the_units_they_cover(seeded: Bryggan) -> None:
    anna = say(seeded, "anna", Q4)  # primary for Kristianstad and Hässleholm
    assert anna.startswith(
        "📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Kristianstad, Vuxenpsykiatri Hässleholm"
    )
    assert "Frågor: 10 (kvartal 3 2026: 2, +400 %) · hanterade 9 · öppna 1" in anna
    berit = say(seeded, "berit", Q4)  # backup for Kristianstad only
    assert berit.startswith("📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Kristianstad\n")
    assert "Frågor: 7 (kvartal 3 2026: 1, +600 %) · hanterade 6 · öppna 1" in berit
    table = say(seeded, "berit", "/statistik tabell kvartal 4 2026")
    assert "Vuxenpsykiatri Kristianstad" not in table.split("```")[1]  # one unit: no unit rows


def test_askers_see_only_their_own_questions(seeded: Bryggan) -> None:
    karl = say(seeded, "karl", Q4)
    assert karl.startswith("📊 Statistik kvartal 4 2026 · dina egna frågor")
    assert "Frågor: 4 (kvartal 3 2026: 1, +300 %) · hanterade 3 · öppna 1" in karl
    olle = say(seeded, "olle", Q4)
    assert olle == "Inga frågor ställdes under kvartal 4 2026 eller perioden före."


def test_an_empty_period_is_one_line(seeded: Bryggan) -> None:
    assert say(seeded, "maria", "/statistik v. 2 2026") == (
        "Inga frågor ställdes under v. 2 2026 (5–11 jan) eller perioden före."
    )
    assert say(seeded, "maria", "/statistik tabell v. 45 2026") == (
        "Inga frågor ställdes under v. 45 2026 (2–8 nov); under v. 44 2026 (26 okt–1 nov) "
        "ställdes 2 frågor."
    )


def test_a_unit_can_be_chosen_among_the_visible_ones(seeded: Bryggan) -> None:
    text = say(seeded, "anna", "/statistik enhet:hässl kvartal 4 2026")
    assert text.startswith("📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Hässleholm\n")
    assert "Frågor: 3 (kvartal 3 2026: 1, +200 %)" in text
    refused = say(seeded, "anna", "/statistik kvartal 4 2026 enhet:lund")
    assert refused == "Du kan bara se statistik för kristianstad, hassleholm."


def test_week_53_and_the_dst_week_by_phrase(seeded: Bryggan) -> None:
    week53 = say(seeded, "maria", "!statistik vecka 53 2026", platform="console")
    assert week53.startswith(f"📊 Statistik v. 53 2026 (28 dec–3 jan) · {ALL_UNITS}")
    assert "Frågor: 4 (v. 52 2026 (21–27 dec): 1, +300 %) · hanterade 4 · öppna 0" in week53
    assert (
        "Mediantid till svar 5 tim (förra perioden 2 tim), till första reaktion 2 tim 30 min"
        in week53
    )
    week53_table = say(seeded, "maria", "!statistik tabell v. 53 2026")
    assert cells(week53_table, "Totalt") == [
        "2 tim 30 min",
        "7 tim 54 min",
        "5 tim",
        "22 tim 48 min",
    ]
    dst = say(seeded, "maria", "/statistik v. 43 2026")
    assert "Frågor: 5 (v. 42 2026 (12–18 okt): 1, +400 %) · hanterade 3 · öppna 2" in dst
    dst_table = say(seeded, "maria", "/statistik tabell v. 43 2026")
    assert cells(dst_table, "Totalt") == ["1 tim 30 min", "2 tim 42 min", "5 tim", "20 tim 12 min"]


def test_without_a_period_the_running_month_so_far(seeded: Bryggan) -> None:
    text = say(seeded, "maria", "/statistik")
    assert text.startswith(f"📊 Statistik januari 2027 · {ALL_UNITS}")
    # 1–11 Jan 09:00: #8 #9 #10 #19; 1–11 Dec 09:00: none.
    assert "Frågor: 4 (samma del av december 2026: 0) · hanterade 2 · öppna 2" in text


def test_an_unknown_period_is_explained(seeded: Bryggan) -> None:
    text = say(seeded, "maria", "/statistik nästa sommar")
    assert text.startswith("Jag förstår inte perioden ”nästa sommar”.")
    assert "2026Q4" in text
    assert say(seeded, "maria", "/statistik tabell nästa sommar") == text


def test_strangers_are_refused(seeded: Bryggan) -> None:
    assert say(seeded, "nobody", Q4).startswith("Jag känner inte igen dig")
