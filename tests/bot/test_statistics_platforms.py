"""`/statistik` as people read it on a phone, on every platform: a summary of at most seven
lines; with `tabell` the tables too, laid out by the platform (aligned text in the console,
a Block Kit section per table in Slack, HTML tables in Matrix)."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import Console
from bot.wiring import Bryggan
from storage.models import PersonRow, QuestionRow, UnitRow
from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.bot.slack_support import SlackHarness, ack_text
from tests.matrix_homeserver import SynapseHomeserver
from tests.statistics_seed import NOW, seed_questions
from tests.support import Clock

PHONE_LINES = 8
"""The summary has fewer lines than this on every platform."""


def test_the_console_summary_and_tables(app: Bryggan, clock: Clock) -> None:
    seed_questions(app)
    clock.now = NOW
    out = io.StringIO()
    console = Console(app, out, echo=False)
    console.say("@maria: /statistik kvartal 4 2026")
    summary = out.getvalue().strip().splitlines()
    assert summary[0] == "Bryggan: 📊 Statistik kvartal 4 2026 · alla enheter"
    assert len(summary) < PHONE_LINES
    console.say("@maria: /statistik tabell kvartal 4 2026")
    tables = out.getvalue()
    assert "SGI och övriga förmåner                            4          4      0      1" in tables


def test_slack_shows_the_summary_and_each_table_as_a_section(
    slack: SlackHarness, clock: Clock
) -> None:
    seed_questions(slack.bryggan)
    clock.now = NOW
    response = slack.command("statistik kvartal 4 2026", user="UANNA", command="/bryggan")
    summary = ack_text(response).splitlines()
    assert summary[0] == (
        "📊 Statistik kvartal 4 2026 · Vuxenpsykiatri Kristianstad, Vuxenpsykiatri Hässleholm,"
        " Vuxenpsykiatri Ystad"
    )
    assert (
        summary[-1]
        == "Tabeller per kategori, riktning och enhet: /bryggan statistik tabell kvartal 4 2026"
    )
    assert len(summary) < PHONE_LINES
    assert not (response.body or "").startswith("{")  # plain text, no blocks
    response = slack.command("statistik tabell kvartal 4 2026", user="UANNA", command="/bryggan")
    blocks: list[dict[str, Any]] = json.loads(response.body or "{}")["blocks"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert sections[0].splitlines()[0] == summary[0]
    category = sections[1].splitlines()
    assert category[0] == "*Per kategori*"
    assert "SGI och övriga förmåner: frågor *4* · hanterade *4* · öppna *0* · förra *1*" in category
    assert [s.splitlines()[0] for s in sections[2:]] == [
        "*Per riktning*",
        "*Per enhet*",
        "*Svarstider per enhet*",
    ]
    assert "```" in ack_text(response)  # the aligned tables stay as the message's text


def matrix_questions(app: Bryggan, now: Any) -> None:
    """Five questions in Malmö this month, in three categories; two still open."""
    with app.database.session() as session:
        unit = session.scalars(select(UnitRow).where(UnitRow.slug == "malmo")).one()
        people = {p.key: p.id for p in session.scalars(select(PersonRow))}
        facts = [
            ("sgi_formaner", 2),
            ("sgi_formaner", 3),
            ("regler", 4),
            ("prognos", None),
            ("planering", None),
        ]
        for number, (category, answered) in enumerate(facts, start=1):
            created = now - timedelta(days=number)
            later = None if answered is None else created + timedelta(hours=answered)
            session.add(
                QuestionRow(
                    ref=f"F-{created.year}-{number:04d}",
                    unit_id=unit.id,
                    direction="vard_till_fk",
                    category=category,
                    consent_mode="avidentifierad",
                    text="Avidentifierad fråga",
                    asker_id=people["doktor"],
                    assignee_id=people["kontakt"] if later else None,
                    status="besvarad" if later else "ny",
                    origin_platform="matrix",
                    created_at=created,
                    claimed_at=later,
                    first_response_at=later,
                    answered_at=later,
                )
            )


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite: the counting is tested on both databases elsewhere; this is about Matrix."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


def test_matrix_shows_the_summary_and_the_tables_as_html(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as scene:
            matrix_questions(scene.app, clock.now)
            contact, room = scene.contact, scene.room
            asked = await contact.say(room, "!statistik senaste 30 dagarna")
            reply = await contact.until(lambda: first(contact.replies_to(room, asked)), "summary")
            lines = reply.body.splitlines()
            assert lines[0].startswith("📊 Statistik ") and "Vuxenpsykiatri Malmö" in lines[0]
            assert "Frågor: 5 " in lines[1] and "hanterade 3 · öppna 2" in lines[1]
            assert lines[-1].endswith("!statistik tabell senaste 30 dagarna")
            assert len(lines) < PHONE_LINES
            asked = await contact.say(room, "!statistik tabell senaste 30 dagarna")
            tables = await contact.until(lambda: first(contact.replies_to(room, asked)), "tables")
            content = tables.source["content"]
            html = content["formatted_body"]
            assert content["format"] == "org.matrix.custom.html"
            assert html.count("<table>") == 3  # category, direction, times: one unit
            assert "<tr><td>SGI och övriga förmåner</td><td>2</td><td>2</td><td>0</td>" in html
            assert "```" not in html and "```" in content["body"]

    asyncio.run(scenario())
