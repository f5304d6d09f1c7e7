"""`bryggan report`: the samordningsförbund's tables in Markdown and HTML, on the seeded set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.report_render import to_html, to_markdown
from bot.reports import build_document
from bot.wiring import Bryggan
from handlers.dates.periods import quarter
from tests.statistics_seed import CONSENT_BY, NOW, SECRET, seed_questions
from tests.support import TEST_CONFIG

NAMES = ["Lisa Ek", "Anna Berg", "Sofia Holm", "Rut Nilsson", "Karl Strand", "Maria Lund"]


@pytest.fixture
def seeded(app: Bryggan) -> Bryggan:
    seed_questions(app)
    return app


def markdown(app: Bryggan, *, per_contact: bool = False) -> str:
    document = build_document(
        app.core.stores, period=quarter(2026, 4), now=NOW, per_contact=per_contact
    )
    return to_markdown(document)


def test_the_quarter_report_in_markdown(seeded: Bryggan) -> None:
    text = markdown(seeded)
    assert text.startswith("# Bryggan: frågor kvartal 4 2026\n")
    expected = [
        "| Ställda frågor | 12 | 3 | +300 % |",
        "| varav öppna | 2 | 0 | – |",
        "| SGI och övriga förmåner | 4 | 33 % | 4 | 0 | 1 | +300 % |",
        "| Resultat av genomförda behandlingar/insatser | 0 | 0 % | 0 | 0 | 1 | -100 % |",
        "| Totalt | 12 | 100 % | 10 | 2 | 3 | +300 % |",
        "| vård → FK | 8 | 67 % | 7 | 1 | 2 | +300 % |",
        "| FK → vård | 4 | 33 % | 3 | 1 | 1 | +300 % |",
        "| Vuxenpsykiatri Kristianstad | 6 | 1 | 7 | 58 % | 6 | 1 | 1 | +600 % |",
        "| oktober 2026 | 8 | 6 | 2 | 6 | 2 |",
        "| november 2026 | 1 | 0 | 1 | 1 | 0 |",
        "| december 2026 | 3 | 2 | 1 | 3 | 0 |",
        "| SGI och övriga förmåner | 3 | 1 | 0 | 4 |",
        "| Totalt | 1 tim | 3 tim | 3 tim | 12 tim 48 min | 9 |",
        "| Vuxenpsykiatri Hässleholm | 2 tim | 3 tim 36 min | 10 tim | 21 tim 12 min | 3 |",
    ]
    lines = text.splitlines()
    assert [line for line in expected if line not in lines] == []
    assert "## Arbetsbelastning per kontaktperson" not in text
    assert not [name for name in [*NAMES, CONSENT_BY, SECRET] if name in text]


def test_per_contact_workload_names_the_contacts(seeded: Bryggan) -> None:
    lines = markdown(seeded, per_contact=True).splitlines()
    table = lines[lines.index("## Arbetsbelastning per kontaktperson") :]
    assert table[6:10] == [
        "| Anna Berg | 6 | 5 | 1 |",
        "| Rut Nilsson | 3 | 3 | 0 |",
        "| Maria Lund | 1 | 1 | 0 |",
        "| Sofia Holm | 1 | 1 | 0 |",
    ]


def test_the_html_report_is_a_standalone_page(seeded: Bryggan) -> None:
    document = build_document(
        seeded.core.stores, period=quarter(2026, 4), now=NOW, per_contact=False
    )
    html = to_html(document)
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<h2>Per kategori</h2>" in html
    assert "<tr><td>vård → FK</td><td>8</td><td>67 %</td>" in html
    assert html.count("<table>") == 7 and html.rstrip().endswith("</html>")


def test_the_cli_writes_quarter_and_year_reports(
    seeded: Bryggan, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + f'\n[database]\nurl = "{database_url}"\n', encoding="utf-8")
    base = ["--config", str(config), "report"]
    out = tmp_path / "q4.html"
    assert main([*base, "--quarter", "2026Q4", "--format", "html", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Rapporten är sparad i {out}."
    assert "<h1>Bryggan: frågor kvartal 4 2026</h1>" in out.read_text(encoding="utf-8")
    assert main([*base, "--year", "2026"]) == 0
    year = capsys.readouterr().out
    assert year.startswith("# Bryggan: frågor 2026\n") and "\n| Ställda frågor | " in year
    assert main([*base, "--quarter", "2026Q5"]) == 2
    assert "”2026Q5” är inget kvartal" in capsys.readouterr().err
