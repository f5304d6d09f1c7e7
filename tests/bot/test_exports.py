"""`bryggan export`: CSV and xlsx read back, with the seeded facts and nothing else: no free
text, no names."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.cli import main
from bot.exports import export_questions
from bot.wiring import Bryggan
from handlers.kernel import texts
from tests.statistics_seed import CONSENT_BY, SECRET, seed_questions
from tests.support import TEST_CONFIG

NAMES = ["Lisa Ek", "Olle Berg", "Anna Berg", "Sofia Holm", "Berit Ås", "Rut Nilsson", "Karl"]
NAMES += ["Maria Lund", CONSENT_BY, SECRET]


@pytest.fixture
def seeded(app: Bryggan) -> Bryggan:
    seed_questions(app)
    return app


def export(app: Bryggan, out: Path, fmt: str) -> int:
    first, last = date(2026, 10, 1), date(2026, 12, 31)
    return export_questions(app.core.stores, first=first, last=last, fmt=fmt, out=out)


def test_csv_reads_back_with_stockholm_times_and_minutes(seeded: Bryggan, tmp_path: Path) -> None:
    out = tmp_path / "q4.csv"
    assert export(seeded, out, "csv") == 12
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and LibreOffice read å/ä/ö
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert tuple(rows[0]) == texts.EXPORT_COLUMNS
    by_ref = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_ref) == 12 and "F-2026-0011" not in by_ref and "F-2027-0008" not in by_ref
    first = by_ref["F-2026-0001"]  # asked in summer time, claimed after the switch
    assert first["Enhet"] == "Vuxenpsykiatri Kristianstad"
    assert (first["Kategorikod"], first["Kategori"]) == ("sgi_formaner", "SGI och övriga förmåner")
    assert (first["Riktning"], first["Status"]) == ("vård → FK", "stängd")
    assert first["Ställd"] == "2026-10-25 01:30:00+02:00"
    assert first["Tagen"] == "2026-10-25 03:30:00+01:00"
    assert (first["Minuter till första reaktion"], first["Minuter till svar"]) == ("180", "300")
    consented = by_ref["F-2026-0003"]
    assert (consented["Samtycke"], consented["Samtyckesform"]) == ("med samtycke", "muntligt")
    assert by_ref["F-2026-0005"]["Frist"] == "2026-11-01"
    assert by_ref["F-2026-0005"]["Minuter till svar"] == ""
    text = raw.decode("utf-8-sig")
    assert not [name for name in NAMES if name in text]


def test_xlsx_reads_back_with_date_cells(seeded: Bryggan, tmp_path: Path) -> None:
    out = tmp_path / "q4.xlsx"
    assert export(seeded, out, "xlsx") == 12
    sheet = load_workbook(out, read_only=True)["Frågor"]
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[0]) == texts.EXPORT_COLUMNS
    first = next(
        dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == "F-2026-0001"
    )
    assert first["Ställd"] == datetime(2026, 10, 25, 1, 30)  # Stockholm wall-clock time
    assert first["Tagen"] == datetime(2026, 10, 25, 3, 30)
    assert first["Minuter till första reaktion"] == 180 and first["Minuter till svar"] == 300
    assert len(rows) == 13
    cells = " ".join(str(value) for row in rows for value in row if value is not None)
    assert not [name for name in NAMES if name in cells]


def assert_fits(sheet: Worksheet, rows: int) -> None:
    """A filter on the header row, the header frozen, and every column wide enough for
    its header and its values as shown (a timestamp `2026-10-25 01:30`, never `####`)."""
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{rows + 1}"
    assert sheet.freeze_panes == "A2"
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=rows + 1), start=1):
        letter = get_column_letter(index)
        width = sheet.column_dimensions[letter].width
        for cell in column:
            if isinstance(cell.value, datetime):
                shown = len("2026-10-25 01:30" if "hh" in cell.number_format else "2026-10-25")
            else:
                shown = len(str(cell.value or ""))
            assert width >= shown + 1, f"{letter}{cell.row} {cell.value!r} in width {width}"


def test_the_xlsx_has_a_filter_a_frozen_header_and_room_for_every_value(
    seeded: Bryggan, tmp_path: Path
) -> None:
    out = tmp_path / "q4.xlsx"
    export(seeded, out, "xlsx")
    sheet = load_workbook(out)["Frågor"]
    assert_fits(sheet, 12)
    created = sheet.cell(row=2, column=texts.EXPORT_COLUMNS.index("Ställd") + 1)
    assert created.number_format == "yyyy-mm-dd hh:mm"


def test_the_report_as_xlsx_has_a_sheet_per_table(
    seeded: Bryggan, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + f'\n[database]\nurl = "{database_url}"\n', encoding="utf-8")
    out = tmp_path / "q4.xlsx"
    arguments = ["--config", str(config), "report", "--quarter", "2026Q4", "--per-contact"]
    assert main([*arguments, "--format", "xlsx", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Rapporten är sparad i {out}."
    book = load_workbook(out)
    assert book.sheetnames == [
        "Översikt",
        "Per kategori",
        "Per riktning",
        "Per enhet",
        "Per månad",
        "Kategori per enhet",
        "Svarstider",
        "Arbetsbelastning per kontaktper",  # 31 characters at most
    ]
    tables = {"Översikt": 3, "Per kategori": 15, "Per månad": 4, "Svarstider": 4}
    for title, rows in tables.items():
        assert_fits(book[title], rows)
    months = list(book["Per månad"].iter_rows(values_only=True))
    assert months[1] == ("oktober 2026", 8, 6, 2, 6, 2)  # counts are numbers
    assert months[4] == ("Totalt¹", 12, 8, 4, 10, 2)
    assert months[6][0] == "¹ Månadernas summa är lika stor som de ställda frågorna i översikten."


def test_the_cli_exports_and_refuses_bad_dates(
    seeded: Bryggan, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + f'\n[database]\nurl = "{database_url}"\n', encoding="utf-8")
    out = tmp_path / "export.xlsx"
    arguments = ["--config", str(config), "export", "--from", "2026-12-28", "--to", "2027-01-03"]
    assert main([*arguments, "--format", "xlsx", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Exporterade 4 frågor till {out}."
    assert len(list(load_workbook(out, read_only=True)["Frågor"].iter_rows())) == 5
    bad = ["--config", str(config), "export", "--from", "2027-01-03", "--to", "2026-12-28"]
    assert main(bad) == 2
    assert "Perioden går baklänges: 3 jan 2027 kommer efter 28 dec 2026." in capsys.readouterr().err
    assert main(["--config", str(config), "export", "--from", "igår-ish", "--to", "idag"]) == 2
    assert "”igår-ish” är inget datum" in capsys.readouterr().err
