"""The Swedish reply to /statistik: a few summary lines and compact monospace tables."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.dates import previous
from handlers.kernel import Direction, texts
from handlers.statistics.report import Percentiles, Report, ResponseTimes, Tally, category_names

Row = Sequence[str]


def duration_text(seconds: float | None) -> str:
    """`under 1 min`, `45 min`, `2 tim 5 min`, `1 dag 3 tim`, `4 dagar`."""
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


def questions_text(count: int) -> str:
    """`1 fråga`, `3 frågor`."""
    one, many = texts.STAT_QUESTIONS
    return (one if count == 1 else many).format(n=count)


def percent_change(current: int, before: int) -> str | None:
    """`+20 %`, `-15 %`, `±0 %`; None when there is nothing to compare with."""
    if before == 0:
        return None
    change = round(100 * (current - before) / before)
    return "±0 %" if change == 0 else f"{change:+d} %"


def change_text(current: int, before: int) -> str:
    percent = percent_change(current, before)
    if percent is None:
        return texts.STAT_CHANGE_NONE.format(previous=before)
    return texts.STAT_CHANGE.format(previous=before, percent=percent)


def times_text(times: Percentiles, before: Percentiles | None = None) -> str:
    if times.count == 0 or times.median is None:
        return texts.STAT_NO_TIMES
    text = texts.STAT_TIMES.format(
        median=duration_text(times.median),
        p90=duration_text(times.p90),
        count=questions_text(times.count),
    )
    if before is not None and before.median is not None:
        text += texts.STAT_TIMES_BEFORE.format(median=duration_text(before.median))
    return text


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


def _headline(report: Report) -> list[str]:
    scope = (
        texts.STAT_OWN
        if report.own_only
        else ", ".join(u.name for u in report.units) or texts.STAT_NO_UNITS
    )
    before_label = previous(report.period).label
    compared = texts.STAT_PARTIAL if report.partial else texts.STAT_COMPARED
    now, then = report.current, report.previous
    return [
        texts.STAT_TITLE.format(period=report.period.label, scope=scope),
        compared.format(previous=before_label),
        texts.STAT_TOTALS.format(
            asked=now.total.asked,
            change=change_text(now.total.asked, then.total.asked),
            handled=now.total.handled,
            open=now.total.open,
        ),
        texts.STAT_FIRST_RESPONSE.format(
            times=times_text(now.times.first_response, then.times.first_response)
        ),
        texts.STAT_ANSWER.format(times=times_text(now.times.answer, then.times.answer)),
    ]


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


def _unit_times(report: Report) -> list[Row]:
    rows: list[Row] = []
    for unit in report.units:
        times = report.current.unit_times.get(unit.id, ResponseTimes())
        first, answer = times.first_response, times.answer
        rows.append(
            [
                unit.name,
                *(duration_text(v) for v in (first.median, first.p90, answer.median, answer.p90)),
            ]
        )
    return rows


def report_text(report: Report) -> str:
    """The whole /statistik reply."""
    lines = _headline(report)
    if report.current.total.asked == 0 and report.previous.total.asked == 0:
        return "\n".join([*lines, texts.STAT_NOTHING.format(period=report.period.label)])
    counts = [texts.STAT_COL_ASKED, texts.STAT_COL_HANDLED, texts.STAT_COL_OPEN]
    counts.append(texts.STAT_COL_PREVIOUS)
    body = table([texts.STAT_COL_CATEGORY, *counts], _category_rows(report))
    body += ["", *table([texts.STAT_COL_DIRECTION, *counts], _direction_rows(report))]
    if len(report.units) > 1 or report.own_only:
        body += ["", *table([texts.STAT_COL_UNIT, *counts], _unit_rows(report))]
        body += ["", *table(texts.STAT_TIMES_HEADERS, _unit_times(report))]
    return "\n".join([*lines, "```", *body, "```"])
