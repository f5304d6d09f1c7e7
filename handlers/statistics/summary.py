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
CHART_SERIES = 10
"""At most this many categories are drawn separately; the rest are one "others" series."""
OTHERS_SHARE = 0.1
"""Categories are drawn separately until the rest hold at most this share of the questions."""


@dataclass(frozen=True)
class ChartSeries:
    """One stacked series: a category (its `slot` fixes its colour in every chart: the
    category's place in the category list, so new categories take the next free one) or the
    lumped small categories (`slot` None)."""

    name: str
    counts: tuple[int, ...]
    slot: int | None


@dataclass(frozen=True)
class WeeklyChart:
    """Questions per category and week, oldest week first; `series` from the bottom of the
    stack (the largest) up, the lumped rest last."""

    title: str
    subtitle: str
    axis: str
    week_axis: str
    weeks: tuple[str, ...]
    series: tuple[ChartSeries, ...]


@dataclass(frozen=True)
class WeeklySummary:
    week: Period
    scope_label: str
    by_category: tuple[tuple[str, Tally], ...]
    total: Tally
    overview: Overview
    chart: WeeklyChart


def category_slots(categories: Sequence[Category]) -> dict[str, int]:
    """Each category's fixed colour slot: its place in the category list (inactive ones
    included, new ones appended), so a category has the same colour in every chart."""
    return {c.slug: index for index, c in enumerate(categories)}


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
        _chart(boundaries, grid, names, category_slots(categories), scope_label),
    )


def _position(order: list[str], slug: str) -> int:
    return order.index(slug) if slug in order else len(order)


def _shown(ranked: list[str], totals: dict[str, int]) -> list[str]:
    """The categories drawn separately: the largest, until the rest are a small share."""
    whole = sum(totals.values())
    shown: list[str] = []
    for slug in ranked:
        rest = whole - sum(totals[s] for s in shown)
        if len(shown) >= CHART_SERIES or rest <= whole * OTHERS_SHARE:
            break
        shown.append(slug)
    return ranked if len(ranked) - len(shown) == 1 else shown


def _weeks(count: int) -> str:
    return texts.plural(count, *texts.NOUNS["week"])


def _week_labels(boundaries: Sequence[datetime]) -> tuple[list[str], str]:
    """The weeks' numbers and the subtitle naming them with their year(s)."""
    weeks = [local_today(b).isocalendar() for b in boundaries[:-1]]
    first, last = weeks[0], weeks[-1]
    if first.year == last.year:
        subtitle = texts.WEEKLY_CHART_WEEKS.format(
            first=first.week, last=last.week, year=last.year, count=_weeks(len(weeks))
        )
    else:
        subtitle = texts.WEEKLY_CHART_WEEKS_YEARS.format(
            first=first.week,
            first_year=first.year,
            last=last.week,
            last_year=last.year,
            count=_weeks(len(weeks)),
        )
    return [str(w.week) for w in weeks], subtitle


def _chart(
    boundaries: Sequence[datetime],
    grid: dict[str, list[int]],
    names: dict[str, str],
    slots: dict[str, int],
    scope_label: str,
) -> WeeklyChart:
    unknown = sorted(set(grid) - set(slots))  # not in the list given: after every known one
    slots = {**slots, **{slug: len(slots) + i for i, slug in enumerate(unknown)}}
    totals = {slug: sum(counts) for slug, counts in grid.items()}
    ranked = sorted(grid, key=lambda s: (-totals[s], slots[s]))
    shown = _shown(ranked, totals)
    series = [ChartSeries(names.get(s, s), tuple(grid[s]), slots[s]) for s in shown]
    rest = [grid[s] for s in ranked if s not in shown]
    if rest:
        lumped = tuple(map(sum, zip(*rest, strict=True)))
        series.append(ChartSeries(texts.WEEKLY_CHART_OTHERS.format(count=len(rest)), lumped, None))
    weeks, subtitle = _week_labels(boundaries)
    return WeeklyChart(
        texts.WEEKLY_CHART_TITLE.format(scope=scope_label),
        subtitle,
        texts.WEEKLY_CHART_AXIS,
        texts.WEEKLY_CHART_WEEK_AXIS,
        tuple(weeks),
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
            count=texts.questions(overview.since_start),
            open=overview.open,
            overdue=overview.overdue,
        )
    )
    lines.append(texts.WEEKLY_CHART.format(weeks=_weeks(len(summary.chart.weeks))))
    return "\n".join(lines)
