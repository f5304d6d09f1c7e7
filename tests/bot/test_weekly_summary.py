"""The weekly summary post: its content, its chart, and exactly one post per week and
channel, across repeated runs, a rebuilt app and two processes at once."""

from __future__ import annotations

import os
import threading
import time as time_module
from datetime import datetime, time
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from bot.config import ConfigError
from bot.console import ConsoleMessenger
from bot.weekly import post_due_summaries, start_weekly_summaries, weekly_settings
from bot.wiring import Bryggan, build
from handlers.delivery.outbox import OutboxSender
from storage.models import JobRunRow, OutboxRow, PersonRow
from tests.statistics_seed import SECRET, seed_questions
from tests.support import Clock, RecordingMessenger
from tests.support import test_config as make_config

MONDAY_W01 = datetime.fromisoformat("2027-01-04T08:00+01:00")  # summarises week 53


def steering(chart_dir: Path, extra: str = "") -> str:
    return f"""
[statistics]
chart_dir = "{chart_dir}"
{extra}

[[statistics.weekly]]
platform = "console"
channel = "styrgrupp"
"""


@pytest.fixture
def weekly_app(database_url: str, clock: Clock, tmp_path: Path) -> Bryggan:
    app = build(make_config(database_url, steering(tmp_path / "charts")), clock)
    seed_questions(app)
    clock.now = MONDAY_W01
    return app


def channel_posts(app: Bryggan) -> list[OutboxRow]:
    with app.database.session() as session:
        rows = list(session.scalars(select(OutboxRow).where(OutboxRow.kind == "channel")))
        session.expunge_all()
        return rows


def test_the_post_shows_last_week_by_category_and_the_totals(weekly_app: Bryggan) -> None:
    assert post_due_summaries(weekly_app) == 4  # styrgrupp + three unit channels
    posts = {row.channel: row for row in channel_posts(weekly_app)}
    assert set(posts) == {"styrgrupp", "kristianstad", "hassleholm", "lund"}
    text = posts["styrgrupp"].text or ""
    lines = text.splitlines()
    assert lines[0] == "📊 Veckosammanfattning v. 53 2026 (28 dec–3 jan) · alla enheter"
    assert lines[1] == "Förra veckan kom 4 frågor; 4 av dem är redan hanterade."
    assert lines[2:7] == [
        "```",
        "Kategori                     Frågor  Hanterade",
        "SGI och övriga förmåner           2          2",
        "Komplettering av läkarintyg       1          1",
        "Regler i sjukförsäkringen         1          1",
    ]
    # Every seeded question is stored; #5, #13, #10 and #19 are open, #5 is past its deadline.
    assert "Sedan start: 19 frågor. Öppna nu: 4, varav 1 efter frist." in text
    assert "Diagrammet visar frågorna per kategori vecka för vecka (12 veckor)." in text
    assert SECRET not in text
    own = posts["kristianstad"].text or ""
    assert own.startswith(
        "📊 Veckosammanfattning v. 53 2026 (28 dec–3 jan) · Vuxenpsykiatri Kristianstad"
    )
    assert "Förra veckan kom 2 frågor" in own
    lund = posts["lund"].text or ""
    assert "Inga nya frågor förra veckan." in lund


def test_the_chart_is_a_png_next_to_the_post(weekly_app: Bryggan, tmp_path: Path) -> None:
    charts = tmp_path / "charts"
    charts.mkdir()
    stale, recent = charts / "slack_C1_2026-W40.png", charts / "slack_C1_2026-W52.png"
    for path, days in ((stale, 60), (recent, 10)):
        path.write_bytes(b"old chart")
        moment = time_module.time() - days * 86400
        os.utime(path, (moment, moment))
    post_due_summaries(weekly_app)
    assert not stale.exists() and recent.exists()  # charts are kept eight weeks
    attachment = next(r.attachment for r in channel_posts(weekly_app) if r.channel == "styrgrupp")
    assert attachment is not None
    chart = Path(attachment)
    assert chart.parent == tmp_path / "charts" and chart.name == "console_styrgrupp_2027-W01.png"
    data = chart.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_exactly_once_per_week_across_runs_and_a_rebuilt_app(
    weekly_app: Bryggan, database_url: str, clock: Clock, tmp_path: Path
) -> None:
    assert post_due_summaries(weekly_app) == 4
    clock.advance(hours=3)
    assert post_due_summaries(weekly_app) == 0
    rebuilt = build(make_config(database_url, steering(tmp_path / "charts")), clock)
    try:
        assert post_due_summaries(rebuilt) == 0
        assert len(channel_posts(rebuilt)) == 4
        clock.advance(days=7)
        assert post_due_summaries(rebuilt) == 4
        assert len(channel_posts(rebuilt)) == 8
    finally:
        rebuilt.database.engine.dispose()
    with weekly_app.database.session() as session:
        keys = set(session.scalars(select(JobRunRow.key)))
    assert {"weekly:console:styrgrupp:2027-W01", "weekly:console:styrgrupp:2027-W02"} <= keys


