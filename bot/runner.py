"""Running the chat platforms the config enables, with the scheduled jobs beside them.

Each platform module offers `start_<platform>(app) -> Callable[[], None]`: it starts its
own threads and returns a function that stops them. Scheduled jobs are registered by
their modules on one APScheduler `BackgroundScheduler`; they carry ids, never objects.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import add_due_job
from bot.weekly import start_weekly_summaries
from bot.wiring import Bryggan
from handlers.questions import purge_closed_questions

logger = logging.getLogger(__name__)

Stop = Callable[[], None]


def start_scheduler(app: Bryggan) -> BackgroundScheduler:
    """Background jobs: the daily retention purge, plus the jobs other modules register."""
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    scheduler.add_job(
        purge_closed_questions,
        "cron",
        hour=3,
        minute=15,
        id="retention",
        args=[app.core.stores, app.core.clock],
        kwargs={"days": app.config.retention_days},
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=3600,
    )
    add_due_job(scheduler, app)
    scheduler.start()
    purge_closed_questions(app.core.stores, app.core.clock, days=app.config.retention_days)
    start_weekly_summaries(scheduler, app)
    return scheduler


def start_platforms(app: Bryggan) -> list[Stop]:
    """Start every enabled chat platform; returns their stop functions."""
    stops: list[Stop] = []
    if app.config.enabled("slack"):
        from bot.slack import start_slack

        stops.append(start_slack(app))
    if app.config.enabled("matrix"):
        from bot.matrix.runner import start_matrix

        stops.append(start_matrix(app))
    return stops


def run_platforms(app: Bryggan) -> int:
    """Start Slack and/or Matrix in one process and block until interrupted."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler = start_scheduler(app)
    stops = start_platforms(app)
    logger.warning("Bryggan is running on %s", ", ".join(app.platforms))
    try:
        stop.wait()
    finally:
        for stop_platform in stops:
            stop_platform()
        scheduler.shutdown(wait=False)
    return 0
