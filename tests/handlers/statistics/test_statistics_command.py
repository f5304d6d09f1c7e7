"""`/statistik` through the core as people type it: who sees which units, periods in Swedish,
the reply's figures and tables, refusals."""

from __future__ import annotations

import pytest

from bot.wiring import Bryggan
from handlers.commands import Request
from tests.statistics_seed import NOW, seed_questions
from tests.support import Clock

Q4 = "/statistik kvartal 4 2026"
ALL_UNITS = "Vuxenpsykiatri Kristianstad, Vuxenpsykiatri Hässleholm, Vuxenpsykiatri Lund"


@pytest.fixture
def seeded(app: Bryggan, clock: Clock) -> Bryggan:
    seed_questions(app)
    clock.now = NOW
    return app


def say(app: Bryggan, user: str, text: str, platform: str = "console") -> str:
    reply = app.core.handle(Request(platform, user, text))
    assert reply is not None
    return reply.text


def test_an_admin_sees_every_unit_with_totals_times_and_tables(seeded: Bryggan) -> None:
    text = say(seeded, "maria", Q4)
    lines = text.splitlines()
    assert lines[0] == f"📊 Statistik kvartal 4 2026 · {ALL_UNITS}"
    assert lines[1] == "Jämfört med kvartal 3 2026."
    assert lines[2] == "Frågor: 12 (förra perioden 3, +300 %) · hanterade 10 · öppna 2"
    assert lines[3] == (
        "Första reaktion (tagen eller besvarad): median 1 tim · 90 % inom 3 tim (11 frågor)"
        " · förra perioden median 1 tim"
    )
    assert lines[4] == (
        "Svar: median 3 tim · 90 % inom 12 tim 48 min (9 frågor) · förra perioden median 1 tim"
    )
    assert "SGI och övriga förmåner                            4          4      0      1" in text
    assert "Resultat av genomförda behandlingar/insatser       0          0      0      1" in text
    assert "vård → FK       8          7      1      2" in text
    assert "FK → vård       4          3      1      1" in text
    assert "Vuxenpsykiatri Kristianstad       7          6      1      1" in text
    assert "Vuxenpsykiatri Lund               2          1      1      1" in text
    assert "Vuxenpsykiatri Hässleholm       2 tim  3 tim 36 min  10 tim  21 tim 12 min" in text
    assert text.count("```") == 2


def test_contacts_see_the_units_they_cover(seeded: Bryggan) -> None:
    anna = say(seeded, "anna", Q4)  # primary for Kristianstad and Hässleholm
    assert anna.startswith(
        "📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Kristianstad, Vuxenpsykiatri Hässleholm"
    )
    assert "Frågor: 10 (förra perioden 2, +400 %)" in anna
    berit = say(seeded, "berit", Q4)  # backup for Kristianstad only
    assert berit.startswith("📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Kristianstad\n")
    assert "Frågor: 7 (förra perioden 1, +600 %) · hanterade 6 · öppna 1" in berit
    assert "Svarstider" not in berit  # one unit: no per-unit tables


def test_askers_see_only_their_own_questions(seeded: Bryggan) -> None:
    karl = say(seeded, "karl", Q4)
    assert karl.startswith("📊 Statistik kvartal 4 2026 · dina egna frågor")
    assert "Frågor: 4 (förra perioden 1, +300 %) · hanterade 3 · öppna 1" in karl
    olle = say(seeded, "olle", Q4)
    assert "Inga frågor ställdes under kvartal 4 2026 eller perioden före." in olle


def test_a_unit_can_be_chosen_among_the_visible_ones(seeded: Bryggan) -> None:
    text = say(seeded, "anna", "/statistik enhet:hässl kvartal 4 2026")
    assert text.startswith("📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Hässleholm\n")
    assert "Frågor: 3 (förra perioden 1, +200 %)" in text
    refused = say(seeded, "anna", "/statistik kvartal 4 2026 enhet:lund")
    assert refused == "Du kan bara se statistik för kristianstad, hassleholm."


def test_week_53_and_the_dst_week_by_phrase(seeded: Bryggan) -> None:
    week53 = say(seeded, "maria", "!statistik vecka 53 2026", platform="console")
    assert week53.startswith(f"📊 Statistik v. 53 2026 (28 dec–3 jan) · {ALL_UNITS}")
    assert "Frågor: 4 (förra perioden 1, +300 %) · hanterade 4 · öppna 0" in week53
    assert "median 2 tim 30 min · 90 % inom 7 tim 54 min (4 frågor)" in week53
    dst = say(seeded, "maria", "/statistik v. 43 2026")
    assert "Frågor: 5 (förra perioden 1, +400 %) · hanterade 3 · öppna 2" in dst
    assert "median 1 tim 30 min · 90 % inom 2 tim 42 min (4 frågor)" in dst


def test_without_a_period_the_running_month_so_far(seeded: Bryggan) -> None:
    text = say(seeded, "maria", "/statistik")
    assert text.startswith(f"📊 Statistik januari 2027 · {ALL_UNITS}")
    assert "Perioden pågår; jämförelsen gäller samma del av december 2026." in text
    # 1–11 Jan 09:00: #8 #9 #10 #19; 1–11 Dec 09:00: none.
    assert "Frågor: 4 (förra perioden 0) · hanterade 2 · öppna 2" in text


def test_an_unknown_period_is_explained(seeded: Bryggan) -> None:
    text = say(seeded, "maria", "/statistik nästa sommar")
    assert text.startswith("Jag förstår inte perioden ”nästa sommar”.")
    assert "2026Q4" in text


def test_strangers_are_refused(seeded: Bryggan) -> None:
    assert say(seeded, "nobody", Q4).startswith("Jag känner inte igen dig")
