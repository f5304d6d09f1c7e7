"""`bryggan export`: the anonymous facts of every question asked in a date range, as CSV
or Excel (xlsx, via openpyxl), for the steering group's own analyses.

Only anonymous facts: reference, unit, category, direction, status, consent mode and form,
deadline, timestamps and durations. Never free text, never a name (not even who obtained a
consent). CSV is the Swedish spreadsheet dialect (semicolons, UTF-8 with BOM) with
timestamps in ISO 8601 with their Stockholm offset; the xlsx has real date cells in
Stockholm local time, columns wide enough for their values (a timestamp never shows as
`####`), a filter on the header row and the header frozen. `bryggan report --format xlsx`
writes the report the same way, one sheet per table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.report_tables import MARKS, ReportDocument, Table
from handlers.dates import day_range
from handlers.kernel import STOCKHOLM, ConsentMode, StoreFactory, texts
from handlers.statistics import ExportRow, category_names, statistics_queries

DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
_SHOWN = {DATE_TIME_FORMAT: 16, DATE_FORMAT: 10}
"""How many characters a date cell shows in its number format."""
_MARGIN = 3
"""Characters of room besides the longest value (bold headers, the filter's arrow)."""


def _minutes(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else round((end - start).total_seconds() / 60)


def export_cells(row: ExportRow, categories: dict[str, str]) -> list[Any]:
    """One row of the export, in the order of `texts.EXPORT_COLUMNS`."""
    answered = row.first_response_at or row.answered_at
    return [
        row.ref,
        row.unit,
        row.category,
        categories.get(row.category, row.category),
        texts.DIRECTION[row.direction],
        texts.STATUS[row.status],
        texts.CONSENT.get(ConsentMode(row.consent_mode), row.consent_mode),
        row.consent_form or "",
        row.deadline,
        row.created_at,
        row.claimed_at,
        row.first_response_at,
        row.answered_at,
        row.closed_at,
        row.reopened_at,
        _minutes(row.created_at, row.claimed_at),
        _minutes(row.created_at, answered),
    ]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, rows: Iterable[list[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(texts.EXPORT_COLUMNS)
        for cells in rows:
            writer.writerow([_csv_value(v) for v in cells])
            count += 1
    return count


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value.astimezone(STOCKHOLM).replace(tzinfo=None))
        cell.number_format = DATE_TIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, datetime.combine(value, time()))
        cell.number_format = DATE_FORMAT
        return cell
    return value


def shown_length(value: Any) -> int:
    """How many characters a value takes in its cell."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return _SHOWN[DATE_TIME_FORMAT]
    if isinstance(value, date):
        return _SHOWN[DATE_FORMAT]
    return max((len(line) for line in str(value).split("\n")), default=0)


def _header_cells(sheet: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Any]:
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, header)
        cell.font = bold
        cells.append(cell)
    return cells


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]) -> Any:
    """A sheet with its column widths set and its header row frozen and bold (a
    write-only sheet takes widths before its first row)."""
    sheet = workbook.create_sheet(title[:31])
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        size = max(width, len(header)) + _MARGIN
        sheet.column_dimensions[get_column_letter(index)].width = size
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, headers))
    return sheet


def _filter(sheet: Any, columns: int, rows: int) -> None:
    """A filter on the header row over the table's `rows` rows: a write-only sheet writes
    it after its rows, so it is set once they are known."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def export_widths(names: Iterable[str]) -> list[int]:
    """Each export column's width from what it can hold: the longest unit or category
    name, a timestamp, a label."""
    longest = max((len(n) for n in names), default=10)
    widths = {
        "Enhet": longest,
        "Kategorikod": 20,
        "Kategori": longest,
        "Riktning": max(len(t) for t in texts.DIRECTION.values()),
        "Status": max(len(t) for t in texts.STATUS.values()),
        "Samtycke": max(len(t) for t in texts.CONSENT.values()),
        "Frist": _SHOWN[DATE_FORMAT],
    }
    times = texts.EXPORT_COLUMNS[9:15]
    return [
        _SHOWN[DATE_TIME_FORMAT] if header in times else widths.get(header, 12)
        for header in texts.EXPORT_COLUMNS
    ]


def write_xlsx(path: Path, rows: Iterable[list[Any]], names: Iterable[str] = ()) -> int:
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, texts.EXPORT_SHEET, texts.EXPORT_COLUMNS, export_widths(names))
    count = 0
    for cells in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in cells])
        count += 1
    _filter(sheet, len(texts.EXPORT_COLUMNS), count)
    workbook.save(path)
    return count


def _report_value(text: str) -> Any:
    """A count as a number, so the sheet can sum and sort it; anything else as text."""
    return int(text) if text.isdigit() else text


def _report_sheet(workbook: Workbook, table: Table) -> None:
    widths = [max((shown_length(row[i]) for row in table.rows), default=0)
              for i in range(len(table.headers))]  # fmt: skip
    sheet = _sheet(workbook, table.title, table.headers, widths)
    for row in table.rows:
        sheet.append([_report_value(cell) for cell in row])
    _filter(sheet, len(table.headers), len(table.rows))
    notes = [table.note] if table.note else []
    notes += [f"{MARKS[i]} {note}" for i, note in enumerate(table.footnotes)]
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])


def write_report_xlsx(document: ReportDocument, path: Path) -> None:
    """The report as a workbook: one sheet per table, its footnotes under it."""
    workbook = Workbook(write_only=True)
    for table in document.tables:
        _report_sheet(workbook, table)
    workbook.save(path)


def export_questions(stores: StoreFactory, *, first: date, last: date, fmt: str, out: Path) -> int:
    """Write the questions asked from `first` to `last` (Stockholm days, inclusive) to
    `out`; returns how many."""
    window = day_range(first, last).window
    with stores() as store:
        names = category_names(store.categories(include_inactive=True))
        rows: Iterator[list[Any]] = (
            export_cells(row, names)
            for row in statistics_queries(store).statistics_export(window=window)
        )
        if fmt == "xlsx":
            return write_xlsx(out, rows, [*names.values(), *(u.name for u in store.units())])
        return write_csv(out, rows)
