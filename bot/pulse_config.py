"""The `[pulse]` and `[sla]` tables of the config as typed settings.

```toml
[pulse]
reminders = ["dagen före 15:00", "15 min före"]   # or { days = 1, at = "15:00" }, { minutes = 15 }
agenda_days_before = 2      # working days before the meeting, at agenda_time
grace_minutes = 120         # a reminder missed while the bot was down is still sent this late

[sla]
working_hours = 8           # a question not taken within this many working hours: reminder
units = { lund = 16 }       # per unit
```
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from bot.config import Config, ConfigError
from handlers.meetings import (
    HolidayRule,
    PulseSettings,
    ReminderOffset,
    ScheduleSettings,
    SlaSettings,
    parse_offset,
)

_HOLIDAY_RULES = {"hoppa": HolidayRule.SKIP, "skip": HolidayRule.SKIP, "flytta": HolidayRule.MOVE}
_HOLIDAY_RULES["move"] = HolidayRule.MOVE


def _number(config: Config, table: str, key: str, default: float, low: float, high: float) -> float:
    value = config.table(table).get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{config.source}: [{table}] {key} ska vara ett tal {low:g}–{high:g}")
    return float(value)


def _clock(config: Config, table: str, key: str, default: str) -> time:
    value = config.table(table).get(key, default)
    try:
        hour, minute = (int(part) for part in str(value).split(":"))
        return time(hour, minute)
    except ValueError as error:
        raise ConfigError(
            f'{config.source}: [{table}] {key} ska vara en tid som "09:00"'
        ) from error


def _offset(config: Config, raw: Any) -> ReminderOffset:
    where = f"{config.source}: [pulse] reminders"
    if isinstance(raw, str):
        try:
            return parse_offset(raw)
        except ValueError as error:
            raise ConfigError(
                f'{where}: förstår inte "{raw}"; skriv t.ex. "dagen före 15:00" eller "15 min före"'
            ) from error
    if isinstance(raw, dict) and isinstance(raw.get("minutes"), int) and raw["minutes"] > 0:
        return ReminderOffset(minutes=raw["minutes"])
    if isinstance(raw, dict) and isinstance(raw.get("days"), int) and "at" in raw:
        text = f"{raw['days']} dagar före {raw['at']}"
        return _offset(config, text)
    raise ConfigError(
        f'{where}: en påminnelse är en text, {{ minutes = 15 }} eller {{ days = 1, at = "15:00" }}'
    )


def _pulse(config: Config) -> PulseSettings:
    raw = config.table("pulse")
    reminders = raw.get("reminders", ["dagen före 15:00", "15 min före"])
    if not isinstance(reminders, list):
        raise ConfigError(f"{config.source}: [pulse] reminders ska vara en lista")
    rule = raw.get("holiday_rule", "hoppa")
    if rule not in _HOLIDAY_RULES:
        raise ConfigError(f'{config.source}: [pulse] holiday_rule ska vara "hoppa" eller "flytta"')
    return PulseSettings(
        reminders=tuple(_offset(config, r) for r in reminders),
        agenda_days_before=int(_number(config, "pulse", "agenda_days_before", 2, 0, 20)),
        agenda_time=_clock(config, "pulse", "agenda_time", "09:00"),
        announce_days_before=int(_number(config, "pulse", "announce_days_before", 7, 0, 60)),
        holiday_rule=_HOLIDAY_RULES[rule],
    )


def _sla(config: Config) -> SlaSettings:
    units = config.table("sla").get("units", {})
    if not isinstance(units, dict):
        raise ConfigError(f"{config.source}: [sla] units ska vara en tabell, t.ex. {{ lund = 16 }}")
    known = {u.slug for u in config.units}
    per_unit: dict[str, float] = {}
    for slug, hours in units.items():
        if slug not in known:
            raise ConfigError(f"{config.source}: [sla] units nämner okänd enhet {slug!r}")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 400:
            raise ConfigError(f"{config.source}: [sla] units.{slug} ska vara arbetstimmar 1–400")
        per_unit[slug] = float(hours)
    return SlaSettings(
        working_hours=_number(config, "sla", "working_hours", 8, 0.25, 400),
        escalate_after_hours=_number(config, "sla", "escalate_after_hours", 4, 0, 400),
        deadline_days_before=int(_number(config, "sla", "deadline_days_before", 1, 0, 30)),
        deadline_time=_clock(config, "sla", "deadline_time", "09:00"),
        units=per_unit,
    )


def schedule_settings(config: Config) -> ScheduleSettings:
    """`[pulse]` and `[sla]` as typed settings; a bad value is a `ConfigError`."""
    grace = _number(config, "pulse", "grace_minutes", 120, 0, 7 * 24 * 60)
    return ScheduleSettings(
        pulse=_pulse(config),
        sla=_sla(config),
        grace=timedelta(minutes=grace),
        retention_days=config.retention_days,
    )
