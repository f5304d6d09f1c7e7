"""The bank as Markdown and HTML for a training day: entries in use, by category."""

from __future__ import annotations

from datetime import date

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.knowledge import bank_document, bank_html, bank_markdown
from tests.handlers.knowledge.test_knowledge_flow import save_entry


def test_markdown_and_html_hold_the_entries_in_use_by_category(app: Bryggan) -> None:
    first = save_entry(app)
    second = save_entry(
        app,
        "Karensavdrag <och> sjuklön | Karensavdraget görs vid varje ny sjukperiod. | bekräftat",
        "Hur fungerar karensavdraget?",
    )
    retired = save_entry(app, "Gammal post | Ska inte med. | bekräftat", "Gammal fråga?")
    reply = app.core.handle(Request("console", "maria", f"/kunskap arkivera {retired}"))
    assert reply is not None and "arkiverad" in reply.text
    with app.stores() as store:
        document = bank_document(store, date(2026, 11, 30))
    markdown = bank_markdown(document)
    assert markdown.startswith("# Kunskapsbanken\n\n2 poster")
    assert "## SGI och övriga förmåner" in markdown
    assert f"### {first} SGI vid deltid" in markdown
    assert f"### {second} Karensavdrag <och> sjuklön" in markdown
    assert "*Granskas senast 23 nov 2027.*" in markdown
    assert "Gammal post" not in markdown and "Lisa" not in markdown
    page = bank_html(document)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert f"<h3>{second} Karensavdrag &lt;och&gt; sjuklön</h3>" in page
    assert "Gammal post" not in page
