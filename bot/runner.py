"""Running the chat platforms the config enables, with the scheduled jobs beside them.

Each platform module offers `start_<platform>(app) -> Callable[[], None]`: it starts its
own threads and returns a function that stops them. Scheduled jobs are registered by
their modules on one APScheduler `BackgroundScheduler`; they carry ids, never objects.
With several processes on one PostgreSQL database only the leader runs that scheduler
(`storage.leadership`); the others take over when it stops. A second process on one
SQLite file is refused.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot.retention_jobs import add_retention_jobs
from bot.scheduler import add_due_job
from bot.weekly import start_weekly_summaries
from bot.wiring import Bryggan
from storage.leadership import Leadership, Presence, sole_process

logger = logging.getLogger(__name__)

Stop = Callable[[], None]


def start_scheduler(app: Bryggan) -> BackgroundScheduler:
    """Background jobs: the daily retention purge and housekeeping (`bot.retention_jobs`),
    plus the jobs other modules register."""
    scheduler = BackgroundScheduler(timezone="Europe/Stockholm")
    add_retention_jobs(scheduler, app)
    add_due_job(scheduler, app)
    scheduler.start()
    start_weekly_summaries(scheduler, app)
    return scheduler


class LeadingScheduler:
    """Runs the scheduled jobs while this process leads; asks every `interval` seconds."""

    def __init__(self, app: Bryggan, leadership: Leadership, interval: float = 15.0) -> None:
        self.app = app
        self.leadership = leadership
        self.interval = interval
        self.scheduler: BackgroundScheduler | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="leadership", daemon=True)

    def start(self) -> LeadingScheduler:
        self.check()
        self._thread.start()
        return self

    def check(self) -> None:
        """Start the jobs on becoming leader; stop them on losing the lead."""
        leads = self.leadership.leads()
        if leads and self.scheduler is None:
            self.scheduler = start_scheduler(self.app)
            logger.warning("this process runs the scheduled jobs")
        elif not leads and self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
            logger.warning("another process runs the scheduled jobs now")
        elif not leads:
            logger.info("another process runs the scheduled jobs")

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.leadership.resign()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.check()
            except Exception:
                logger.exception("checking who runs the scheduled jobs failed")


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
    with sole_process(app.config.database_url):
        presence = Presence(app.database.engine)
        if presence.join():
            with app.core.stores() as store:
                released = store.release_leases(now=app.core.clock())
            if released:
                logger.warning("%d waiting posts are tried again now", released)
        jobs = LeadingScheduler(app, Leadership(app.database.engine)).start()
        stops = start_platforms(app)
        logger.warning("Bryggan is running on %s", ", ".join(app.platforms))
        try:
            stop.wait()
        finally:
            for stop_platform in stops:
                stop_platform()
            jobs.stop()
            presence.leave()
    return 0
