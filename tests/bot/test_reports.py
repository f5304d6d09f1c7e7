"""`bryggan report`: the samordningsförbund's tables in Markdown and HTML, on the seeded set."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from sqlalchemy import update

from bot.cli import main
from bot.report_charts import chart_figure
from bot.report_render import to_html, to_markdown
from bot.reports import ReportDocument, build_document
from bot.wiring import Bryggan
from handlers.dates.periods import quarter
from storage.models import QuestionRow
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
        "| varav hanterade¹ | 10 | 3 | +233 % |",
        "| Totalt | 12 | 100 %¹ | 10 | 2 | 3 | +300 % |",
        "¹ Andelarna är avrundade till hela procent och blir därför tillsammans 99 %, "
        "inte 100 %.  ",
        "| vård → FK | 8 | 67 % | 7 | 1 | 2 | +300 % |",
        "| FK → vård | 4 | 33 % | 3 | 1 | 1 | +300 % |",
        "| Vuxenpsykiatri Kristianstad | 6 | 1 | 7 | 58 % | 6 | 1 | 1 | +600 % |",
        "| oktober 2026 | 8 | 6 | 2 | 6 | 2 |",
        "| november 2026 | 1 | 0 | 1 | 1 | 0 |",
        "| december 2026 | 3 | 2 | 1 | 3 | 0 |",
        "| Totalt¹ | 12 | 8 | 4 | 10 | 2 |",
        "| Totalt¹ | 7 | 3 | 2 | 12 |",
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
    assert table[6:13] == [
        "| Anna Berg | 6 | 5 | 1 |",
        "| Rut Nilsson | 3 | 3 | 0 |",
        "| Maria Lund | 1 | 1 | 0 |",
        "| Sofia Holm | 1 | 1 | 0 |",
        "| Ingen kontaktperson (inte tagna) | 1 | 0 | 1 |",  # #5, asked in October, not taken
        "| Totalt¹ | 12 | 10 | 2 |",
        "",
    ]
    assert table[13] == (
        "¹ Totalt 12 är lika många som de ställda frågorna i översikten: 1 som ingen har tagit "
        "står under ”Ingen kontaktperson (inte tagna)”.  "
    )


def test_every_difference_between_figures_is_explained(seeded: Bryggan) -> None:
    """#14 was closed without an answer; #2 was answered and is reopened now."""
    with seeded.database.session() as session:
        session.execute(
            update(QuestionRow).where(QuestionRow.ref == "F-2026-0002").values(status="ateroppnad")
        )
    lines = markdown(seeded).splitlines()
    note = (
        "¹ Besvarade 9 av de 12 ställda frågorna har fått svar; hanterade är 9. Besvarade 9 = "
        "hanterade 9, minus 1 som stängdes utan svar, plus 1 som besvarades men har öppnats "
        "igen och nu räknas som öppna.  "
    )
    assert lines.count(note) == 2  # under the overview and under the response times
    assert "| varav hanterade¹ | 9 | 3 | +200 % |" in lines
    assert "| varav öppna | 3 | 0 | – |" in lines
    assert (
        "|  | Första reaktion, median | Första reaktion, 90 % | Svar, median | Svar, 90 % "
        "| Besvarade¹ |" in lines
    )
    assert "| Totalt | 1 tim | 3 tim | 3 tim | 12 tim 48 min | 9 |" in lines


def document(app: Bryggan, *, per_contact: bool = False) -> ReportDocument:
    return build_document(
        app.core.stores, period=quarter(2026, 4), now=NOW, per_contact=per_contact
    )


def test_the_html_report_is_one_page_with_a_chart_per_section(seeded: Bryggan) -> None:
    html = to_html(document(seeded, per_contact=True))
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<h2>Per kategori</h2>" in html
    assert "<tr><td>vård → FK</td><td>8</td><td>67 %</td>" in html
    assert html.count("<table>") == 8 and html.rstrip().endswith("</html>")
    charts = re.findall(r'<img alt="([^"]+)" src="data:image/svg\+xml;base64,([^"]+)">', html)
    assert [alt for alt, _ in charts] == [
        "Översikt",
        "Per kategori",
        "Per riktning",
        "Per enhet",
        "Per månad",
        "Kategori per enhet",
        "Svarstider",
        "Arbetsbelastning per kontaktperson",
    ]
    for _, data in charts:
        assert base64.b64decode(data).startswith(b"<?xml")
    # Self-contained: nothing is fetched from anywhere.
    assert not re.search(r'(src|href)="(?!data:)', html) and "@import" not in html
    assert "@page{size:A4" in html and "@media print" in html
    assert '<tr class="total"><td>Totalt¹</td><td>12</td>' in html


def test_categories_have_the_weekly_charts_colours_in_the_report(seeded: Bryggan) -> None:
    tables = {t.title: t for t in document(seeded).tables}
    for title in ("Per kategori", "Kategori per enhet"):
        chart = tables[title].chart
        assert chart is not None
        axes = chart_figure(chart).axes[0]
        looks = {}
        for container, series in zip(axes.containers, chart.series, strict=True):
            assert isinstance(container, BarContainer)
            looks[series.name] = {
                (to_hex(b.get_facecolor()), b.get_hatch() or "") for b in container
            }
        assert looks["SGI och övriga förmåner"] == {("#009e73", "///")}
        assert looks["Planering framåt"] == {("#e69f00", "")}
        assert looks["Övrigt"] == {("#f0e442", "///")}


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


def test_the_report_says_how_often_the_answer_helped_by_the_askers_own_say(
    seeded: Bryggan,
) -> None:
    assert "Svaret löste frågan" not in markdown(seeded)  # nobody has said yet
    with seeded.core.stores() as store:
        asked = [store.question_by_ref(ref=f"F-2026-{n:04d}") for n in (1, 2, 3)]
        for question, verdict in zip(asked, ("ja", "ja", "nej"), strict=True):
            assert question is not None
            store.audit(
                actor_id=question.asker_id,
                action="helped",
                at=NOW,
                question_id=question.id,
                detail=verdict,
            )
    text = markdown(seeded)
    assert "Svaret löste frågan i 67 % av fallen (2 av 3 som sa ja eller nej)" in text
