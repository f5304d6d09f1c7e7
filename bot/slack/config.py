"""The `[slack]` table of the config, parsed once into typed settings.

Secrets never live in the file: the bot token, the signing secret (HTTP mode) and the
app-level token (Socket Mode) come from `SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET` and
`SLACK_APP_TOKEN`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.config import Config, ConfigError

SLACK_API = "https://slack.com/api/"
MODES = ("socket", "http")
BOT_TOKEN_ENV = "SLACK_BOT_TOKEN"
SIGNING_SECRET_ENV = "SLACK_SIGNING_SECRET"
APP_TOKEN_ENV = "SLACK_APP_TOKEN"


@dataclass(frozen=True)
class SlackSettings:
    """Everything the Slack adapter needs to start: how it connects and with which secrets."""

    mode: Literal["socket", "http"]
    bot_token: str
    signing_secret: str
    app_token: str
    api_base_url: str = SLACK_API
    http_host: str = "0.0.0.0"
    http_port: int = 3000
    drain_interval: float = 5.0
    """Seconds between outbox sweeps (retries, posts queued by scheduled jobs)."""


def slack_settings(config: Config, env: Mapping[str, str] | None = None) -> SlackSettings:
    """Read and validate `[slack]` plus the secrets it needs from the environment."""
    env = os.environ if env is None else env
    table = config.table("slack")

    def value(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        found = table.get(key, default)
        if isinstance(found, bool) or not isinstance(found, kind):
            raise ConfigError(f"{config.source}: [slack] {key} har fel typ ({found!r})")
        return found

    mode = value("mode", str, "socket")
    if mode not in MODES:
        raise ConfigError(f'{config.source}: [slack] mode ska vara "socket" eller "http"')
    port = value("http_port", int, 3000)
    if not 0 <= port <= 65535:
        raise ConfigError(f"{config.source}: [slack] http_port ska vara 0–65535")
    base_url = value("api_base_url", str, SLACK_API)
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{config.source}: [slack] api_base_url ska börja med https://")
    interval = float(value("drain_interval", (int, float), 5.0))
    if interval <= 0:
        raise ConfigError(f"{config.source}: [slack] drain_interval ska vara större än 0")

    def secret(name: str) -> str:
        found = env.get(name, "").strip()
        if not found:
            raise ConfigError(
                f"{config.source}: [slack] mode = {mode!r} kräver miljövariabeln {name}"
            )
        return found

    return SlackSettings(
        mode=mode,
        bot_token=secret(BOT_TOKEN_ENV),
        signing_secret=secret(SIGNING_SECRET_ENV) if mode == "http" else "",
        app_token=secret(APP_TOKEN_ENV) if mode == "socket" else "",
        api_base_url=base_url if base_url.endswith("/") else base_url + "/",
        http_host=value("http_host", str, "0.0.0.0"),
        http_port=port,
        drain_interval=interval,
    )
