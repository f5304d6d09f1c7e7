"""Starting and stopping Slack: the bolt app, the outbox pump, and Socket Mode or HTTP."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config import ConfigError
from bot.outbox_pump import OutboxPump
from bot.slack.app import build_app, build_client
from bot.slack.config import APP_TOKEN_ENV, BOT_TOKEN_ENV, SlackSettings, slack_settings
from bot.slack.courier import Courier
from bot.slack.delivery import slack_sender
from bot.slack.http import EVENTS_PATH, HttpLimits, SlackHttpServer
from bot.slack.messenger import PLATFORM, SlackMessenger, channel_advice
from bot.slack.replay import RequestGuard
from bot.wiring import Bryggan
from handlers.delivery import blocked_key, tell_admins
from handlers.kernel import StoreBusy, texts

logger = logging.getLogger(__name__)

HEALTH_WAIT = 2.0
"""Seconds `/healthz` waits for the database before answering 503."""
SIGNATURES = "slack-request"
"""The processed_events platform under which accepted request signatures are kept."""


class SlackService:
    """One running Slack adapter. Build, `start()`, and `stop()` when the process ends."""

    def __init__(
        self,
        bryggan: Bryggan,
        settings: SlackSettings,
        client: WebClient | None = None,
        limits: HttpLimits | None = None,
    ) -> None:
        self.bryggan = bryggan
        self.settings = settings
        self.limits = limits or HttpLimits()
        """What one client may cost HTTP mode (tests shorten the timeouts)."""
        self.client = client or build_client(settings)
        self.courier = Courier()
        self._health_checks = ThreadPoolExecutor(1, thread_name_prefix="slack-health")
        try:
            self.bolt = build_app(bryggan, settings, self.client, self.courier)
        except BoltError as error:
            raise ConfigError(
                f"{bryggan.config.source}: [slack] Slack godtar inte {BOT_TOKEN_ENV} ({error})"
            ) from error
        except (SlackClientError, OSError) as error:
            raise ConfigError(
                f"{bryggan.config.source}: [slack] Slack går inte att nå på "
                f"{settings.api_base_url} ({_reason(error)})"
            ) from error
        messenger = SlackMessenger(self.client, bryggan.core.registry)
        self.sender = slack_sender(
            bryggan.core.stores, messenger, bryggan.core.clock, platforms=bryggan.platforms
        )
        self.pump = OutboxPump(self.sender, settings.drain_interval)
        self.http: SlackHttpServer | None = None
        self.socket: SocketModeHandler | None = None

    def start(self) -> SlackService:
        """Deliver what is pending, then listen (Socket Mode, or HTTP on `http_port`)."""
        _warn_missing_channels(self.bryggan)
        self._check_channels()
        self.bryggan.core.on_commit.append(self.pump.wake)
        self.pump.start()
        try:
            self._listen()
        except BaseException:
            self.stop()
            raise
        return self

    def _listen(self) -> None:
        source, settings = self.bryggan.config.source, self.settings
        if settings.mode == "http":
            try:
                guard = RequestGuard(settings.signing_secret, self._remember_signature)
                self.http = SlackHttpServer(
                    self.bolt,
                    settings.http_host,
                    settings.http_port,
                    guard=guard,
                    health=self._health,
                    limits=self.limits,
                )
            except OSError as error:
                raise ConfigError(
                    f"{source}: [slack] http_port {settings.http_port} går inte att använda "
                    f"({error.strerror})"
                ) from error
            self.http.start()
            logger.warning("Slack: HTTP mode on port %d, path %s", self.http.port, EVENTS_PATH)
            return
        handler = SocketModeHandler(self.bolt, app_token=settings.app_token)
        try:
            handler.connect()  # type: ignore[no-untyped-call]
        except (SlackApiError, SlackClientError, OSError) as error:
            handler.close()  # type: ignore[no-untyped-call]
            raise ConfigError(
                f"{source}: [slack] Socket Mode kunde inte ansluta ({_reason(error)}); kontrollera "
                f"{APP_TOKEN_ENV} (xapp-…, med scope connections:write) och nätverket"
            ) from error
        self.socket = handler
        logger.warning("Slack: connected in Socket Mode")

    def _check_channels(self) -> None:
        """At start: the admins hear at once of a unit channel the bot is not in (or that is
        archived or gone), not only when the first card fails there (one
        `conversations.info` per unit channel)."""
        core = self.bryggan.core
        for unit in self.bryggan.config.units:
            channel = unit.channels.get(PLATFORM)
            advice = channel_advice(self.client, channel) if channel else ""
            if not advice:
                continue
            logger.warning("Slack channel %s of unit %s: %s", channel, unit.slug, advice)
            now = core.clock()
            text = texts.OUTBOX_BLOCKED.format(
                platform=texts.PLATFORM_NAMES[PLATFORM], advice=advice
            )
            with core.stores() as store:
                key = blocked_key(PLATFORM, channel or "", now)
                tell_admins(store, platforms=self.sender.platforms, key=key, text=text, at=now)
            self.pump.wake()

    def _health(self) -> tuple[int, str]:
        """`/healthz`: 200 and the outbox backlog when the database answers within
        HEALTH_WAIT seconds; 503 when it does not (down, or locked by another process)."""

        def backlog() -> tuple[int, int]:
            with self.bryggan.core.stores() as store:
                return store.outbox_backlog()

        try:
            waiting, parked = self._health_checks.submit(backlog).result(timeout=HEALTH_WAIT)
        except (FutureTimeout, StoreBusy):
            logger.warning("health check: the database did not answer in %g s", HEALTH_WAIT)
            return 503, json.dumps({"status": "unavailable", "database": "no answer"})
        except Exception as error:
            logger.warning("health check: the database failed: %s", type(error).__name__)
            return 503, json.dumps({"status": "unavailable", "database": "error"})
        health = {"status": "ok", "database": "ok", "outbox_waiting": waiting}
        return 200, json.dumps(health | {"outbox_parked": parked})

    def _remember_signature(self, signature: str, at: float) -> bool:
        """Record a request's signature; False when any process has seen it before. When
        the database cannot be asked, the request goes on to the core, which cannot store
        anything either and answers "try again" (a replay then changes nothing)."""
        moment = datetime.fromtimestamp(at, UTC)
        try:
            with self.bryggan.core.stores() as store:
                return store.claim_event(platform=SIGNATURES, event_id=signature, at=moment)
        except Exception as error:
            logger.warning(
                "replay guard: the database could not be asked (%s)", type(error).__name__
            )
            return True

    def stop(self) -> None:
        """Stop listening first, then let the pump finish its current post."""
        if self.http is not None:
            self.http.stop()
        if self.socket is not None:
            self.socket.close()  # type: ignore[no-untyped-call]
        if self.pump.wake in self.bryggan.core.on_commit:
            self.bryggan.core.on_commit.remove(self.pump.wake)
        self.pump.stop()
        self.courier.stop()
        self._health_checks.shutdown(wait=False)


def _reason(error: Exception) -> str:
    """One line about a failed call: Slack's error code, or the connection problem."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "error"))
    return " ".join(str(error).split())


def _warn_missing_channels(bryggan: Bryggan) -> None:
    for unit in bryggan.config.units:
        if PLATFORM not in unit.channels:
            logger.warning(
                "unit %s has no slack_channel: its Slack cards go to the channel asked in",
                unit.slug,
            )


def start_slack(app: Bryggan, env: Mapping[str, str] | None = None) -> Callable[[], None]:
    """Start Slack as `[slack]` configures it; returns the function that stops it."""
    return SlackService(app, slack_settings(app.config, env)).start().stop
