"""The `[slack]` table, starting Slack from `bryggan run`, and Socket Mode's envelope."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import yaml  # type: ignore[import-untyped]  # no stubs (types-PyYAML) installed
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.config import Config, ConfigError, load_config, parse_config
from bot.runner import start_platforms
from bot.slack import start_slack
from bot.slack.config import slack_settings
from bot.slack.replies import ASK_COMMAND, MAIN_COMMAND
from bot.wiring import build
from handlers.commands import Request
from tests import support
from tests.bot.slack_support import CHANNEL, SLACK_TOML, SlackHarness, card_text, slack_env
from tests.slack_stand_in import SlackStandIn, slash_command_body
from tests.support import Clock


def _config(table: str) -> Config:
    return parse_config(tomllib.loads(table), "bryggan.toml", {}, Path.cwd())


def test_socket_mode_is_the_default_and_needs_the_bot_and_app_tokens() -> None:
    config = _config("[slack]\nenabled = true\n")
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    settings = slack_settings(config, env)
    assert (settings.mode, settings.app_token, settings.signing_secret) == ("socket", "xapp-1", "")
    assert settings.api_base_url == "https://slack.com/api/"
    with pytest.raises(ConfigError, match=r"bryggan.toml: \[slack\].*SLACK_APP_TOKEN"):
        slack_settings(config, {"SLACK_BOT_TOKEN": "xoxb-1"})
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        slack_settings(config, {"SLACK_APP_TOKEN": "xapp-1"})


def test_http_mode_needs_the_signing_secret_and_reads_port_and_base_url() -> None:
    config = _config(
        '[slack]\nmode = "http"\nhttp_port = 8080\napi_base_url = "http://127.0.0.1:9/api"\n'
    )
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        slack_settings(config, {"SLACK_BOT_TOKEN": "xoxb-1"})
    settings = slack_settings(config, {"SLACK_BOT_TOKEN": "b", "SLACK_SIGNING_SECRET": "s"})
    assert (settings.http_port, settings.api_base_url) == (8080, "http://127.0.0.1:9/api/")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('mode = "websocket"', "mode"),
        ('http_port = "3000"', "http_port"),
        ("http_port = 70000", "http_port"),
        ('api_base_url = "slack.com/api"', "api_base_url"),
        ("drain_interval = 0", "drain_interval"),
    ],
)
def test_a_bad_value_names_the_file_and_key(table: str, key: str) -> None:
    env = {"SLACK_BOT_TOKEN": "b", "SLACK_APP_TOKEN": "a"}
    with pytest.raises(ConfigError, match=rf"bryggan.toml: \[slack\] {key}"):
        slack_settings(_config(f"[slack]\n{table}\n"), env)


def test_the_example_config_documents_slack_switched_off() -> None:
    config = load_config(None)
    assert not config.enabled("slack")
    assert config.table("slack")["mode"] == "socket"


def test_bryggan_run_starts_slack_and_delivers_what_was_pending(
    database_url: str,
    clock: Clock,
    slack_stand_in: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in slack_env(slack_stand_in).items():
        monkeypatch.setenv(name, value)
    config = support.test_config(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    app = build(config, clock)
    asked = Request("slack", "ULISA", "/fraga kategori:sgi Ställd innan start?", channel=CHANNEL)
    reply = app.core.handle(asked)
    assert reply is not None and reply.accepted
    stops = start_platforms(app)
    try:
        card = slack_stand_in.wait_for("chat.postMessage")[0]
        assert card["channel"] == CHANNEL and "Ställd innan start?" in card_text(card)
    finally:
        for stop in stops:
            stop()
        app.database.engine.dispose()
    assert len(stops) == 1 and app.core.on_commit == []


def test_a_wrong_bot_token_stops_the_start_with_a_clear_error(
    database_url: str, slack_stand_in: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    config = support.test_config(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    app = build(config)
    with pytest.raises(ConfigError, match="Slack godtar inte SLACK_BOT_TOKEN"):
        start_platforms(app)
    app.database.engine.dispose()


def test_socket_mode_envelopes_reach_the_same_listeners(slack: SlackHarness) -> None:
    body = slash_command_body("/fraga", "kategori:sgi Gäller payload även här?", "ULISA", CHANNEL)
    request = SocketModeRequest(
        type="slash_commands", envelope_id="E1", payload=dict(parse_qsl(body))
    )
    response = run_bolt_app(slack.bolt, request)
    assert response.status == 200 and response.body.startswith("Tack! Din fråga F-2026-0001")
    assert "Gäller payload även här?" in card_text(slack.card("F-2026-0001"))


def test_the_manifest_matches_what_the_adapter_listens_for() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "slack-manifest.yaml").read_text())
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [ASK_COMMAND, MAIN_COMMAND]
    assert all(c["should_escape"] for c in manifest["features"]["slash_commands"])
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] and settings["interactivity"]["is_enabled"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert events == {"message.channels", "message.groups", "app_home_opened"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "reactions:write", "channels:history"} <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"]


def test_socket_mode_that_cannot_connect_stops_cleanly_with_a_clear_error(
    database_url: str, slack_stand_in: SlackStandIn
) -> None:
    table = SLACK_TOML.format(base_url=slack_stand_in.base_url).replace(
        'mode = "http"', 'mode = "socket"'
    )
    config = support.test_config(database_url, table)
    app = build(config)
    env = {"SLACK_BOT_TOKEN": slack_stand_in.token, "SLACK_APP_TOKEN": "xapp-1-wrong"}
    with pytest.raises(ConfigError, match=r"Socket Mode kunde inte ansluta.*SLACK_APP_TOKEN"):
        start_slack(app, env)
    assert slack_stand_in.calls("apps.connections.open")  # it did try
    assert app.core.on_commit == []  # the outbox pump was stopped again
    app.database.engine.dispose()


def test_an_unreachable_slack_is_a_clear_error(database_url: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/api/"
    config = support.test_config(database_url, SLACK_TOML.format(base_url=closed))
    app = build(config)
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    with pytest.raises(ConfigError, match=r"Slack går inte att nå på http://127\.0\.0\.1"):
        start_slack(app, env)
    app.database.engine.dispose()
