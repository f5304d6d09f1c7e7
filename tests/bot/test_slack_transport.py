"""Slack's Web API over kept-alive connections: one connection for many posts, and Slack's
answers (a 429 with Retry-After, an error, a dropped connection) handled as before."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from bot.slack.app import build_client
from bot.slack.config import SlackSettings
from bot.slack.transport import KeptAliveWebClient
from tests.bot.slack_support import CHANNEL
from tests.slack_stand_in import SlackStandIn


@pytest.fixture
def client(slack_stand_in: SlackStandIn) -> KeptAliveWebClient:
    settings = SlackSettings(
        "http", slack_stand_in.token, "", "", api_base_url=slack_stand_in.base_url
    )
    built = build_client(settings)
    assert isinstance(built, KeptAliveWebClient)
    return built


def connections(client: KeptAliveWebClient) -> int:
    """TCP connections the client has opened so far."""
    return sum(pool.num_connections for pool in client._pool.pools._container.values())


def test_ten_posts_go_over_one_connection(
    client: KeptAliveWebClient, slack_stand_in: SlackStandIn
) -> None:
    for number in range(10):
        client.chat_postMessage(channel=CHANNEL, text=f"inlägg {number}")
    assert [m["text"] for m in slack_stand_in.messages(CHANNEL)] == [
        f"inlägg {n}" for n in range(10)
    ]
    assert connections(client) == 1


def test_a_429_is_waited_out_and_an_error_is_slacks(
    client: KeptAliveWebClient, slack_stand_in: SlackStandIn
) -> None:
    slack_stand_in.fail_next("chat.postMessage", status=429, retry_after=0)
    client.chat_postMessage(channel=CHANNEL, text="efter väntan")
    assert len(slack_stand_in.calls("chat.postMessage")) == 2  # the limited call, its retry
    assert [m["text"] for m in slack_stand_in.messages(CHANNEL)] == ["efter väntan"]
    slack_stand_in.error_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=CHANNEL, text="nej")
    assert refused.value.response["error"] == "channel_not_found"
    assert len(slack_stand_in.messages(CHANNEL)) == 1