def test_two_processes_at_once_post_once(
    weekly_app: Bryggan, database_url: str, clock: Clock, tmp_path: Path
) -> None:
    other = build(make_config(database_url, steering(tmp_path / "charts")), clock)
    results: list[int] = []
    start = threading.Barrier(2)

    def run(app: Bryggan) -> None:
        start.wait()
        results.append(post_due_summaries(app))

    threads = [threading.Thread(target=run, args=(a,)) for a in (weekly_app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.database.engine.dispose()
    assert sum(results) == 4
    assert len(channel_posts(weekly_app)) == 4


def test_not_before_the_configured_day_and_time(
    database_url: str, clock: Clock, tmp_path: Path
) -> None:
    extra = 'day = "tisdag"\ntime = "14.30"\nunit_channels = false'
    app = build(make_config(database_url, steering(tmp_path, extra)), clock)
    try:
        clock.now = datetime.fromisoformat("2027-01-05T14:29+01:00")
        assert post_due_summaries(app) == 0
        clock.now = datetime.fromisoformat("2027-01-05T14:30+01:00")
        assert post_due_summaries(app) == 1
        assert [r.channel for r in channel_posts(app)] == ["styrgrupp"]
    finally:
        app.database.engine.dispose()


def test_the_outbox_delivers_text_and_chart(weekly_app: Bryggan, clock: Clock) -> None:
    post_due_summaries(weekly_app)
    recorded = RecordingMessenger()
    OutboxSender(weekly_app.core.stores, recorded, clock).drain()
    channel, text, attachment = next(m for m in recorded.messages if m[0] == "styrgrupp")
    assert text.startswith("📊 Veckosammanfattning") and attachment and attachment.endswith(".png")
    printed: list[str] = []
    console = ConsoleMessenger(printed.append)
    console.post_message(channel=channel, text=text, attachment=attachment, key="outbox-1")
    assert printed[0].endswith(f"(bifogad fil: {attachment})")


def test_the_scheduler_gets_one_job_per_channel_and_catches_up(weekly_app: Bryggan) -> None:
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    start_weekly_summaries(scheduler, weekly_app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "weekly:console:styrgrupp",
        "weekly:console:kristianstad",
        "weekly:console:hassleholm",
        "weekly:console:lund",
    }
    fields = {f.name: str(f) for f in jobs["weekly:console:styrgrupp"].trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("0", "8", "0")
    assert len(channel_posts(weekly_app)) == 4  # the catch-up at start posted this week's


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('day = "fredagsmys"', "day ska vara en veckodag"),
        ('time = "25:00"', "time ska vara en tid"),
        ("unit_channels = 1", "unit_channels ska vara true eller false"),
    ],
)
def test_bad_statistics_config_names_the_key(
    database_url: str, tmp_path: Path, extra: str, message: str
) -> None:
    config = make_config(database_url, steering(tmp_path, extra))
    with pytest.raises(ConfigError, match=message) as raised:
        weekly_settings(config)
    assert "test-config: [statistics]" in str(raised.value)


def test_a_weekly_entry_with_an_unknown_unit_is_refused(database_url: str, tmp_path: Path) -> None:
    extra = '\n[[statistics.weekly]]\nplatform = "slack"\nchannel = "C1"\nunits = ["malmo"]\n'
    config = make_config(database_url, steering(tmp_path) + extra)
    with pytest.raises(ConfigError, match=r"weekly nr 2: units ska vara en lista av"):
        weekly_settings(config)
    settings = weekly_settings(make_config(database_url, steering(tmp_path)))
    assert settings.targets[0].at == time(8, 0) and settings.targets[0].weekday == 0


def notices_to(app: Bryggan, person_key: str) -> list[str]:
    with app.database.session() as session:
        person = session.scalar(select(PersonRow).where(PersonRow.key == person_key))
        assert person is not None
        query = select(OutboxRow.text).where(
            OutboxRow.kind == "notice", OutboxRow.recipient_id == person.id
        )
        return [t or "" for t in session.scalars(query)]


def test_a_summary_missed_in_an_outage_is_posted_late_once(
    weekly_app: Bryggan, clock: Clock
) -> None:
    assert post_due_summaries(weekly_app) == 4  # week 1's, on time
    clock.now = datetime.fromisoformat("2027-01-13T10:00+01:00")  # down over Monday 11th
    assert post_due_summaries(weekly_app) == 4
    assert post_due_summaries(weekly_app) == 0
    late = [r.text or "" for r in channel_posts(weekly_app)][4:]
    assert len(late) == 4
    assert all(t.split("\n")[0].endswith("(försenad)") for t in late)
    assert all("v. 1 2027" in t.split("\n")[0] for t in late)  # the week it was due for
    assert "(försenad)" not in (channel_posts(weekly_app)[0].text or "")
    assert notices_to(weekly_app, "maria") == []


def test_a_summary_missed_beyond_the_window_is_not_posted_and_the_admins_are_told(
    weekly_app: Bryggan, clock: Clock, database_url: str, tmp_path: Path
) -> None:
    assert post_due_summaries(weekly_app) == 4
    clock.now = datetime.fromisoformat("2027-01-20T10:00+01:00")  # down 8-20 January
    assert post_due_summaries(weekly_app) == 4  # week 3's, two days late; week 2's: too late
    titles = [(r.text or "").split("\n")[0] for r in channel_posts(weekly_app)][4:]
    assert all("v. 2 2027" in t and t.endswith("(försenad)") for t in titles)
    told = notices_to(weekly_app, "maria")
    assert told == [
        "Veckosammanfattningen för v. 1 2027 postades inte: Bryggan var inte igång när den "
        "skulle ut (11 jan 2027 08:00), och den postas bara upp till 3 dagar för sent. "
        "Skriv /statistik v. 1 2027 för att se den."
    ]
    other = build(make_config(database_url, steering(tmp_path / "charts")), clock)
    try:  # a second process, or a restart: nothing more
        assert post_due_summaries(other) == 0
        assert len(notices_to(weekly_app, "maria")) == 1
        assert len(channel_posts(weekly_app)) == 8
    finally:
        other.database.engine.dispose()


def test_late_days_zero_posts_nothing_late(database_url: str, clock: Clock, tmp_path: Path) -> None:
    app = build(make_config(database_url, steering(tmp_path, "late_days = 0")), clock)
    try:
        clock.now = MONDAY_W01
        assert post_due_summaries(app) > 0
        clock.now = datetime.fromisoformat("2027-01-11T09:00+01:00")
        assert post_due_summaries(app) == 0
        assert len(notices_to(app, "maria")) == 1
    finally:
        app.database.engine.dispose()


@pytest.mark.parametrize("value", ['"tre"', "-1", "40", "true", "2.5"])
def test_a_bad_late_days_is_refused_naming_the_key(
    database_url: str, tmp_path: Path, value: str
) -> None:
    config = make_config(database_url, steering(tmp_path, f"late_days = {value}"))
    with pytest.raises(ConfigError, match="late_days ska vara ett helt antal dagar 0–28"):
        weekly_settings(config)


def test_two_processes_catching_up_post_the_late_summary_once(
    weekly_app: Bryggan, database_url: str, clock: Clock, tmp_path: Path
) -> None:
    assert post_due_summaries(weekly_app) == 4
    clock.now = datetime.fromisoformat("2027-01-13T10:00+01:00")
    other = build(make_config(database_url, steering(tmp_path / "charts")), clock)
    results: list[int] = []
    start = threading.Barrier(2)

    def run(app: Bryggan) -> None:
        start.wait()
        results.append(post_due_summaries(app))

    threads = [threading.Thread(target=run, args=(a,)) for a in (weekly_app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.database.engine.dispose()
    assert sum(results) == 4
    assert sum("(försenad)" in (r.text or "") for r in channel_posts(weekly_app)) == 4
