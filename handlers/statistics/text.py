"""The Swedish reply to /statistik: a short summary that fits a phone, and on request the
tables by category, direction, unit and response times."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from handlers.dates import previous
from handlers.kernel import Direction, Reply, texts
from handlers.statistics.report import Report, ResponseTimes, Tally, category_names

Row = Sequence[str]


def duration_text(seconds: float | None) -> str:
    """`< 1 min`, `45 min`, `2 tim 5 min`, `1 dag 3 tim`, `4 dagar`."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 1:
        return texts.DURATION_UNDER_MINUTE
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} tim" + (f" {minutes} min" if minutes else "")
    days, hours = divmod(hours, 24)
    unit = "dag" if days == 1 else "dagar"
    return f"{days} {unit}" + (f" {hours} tim" if hours else "")


def percent_change(current: int, before: int) -> str | None:
    """`+20 %`, `-15 %`, `±0 %`; None when there is nothing to compare with."""
    if before == 0:
        return None
    change = round(100 * (current - before) / before)
    return "±0 %" if change == 0 else f"{change:+d} %"


def table(headers: Row, rows: Sequence[Row]) -> list[str]:
    """Aligned columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(row: Row) -> str:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def tally_cells(current: Tally, before: Tally) -> list[str]:
    return [str(current.asked), str(current.handled), str(current.open), str(before.asked)]


@dataclass(frozen=True)
class TextTable:
    """A table of the reply: the console prints it aligned, Slack and Matrix lay it out."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class StatisticsReply(Reply):
    """/statistik's reply: `text` for every platform (the summary, and with `tabell` the
    tables aligned in a monospace block), and the same as data for adapters that can lay
    out a table (Matrix HTML)."""

    summary: tuple[str, ...] = ()
    tables: tuple[TextTable, ...] = ()


SummaryLine = Callable[[Report], str | None]
"""One line of the summary, or None when it has nothing to say for this report."""


def scope_text(report: Report) -> str:
    if report.own_only:
        return texts.STAT_OWN
    if report.every_unit:
        return texts.STAT_ALL_UNITS
    return ", ".join(u.name for u in report.units) or texts.STAT_NO_UNITS


def title_line(report: Report) -> str:
    return texts.STAT_TITLE.format(period=report.period.label, scope=scope_text(report))


def totals_line(report: Report) -> str:
    now, then = report.current.total, report.previous.total
    template = texts.STAT_SUMMARY_BEFORE_PARTIAL if report.partial else texts.STAT_SUMMARY_BEFORE
    compared = template.format(previous=previous(report.period).label, count=then.asked)
    percent = percent_change(now.asked, then.asked)
    if percent is not None:
        compared += f", {percent}"
    return texts.STAT_SUMMARY_TOTALS.format(
        asked=now.asked, compared=compared, handled=now.handled, open=now.open
    )


def times_line(report: Report) -> str:
    now, then = report.current.times, report.previous.times
    if now.answer.count == 0 or now.answer.median is None:
        return texts.STAT_SUMMARY_NO_ANSWERS
    answer = duration_text(now.answer.median)
    if then.answer.median is not None:
        answer += texts.STAT_SUMMARY_TIMES_BEFORE.format(median=duration_text(then.answer.median))
    return texts.STAT_SUMMARY_TIMES.format(
        answer=answer, first=duration_text(now.first_response.median)
    )


def top_line(report: Report) -> str | None:
    """The three categories with the most questions, when there are several."""
    names = category_names(report.categories)
    counts = report.current.by_category
    order = {c.slug: i for i, c in enumerate(report.categories)}
    top = sorted(
        (s for s in counts if counts[s].asked),
        key=lambda s: (-counts[s].asked, order.get(s, len(order))),
    )[:3]
    if len(top) < 2:
        return None
    listed = " · ".join(f"{names.get(s, s)} {counts[s].asked}" for s in top)
    return texts.STAT_SUMMARY_TOP.format(categories=listed)


def helped_line(report: Report) -> str | None:
    """How often the answer solved the question, by the askers' own say (when some said)."""
    helped = report.current.helped
    if helped.share is None:
        return None
    return texts.STAT_SUMMARY_HELPED.format(
        percent=round(helped.share * 100), helped=helped.helped, rated=helped.rated
    )


SUMMARY_LINES: tuple[SummaryLine, ...] = (
    title_line,
    totals_line,
    times_line,
    helped_line,
    top_line,
)
"""The summary, a line each: a new figure is one more function here."""


