"""The daily retention purge and housekeeping jobs, on the leading process's scheduler.

Both carry ids (the app), never rows; both are once a day whichever process leads: the
purge is idempotent (a purged question is not purged again) and housekeeping claims its
day in `job_runs`. The purge wakes the outbox senders, which then edit the chat posts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler

from bot.retention_config import housekeeping_settings, retention_settings
from bot.wiring import Bryggan
from handlers.housekeeping import HousekeepingReport, run_housekeeping
from handlers.questions.retention import purge_closed_questions

logger = logging.getLogger(__name__)


def purge_now(app: Bryggan) -> int:
    """Close long-answered questions and purge old text; wake the senders if any."""
    settings = retention_settings(app.config)
    purged = purge_closed_questions(
        app.core.stores,
        app.core.clock,
        days=settings.days,
        close_answered_after=settings.close_answered_after,
    )
    for wake in app.core.on_commit:
        wake("")
    return purged


def housekeeping_now(app: Bryggan) -> HousekeepingReport:
    """Today's trim of the bookkeeping tables (once a day across processes)."""
    return run_housekeeping(app.core.stores, app.core.clock, housekeeping_settings(app.config))


def add_retention_jobs(scheduler: BaseScheduler, app: Bryggan) -> None:
    """The purge at 03:15 and housekeeping at 03:45 (Stockholm time), each also once soon
    after start, so that a process that was down at night catches up."""
    for job, hour_minute, job_id in (
        (purge_now, (3, 15), "retention"),
        (housekeeping_now, (3, 45), "housekeeping"),
    ):
        scheduler.add_job(
            job,
            "cron",
            hour=hour_minute[0],
            minute=hour_minute[1],
            id=job_id,
            args=[app],
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            next_run_time=datetime.now(UTC),
        )
