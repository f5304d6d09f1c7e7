"""The daily housekeeping: bookkeeping rows are trimmed once they have served their use.

Processed event ids (the dedup of redelivered chat events and replayed Slack requests),
job runs (each scheduled occurrence claimed once), delivered outbox rows, where the posts
of purged questions were (their edits went out long ago) and, by a configurable rule, the
audit log. Each table is trimmed in batches of `batch` rows, one
short transaction each, so that a first run over a year's rows never holds SQLite's
writer for long; a request arriving meanwhile waits for one batch at most. The job runs in
the leading process and claims its day in `job_runs`, so two replicas run it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.kernel import Clock, Store, StoreFactory

logger = logging.getLogger(__name__)

BATCH = 500
"""Rows deleted per transaction."""


@dataclass(frozen=True)
class HousekeepingSettings:
    """How many days each kind of row is kept; `audit_days` None keeps the audit log."""

    processed_events_days: int = 30
    job_runs_days: int = 90
    sent_posts_days: int = 30
    audit_days: int | None = 730
    batch: int = BATCH


@dataclass
class HousekeepingReport:
    """How many rows of each table one run removed; `ran` is False when another process
    (or an earlier run) did today's."""

    ran: bool = False
    removed: dict[str, int] = field(default_factory=dict)


Trim = Callable[[Store, datetime, int], int]


def _trims(settings: HousekeepingSettings) -> list[tuple[str, int | None, Trim]]:
    return [
        (
            "processed_events",
            settings.processed_events_days,
            lambda s, b, n: s.trim_processed_events(before=b, limit=n),
        ),
        ("job_runs", settings.job_runs_days, lambda s, b, n: s.trim_job_runs(before=b, limit=n)),
        (
            "outbox",
            settings.sent_posts_days,
            lambda s, b, n: s.trim_sent_posts(before=b, limit=n),
        ),
        ("audit_log", settings.audit_days, lambda s, b, n: s.trim_audit(before=b, limit=n)),
        (
            "bot_posts",
            settings.sent_posts_days,
            lambda s, b, n: s.trim_bot_posts(before=b, limit=n),
        ),
    ]


def run_housekeeping(
    stores: StoreFactory, clock: Clock, settings: HousekeepingSettings
) -> HousekeepingReport:
    """Today's trim, once per day whichever process runs it."""
    now = clock()
    report = HousekeepingReport()
    with stores() as store:
        if not store.claim_job(key=f"housekeeping:{now.date().isoformat()}", at=now):
            return report
    report.ran = True
    for table, days, trim in _trims(settings):
        if days is None:
            continue
        before = now - timedelta(days=days)
        removed = 0
        while True:
            with stores() as store:
                batch = trim(store, before, settings.batch)
            removed += batch
            if batch < settings.batch:
                break
        report.removed[table] = removed
    if any(report.removed.values()):
        logger.info("housekeeping removed %s", report.removed)
    return report
