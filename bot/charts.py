"""Drawing Bryggan's charts with matplotlib (Agg, no pyplot state): the weekly summary's
stacked bars as a PNG, and the same colours for the report's charts (`bot.report_charts`).

Colours: a category keeps one colour in every chart, whatever its rank there, from its
colour slot (its place in the category list, `handlers.statistics.category_slots`). The
colours are Okabe and Ito's palette for colour-blind readers (black left for text); after
seven categories the same colours come again with a hatching (white lines), so fourteen
categories stay apart without relying on hue alone. The lumped small categories are grey.

Phones: the PNG is 5.4 × n inches at 150 dpi and shown about 360 px wide, so one point is
about one pixel there: the text is 11–14 pt and the legend sits under the bars, one
category a line, in the order of the stack (top first).

Presentation only: no platform imports. The Slack and Matrix adapters upload the file the
outbox names; the console prints its path.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handlers.statistics import WeeklyChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
"""Blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow."""
HATCHES = ("", "///", "...", "xxx")
OTHERS_COLOUR = "#B4B4B4"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"
WIDTH_INCHES = 5.4
DPI = 150
LEGEND_WRAP = 46
"""Characters per legend line before a long category name wraps."""


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    hatch: str


def category_style(slot: int | None) -> SeriesStyle:
    """The fixed look of a category's colour slot; None: the lumped small categories."""
    if slot is None:
        return SeriesStyle(OTHERS_COLOUR, "")
    cycle, index = divmod(slot, len(OKABE_ITO))
    return SeriesStyle(OKABE_ITO[index], HATCHES[cycle % len(HATCHES)])


def bar_style(slot: int | None) -> dict[str, Any]:
    """Keyword arguments for matplotlib's `bar`/`barh` in a category's look; the white edge
    draws the hatching and separates stacked segments."""
    style = category_style(slot)
    return {
        "facecolor": style.colour,
        "hatch": style.hatch,
        "edgecolor": "white",
        "linewidth": 0.8,
    }


RC: dict[Any, Any] = {
    "hatch.linewidth": 1.6,
    "font.size": 12,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "svg.hashsalt": "bryggan",
}
"""Style for every chart; `svg.hashsalt` makes SVG output repeatable."""


def weekly_figure(chart: WeeklyChart) -> Figure:
    """The weekly chart as a matplotlib figure (tests read its bars and legend)."""
    from matplotlib import rc_context

    with rc_context(RC):
        return _weekly_figure(chart)


def _weekly_figure(chart: WeeklyChart) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    labels = [textwrap.fill(s.name, LEGEND_WRAP) for s in reversed(chart.series)]
    legend_lines = sum(label.count("\n") + 1 for label in labels)
    title = textwrap.fill(chart.title, 40)
    top = 0.35 * (title.count("\n") + 1) + 0.35
    legend = 0.235 * legend_lines + 0.25 * bool(labels)
    plot = 3.2
    height = top + plot + 0.75 + legend
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.text(0.04, 1 - 0.18 / height, title, fontsize=14, weight="bold", va="top")
    figure.text(
        0.04,
        1 - (top - 0.12) / height,
        chart.subtitle,
        fontsize=11,
        color=MUTED_COLOUR,
        va="bottom",
    )
    bottom_of_plot = (legend + 0.75) / height
    axes = figure.add_axes((0.13, bottom_of_plot, 0.84, plot / height))
    positions = list(range(len(chart.weeks)))
    stacked = [0] * len(chart.weeks)
    for series in chart.series:
        axes.bar(positions, series.counts, bottom=stacked, width=0.72, **bar_style(series.slot))
        stacked = [b + c for b, c in zip(stacked, series.counts, strict=True)]
    for x, total in zip(positions, stacked, strict=True):
        if total:
            axes.annotate(
                str(total),
                (x, total),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=11,
                color=MUTED_COLOUR,
            )
    axes.set_xticks(positions, chart.weeks, fontsize=11)
    axes.set_xlabel(chart.week_axis, fontsize=11)
    axes.set_ylabel(chart.axis, fontsize=11)
    axes.set_xlim(-0.6, len(positions) - 0.4)
    axes.set_ylim(0, max(1, max(stacked, default=0)) * 1.12)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", labelsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e4e4e4", linewidth=0.8)
    axes.set_axisbelow(True)
    if labels:
        handles = [
            Patch(label=label, **bar_style(s.slot))
            for label, s in zip(labels, reversed(chart.series), strict=True)
        ]
        figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.02, (legend + 0.05) / height),
            frameon=False,
            fontsize=11,
            handlelength=1.6,
            handleheight=1.1,
            labelspacing=0.35,
            borderaxespad=0,
        )
    return figure


def save_png(figure: Figure, path: Path) -> Path:
    """Write `figure` to `path` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png.tmp")
    os.close(handle)
    figure.savefig(temporary, format="png")
    os.replace(temporary, path)
    return path


def render_weekly_chart(chart: WeeklyChart, path: Path) -> Path:
    """Stacked bars, one per week, each category in its fixed colour; written to `path`."""
    # matplotlib costs ~0.45 s and ~40 MiB at import, needed once a week, not at start.
    from matplotlib import rc_context

    with rc_context(RC):
        return save_png(_weekly_figure(chart), path)
