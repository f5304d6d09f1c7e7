"""Scheduling glue: the `[pulse]` and `[sla]` config, and the job that runs what is due.

One APScheduler interval job calls `handlers.meetings.scheduling.run_due` every minute and once at
start. It holds no schedule of its own: the series, overrides and questions in the database
are the source of truth (each question with the time it is next due, indexed, so a run reads
only what falls due), so a restart rebuilds everything by simply running again, and a
reminder that fell due while the bot was down is found then (sent within the grace window,
logged as missed beyond it). `job_runs` keeps every occurrence to one run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler

from bot.pulse_config import schedule_settings
from bot.wiring import Bryggan
from handlers.knowledge import send_review_reminders
from handlers.meetings import DueReport, run_due

logger = logging.getLogger(__name__)

JOB_ID = "pulse-and-sla"


def run_due_now(app: Bryggan, after: Callable[[], object] | None = None) -> DueReport:
    """One run: send what is due (and, once a week, the knowledge bank's entries due for
    review), then wake the platforms' outbox senders."""
    report = run_due(app.core.stores, app.core.clock, app.platforms, schedule_settings(app.config))
    if send_review_reminders(app.core.stores, app.core.clock, app.platforms):
        report.platforms |= set(app.platforms)
    for platform in sorted(report.platforms):
        for listener in app.core.on_commit:
            listener(platform)
    if after is not None and (report.sent or report.platforms):
        after()
    return report


def add_due_job(
    scheduler: BaseScheduler, app: Bryggan, after: Callable[[], object] | None = None
) -> None:
    """Run what is due every minute, the first time at once (catching up after downtime)."""
    scheduler.add_job(
        run_due_now,
        "interval",
        minutes=1,
        id=JOB_ID,
        args=[app],
        kwargs={"after": after},
        next_run_time=datetime.now(UTC),
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
    )


def start_due_scheduler(
    app: Bryggan, after: Callable[[], object] | None = None
) -> Callable[[], None]:
    """A scheduler with only the due job, for the console chat; returns its stop function."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    add_due_job(scheduler, app, after)
    scheduler.start()
    return lambda: scheduler.shutdown(wait=False)
