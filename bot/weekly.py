"""The weekly summary post: which channels, when, and posting each exactly once.

`[statistics]` in the config: by default every unit's channel or room (on each enabled
platform) gets that unit's summary on Monday at 08:00; `[[statistics.weekly]]` entries add
channels (a steering group's, with all units or some) with their own day and time.

Exactly once: the post is enqueued in the outbox in the same transaction that claims the
job key `weekly:<platform>:<channel>:<ISO year>-W<week>`, so a restart, a catch-up at start
and a second process can all try; only one commits the claim and the post.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from time import time as wall_clock
from typing import Any

from apscheduler.schedulers.base import BaseScheduler

from bot.charts import render_weekly_chart
from bot.config import Config, ConfigError
from bot.wiring import Bryggan
from handlers.kernel import STOCKHOLM, Clock, OutboxKind, Store, StoreFactory, match_choice, texts
from handlers.statistics import Scope, statistics_queries, summary_key, summary_text, weekly_summary

logger = logging.getLogger(__name__)

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")
CHART_KEEP_DAYS = 56


@dataclass(frozen=True)
class WeeklyTarget:
    """One channel's weekly post: where, when (Stockholm time) and which units (all if
    empty)."""

    platform: str
    channel: str
    weekday: int = 0
    at: time = time(8, 0)
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeeklySettings:
    targets: tuple[WeeklyTarget, ...]
    unit_channels: bool
    weekday: int
    at: time
    chart_dir: Path


def _weekday(value: Any, where: str) -> int:
    found = match_choice(str(value), ((i, (name,)) for i, name in enumerate(WEEKDAYS)))
    if not isinstance(value, str) or found.value is None:
        raise ConfigError(f'{where}: day ska vara en veckodag, till exempel "måndag"')
    return found.value


def _time(value: Any, where: str) -> time:
    found = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None or int(found[1]) > 23 or int(found[2] or 0) > 59:
        raise ConfigError(f'{where}: time ska vara en tid, till exempel "08:00"')
    return time(int(found[1]), int(found[2] or 0))


def _target(raw: Any, where: str, default: WeeklyTarget, units: set[str]) -> WeeklyTarget:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: ska vara en tabell")
    platform, channel = raw.get("platform"), raw.get("channel")
    if platform not in ("slack", "matrix", "console"):
        raise ConfigError(f'{where}: platform ska vara "slack", "matrix" eller "console"')
    if not isinstance(channel, str) or not channel:
        raise ConfigError(f"{where}: channel krävs (kanalens id eller rummets id)")
    chosen = raw.get("units", [])
    if not isinstance(chosen, list) or not set(chosen) <= units:
        raise ConfigError(f"{where}: units ska vara en lista av {sorted(units)}")
    return WeeklyTarget(
        platform,
        channel,
        _weekday(raw["day"], where) if "day" in raw else default.weekday,
        _time(raw["time"], where) if "time" in raw else default.at,
        tuple(chosen),
    )


def weekly_settings(config: Config) -> WeeklySettings:
    """Parse `[statistics]`; a bad value is a `ConfigError` naming the file and key."""
    table = config.table("statistics")
    where = f"{config.source}: [statistics]"
    weekday = _weekday(table["day"], where) if "day" in table else 0
    at = _time(table["time"], where) if "time" in table else time(8, 0)
    unit_channels = table.get("unit_channels", True)
    if not isinstance(unit_channels, bool):
        raise ConfigError(f"{where} unit_channels ska vara true eller false")
    chart_dir = table.get("chart_dir", str(Path(tempfile.gettempdir()) / "bryggan-diagram"))
    if not isinstance(chart_dir, str) or not chart_dir:
        raise ConfigError(f"{where} chart_dir ska vara en sökväg")
    entries = table.get("weekly", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where} weekly ska vara en lista av tabeller ([[statistics.weekly]])")
    default = WeeklyTarget("", "", weekday, at)
    units = {u.slug for u in config.units}
    targets = tuple(
        _target(raw, f"{where} weekly nr {i + 1}", default, units) for i, raw in enumerate(entries)
    )
    return WeeklySettings(targets, unit_channels, weekday, at, Path(chart_dir).resolve())


def weekly_targets(app: Bryggan, settings: WeeklySettings) -> list[WeeklyTarget]:
    """The configured channels on this process's platforms, plus every unit's own channel."""
    targets = [t for t in settings.targets if t.platform in app.platforms]
    if settings.unit_channels:
        for platform in app.platforms:
            for unit in app.config.units:
                channel = unit.channels.get(platform)
                if channel:
                    targets.append(
                        WeeklyTarget(platform, channel, settings.weekday, settings.at, (unit.slug,))
                    )
    unique = {(t.platform, t.channel): t for t in targets}
    return list(unique.values())


def is_due(target: WeeklyTarget, now: datetime) -> bool:
    """Has this week's moment for the post passed (Stockholm time)?"""
    local = now.astimezone(STOCKHOLM)
    monday = local.date() - timedelta(days=local.weekday())
    moment = datetime.combine(monday + timedelta(days=target.weekday), target.at, STOCKHOLM)
    return local >= moment


