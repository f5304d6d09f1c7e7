"""The `[retention]` and `[housekeeping]` config as typed settings, checked once at start.

A bad value is a `ConfigError` naming the key and the allowed range. The lower bounds keep
each trim longer than the look-back that relies on the rows it removes: a redelivered chat
event is recognised for at least two days (Slack retries within an hour), and a job run
is kept longer than the furthest ahead a meeting announcement is claimed (60 days) plus
the longest grace after downtime (7 days).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config, ConfigError
from handlers.housekeeping import HousekeepingSettings


@dataclass(frozen=True)
class RetentionSettings:
    """`days`: free text is purged this long after a question is closed;
    `close_answered_after`: an answered question never closed is closed this many days
    after its answer (None: never)."""

    days: int
    close_answered_after: int | None


def _days(config: Config, table: str, key: str, default: int, low: int, high: int) -> int:
    value = config.table(table).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(
            f"{config.source}: [{table}] {key} ska vara ett heltal antal dagar {low}–{high}"
        )
    return value


def retention_settings(config: Config) -> RetentionSettings:
    """`[retention]`: days, close_answered_after_days (0 turns the closing off)."""
    days = _days(config, "retention", "days", 90, 1, 36500)
    close = _days(config, "retention", "close_answered_after_days", 30, 0, 3650)
    return RetentionSettings(days, close or None)


def housekeeping_settings(config: Config) -> HousekeepingSettings:
    """`[housekeeping]`: how long processed event ids, job runs, sent posts and the audit
    log are kept (audit_days = 0: for ever)."""
    audit = _days(config, "housekeeping", "audit_days", 730, 0, 36500)
    return HousekeepingSettings(
        processed_events_days=_days(config, "housekeeping", "processed_events_days", 30, 2, 3650),
        job_runs_days=_days(config, "housekeeping", "job_runs_days", 90, 70, 3650),
        sent_posts_days=_days(config, "housekeeping", "sent_posts_days", 30, 1, 3650),
        audit_days=audit or None,
    )


def check_retention_config(config: Config) -> None:
    """Read both tables once at start, so that a bad value is said before anything runs."""
    retention_settings(config)
    housekeeping_settings(config)
