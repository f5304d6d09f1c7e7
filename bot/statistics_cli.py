"""The `bryggan export` and `bryggan report` subcommands (an administrator's tools).

bryggan export --from 2026-10-01 --to 2026-12-31 --format xlsx [--out FILE]
bryggan report --quarter 2026Q4 [--format md|html|xlsx] [--per-contact] [--out FILE]
bryggan report --year 2026
bryggan report --period "förra kvartalet"
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.wiring import Bryggan
from handlers.dates import (
    Period,
    PeriodKind,
    local_today,
    parse_period,
    read_day,
    reversed_range,
    year_period,
)
from handlers.kernel import texts
from handlers.knowledge import bank_document, bank_html, bank_markdown

FORMATS = ("csv", "xlsx")


class CommandError(Exception):
    """A bad argument, phrased for the administrator."""


def add_statistics_commands(sub: Any) -> None:
    """Register `export` and `report` on the CLI's subparsers."""
    export = sub.add_parser("export", help="exportera frågornas anonyma uppgifter (csv, xlsx)")
    export.add_argument("--from", dest="first", required=True, help="första dag, t.ex. 2026-10-01")
    export.add_argument("--to", dest="last", required=True, help="sista dag, t.ex. 2026-12-31")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--out", type=Path, help="filen (standard: bryggan-export-<från>-<till>)")
    report = sub.add_parser("report", help="rapport till styrgruppen (Markdown, HTML eller xlsx)")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--quarter", help="kvartal, t.ex. 2026Q4")
    which.add_argument("--year", type=int, help="år, t.ex. 2026")
    which.add_argument("--period", help='en period på svenska, t.ex. "förra kvartalet"')
    which.add_argument(
        "--kunskapsbank",
        action="store_true",
        help="kunskapsbankens poster per kategori, t.ex. inför en utbildningsdag (md, html)",
    )
    report.add_argument("--format", choices=("md", "html", "xlsx"), default="md")
    report.add_argument(
        "--per-contact", action="store_true", help="med belastning per kontaktperson"
    )
    report.add_argument(
        "--out", type=Path, help="filen (standard: skriv ut; xlsx: bryggan-rapport-<period>.xlsx)"
    )


def run_statistics_command(app: Bryggan, args: argparse.Namespace) -> int | None:
    """Run `export` or `report`; None when the command is neither."""
    if args.command not in {"export", "report"}:
        return None
    try:
        if args.command == "export":
            return _export(app, args)
        return _report(app, args)
    except CommandError as error:
        print(str(error), file=sys.stderr)
        return 2


def _day(app: Bryggan, typed: str) -> Any:
    day = read_day(typed, local_today(app.core.clock()))
    if day is None:
        raise CommandError(texts.CLI_BAD_DATE.format(typed=typed))
    return day


def _export(app: Bryggan, args: argparse.Namespace) -> int:
    first, last = _day(app, args.first), _day(app, args.last)
    if last < first:
        labels = texts.day_label(first), texts.day_label(last)
        raise CommandError(texts.STAT_REVERSED_PERIOD.format(first=labels[0], last=labels[1]))
    out = args.out or Path(f"bryggan-export-{first}-{last}.{args.format}")
    from bot.exports import export_questions  # openpyxl: imported only when exporting

    count = export_questions(app.core.stores, first=first, last=last, fmt=args.format, out=out)
    print(texts.EXPORT_DONE.format(count=texts.questions(count), path=out))
    return 0


def report_period(app: Bryggan, args: argparse.Namespace) -> Period:
    """The period `--year`, `--quarter` or `--period` names; a range typed backwards is
    refused naming both days, as `/statistik` does."""
    if args.year is not None:
        return year_period(args.year)
    typed = args.quarter if args.quarter is not None else args.period
    now = app.core.clock()
    period = parse_period(typed, now)
    backwards = reversed_range(typed, now) if period is None else None
    if backwards:
        first, last = (texts.day_label(day) for day in backwards)
        raise CommandError(texts.STAT_REVERSED_PERIOD.format(first=first, last=last))
    if period is None or (args.quarter is not None and period.kind != PeriodKind.QUARTER):
        template = texts.CLI_BAD_QUARTER if args.quarter is not None else texts.STAT_BAD_PERIOD
        raise CommandError(template.format(typed=typed))
    return period


def _report(app: Bryggan, args: argparse.Namespace) -> int:
    from bot.report_render import to_html, to_markdown
    from bot.reports import build_document

    if args.kunskapsbank:
        return _knowledge_bank(app, args)
    period = report_period(app, args)
    document = build_document(
        app.core.stores, period=period, now=app.core.clock(), per_contact=args.per_contact
    )
    if args.format == "xlsx":
        from bot.exports import write_report_xlsx  # openpyxl: imported only when needed

        out = args.out or Path(f"bryggan-rapport-{period.first}-{period.last}.xlsx")
        write_report_xlsx(document, out)
        print(texts.REPORT_DONE.format(path=out))
        return 0
    rendered = to_html(document) if args.format == "html" else to_markdown(document)
    if args.out is None:
        sys.stdout.write(rendered)
        return 0
    args.out.write_text(rendered, encoding="utf-8")
    print(texts.REPORT_DONE.format(path=args.out))
    return 0


def _knowledge_bank(app: Bryggan, args: argparse.Namespace) -> int:
    """`bryggan report --kunskapsbank`: every entry in use, grouped by category."""
    if args.format == "xlsx":
        raise CommandError(texts.KNOWLEDGE_EXPORT_FORMATS)
    with app.core.stores() as store:
        document = bank_document(store, local_today(app.core.clock()))
    rendered = bank_html(document) if args.format == "html" else bank_markdown(document)
    if args.out is None:
        sys.stdout.write(rendered)
        return 0
    args.out.write_text(rendered, encoding="utf-8")
    print(texts.REPORT_DONE.format(path=args.out))
    return 0
