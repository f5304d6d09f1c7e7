"""The HTML report printed to PDF by headless Chromium, as an administrator would print it:
A4 pages, none of them blank, every section's heading in the text, and the charts drawn
(their colours on the pages). Chromium and poppler come from `.ci/chromium-up`; without
them the test fails and says so, it does not skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from bot.report_render import to_html
from bot.reports import build_document
from bot.wiring import Bryggan
from handlers.dates.periods import quarter
from tests.statistics_seed import NOW, seed_questions

TOOLS = ("chromium", "pdfinfo", "pdftoppm", "pdftotext")
CHART_COLOURS = {
    "dark blue (this period, vård → FK)": (0x2F, 0x4B, 0x7C),
    "bluish green (SGI och övriga förmåner)": (0x00, 0x9E, 0x73),
    "orange (Planering framåt)": (0xE6, 0x9F, 0x00),
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: run .ci/chromium-up (Debian's chromium, poppler-utils)")
    return found


def run(*arguments: str) -> str:
    done = subprocess.run(arguments, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"{arguments[0]} failed: {done.stderr[-2000:]}"
    return done.stdout


def print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    run(
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.as_uri(),
    )


def has_colour(image: Image.Image, colour: tuple[int, int, int], pixels: int = 40) -> bool:
    """At least `pixels` pixels within a small distance of `colour` (anti-aliasing aside)."""
    near = 0
    for (r, g, b), count in _colours(image):
        if abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) <= 24:
            near += count
    return near >= pixels


def _colours(image: Image.Image) -> list[tuple[tuple[int, int, int], int]]:
    found = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert found is not None
    return [(colour, count) for count, colour in found]  # type: ignore[misc]


def test_the_html_report_prints_to_pdf_with_its_charts(app: Bryggan, tmp_path: Path) -> None:
    for name in TOOLS:
        tool(name)
    seed_questions(app)
    document = build_document(app.core.stores, period=quarter(2026, 4), now=NOW, per_contact=True)
    html, pdf = tmp_path / "q4.html", tmp_path / "q4.pdf"
    html.write_text(to_html(document), encoding="utf-8")
    print_to_pdf(html, pdf, tmp_path / "profile")
    info = run("pdfinfo", str(pdf))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "(A4)" in info and 2 <= pages <= 8, info
    text = run("pdftotext", "-layout", str(pdf), "-")
    for heading in (document.title, *(table.title for table in document.tables)):
        assert heading in text, f"{heading!r} is not in the PDF"
    assert "Ingen kontaktperson (inte tagna)" in text and "¹ Besvarade 9 av de 12" in text
    run("pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page"))
    images = [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]
    assert len(images) == pages
    for number, image in enumerate(images, start=1):
        inked = sum(count for colour, count in _colours(image) if sum(colour) < 3 * 230)
        assert inked > 0.01 * image.width * image.height, f"page {number} is (nearly) blank"
    for name, colour in CHART_COLOURS.items():
        assert any(has_colour(image, colour) for image in images), f"no {name} on any page"
