"""`bryggan run` as a newcomer starts it: a process with `[slack] mode = "http"`, a signed
`/fraga` over the network, the card arriving at the Slack stand-in, a clean SIGTERM stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from tests.bot.slack_support import CHANNEL, SLACK_TOML, card_text, slack_env
from tests.clock_shift import python_command, reference_year
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    SlackStandIn,
    signed_headers,
    slash_command_body,
)
from tests.support import TEST_CONFIG, wait_until


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    """Until `/healthz` answers 200; fails at once if the process died, else after 60 s."""

    def answers() -> bool:
        assert process.poll() is None, process.communicate()[1]
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    wait_until(answers, 60, f"bryggan run to answer {url}", poll=0.1)


def test_bryggan_run_serves_slack_over_http(
    database_url: str, slack_stand_in: SlackStandIn, tmp_path: Path
) -> None:
    port = _free_port()
    table = SLACK_TOML.format(base_url=slack_stand_in.base_url).replace(
        "http_port = 0", f"http_port = {port}"
    )
    config = tmp_path / "config.toml"
    config.write_text(TEST_CONFIG + table, encoding="utf-8")
    env = {**os.environ, **slack_env(slack_stand_in), "BRYGGAN_DATABASE_URL": database_url}
    process = subprocess.Popen(
        python_command("bot.cli", "--config", str(config), "run"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        body = slash_command_body("/fraga", "kategori:sgi Hur gör jag?", "ULISA", CHANNEL)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events",
            body.encode(),
            signed_headers(DEFAULT_SIGNING_SECRET, body),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            reply = response.read().decode()
        assert reply.startswith(f"Tack! Din fråga F-{reference_year()}-0001"), reply
        card = slack_stand_in.wait_for("chat.postMessage", timeout=10)[0]
        assert card["channel"] == CHANNEL and "Hur gör jag?" in card_text(card)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "Bryggan is running on slack" in stderr
