"""The report's charts: one per section, drawn as SVG (text as outlines, so the file needs
no fonts) for the HTML report to embed as data.

A `Chart` is plain data built by `bot.reports` from the same figures as the section's table.
Categories keep their colours from `bot.charts` (the same as in the weekly chart); other
series (this period and the one before, the two directions, handled and open) take the
neutral `TONES`.
"""

from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.charts import RC, bar_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TONES = ("#2f4b7c", "#9fb3cf", "#d98c3a")
"""Dark blue, light blue, orange: series that are not categories, in order."""
WIDTH_INCHES = 6.6
"""About the width of an A4 page inside its margins."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    slot: int | None = None
    """A category's colour slot; None: the next of `TONES`."""


@dataclass(frozen=True)
class Chart:
    """Bars for `labels`: horizontal (one row per label) or vertical columns; the series
    stacked or side by side. A one-series-per-category chart (`per_label`) draws each
    label's bar in its category's colour, without a legend."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    axis: str
    orientation: Literal["rows", "columns"] = "rows"
    stacked: bool = False
    per_label: bool = False


def _style(series: Series, index: int) -> dict[str, Any]:
    if series.slot is not None:
        return bar_style(series.slot)
    return {"facecolor": TONES[index % len(TONES)], "edgecolor": "white", "linewidth": 0.6}


def _rows(axes: Axes, chart: Chart) -> None:
    count = len(chart.labels)
    positions = list(range(count))
    band = 0.75
    each = band if chart.stacked or chart.per_label else band / len(chart.series)
    left = [0.0] * count
    for index, series in enumerate(chart.series):
        offset = 0.0 if chart.stacked or chart.per_label else (index - (len(chart.series) - 1) / 2)
        ys = [p + offset * each for p in positions]
        axes.barh(
            ys, series.values, height=each, left=left, label=series.name, **_style(series, index)
        )
        if chart.stacked or chart.per_label:
            left = [a + b for a, b in zip(left, series.values, strict=True)]
    axes.set_yticks(positions, [textwrap.fill(label, 34) for label in chart.labels])
    axes.invert_yaxis()
    axes.set_xlabel(chart.axis)
    axes.grid(axis="x", color="#e4e4e4", linewidth=0.8)


def _columns(axes: Axes, chart: Chart) -> None:
    positions = list(range(len(chart.labels)))
    bottom = [0.0] * len(chart.labels)
    each = 0.7 / (1 if chart.stacked else len(chart.series))
    for index, series in enumerate(chart.series):
        xs: list[float]
        if chart.stacked:
            xs = list(map(float, positions))
        else:
            xs = [p + (index - (len(chart.series) - 1) / 2) * each for p in positions]
        axes.bar(
            xs,
            series.values,
            width=each,
            bottom=bottom if chart.stacked else 0,
            label=series.name,
            **_style(series, index),
        )
        if chart.stacked:
            bottom = [a + b for a, b in zip(bottom, series.values, strict=True)]
    axes.set_xticks(positions, chart.labels)
    axes.set_ylabel(chart.axis)
    axes.grid(axis="y", color="#e4e4e4", linewidth=0.8)


def chart_figure(chart: Chart) -> Figure:
    """The chart as a matplotlib figure (tests read its bars)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context({**RC, "font.size": 9}):
        lines = sum(textwrap.fill(label, 34).count("\n") + 1 for label in chart.labels)
        height = 2.4 if chart.orientation == "columns" else 0.9 + 0.26 * max(lines, 2)
        shown = len(chart.series) > 1 and not chart.per_label
        columns = 2 if len(chart.series) > 3 else len(chart.series)
        legend = (0.22 * -(-len(chart.series) // columns) + 0.1) if shown else 0.0
        figure = Figure(figsize=(WIDTH_INCHES, height + legend), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        (_columns if chart.orientation == "columns" else _rows)(axes, chart)
        axis = axes.yaxis if chart.orientation == "columns" else axes.xaxis
        axis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_axisbelow(True)
        if shown:
            figure.legend(
                loc="upper left",
                ncols=columns,
                frameon=False,
                bbox_to_anchor=(0.01, 1.0),
                borderaxespad=0.2,
            )
        figure.tight_layout(rect=(0, 0, 1, 1 - legend / (height + legend)))
        return figure


def chart_svg(chart: Chart) -> bytes:
    from matplotlib import rc_context

    figure = chart_figure(chart)
    buffer = io.BytesIO()
    with rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def chart_data_uri(chart: Chart) -> str:
    """The chart as an SVG data URI, to embed in a self-contained HTML page."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(chart)).decode("ascii")
