"""Pulse reminders and holiday notices at the right instants; once, across runs, processes
and restarts; missed ones sent within the grace window and logged beyond it."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest

from bot.scheduler import run_due_now
from bot.wiring import Bryggan, build
from tests import support
from tests.handlers.meetings.pulse_support import (
    SERIES,
    Posts,
    at,
    audit_details,
    outbox_texts,
    say,
)
from tests.support import Clock

DAY_BEFORE = (
    "⏰ Påminnelse: Pulsmöte 1 i morgon, torsdag 26 november 2026 kl 13:00 "
    "(Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm).\nLänk: https://meet.example/p"
)
SOON = (
    "⏰ Pulsmöte 1 börjar om 15 minuter, kl 13:00 "
    "(Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm).\nLänk: https://meet.example/p"
)


def reminders(posts: Posts) -> list[str]:
    return [p for p in posts.channel("kristianstad") if p.startswith("⏰")]


def test_reminders_fall_at_the_configured_instants(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    moment, end, seen = at(2026, 11, 25, 14, 0), at(2026, 11, 26, 13, 30), []
    while moment <= end:
        posts.run(moment)
        seen += [(moment, text) for text in reminders(posts) if (moment, text) not in seen]
        posts.clear()
        moment += timedelta(minutes=15)
    assert seen == [(at(2026, 11, 25, 15, 0), DAY_BEFORE), (at(2026, 11, 26, 12, 45), SOON)]
    assert posts.messenger.messages == []


def test_nothing_early_and_each_unit_channel_once(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    posts.run(at(2026, 11, 25, 14, 59))
    assert reminders(posts) == []
    posts.run(at(2026, 11, 25, 15, 0))
    assert reminders(posts) == [DAY_BEFORE]
    assert [p for p in posts.channel("hassleholm") if p.startswith("⏰")] == [DAY_BEFORE]
    assert posts.channel("lund") == []


def test_a_moved_date_is_reminded_at_its_new_time_only(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    say(app, "maria", "/puls flytta 10/12 till 11/12 kl 10")
    posts.run(at(2026, 12, 9, 15, 0))
    assert reminders(posts) == []
    posts.run(at(2026, 12, 10, 15, 0))
    assert reminders(posts) == [
        "⏰ Påminnelse: Pulsmöte 1 i morgon, fredag 11 december 2026 kl 10:00 (flyttat från "
        "torsdag 10 december 2026 kl 13:00) (Vuxenpsykiatri Kristianstad och Vuxenpsykiatri "
        "Hässleholm).\nLänk: https://meet.example/p"
    ]
    posts.clear()
    posts.run(at(2026, 12, 10, 12, 45))
    assert reminders(posts) == []
    posts.run(at(2026, 12, 11, 9, 45))
    assert reminders(posts) == [SOON.replace("kl 13:00", "kl 10:00")]


def test_julafton_is_skipped_and_announced(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES)
    posts.run(at(2026, 12, 17, 8, 59))
    assert not [p for p in posts.channel("kristianstad") if "julafton" in p]
    posts.run(at(2026, 12, 17, 9, 0))
    assert posts.channel("kristianstad")[-1] == (
        "📅 Pulsmöte 1 torsdag 24 december 2026 kl 13:00 infaller på julafton och blir inte av. "
        "Nästa möte: torsdag 7 januari 2027 kl 13:00."
    )
    posts.clear()
    for moment in (at(2026, 12, 23, 15, 0), at(2026, 12, 24, 12, 45)):
        posts.run(moment)
    assert posts.messenger.messages == []


def test_julafton_moved_to_the_next_working_day(app: Bryggan, clock: Clock) -> None:
    posts = Posts(app, clock)
    say(app, "maria", SERIES + " helgdag:flytta")
    posts.run(at(2026, 12, 17, 9, 0))
    assert posts.channel("kristianstad")[-1] == (
        "📅 Pulsmöte 1 torsdag 24 december 2026 kl 13:00 infaller på julafton och flyttas till "
        "måndag 28 december 2026 kl 13:00.\nLänk: https://meet.example/p"
    )
    posts.clear()
    posts.run(at(2026, 12, 23, 15, 0))  # the working day before 28 December
    assert reminders(posts) == [
        "⏰ Påminnelse: Pulsmöte 1 måndag 28 december 2026 kl 13:00 (flyttat från torsdag 24 "
        "december 2026 kl 13:00) (Vuxenpsykiatri Kristianstad och Vuxenpsykiatri Hässleholm)."
        "\nLänk: https://meet.example/p"
    ]
    posts.clear()
    posts.run(at(2026, 12, 28, 12, 45))
    assert reminders(posts) == [SOON]


def test_running_twice_posts_once(app: Bryggan, clock: Clock) -> None:
    say(app, "maria", SERIES)
    clock.now = at(2026, 11, 25, 15, 0)
    first, second = run_due_now(app), run_due_now(app)
    assert first.sent == ["puls:1:2026-11-26T12:00Z:reminder:d1-1500"]
    assert second.sent == [] and second.missed == []
    assert outbox_texts(app).count(DAY_BEFORE) == 2  # two unit channels, one post each


def test_two_processes_on_one_database_post_once(
    app: Bryggan, clock: Clock, database_url: str
) -> None:
    say(app, "maria", SERIES)
    other = build(support.test_config(database_url), clock)
    try:
        clock.now = at(2026, 11, 25, 15, 0)
        start = threading.Barrier(2, timeout=30)

        def run(process: Bryggan) -> None:
            start.wait()
            run_due_now(process)

        threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in (app, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not any(t.is_alive() for t in threads), "a run_due_now still running after 60 s"
        run_due_now(app), run_due_now(other)  # the next minute: nothing new either
        assert outbox_texts(app).count(DAY_BEFORE) == 2
    finally:
        other.database.engine.dispose()


def test_a_restart_loses_nothing_and_repeats_nothing(
    app: Bryggan, clock: Clock, database_url: str
) -> None:
    say(app, "maria", SERIES)
    say(app, "maria", "/puls flytta 10/12 till 11/12 kl 10")
    clock.now = at(2026, 11, 25, 15, 0)
    run_due_now(app)
    before = say(app, "lisa", "/puls nästa")
    app.database.engine.dispose()
    restarted = build(support.test_config(database_url), clock)
    try:
        assert say(restarted, "lisa", "/puls nästa") == before
        assert run_due_now(restarted).sent == []
        clock.now = at(2026, 11, 26, 12, 45)
        assert run_due_now(restarted).sent == ["puls:1:2026-11-26T12:00Z:reminder:m15"]
        assert outbox_texts(restarted).count(DAY_BEFORE) == 2
        assert outbox_texts(restarted).count(SOON) == 2
    finally:
        restarted.database.engine.dispose()


def test_downtime_within_grace_sends_once_and_beyond_is_logged_missed(
    app: Bryggan, clock: Clock, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    say(app, "maria", SERIES)
    app.database.engine.dispose()  # the bot is down from here
    clock.now = at(2026, 11, 25, 16, 30)  # 1.5 h after the day-before reminder fell due
    restarted = build(support.test_config(database_url), clock)
    try:
        assert run_due_now(restarted).sent == ["puls:1:2026-11-26T12:00Z:reminder:d1-1500"]
        assert run_due_now(restarted).sent == []
        assert outbox_texts(restarted).count(DAY_BEFORE) == 2
        clock.now = at(2026, 12, 9, 18, 0)  # down again; 3 h after the next day-before one
        with caplog.at_level(logging.WARNING, logger="handlers.meetings.scheduling"):
            report = run_due_now(restarted)
        key = "puls:1:2026-12-10T12:00Z:reminder:d1-1500"
        assert key in report.missed and key not in report.sent
        assert not [t for t in outbox_texts(restarted) if "10 december" in t and "⏰" in t]
        assert key in audit_details(restarted, "job_missed")
        assert f"missed {key}" in caplog.text
        assert run_due_now(restarted).missed == []
        clock.now = at(2026, 12, 10, 12, 45)
        assert run_due_now(restarted).sent == ["puls:1:2026-12-10T12:00Z:reminder:m15"]
    finally:
        restarted.database.engine.dispose()


def test_nothing_after_a_series_ends(app: Bryggan, clock: Clock) -> None:
    say(app, "maria", SERIES)
    say(app, "maria", "/puls avsluta 1")
    for moment in (at(2026, 11, 24, 9, 0), at(2026, 11, 25, 15, 0), at(2026, 11, 26, 12, 45)):
        clock.now = moment
        assert run_due_now(app).sent == []


def test_a_reminder_due_before_the_series_existed_is_not_sent(app: Bryggan, clock: Clock) -> None:
    clock.now = at(2026, 11, 25, 16, 0)
    say(app, "maria", SERIES)
    report = run_due_now(app)
    assert report.sent == [] and report.missed == []
    clock.now = at(2026, 11, 26, 12, 45)
    assert run_due_now(app).sent == ["puls:1:2026-11-26T12:00Z:reminder:m15"]


def test_a_holiday_announced_a_month_ahead(database_url: str, clock: Clock) -> None:
    config = support.test_config(database_url, "[pulse]\nannounce_days_before = 30\n")
    app = build(config, clock)
    try:
        posts = Posts(app, clock)
        say(app, "maria", SERIES)
        posts.run(at(2026, 11, 24, 9, 0))
        assert "infaller på julafton och blir inte av" in posts.channel("kristianstad")[-1]
    finally:
        app.database.engine.dispose()
