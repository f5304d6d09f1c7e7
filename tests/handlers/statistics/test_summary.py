"""The weekly summary's figures and chart data, and the duration and change wording."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.wiring import Bryggan
from handlers.kernel.model import Category
from handlers.statistics.command import statistics_queries
from handlers.statistics.report import BucketRow, Overview, Scope, Tally
from handlers.statistics.summary import summary_key, weekly_summary
from handlers.statistics.text import duration_text, percent_change
from tests.statistics_seed import seed_questions

MONDAY_W01 = datetime.fromisoformat("2027-01-04T08:00+01:00")


def test_twelve_weeks_of_categories_up_to_week_53(app: Bryggan) -> None:
    seed_questions(app)
    with app.stores() as store:
        summary = weekly_summary(
            statistics_queries(store),
            scope=Scope(),
            scope_label="alla enheter",
            categories=store.categories(),
            now=MONDAY_W01,
        )
    chart = summary.chart
    assert chart.weeks == tuple(str(n) for n in range(42, 54))
    assert chart.title == "Frågor per kategori · alla enheter"
    assert chart.subtitle == "v. 42–53 2026 · 12 veckor"
    per_week = [sum(s.counts[i] for s in chart.series) for i in range(12)]
    # W42: #14 · W43 (the DST week): #13 #4 #5 #1 #2 · W44: #3 #18 · W52: #15 · W53: four
    assert per_week == [1, 5, 2, 0, 0, 0, 0, 0, 0, 0, 1, 4]
    sgi = next(s for s in chart.series if s.name == "SGI och övriga förmåner")
    assert sgi.counts == (0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
    assert sgi.slot == 9  # its place in the category list: its colour in every chart
    assert summary.total == Tally(4, 4, 0)
    assert summary.by_category[0] == ("SGI och övriga förmåner", Tally(2, 2, 0))


class FakeQueries:
    """Fourteen categories in the last week: the chart lumps the smallest."""

    def statistics_buckets(self, **_: object) -> list[BucketRow]:
        return [BucketRow(11, f"c{i}", Tally(i + 1, 0, i + 1)) for i in range(14)]

    def statistics_overview(self, **_: object) -> Overview:
        return Overview(100, 3, 1)


def test_small_categories_are_lumped_in_the_chart() -> None:
    categories = [Category(f"c{i}", f"Kategori {i}") for i in range(14)]
    summary = weekly_summary(
        FakeQueries(),  # type: ignore[arg-type]
        scope=Scope(),
        scope_label="x",
        categories=categories,
        now=MONDAY_W01,
    )
    series = summary.chart.series
    assert [s.name for s in series[:10]] == [f"Kategori {i}" for i in range(13, 3, -1)]
    assert [s.slot for s in series[:10]] == list(range(13, 3, -1))
    # 105 questions: the ten largest leave 1 + 2 + 3 + 4 = 10, under a tenth, for "others".
    assert (series[10].name, series[10].counts[11], series[10].slot) == (
        "Övriga kategorier (4)",
        10,
        None,
    )
    assert len(summary.by_category) == 14  # the table keeps every category


def test_the_job_key_is_the_iso_week_of_the_post() -> None:
    assert summary_key("slack", "C1", MONDAY_W01) == "weekly:slack:C1:2027-W01"
    sunday = datetime.fromisoformat("2027-01-03T23:30+01:00")  # still 2026-W53 in Stockholm
    assert summary_key("matrix", "!r", sunday) == "weekly:matrix:!r:2026-W53"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (20, "< 1 min"),
        (45 * 60, "45 min"),
        (2 * 3600 + 5 * 60, "2 tim 5 min"),
        (3 * 3600, "3 tim"),
        (27 * 3600, "1 dag 3 tim"),
        (4 * 86400 + 59, "4 dagar"),
    ],
)
def test_durations_in_swedish(seconds: float | None, text: str) -> None:
    assert duration_text(seconds) == text


def test_percent_change() -> None:
    assert (percent_change(12, 3), percent_change(0, 1), percent_change(5, 5)) == (
        "+300 %",
        "-100 %",
        "±0 %",
    )
    assert percent_change(3, 0) is None
