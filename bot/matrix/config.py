"""The `[matrix]` table, parsed once into typed, validated settings.

Secrets never live in the file: the password or access token comes from the environment
variable the table names (`MATRIX_PASSWORD` / `MATRIX_ACCESS_TOKEN` by default).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError

_USER_ID = re.compile(r"^@[^:\s]+:[^\s]+$")
_KNOWN_KEYS = {
    "enabled",
    "homeserver",
    "user_id",
    "device_name",
    "device_id",
    "display_name",
    "store_path",
    "allowed_inviters",
    "allowed_servers",
    "password_env",
    "access_token_env",
    "store_key_env",
    "encrypt_direct_rooms",
    "timeline_limit",
    "sync_timeout_seconds",
    "backfill_pages",
}


@dataclass(frozen=True)
class MatrixSettings:
    """Everything the Matrix adapter needs to log in, sync and decide whom to trust."""

    homeserver: str
    user_id: str
    device_name: str
    store_path: Path
    password: str | None
    access_token: str | None
    allowed_inviters: frozenset[str] = frozenset()
    allowed_servers: frozenset[str] = frozenset()
    device_id: str | None = None
    display_name: str | None = "Bryggan"
    store_key: str | None = None
    encrypt_direct_rooms: bool = True
    timeline_limit: int = 50
    sync_timeout_ms: int = 30_000
    backfill_pages: int = 500
    """Pages of 100 events read per room to catch up after downtime (50,000 events)."""

    def may_invite(self, inviter: str) -> bool:
        """True when an invite from `inviter` may be accepted: listed by user id, or their
        homeserver (the part after the first colon) is listed."""
        server = inviter.partition(":")[2]
        return inviter in self.allowed_inviters or server in self.allowed_servers

    @property
    def state_prefix(self) -> str:
        """Prefix of this account's keys in the adapter_state table (keys ≤ 120 chars)."""
        if len(self.user_id) <= 90:
            return f"matrix:{self.user_id}:"
        return f"matrix:{hashlib.sha256(self.user_id.encode()).hexdigest()[:24]}:"


def matrix_settings(config: Config, env: Mapping[str, str] | None = None) -> MatrixSettings:
    """Read `[matrix]` from the config; a problem is a `ConfigError` naming file and key."""
    env = os.environ if env is None else env
    raw = config.table("matrix")
    where = f"{config.source}: [matrix]"
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where} okänd nyckel {unknown[0]!r}; giltiga: {sorted(_KNOWN_KEYS)}")

    def text(key: str, default: str | None = None) -> str | None:
        value = raw.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{where} {key} ska vara en icke-tom text")
        return value

    homeserver = text("homeserver")
    if not homeserver or not homeserver.startswith(("http://", "https://")):
        raise ConfigError(f"{where} homeserver ska vara en URL, t.ex. https://matrix.example.org")
    user_id = text("user_id")
    if not user_id or not _USER_ID.match(user_id):
        raise ConfigError(f"{where} user_id ska vara ett Matrix-id, t.ex. @bryggan:example.org")
    password_env = text("password_env", "MATRIX_PASSWORD") or "MATRIX_PASSWORD"
    token_env = text("access_token_env", "MATRIX_ACCESS_TOKEN") or "MATRIX_ACCESS_TOKEN"
    password, token = env.get(password_env) or None, env.get(token_env) or None
    if not password and not token:
        raise ConfigError(
            f"{where} varken {password_env} eller {token_env} är satt i miljön "
            "(lösenordet eller access-token för botens konto)"
        )
    store_key_env = text("store_key_env", "MATRIX_STORE_KEY") or "MATRIX_STORE_KEY"
    return MatrixSettings(
        homeserver=homeserver.rstrip("/"),
        user_id=user_id,
        device_name=text("device_name", "Bryggan") or "Bryggan",
        device_id=text("device_id"),
        display_name=text("display_name", "Bryggan"),
        store_path=_store_path(config, text("store_path", "matrix-store") or "matrix-store"),
        password=password,
        access_token=token,
        store_key=env.get(store_key_env) or None,
        allowed_inviters=frozenset(_id_list(raw, "allowed_inviters", where, user_ids=True)),
        allowed_servers=frozenset(_id_list(raw, "allowed_servers", where, user_ids=False)),
        encrypt_direct_rooms=_flag(raw, "encrypt_direct_rooms", where, default=True),
        timeline_limit=_number(raw, "timeline_limit", where, default=50, low=1, high=1000),
        sync_timeout_ms=1000
        * _number(raw, "sync_timeout_seconds", where, default=30, low=1, high=300),
        backfill_pages=_number(raw, "backfill_pages", where, default=500, low=1, high=100_000),
    )


def _store_path(config: Config, value: str) -> Path:
    """Relative paths are taken from the config file's folder (the current one otherwise)."""
    path = Path(value).expanduser()
    if path.is_absolute():
        return path
    source = Path(config.source)
    base = source.parent if source.is_file() else Path.cwd()
    return (base / path).resolve()


def _id_list(raw: dict[str, Any], key: str, where: str, *, user_ids: bool) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where} {key} ska vara en lista av texter")
    if user_ids and not all(_USER_ID.match(v) for v in value):
        raise ConfigError(f"{where} {key} ska innehålla Matrix-id som @namn:server")
    if not user_ids and any(v.startswith(("@", "http")) or "/" in v for v in value):
        raise ConfigError(f"{where} {key} ska innehålla servernamn som example.org")
    return value


def _flag(raw: dict[str, Any], key: str, where: str, *, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where} {key} ska vara true eller false")
    return value


def _number(raw: dict[str, Any], key: str, where: str, *, default: int, low: int, high: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where} {key} ska vara ett heltal mellan {low} och {high}")
    return value
