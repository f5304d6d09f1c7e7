"""`bryggan export`: the anonymous facts of every question asked in a date range, as CSV
or Excel (xlsx, via openpyxl), for the steering group's own analyses.

Only anonymous facts: reference, unit, category, direction, status, consent mode and form,
deadline, timestamps and durations. Never free text, never a name (not even who obtained a
consent). CSV is the Swedish spreadsheet dialect (semicolons, UTF-8 with BOM) with
timestamps in ISO 8601 with their Stockholm offset; the xlsx has real date cells in
Stockholm local time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from handlers.dates import day_range
from handlers.kernel import STOCKHOLM, ConsentMode, StoreFactory, texts
from handlers.statistics import ExportRow, category_names, statistics_queries

_TIMES = 6  # the timestamp columns: created … reopened


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
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, datetime.combine(value, time()))
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def write_xlsx(path: Path, rows: Iterable[list[Any]]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Frågor")
    for index, header in enumerate(texts.EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 2)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    headers = []
    for header in texts.EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, header)
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    count = 0
    for cells in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in cells])
        count += 1
    workbook.save(path)
    return count


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
        writer = write_xlsx if fmt == "xlsx" else write_csv
        return writer(out, rows)
