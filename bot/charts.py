"""Drawing the weekly summary's bar chart as a PNG (matplotlib, Agg, no pyplot state).

Presentation only: no platform imports. The Slack and Matrix adapters upload the file the
outbox names; the console prints its path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from handlers.statistics import WeeklyChart

_COLOURS = [
    "#1b6ca8",
    "#e07a1f",
    "#3a9a4a",
    "#c23b3b",
    "#7b5ea7",
    "#8c6d46",
    "#d66fb0",
    "#7f7f7f",
]


def render_weekly_chart(chart: WeeklyChart, path: Path) -> Path:
    """Stacked bars, one per week, one colour per category; written atomically to `path`."""
    # Imported here: matplotlib costs ~0.45 s and ~40 MiB, needed once a week, not at start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(9, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(chart.weeks)))
    bottom = [0] * len(chart.weeks)
    for index, (name, counts) in enumerate(chart.series):
        colour = _COLOURS[index % len(_COLOURS)]
        axes.bar(positions, counts, bottom=bottom, label=name, color=colour, width=0.7)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_xticks(positions, chart.weeks)
    axes.set_ylabel(chart.axis)
    axes.set_title(chart.title)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    if chart.series:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png.tmp")
    os.close(handle)
    figure.savefig(temporary, format="png")
    os.replace(temporary, path)
    return path
