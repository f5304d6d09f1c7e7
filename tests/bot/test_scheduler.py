"""The scheduling glue: [pulse]/[sla] config, the per-minute job, and the console end to end."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import time, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.config import ConfigError, load_config
from bot.console import Console
from bot.pulse_config import schedule_settings
from bot.scheduler import JOB_ID, add_due_job, run_due_now
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.meetings.model import HolidayRule
from handlers.meetings.reminders import ReminderOffset
from tests import support
from tests.clock_shift import python_command
from tests.handlers.meetings.pulse_support import at
from tests.support import Clock


def test_defaults_when_the_tables_are_missing() -> None:
    settings = schedule_settings(support.test_config("sqlite://"))
    assert settings.pulse.reminders == (
        ReminderOffset(days=1, at=time(15, 0)),
        ReminderOffset(minutes=15),
    )
    assert settings.pulse.agenda_days_before == 2
    assert settings.pulse.holiday_rule == HolidayRule.SKIP
    assert settings.grace == timedelta(hours=2)
    assert settings.sla.hours_for("lund") == 8
    assert settings.retention_days == 90


def test_configured_values() -> None:
    extra = """
[pulse]
reminders = ["2 dagar före kl 9", "1 timme före", { minutes = 5 }, { days = 1, at = "16:30" }]
agenda_days_before = 3
agenda_time = "08:15"
holiday_rule = "flytta"
grace_minutes = 30

[sla]
working_hours = 4
escalate_after_hours = 2
deadline_days_before = 2
units = { lund = 16 }
"""
    settings = schedule_settings(support.test_config("sqlite://", extra))
    assert [o.label for o in settings.pulse.reminders] == ["d2-0900", "m60", "m5", "d1-1630"]
    assert settings.pulse.agenda_time == time(8, 15)
    assert settings.pulse.holiday_rule == HolidayRule.MOVE
    assert settings.grace == timedelta(minutes=30)
    assert settings.sla.hours_for("lund") == 16 and settings.sla.hours_for("kristianstad") == 4
    assert settings.sla.deadline_days_before == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[pulse]\nreminders = ["snart"]', 'förstår inte "snart"'),
        ("[pulse]\nreminders = [{ hours = 2 }]", "[pulse] reminders: en påminnelse är"),
        ('[pulse]\nreminders = "15 min före"', "[pulse] reminders ska vara en lista"),
        ('[pulse]\nholiday_rule = "kanske"', '[pulse] holiday_rule ska vara "hoppa" eller'),
        ("[pulse]\ngrace_minutes = -5", "[pulse] grace_minutes ska vara ett tal"),
        ('[pulse]\nagenda_time = "nio"', '[pulse] agenda_time ska vara en tid som "09:00"'),
        ('[sla]\nworking_hours = "8"', "[sla] working_hours ska vara ett tal"),
        ("[sla]\nunits = { umea = 8 }", "[sla] units nämner okänd enhet 'umea'"),
        ("[sla]\nunits = { lund = 0 }", "[sla] units.lund ska vara arbetstimmar"),
    ],
)
def test_bad_values_name_the_file_and_key(extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        schedule_settings(support.test_config("sqlite://", extra))
    assert str(error.value).startswith("test-config: ")
    assert message in str(error.value)


def test_a_run_wakes_the_outbox_of_each_platform_it_posted_to(app: Bryggan, clock: Clock) -> None:
    woken: list[str] = []
    app.core.on_commit.append(woken.append)
    app.core.handle(Request("console", "maria", "/puls ny varannan torsdag kl 13 enheter:lund"))
    woken.clear()
    clock.now = at(2026, 11, 25, 14, 0)
    assert run_due_now(app).sent == []
    assert woken == []
    clock.now = at(2026, 11, 25, 15, 0)
    assert run_due_now(app).sent == ["puls:1:2026-11-26T12:00Z:reminder:d1-1500"]
    assert woken == ["console"]


def test_the_job_runs_every_minute_and_at_once(app: Bryggan) -> None:
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    add_due_job(scheduler, app)
    job = scheduler.get_job(JOB_ID)
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=1)
    assert job.next_run_time is not None  # at start, to catch up after downtime
    assert job.max_instances == 1 and job.coalesce


def test_the_console_end_to_end(app: Bryggan, clock: Clock) -> None:
    out = io.StringIO()
    console = Console(app, out)
    for line in [
        "@maria: /puls ny varannan torsdag kl 13 enheter:kristianstad länk:https://m.se/p",
        "@lisa: /fråga kategori:sgi puls:ja Hur planerar vi återgången?",
        "/puls punkt Genomgång av utfärdade läkarutlåtanden",
    ]:
        console.say(line)
    clock.now = at(2026, 11, 24, 9, 0)
    run_due_now(app, after=console.sender.drain)
    clock.now = at(2026, 11, 25, 15, 0)
    run_due_now(app, after=console.sender.drain)
    text = out.getvalue()
    expected_in_order = [
        "Bryggan: Pulsmöte 1 är skapat för Vuxenpsykiatri Kristianstad.",
        "[#kristianstad] 📅 Nytt pulsmöte för Vuxenpsykiatri Kristianstad",
        "Den tas upp på pulsmöte 1 torsdag 26 november 2026 kl 13:00.",
        "Bryggan: Punkten är med på dagordningen till pulsmöte 1",
        "[#kristianstad] 📋 Dagordning för pulsmöte 1 torsdag 26 november 2026 kl 13:00",
        "    • F-2026-0001 · SGI och övriga förmåner · Vuxenpsykiatri Kristianstad · ny",
        "    • Genomgång av utfärdade läkarutlåtanden (Lisa Ek)",
        "[#kristianstad] ⏰ Påminnelse: Pulsmöte 1 i morgon, torsdag 26 november 2026 kl 13:00",
    ]
    positions = [text.find(part) for part in expected_in_order]
    assert -1 not in positions, text
    assert positions == sorted(positions)


def test_the_bryggan_console_command_takes_puls(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRYGGAN_DATABASE_URL"}
    result = subprocess.run(
        python_command("bot.cli", "console"),
        input="@maria: /puls ny varje torsdag kl 13 enheter:kristianstad\n/puls lista\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Bryggan: Pulsmöte 1 är skapat för Vuxenpsykiatri Kristianstad." in result.stdout
    assert "[#kristianstad] 📅 Nytt pulsmöte för Vuxenpsykiatri Kristianstad" in result.stdout
    assert "• pulsmöte 1: varje torsdag kl 13:00 · Vuxenpsykiatri Kristianstad" in result.stdout


def test_the_example_config_holds_the_defaults() -> None:
    assert schedule_settings(load_config()) == schedule_settings(support.test_config("sqlite://"))
