"""Every Slack request is acknowledged in time, however slow Slack itself is, and a request
that could not be acknowledged in time is not carried out later (the user's retry would
make a duplicate)."""

from __future__ import annotations

import threading

from bot.slack.courier import ListenerPool
from tests.bot.slack_support import SlackHarness, ack_text


def test_five_hanging_web_api_calls_leave_the_sixth_request_acked(slack: SlackHarness) -> None:
    refs = [slack.ask(f"Fråga {n}?") for n in range(5)]
    gate = slack.stand_in.hold("chat.postEphemeral")  # Slack stops answering ephemerals
    try:
        for ref in refs:  # five outcomes to tell, each stuck at Slack
            assert slack.press("bryggan_ta", ref, "UANNA").status == 200
        slack.stand_in.wait_for("chat.postEphemeral", 5)
        reply = slack.command("kategori:sgi En sjätte fråga medan Slack hänger")
        assert "F-2026-0006" in ack_text(reply)  # acknowledged with its answer, not a 404
    finally:
        gate.set()
    told = slack.stand_in.wait_for("chat.postEphemeral", 5)
    assert sorted(t["text"].split(".")[0] for t in told) == [f"Du har tagit {r}" for r in refs]


def test_a_listener_that_waited_past_the_deadline_is_not_run() -> None:
    now = [0.0]
    pool = ListenerPool(workers=1, deadline=2.5, clock=lambda: now[0])
    busy = threading.Event()
    ran: list[str] = []
    first = pool.submit(busy.wait)  # the only thread is taken…
    late = pool.submit(ran.append, "sent too late")
    in_time = pool.submit(ran.append, "in time")
    now[0] = 3.0  # …for longer than Slack waits for an ack
    busy.set()
    first.result(timeout=10)
    assert late.result(timeout=10) is None and in_time.result(timeout=10) is None
    soon = pool.submit(ran.append, "queued after")
    soon.result(timeout=10)
    pool.shutdown()
    assert ran == ["queued after"]
