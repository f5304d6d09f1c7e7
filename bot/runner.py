"""Running the chat platforms the config enables, with the scheduled jobs beside them."""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler

from bot.wiring import Bryggan
from handlers.retention import purge_closed_questions

logger = logging.getLogger(__name__)


def start_scheduler(app: Bryggan) -> BackgroundScheduler:
    """Background jobs: the daily retention purge (more jobs are added by their modules)."""
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
    scheduler.start()
    purge_closed_questions(app.core.stores, app.core.clock, days=app.config.retention_days)
    return scheduler


def run_platforms(app: Bryggan) -> int:
    """Start Slack and/or Matrix in one process and block until interrupted."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler = start_scheduler(app)
    threads: list[threading.Thread] = []
    for thread in threads:
        thread.start()
    try:
        stop.wait()
    finally:
        scheduler.shutdown(wait=False)
    return 0