def _chart_path(chart_dir: Path, key: str) -> Path:
    return chart_dir / (re.sub(r"[^A-Za-z0-9_-]+", "_", key.removeprefix("weekly:")) + ".png")


def prune_charts(chart_dir: Path, keep_days: int = CHART_KEEP_DAYS) -> int:
    """Delete chart files older than `keep_days` (long delivered); returns how many."""
    cutoff = wall_clock() - keep_days * 86400
    old = [p for p in chart_dir.glob("*_????-W??.png") if p.stat().st_mtime < cutoff]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


def _scope(store: Store, target: WeeklyTarget) -> tuple[Scope, str]:
    units = [u for u in store.units() if not target.units or u.slug in target.units]
    if not target.units:
        return Scope(), texts.WEEKLY_ALL_UNITS
    return Scope(unit_ids=tuple(u.id for u in units)), ", ".join(u.name for u in units)


def post_weekly_summary(
    stores: StoreFactory, clock: Clock, target: WeeklyTarget, chart_dir: Path
) -> bool:
    """Enqueue this week's post in `target`'s channel, unless it has been posted already.
    The chart is drawn between two short transactions, never while one holds the database
    (drawing takes a second or more)."""
    now = clock()
    key = summary_key(target.platform, target.channel, now)
    with stores() as store:
        if store.claimed_jobs(keys=[key]):
            return False
        scope, label = _scope(store, target)
        summary = weekly_summary(
            statistics_queries(store),
            scope=scope,
            scope_label=label,
            categories=store.categories(include_inactive=True),
            now=now,
        )
    chart = render_weekly_chart(summary.chart, _chart_path(chart_dir, key))
    prune_charts(chart_dir)
    with stores() as store:
        if not store.claim_job(key=key, at=now):
            return False  # another process posted it meanwhile (same file, same chart)
        store.enqueue(
            platform=target.platform,
            kind=OutboxKind.CHANNEL,
            at=now,
            channel=target.channel,
            text=summary_text(summary),
            attachment=str(chart),
        )
    logger.info("weekly summary queued for %s %s", target.platform, target.channel)
    return True


def post_due_summaries(app: Bryggan, settings: WeeklySettings | None = None) -> int:
    """Catch up: post every summary whose moment this week has passed and is not yet out."""
    settings = settings or weekly_settings(app.config)
    posted = 0
    for target in weekly_targets(app, settings):
        if is_due(target, app.core.clock()):
            posted += _post_and_wake(app, target, settings.chart_dir)
    return posted


def _post_and_wake(app: Bryggan, target: WeeklyTarget, chart_dir: Path) -> bool:
    try:
        posted = post_weekly_summary(app.core.stores, app.core.clock, target, chart_dir)
    except Exception:
        logger.exception("weekly summary for %s %s failed", target.platform, target.channel)
        return False
    if posted:
        for wake in app.core.on_commit:
            wake(target.platform)
    return posted


def start_weekly_summaries(scheduler: BaseScheduler, app: Bryggan) -> None:
    """One cron job per channel, plus a catch-up now (safe: each week posts once)."""
    settings = weekly_settings(app.config)
    for target in weekly_targets(app, settings):
        scheduler.add_job(
            _post_and_wake,
            "cron",
            args=[app, target, settings.chart_dir],
            day_of_week=target.weekday,
            hour=target.at.hour,
            minute=target.at.minute,
            id=f"weekly:{target.platform}:{target.channel}",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=6 * 3600,
        )
    post_due_summaries(app, settings)
