"""Example figures for the charts: twelve weeks of a steering group's questions over the
turn of the year, in the proportions the seed projects reported (sickness compensation,
completions of certificates and sick-leave planning most often; a long tail of rare
categories). Run as a module to redraw the README's chart:

    python -m tests.bot.chart_examples docs/weekly-chart.png
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from handlers.kernel import Category
from handlers.questions import START_SET
from handlers.statistics import CHART_WEEKS, BucketRow, Overview, Tally, WeeklyChart

MONDAY = datetime.fromisoformat("2027-01-18T08:00+01:00")  # summarises 2027-W02
CATEGORIES = [Category(slug, name) for slug, name in START_SET]
WEIGHTS = {
    "sa_ae": 20,
    "komplettering": 15,
    "arendeplanering": 12,
    "sgi_formaner": 10,
    "planering": 10,
    "regler": 8,
    "arbetsformaga": 7,
    "behandlingsresultat": 6,
    "prognos": 4,
    "avstamningsmote": 3,
    "intyg": 2,
    "komplext": 1,
    "rehabbehov": 1,
    "ovrigt": 1,
}


class ExampleQueries:
    """`StatisticsQueries` for the summary: a steady 6–12 questions a week, fewer at
    Christmas, each week drawn from the same seed."""

    def __init__(self, weights: dict[str, int] = WEIGHTS, seed: int = 18) -> None:
        self.weights = weights
        self.seed = seed

    def statistics_buckets(self, **_: Any) -> list[BucketRow]:
        rng = random.Random(self.seed)
        rows: list[BucketRow] = []
        slugs, weights = list(self.weights), list(self.weights.values())
        for bucket in range(CHART_WEEKS):
            asked = rng.randint(6, 12) if bucket not in (8, 9) else rng.randint(2, 4)
            counts: dict[str, int] = {}
            for slug in rng.choices(slugs, weights, k=asked):
                counts[slug] = counts.get(slug, 0) + 1
            rows += [BucketRow(bucket, s, Tally(n, n, 0)) for s, n in counts.items()]
        return rows

    def statistics_overview(self, **_: Any) -> Overview:
        return Overview(412, 9, 1)


def example_chart(
    scope_label: str = "alla enheter",
    weights: dict[str, int] = WEIGHTS,
    seed: int = 18,
    categories: Sequence[Category] = CATEGORIES,
) -> WeeklyChart:
    from handlers.statistics import Scope, weekly_summary

    summary = weekly_summary(
        ExampleQueries(weights, seed),  # type: ignore[arg-type]
        scope=Scope(),
        scope_label=scope_label,
        categories=categories,
        now=MONDAY,
    )
    return summary.chart


def main(argv: list[str]) -> None:
    from bot.charts import render_weekly_chart

    out = Path(argv[0] if argv else "weekly-chart.png")
    render_weekly_chart(example_chart(), out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
