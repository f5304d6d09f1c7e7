"""A whole conversation over HTTP mode with every Events API delivery made twice, as Slack
does when it believes the first went unanswered: zero duplicates anywhere a user looks.

Slack redelivers only Events API events (with `X-Slack-Retry-Num`, signed afresh); slash
commands and interactions are never retried (the user sees an error instead), so those
are sent once. One redelivery arrives while the first is still being handled
(`http_timeout`), the others after it (`http_error`)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest

from handlers.commands import Request
from handlers.kernel.context import Reply
from handlers.kernel.model import Status
from tests.bot.slack_support import HttpAnswer, SlackHarness
from tests.faults.harness import card_refs
from tests.slack_stand_in import (
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
)
from tests.support import wait_until


def twice(slack: SlackHarness, body: str, *, together: bool) -> list[HttpAnswer]:
    """The delivery and Slack's redelivery of the same event, signed a second apart."""
    now = int(time.time())
    answers: list[HttpAnswer] = []
    if together:
        retry = threading.Thread(
            target=lambda: answers.append(
                slack.post(body, timestamp=now + 1, retry_num=1, retry_reason="http_timeout")
            )
        )
        retry.start()
        answers.append(slack.post(body, timestamp=now))
        retry.join(10)
    else:
        answers.append(slack.post(body, timestamp=now))
        answers.append(slack.post(body, timestamp=now + 2, retry_num=2, retry_reason="http_error"))
    return answers


def reply(slack: SlackHarness, ref: str, text: str, user: str, event_id: str) -> str:
    location = slack.location(ref)
    event = message_event(text, user, location.channel, thread_ts=location.thread_root)
    return event_callback_body(event, event_id)


def handled_thread_messages(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str | None, bool]]:
    """(event id, whether it was answered) for every thread message the core finished
    handling, redeliveries included; filled by the listeners, which run after the ack."""
    handled: list[tuple[str | None, bool]] = []
    core = slack.bryggan.core
    original = core.handle_thread_message

    def spy(request: Request) -> Reply | None:
        reply = original(request)
        handled.append((request.event_id, reply is not None))
        return reply

    monkeypatch.setattr(core, "handle_thread_message", spy)
    return handled


def both_deliveries(handled: list[tuple[str | None, bool]], event_id: str) -> list[bool]:
    """Once the core has handled both deliveries of `event_id`: whether each was answered,
    sorted."""
    wait_until(
        lambda: [e for e, _ in handled].count(event_id) == 2,
        5,
        f"both deliveries of {event_id} handled",
        seen=lambda: handled,
    )
    return sorted(answered for e, answered in handled if e == event_id)


def settled(slack: SlackHarness, method: str, count: int, what: str) -> None:
    """Wait until the listeners have made `count` calls of `method` in all (their last
    visible step), then deliver the outbox."""
    wait_until(
        lambda: len(slack.stand_in.calls(method)) >= count,
        5,
        what,
        seen=lambda: [call.method for call in slack.stand_in.recorded()],
    )
    slack.flush()


def counts(calls: list[dict[str, Any]], key: str) -> Counter[str]:
    return Counter(str(call.get(key)) for call in calls)


def test_every_event_twice_gives_every_answer_once(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    handled = handled_thread_messages(slack, monkeypatch)
    answer = slack.post(slash_command_body("/fraga", "kategori:sgi Dubbelt?", "ULISA", "CYSTAD"))
    assert answer.status == 200 and "är registrerad" in answer.body
    ref = "F-2026-0001"
    slack.location(ref)

    events = [
        (reply(slack, ref, "Vi tittar på det.", "UANNA", "Ev1"), True),
        (reply(slack, ref, "Tack, patienten är 45 år.", "ULISA", "Ev2"), False),
        (reply(slack, ref, "Ingen påverkan på SGI.", "UANNA", "Ev3"), True),
    ]
    for n, (body, together) in enumerate(events, start=1):
        event_id = f"Ev{n}"
        assert [a.status for a in twice(slack, body, together=together)] == [200, 200]
        # Both deliveries reach the core; exactly one of them is answered.
        assert both_deliveries(handled, event_id) == [False, True]
        # The answered one confirms to its writer (the other returned without a word).
        settled(slack, "chat.postEphemeral", n, f"the confirmation of {event_id}")
    press = block_actions_body(
        "bryggan_stang",
        "UANNA",
        value=ref,
        block_id="bryggan_card",
        channel_id="CYSTAD",
        message_ts=slack.location(ref).thread_root,
    )
    assert slack.post(press).status == 200
    settled(slack, "chat.postEphemeral", len(events) + 1, "the confirmation of the button")
    home = event_callback_body({"type": "app_home_opened", "user": "ULISA", "tab": "home"}, "Ev4")
    assert [a.status for a in twice(slack, home, together=False)] == [200, 200]
    # Drawing the Home tab changes nothing, so each delivery draws it.
    settled(slack, "views.publish", 2, "the Home tab drawn for both deliveries")

    with slack.bryggan.stores() as store:
        question = store.question_by_ref(ref=ref)
        assert question is not None and question.status is Status.STANGD
        assert [m.text for m in store.messages(question_id=question.id)] == [
            "Vi tittar på det.",
            "Tack, patienten är 45 år.",
            "Ingen påverkan på SGI.",
        ]
        assert store.question_by_ref(ref="F-2026-0002") is None
    stand_in = slack.stand_in
    posts = stand_in.calls("chat.postMessage")
    assert card_refs(posts) == {ref: 1}
    # One confirmation per thread message to the one who wrote it, and one for the button.
    assert counts(stand_in.calls("chat.postEphemeral"), "user") == {"UANNA": 3, "ULISA": 1}
    # Each notice once per thing that happened: Anna about the question and the follow-up
    # (on her answer, so the question is back with her), Lisa about each of Anna's two
    # answers and about the closing.
    notices = Counter(
        (str(p["channel"]), str(p["text"]).split(":")[0].split(". ")[0])
        for p in posts
        if p.get("channel") != "CYSTAD"
    )
    assert notices == {
        ("UANNA", "Ny fråga till dig"): 1,
        ("UANNA", "Lisa Ek har skrivit en följdfråga på F-2026-0001"): 1,
        ("ULISA", "Anna Berg har svarat på din fråga F-2026-0001"): 2,
        ("ULISA", "Anna Berg har stängt din fråga F-2026-0001."): 1,
    }
    # Each status reaction once (the follow-up took the answered question back: 👀); the
    # card shows the final status once.
    card = slack.card(ref)
    assert sorted(r["name"] for r in card["reactions"]) == ["eyes", "lock", "white_check_mark"]
    headers = [block["text"]["text"] for block in card["blocks"] if block["type"] == "header"]
    assert headers == [f"🔒 {ref} · stängd"]
    assert len([m for m in stand_in.messages("CYSTAD") if ref in str(m.get("text"))]) == 1
    assert "stängd" in card["text"]
