"""The weekly summary post: last week's questions by category, the total since start, open
and overdue questions, and the data of a bar chart over the last twelve weeks.

Figures are counted in SQL (`StatisticsQueries`); the chart is drawn at the edge
(`bot.charts`). Posting once per week and channel is `bot.weekly`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.dates import Period, local_today, previous, week_boundaries, week_of
from handlers.kernel import Category, texts
from handlers.statistics.report import Overview, Scope, StatisticsQueries, Tally, category_names
from handlers.statistics.text import table

CHART_WEEKS = 12
CHART_SERIES = 7
"""Categories drawn separately; the rest are one "others" series."""


@dataclass(frozen=True)
class WeeklyChart:
    """Questions per category and week, oldest week first."""

    title: str
    axis: str
    weeks: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class WeeklySummary:
    week: Period
    scope_label: str
    by_category: tuple[tuple[str, Tally], ...]
    total: Tally
    overview: Overview
    chart: WeeklyChart


def summary_key(platform: str, channel: str, now: datetime) -> str:
    """The job key of this week's post in one channel: one post per ISO week."""
    iso = local_today(now).isocalendar()
    return f"weekly:{platform}:{channel}:{iso.year}-W{iso.week:02d}"


def last_week(now: datetime) -> Period:
    return previous(week_of(local_today(now)))


def weekly_summary(
    queries: StatisticsQueries,
    *,
    scope: Scope,
    scope_label: str,
    categories: Sequence[Category],
    now: datetime,
) -> WeeklySummary:
    """Last week's figures and the twelve-week chart, from two grouped queries."""
    week = last_week(now)
    boundaries = week_boundaries(week, CHART_WEEKS)
    rows = queries.statistics_buckets(scope=scope, boundaries=boundaries, by="category")
    names = category_names(categories)
    grid: dict[str, list[int]] = {}
    latest: dict[str, Tally] = {}
    for row in rows:
        grid.setdefault(row.key, [0] * CHART_WEEKS)[row.bucket] += row.tally.asked
        if row.bucket == CHART_WEEKS - 1:
            latest[row.key] = row.tally
    order = [c.slug for c in categories]
    ranked = sorted(latest, key=lambda s: (-latest[s].asked, _position(order, s)))
    by_category = tuple((names.get(s, s), latest[s]) for s in ranked)
    overview = queries.statistics_overview(scope=scope, today=local_today(now))
    return WeeklySummary(
        week,
        scope_label,
        by_category,
        sum(latest.values(), Tally()),
        overview,
        _chart(boundaries, grid, names, order),
    )


def _position(order: list[str], slug: str) -> int:
    return order.index(slug) if slug in order else len(order)


def _chart(
    boundaries: Sequence[datetime],
    grid: dict[str, list[int]],
    names: dict[str, str],
    order: list[str],
) -> WeeklyChart:
    weeks = [local_today(b).isocalendar().week for b in boundaries[:-1]]
    ranked = sorted(grid, key=lambda s: (-sum(grid[s]), _position(order, s)))
    shown = ranked[:CHART_SERIES] if len(ranked) > CHART_SERIES + 1 else ranked
    series = [(names.get(s, s), tuple(grid[s])) for s in shown]
    rest = [grid[s] for s in ranked if s not in shown]
    if rest:
        series.append((texts.WEEKLY_CHART_OTHERS, tuple(map(sum, zip(*rest, strict=True)))))
    return WeeklyChart(
        texts.WEEKLY_CHART_TITLE.format(first=weeks[0], last=weeks[-1]),
        texts.WEEKLY_CHART_AXIS,
        tuple(f"v. {w}" for w in weeks),
        tuple(series),
    )


def summary_text(summary: WeeklySummary) -> str:
    """The post: title, last week's table by category, the running totals."""
    lines = [texts.WEEKLY_TITLE.format(week=summary.week.label, scope=summary.scope_label)]
    if summary.total.asked:
        lines.append(
            texts.WEEKLY_TOTALS.format(
                asked=texts.questions(summary.total.asked), handled=summary.total.handled
            )
        )
        rows = [[name, str(t.asked), str(t.handled)] for name, t in summary.by_category]
        headers = [texts.STAT_COL_CATEGORY, texts.STAT_COL_ASKED, texts.STAT_COL_HANDLED]
        lines += ["```", *table(headers, rows), "```"]
    else:
        lines.append(texts.WEEKLY_NONE)
    overview = summary.overview
    lines.append(
        texts.WEEKLY_SINCE_START.format(
            count=overview.since_start, open=overview.open, overdue=overview.overdue
        )
    )
    lines.append(texts.WEEKLY_CHART.format(weeks=len(summary.chart.weeks)))
    return "\n".join(lines)
