"""Two `bryggan run` processes on one database, as operators run them for availability:
started together on an empty PostgreSQL database, they share a burst of questions and every
card and notice reaches Slack exactly once (on a Monday the weekly summary too). On SQLite
the second process is refused."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request
from collections import Counter
from pathlib import Path

from tests.bot.slack_support import CHANNEL, SLACK_TOML, slack_env
from tests.bot.test_slack_run import _free_port, _wait_until_up
from tests.clock_shift import python_command
from tests.slack_stand_in import (
    DEFAULT_SIGNING_SECRET,
    SlackStandIn,
    signed_headers,
    slash_command_body,
)
from tests.support import TEST_CONFIG, wait_until

BURST = 30


def _start(config: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        python_command("bot.cli", "--config", str(config), "run"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _config(tmp_path: Path, name: str, stand_in: SlackStandIn, port: int) -> Path:
    table = SLACK_TOML.format(base_url=stand_in.base_url).replace(
        "http_port = 0", f"http_port = {port}"
    )
    path = tmp_path / f"{name}.toml"
    path.write_text(TEST_CONFIG + table, encoding="utf-8")
    return path


def _ask(port: int, n: int) -> str:
    body = slash_command_body("/fraga", f"kategori:sgi Fråga {n} i skuren", "ULISA", CHANNEL)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events",
        body.encode(),
        signed_headers(DEFAULT_SIGNING_SECRET, body),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(response.read().decode())


def test_two_processes_on_one_database_post_every_card_and_notice_once(
    database_url: str, slack_stand_in: SlackStandIn, tmp_path: Path
) -> None:
    env = {**os.environ, **slack_env(slack_stand_in), "BRYGGAN_DATABASE_URL": database_url}
    ports = [_free_port(), _free_port()]
    processes = [
        _start(_config(tmp_path, name, slack_stand_in, port), env)
        for name, port in zip(("a", "b"), ports, strict=True)
    ]
    try:
        if database_url.startswith("sqlite"):
            wait_until(lambda: any(p.poll() is not None for p in processes), 60, "one refused")
            loser = next(n for n, p in enumerate(processes) if p.poll() is not None)
            assert processes[loser].returncode == 1
            assert "SQLite klarar bara en process" in processes[loser].communicate()[1]
            ports = [ports[1 - loser]]
            _wait_until_up(f"http://127.0.0.1:{ports[0]}/healthz", processes[1 - loser])
        else:
            for port, process in zip(ports, processes, strict=True):
                _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        replies = [_ask(ports[n % len(ports)], n) for n in range(BURST)]
        assert all(reply.startswith("Tack! Din fråga F-") for reply in replies)
        refs = {reply.split()[3] for reply in replies}
        assert len(refs) == BURST  # no number given twice

        def cards() -> list[str]:
            return [m["text"] for m in slack_stand_in.messages(CHANNEL) if "🆕" in m["text"]]

        wait_until(lambda: len(cards()) >= BURST, 60, f"{BURST} cards", seen=cards)
        wait_until(
            lambda: len(slack_stand_in.messages(slack_stand_in.dm_channel_for("UANNA"))) >= BURST,
            60,
            f"{BURST} notices",
        )
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        outcomes = [process.communicate(timeout=30) for process in processes]
    assert sorted(text.split(" · ")[0] for text in cards()) == sorted(f"🆕 {r}" for r in refs)
    posted = Counter(m["text"] for m in slack_stand_in.messages(CHANNEL))
    assert set(posted.values()) == {1}  # each card once (and a weekly summary, if due, once)
    notices = [m["text"] for m in slack_stand_in.messages(slack_stand_in.dm_channel_for("UANNA"))]
    assert len(notices) == len(set(notices)) == BURST  # each notice once
    assert all("Traceback" not in stderr for _, stderr in outcomes)
