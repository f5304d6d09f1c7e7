"""Building the Slack client and the bolt `App` with Bryggan's listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack.commands import SlashCommands
from bot.slack.config import SlackSettings
from bot.slack.courier import Courier, ListenerPool
from bot.slack.events import Events
from bot.slack.interactions import Interactions
from bot.slack.transport import KeptAliveWebClient
from bot.wiring import Bryggan

logger = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3


class _TokenFromClient(logging.Filter):
    """bolt also reads SLACK_BOT_TOKEN itself and then warns that the client's token wins;
    the client is built from that same variable, so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


bolt_logger = logging.getLogger("bot.slack.bolt")
bolt_logger.addFilter(_TokenFromClient())


def build_client(settings: SlackSettings) -> WebClient:
    """A Web API client on `api_base_url` that waits out HTTP 429 (Retry-After) and
    retries a dropped connection once, before a failure reaches the outbox's own retries;
    its calls reuse kept-alive connections (`bot.slack.transport`)."""
    client = KeptAliveWebClient(
        token=settings.bot_token, base_url=settings.api_base_url, timeout=15
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client


def build_app(
    bryggan: Bryggan,
    settings: SlackSettings,
    client: WebClient | None = None,
    courier: Courier | None = None,
) -> App:
    """The bolt app: `/fraga`, `/bryggan`, card buttons, modals, thread replies, Home tab.

    Listeners run after bolt's dispatch has returned the ack (`process_before_response`
    off), and each acks before doing anything slow; the Web API calls that answer a request
    go through `courier`, so a slow Slack never keeps a listener thread (bot/slack/courier).
    The token is checked once with `auth.test` here, so a wrong token stops the start with
    a clear error.
    """
    courier = courier or Courier()
    bolt = App(
        name="bryggan",
        logger=bolt_logger,
        client=client or build_client(settings),
        signing_secret=settings.signing_secret,
        process_before_response=False,
        listener_executor=ListenerPool(),
    )
    SlashCommands(bryggan, courier).register(bolt)
    Interactions(bryggan, courier).register(bolt)
    Events(bryggan, courier).register(bolt)
    return bolt
