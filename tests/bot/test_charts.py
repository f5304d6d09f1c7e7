"""The weekly chart as people see it: each category in the same colour in every chart,
the unit and the years in the title, the legend in the order of the stack, text large
enough on a phone, and the small categories kept small."""

from __future__ import annotations

from pathlib import Path

from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from bot.charts import render_weekly_chart, weekly_figure
from handlers.questions import START_SET
from handlers.statistics import WeeklyChart
from tests.bot.chart_examples import WEIGHTS, example_chart

NAMES = dict(START_SET)
PINNED = {
    "behandlingsresultat": ("#0072b2", ""),
    "planering": ("#e69f00", ""),
    "prognos": ("#009e73", ""),
    "arbetsformaga": ("#cc79a7", ""),
    "komplext": ("#56b4e9", ""),
    "komplettering": ("#d55e00", ""),
    "intyg": ("#f0e442", ""),
    "sa_ae": ("#0072b2", "///"),
    "arendeplanering": ("#e69f00", "///"),
    "sgi_formaner": ("#009e73", "///"),
    "avstamningsmote": ("#cc79a7", "///"),
    "regler": ("#56b4e9", "///"),
    "rehabbehov": ("#d55e00", "///"),
    "ovrigt": ("#f0e442", "///"),
}
"""Every category's look: its place in the category list, never its rank in a chart."""
RARE_FIRST = {slug: (21 - weight) ** 2 for slug, weight in WEIGHTS.items()}
"""A unit whose questions are mostly in the steering group's rare categories."""


def drawn(figure: Figure) -> dict[str, tuple[str, str]]:
    """Each series' look as drawn: the bars' fill and hatching, by the legend's labels."""
    axes = figure.axes[0]
    [legend] = figure.legends
    labels = [text.get_text().replace("\n", " ") for text in legend.get_texts()]
    bars = [c for c in axes.containers if isinstance(c, BarContainer)]
    assert len(bars) == len(labels)
    looks: dict[str, tuple[str, str]] = {}
    # The legend lists the stack from the top: the last series drawn comes first.
    for label, container, handle in zip(labels, reversed(bars), legend.legend_handles, strict=True):
        colours = {(to_hex(bar.get_facecolor()), bar.get_hatch() or "") for bar in container}
        assert len(colours) == 1, f"{label} has more than one look: {colours}"
        assert isinstance(handle, Patch)
        assert (to_hex(handle.get_facecolor()), handle.get_hatch() or "") in colours
        looks[label] = colours.pop()
    return looks


def test_a_category_has_the_same_colour_in_two_charts_whatever_its_rank() -> None:
    steering = example_chart("alla enheter")
    unit = example_chart("Vuxenpsykiatri Kristianstad", RARE_FIRST, seed=6)
    first, second = drawn(weekly_figure(steering)), drawn(weekly_figure(unit))
    by_name = {NAMES[slug]: look for slug, look in PINNED.items()}
    for looks in (first, second):
        categories = {name: look for name, look in looks.items() if name in by_name}
        assert categories == {name: by_name[name] for name in categories}
    both = set(first) & set(second) & set(by_name)
    assert len(both) >= 2
    ranks = [[s.name for s in chart.series] for chart in (steering, unit)]
    assert any(ranks[0].index(name) != ranks[1].index(name) for name in both)
    assert set(by_name) <= set(first) | set(second)  # every category drawn at least once
    others = [look for name, look in first.items() if name.startswith("Övriga kategorier")]
    assert others == [("#b4b4b4", "")]


def test_the_title_names_the_unit_and_both_years() -> None:
    chart = example_chart("Vuxenpsykiatri Kristianstad")
    assert chart.title == "Frågor per kategori · Vuxenpsykiatri Kristianstad"
    assert chart.subtitle == "v. 44 2026 – v. 2 2027 · 12 veckor"
    assert chart.weeks[-3:] == ("53", "1", "2")
    texts = [t.get_text().replace("\n", " ") for t in weekly_figure(chart).texts]
    assert "Frågor per kategori · Vuxenpsykiatri Kristianstad" in texts
    assert "v. 44 2026 – v. 2 2027 · 12 veckor" in texts


def test_the_legend_follows_the_stack_from_the_top() -> None:
    chart = example_chart()
    [legend] = weekly_figure(chart).legends
    labels = [text.get_text().replace("\n", " ") for text in legend.get_texts()]
    assert labels == [s.name for s in reversed(chart.series)]
    totals = [sum(s.counts) for s in chart.series if s.slot is not None]
    assert totals == sorted(totals, reverse=True)  # the largest at the bottom


def test_the_small_categories_stay_small() -> None:
    chart = example_chart()
    whole = sum(sum(s.counts) for s in chart.series)
    [others] = [s for s in chart.series if s.slot is None]
    assert chart.series[-1] == others and others.name == "Övriga kategorier (3)"
    assert sum(others.counts) <= 0.1 * whole


def test_every_text_is_readable_at_phone_width(tmp_path: Path) -> None:
    """Shown 360 px wide, no text is smaller than 10 px and nothing sticks out."""
    figure = weekly_figure(example_chart())
    width_in_points = figure.get_figwidth() * 72
    sizes = [float(t.get_fontsize()) for t in figure.findobj(Text) if t.get_text().strip()]
    assert min(sizes) * 360 / width_in_points >= 10
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    box = figure.bbox
    for text in figure.findobj(Text):
        if text.get_text().strip():
            extent = text.get_window_extent(renderer)
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()
    png = render_weekly_chart(example_chart(), tmp_path / "chart.png")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_an_empty_chart_is_still_a_chart(tmp_path: Path) -> None:
    weeks = tuple(str(n) for n in range(1, 13))
    empty = WeeklyChart("Frågor per kategori · Lund", "v. 1–12 2027", "Antal", "Vecka", weeks, ())
    assert weekly_figure(empty).legends == []
    assert render_weekly_chart(empty, tmp_path / "empty.png").stat().st_size > 5_000