def summary_lines(report: Report) -> list[str]:
    """The short summary that fits a phone: title, counts and change, times, top categories."""
    return [line for build in SUMMARY_LINES if (line := build(report)) is not None]


def nothing_line(report: Report) -> str | None:
    """The one line for a period without questions; None when there were some."""
    if report.current.total.asked:
        return None
    before = report.previous.total.asked
    if before == 0:
        return texts.STAT_NOTHING.format(period=report.period.label)
    return texts.STAT_NOTHING_NOW.format(
        period=report.period.label,
        previous=previous(report.period).label,
        count=texts.questions(before),
    )


def _category_rows(report: Report) -> list[Row]:
    names = category_names(report.categories)
    now, then = report.current.by_category, report.previous.by_category
    slugs = [c.slug for c in report.categories if c.slug in now or c.slug in then]
    slugs += sorted((set(now) | set(then)) - set(slugs))
    slugs.sort(key=lambda s: -now.get(s, Tally()).asked)
    return [
        [names.get(s, s), *tally_cells(now.get(s, Tally()), then.get(s, Tally()))] for s in slugs
    ]


def _direction_rows(report: Report) -> list[Row]:
    now, then = report.current.by_direction, report.previous.by_direction
    return [
        [texts.DIRECTION[d], *tally_cells(now.get(d, Tally()), then.get(d, Tally()))]
        for d in Direction
    ]


def _unit_rows(report: Report) -> list[Row]:
    now, then = report.current.by_unit, report.previous.by_unit
    return [
        [unit.name, *tally_cells(now.get(unit.id, Tally()), then.get(unit.id, Tally()))]
        for unit in report.units
    ]


def _times_row(name: str, times: ResponseTimes) -> Row:
    first, answer = times.first_response, times.answer
    return [name, *(duration_text(v) for v in (first.median, first.p90, answer.median, answer.p90))]


def _times_rows(report: Report) -> list[Row]:
    rows = [_times_row(texts.REPORT_COL_TOTAL, report.current.times)]
    if len(report.units) > 1:
        for unit in report.units:
            rows.append(
                _times_row(unit.name, report.current.unit_times.get(unit.id, ResponseTimes()))
            )
    return rows


def _text_table(title: str, headers: Sequence[str], rows: Sequence[Row]) -> TextTable:
    return TextTable(title, tuple(headers), tuple(tuple(str(c) for c in row) for row in rows))


def report_tables(report: Report) -> list[TextTable]:
    """The tables of `/statistik tabell`: by category, direction, unit and response times."""
    counts = (
        texts.STAT_COL_ASKED,
        texts.STAT_COL_HANDLED,
        texts.STAT_COL_OPEN,
        texts.STAT_COL_PREVIOUS,
    )
    tables = [
        _text_table(
            texts.STAT_TABLE_CATEGORY, (texts.STAT_COL_CATEGORY, *counts), _category_rows(report)
        ),
        _text_table(
            texts.STAT_TABLE_DIRECTION, (texts.STAT_COL_DIRECTION, *counts), _direction_rows(report)
        ),
    ]
    if len(report.units) > 1 or report.own_only:
        tables.append(
            _text_table(texts.STAT_TABLE_UNIT, (texts.STAT_COL_UNIT, *counts), _unit_rows(report))
        )
    tables.append(
        _text_table(texts.STAT_TABLE_TIMES, texts.STAT_TIMES_HEADERS, _times_rows(report))
    )
    return tables


def report_reply(report: Report, *, with_tables: bool, arguments: str = "") -> StatisticsReply:
    """The /statistik reply: the summary and a hint to the tables, or the summary and the
    tables; a single line when nothing was asked in the period."""
    nothing = nothing_line(report)
    if nothing is not None:
        return StatisticsReply(nothing, summary=(nothing,))
    summary = summary_lines(report)
    if not with_tables:
        hint = texts.STAT_SUMMARY_TABLE_HINT.format(arguments=f" {arguments}" if arguments else "")
        return StatisticsReply("\n".join([*summary, hint]), summary=(*summary, hint))
    tables = report_tables(report)
    body: list[str] = []
    for each in tables:
        body += [*([""] if body else []), *table(each.headers, each.rows)]
    return StatisticsReply(
        "\n".join([*summary, "```", *body, "```"]), summary=tuple(summary), tables=tuple(tables)
    )


def report_text(report: Report) -> str:
    """The whole /statistik reply with its tables, as text."""
    return report_reply(report, with_tables=True).text
