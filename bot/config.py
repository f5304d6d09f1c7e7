"""Reading `config.toml` into typed, validated objects, once, at start.

A bad config is a `ConfigError` naming the file and the key, never a traceback. Secrets
are never in the file: it names environment variables instead.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from handlers.kernel import Direction, Role
from storage.directory import PersonSpec, UnitSpec

PLATFORMS = ("console", "slack", "matrix")
_CONTACT_KEYS = {
    "vard_till_fk": (Direction.VARD_TILL_FK.value, False),
    "vard_till_fk_backup": (Direction.VARD_TILL_FK.value, True),
    "fk_till_vard": (Direction.FK_TILL_VARD.value, False),
    "fk_till_vard_backup": (Direction.FK_TILL_VARD.value, True),
}
_SIDES = {"vard": Direction.VARD_TILL_FK.value, "fk": Direction.FK_TILL_VARD.value}


class ConfigError(Exception):
    """A configuration problem, phrased for the person editing the file."""


@dataclass(frozen=True)
class Config:
    source: str
    database_url: str
    retention_days: int
    max_text: int
    console_user: str | None
    console_enabled: bool
    people: list[PersonSpec]
    units: list[UnitSpec]
    tables: dict[str, Any] = field(default_factory=dict)
    """The raw TOML, for adapters that read their own table (`[slack]`, `[matrix]`, …)."""

    def table(self, name: str) -> dict[str, Any]:
        value = self.tables.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.source}: [{name}] must be a table")
        return value

    def enabled(self, platform: str) -> bool:
        return bool(self.table(platform).get("enabled", False))


def default_config_text() -> str:
    """The embedded example configuration, used when no file is given."""
    return resources.files("bot").joinpath("config.example.toml").read_text(encoding="utf-8")


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Parse a config file (or the embedded example) into a validated `Config`."""
    env = dict(os.environ) if env is None else env
    source = str(path) if path else "inbyggd config.example.toml"
    try:
        text = path.read_text(encoding="utf-8") if path else default_config_text()
        data = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"{source}: kan inte läsas ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: ogiltig TOML: {error}") from error
    return parse_config(data, source, env, base=path.parent if path else Path.cwd())


def parse_config(data: dict[str, Any], source: str, env: dict[str, str], base: Path) -> Config:
    def get(table: str, key: str, kind: type, default: Any) -> Any:
        value = data.get(table, {}).get(key, default)
        if not isinstance(value, kind):
            raise ConfigError(f"{source}: [{table}] {key} ska vara {kind.__name__}")
        return value

    url = env.get("BRYGGAN_DATABASE_URL") or get("database", "url", str, "")
    if not url:
        path = Path(get("database", "path", str, "bryggan.sqlite3"))
        url = f"sqlite:///{path if path.is_absolute() else (base / path).resolve()}"
    people = [_person(p, source, i) for i, p in enumerate(data.get("people", []))]
    keys = {p.key for p in people}
    if len(keys) != len(people):
        raise ConfigError(f"{source}: två personer har samma key")
    units = [_unit(u, source, i, keys) for i, u in enumerate(data.get("units", []))]
    console_user = get("console", "user", str, "") or None
    if console_user is not None and console_user not in keys:
        raise ConfigError(
            f"{source}: [console] user = {console_user!r} finns inte bland [[people]]"
        )
    return Config(
        source=source,
        database_url=url,
        retention_days=get("retention", "days", int, 90),
        max_text=get("questions", "max_length", int, 2000),
        console_user=console_user,
        console_enabled=get("console", "enabled", bool, True),
        people=people,
        units=units,
        tables=data,
    )


def _person(raw: dict[str, Any], source: str, index: int) -> PersonSpec:
    where = f"{source}: [[people]] nr {index + 1}"
    key, name = raw.get("key"), raw.get("name")
    if not isinstance(key, str) or not key or not isinstance(name, str) or not name:
        raise ConfigError(f"{where}: key och name krävs")
    roles = raw.get("roles", ["asker"])
    valid = {r.value for r in Role}
    if not isinstance(roles, list) or not set(roles) <= valid:
        raise ConfigError(f"{where} ({key}): roles ska vara en lista av {sorted(valid)}")
    side = raw.get("side")
    if side is not None and side not in _SIDES:
        raise ConfigError(f'{where} ({key}): side ska vara "vard" eller "fk"')
    identities = {"console": key}
    for platform in ("slack", "matrix"):
        if isinstance(raw.get(platform), str):
            identities[platform] = raw[platform]
    return PersonSpec(key, name, tuple(roles), identities, raw.get("unit"), _SIDES.get(side or ""))


def _unit(raw: dict[str, Any], source: str, index: int, people: set[str]) -> UnitSpec:
    where = f"{source}: [[units]] nr {index + 1}"
    slug, name = raw.get("slug"), raw.get("name")
    if not isinstance(slug, str) or not slug or not isinstance(name, str) or not name:
        raise ConfigError(f"{where}: slug och name krävs")
    contacts: dict[tuple[str, bool], tuple[str, ...]] = {}
    for key, target in _CONTACT_KEYS.items():
        value = raw.get(key, [])
        value = [value] if isinstance(value, str) else value
        unknown = [k for k in value if k not in people]
        if unknown:
            raise ConfigError(f"{where} ({slug}): {key} nämner okända personer {unknown}")
        contacts[target] = tuple(value)
    channels = {
        platform: raw[option]
        for platform, option in (("slack", "slack_channel"), ("matrix", "matrix_room"))
        if isinstance(raw.get(option), str)
    }
    channels["console"] = slug
    return UnitSpec(slug, name, channels, contacts)
