"""The weekly summary post: which channels, when, and posting each exactly once.

`[statistics]` in the config: by default every unit's channel or room (on each enabled
platform) gets that unit's summary on Monday at 08:00; `[[statistics.weekly]]` entries add
channels (a steering group's, with all units or some) with their own day and time.

Exactly once: the post is enqueued in the outbox in the same transaction that claims the
job key `weekly:<platform>:<channel>:<ISO year>-W<week>`, so a restart, a catch-up at start
and a second process can all try; only one commits the claim and the post.

A summary missed while the bot was down is caught up at start: posted with "(försenad)" in
its title when its moment is at most `late_days` ago (default 3), else not posted at all:
its key is claimed, a warning logged and the admins told which week it was and that
/statistik shows it. Weeks are looked for after the last one posted in the channel (a new
channel starts with the current week).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from time import time as wall_clock

from apscheduler.schedulers.base import BaseScheduler

from bot.charts import render_weekly_chart
from bot.weekly_config import WEEKDAYS, WeeklySettings, WeeklyTarget, weekly_settings
from bot.wiring import Bryggan
from handlers.delivery.outbox import tell_admins
from handlers.kernel import STOCKHOLM, Clock, OutboxKind, Store, StoreFactory, texts
from handlers.statistics import Scope, statistics_queries, summary_key, summary_text, weekly_summary

logger = logging.getLogger(__name__)

__all__ = [
    "WEEKDAYS",
    "WeeklySettings",
    "WeeklyTarget",
    "post_due_summaries",
    "post_weekly_summary",
    "start_weekly_summaries",
    "weekly_settings",
    "weekly_targets",
]

CHART_KEEP_DAYS = 56
LATE_AFTER = timedelta(hours=6)
"""A post caught up more than this after its moment (the bot was down) is marked late;
within it, it is as the scheduler's own misfire grace would have run it."""
LOOK_BACK_WEEKS = 8
"""How many past weeks a catch-up looks at for one not posted."""


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


def moment_in_week(target: WeeklyTarget, now: datetime, weeks_back: int = 0) -> datetime:
    """The post's moment in the week of `now` (or `weeks_back` weeks earlier), Stockholm."""
    local = now.astimezone(STOCKHOLM)
    monday = local.date() - timedelta(days=local.weekday(), weeks=weeks_back)
    return datetime.combine(monday + timedelta(days=target.weekday), target.at, STOCKHOLM)


def is_due(target: WeeklyTarget, now: datetime) -> bool:
    """Has this week's moment for the post passed (Stockholm time)?"""
    return now.astimezone(STOCKHOLM) >= moment_in_week(target, now)


def latest_moment(target: WeeklyTarget, now: datetime) -> datetime:
    """The last moment for the post at or before `now`."""
    return moment_in_week(target, now, 0 if is_due(target, now) else 1)


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
    stores: StoreFactory,
    clock: Clock,
    target: WeeklyTarget,
    chart_dir: Path,
    moment: datetime | None = None,
    late: bool = False,
) -> bool:
    """Enqueue the post due at `moment` (by default the latest) in `target`'s channel,
    unless it has been posted already; "(försenad)" in its title when `late` (a catch-up
    after an outage). The chart is drawn between two short transactions, never while one holds the
    database (drawing takes a second or more)."""
    now = clock()
    moment = moment or latest_moment(target, now)
    key = summary_key(target.platform, target.channel, moment)
    with stores() as store:
        if store.claimed_jobs(keys=[key]):
            return False
        scope, label = _scope(store, target)
        summary = weekly_summary(
            statistics_queries(store),
            scope=scope,
            scope_label=label,
            categories=store.categories(include_inactive=True),
            now=moment,
        )
    text = summary_text(summary)
    if late:
        title, _, rest = text.partition("\n")
        text = f"{title} {texts.WEEKLY_LATE}\n{rest}"
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
            text=text,
            attachment=str(chart),
        )
    logger.info("weekly summary queued for %s %s", target.platform, target.channel)
    return True


def post_due_summaries(app: Bryggan, settings: WeeklySettings | None = None) -> int:
    """Catch up: post each summary not yet out whose moment passed at most `late` ago
    (marked late), and give up on older ones (the admins are told)."""
    settings = settings or weekly_settings(app.config)
    posted = 0
    now = app.core.clock()
    for target in weekly_targets(app, settings):
        missing, known = missing_moments(app.core.stores, target, now)
        for moment in missing:
            if now - moment <= settings.late:
                late = now - moment > LATE_AFTER
                posted += _post_and_wake(app, target, settings.chart_dir, moment, late)
            elif known:
                _give_up(app, target, moment, settings.late)
    return posted


def missing_moments(
    stores: StoreFactory, target: WeeklyTarget, now: datetime
) -> tuple[list[datetime], bool]:
    """The moments up to `now` whose post is not out, after the last one that is, oldest
    first; and whether one is (a new channel has no history: only its latest moment)."""
    latest = latest_moment(target, now)
    moments = [moment_in_week(target, latest, n) for n in range(LOOK_BACK_WEEKS)]
    keys = {summary_key(target.platform, target.channel, m): m for m in moments}
    with stores() as store:
        done = store.claimed_jobs(keys=list(keys))
    posted = [m for key, m in keys.items() if key in done]
    if not posted:
        return [latest], False
    return sorted(m for m in moments if m > max(posted)), True


def _give_up(app: Bryggan, target: WeeklyTarget, moment: datetime, late: timedelta) -> None:
    """A summary too late to post: claimed so that it never goes out, logged, and the
    admins told once per week which one and how to see it."""
    key = summary_key(target.platform, target.channel, moment)
    week = (moment - timedelta(days=7)).isocalendar()
    now = app.core.clock()
    with app.core.stores() as store:
        if not store.claim_job(key=key, at=now):
            return
        logger.warning("weekly summary %s (due %s) missed while down: not posted", key, moment)
        text = texts.WEEKLY_MISSED.format(
            week=week.week,
            year=week.year,
            when=texts.time_label(moment),
            days=texts.plural(late.days, *texts.NOUNS["day"]),
        )
        missed_key = f"weekly:missed:{week.year}-W{week.week:02d}"
        tell_admins(store, platforms=app.platforms, key=missed_key, text=text, at=now)
    for platform in app.platforms:
        for wake in app.core.on_commit:
            wake(platform)


def _post_and_wake(
    app: Bryggan,
    target: WeeklyTarget,
    chart_dir: Path,
    moment: datetime | None = None,
    late: bool = False,
) -> bool:
    stores, clock = app.core.stores, app.core.clock
    try:
        posted = post_weekly_summary(stores, clock, target, chart_dir, moment, late)
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
            misfire_grace_time=int(LATE_AFTER.total_seconds()),
        )
    post_due_summaries(app, settings)
