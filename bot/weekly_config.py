"""The `[statistics]` table of the config as typed weekly-summary settings (`bot.weekly`).

```toml
[statistics]
day = "måndag"      # when, Stockholm time
time = "08:00"
late_days = 3       # a summary missed while the bot was down is posted late up to this many days
```
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError
from handlers.kernel import match_choice

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")


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
    late: timedelta = timedelta(days=3)
    """How late a missed summary is still posted (with "(försenad)")."""


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
    late_days = table.get("late_days", 3)
    if isinstance(late_days, bool) or not isinstance(late_days, int) or not 0 <= late_days <= 28:
        raise ConfigError(
            f"{where} late_days ska vara ett helt antal dagar 0–28: hur länge en missad "
            "veckosammanfattning ändå postas (försenad)"
        )
    entries = table.get("weekly", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where} weekly ska vara en lista av tabeller ([[statistics.weekly]])")
    default = WeeklyTarget("", "", weekday, at)
    units = {u.slug for u in config.units}
    targets = tuple(
        _target(raw, f"{where} weekly nr {i + 1}", default, units) for i, raw in enumerate(entries)
    )
    chart_path = Path(chart_dir).resolve()
    return WeeklySettings(
        targets, unit_channels, weekday, at, chart_path, timedelta(days=late_days)
    )
