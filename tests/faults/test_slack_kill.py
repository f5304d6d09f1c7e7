"""kill -9 in the middle of a burst of 500 questions over Slack's HTTP mode, then a restart
on the same database: every acknowledged question exists exactly once, and its card is in
the channel exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.faults.harness import (
    BrygganProcess,
    Burst,
    card_refs,
    free_port,
    stored_questions,
    write_config,
)
from tests.slack_stand_in import SlackStandIn
from tests.support import wait_until

QUESTIONS = 500
CLIENTS = 6
KILL_AFTER = 180
"""Acknowledged questions before the kill: the outbox is busy posting cards by then."""


def wait_for_cards(
    stand_in: SlackStandIn, refs: set[str], bot: BrygganProcess, timeout: float = 60
) -> Counter[str]:
    """The cards posted, once every one of `refs` is among them."""

    def cards() -> Counter[str]:
        return card_refs(stand_in.calls("chat.postMessage"))

    def missing() -> str:
        absent = sorted(refs - set(cards()))
        return f"{len(absent)} cards missing, e.g. {absent[:5]}; bryggan's log:\n{bot.tail()}"

    wait_until(lambda: refs <= set(cards()), timeout, "every stored question's card", seen=missing)
    return cards()


def test_kill_9_mid_burst_loses_and_duplicates_nothing(
    database_url: str, slack_stand_in: SlackStandIn, tmp_path: Path
) -> None:
    port = free_port()
    config = write_config(tmp_path, port=port, api_base_url=slack_stand_in.base_url)
    bot = BrygganProcess(config, database_url, port, tmp_path / "bryggan.log").start()
    bot.wait_ready()
    texts = [f"Krockfråga nummer {n}: hur påverkas SGI vid deltid?" for n in range(QUESTIONS)]
    burst = Burst(port, texts, CLIENTS).start()
    try:
        wait_until(
            lambda: len(burst.acked()) >= KILL_AFTER,
            60,
            f"{KILL_AFTER} acknowledged questions before the kill",
            seen=lambda: f"{len(burst.acked())} acknowledged; bryggan's log:\n{bot.tail()}",
            poll=0.002,  # kill close to KILL_AFTER, while the outbox is busy
        )
        burst.close()
        bot.kill()
        killed_with = len(burst.acked())
        bot.start()
        bot.wait_ready()
        burst.open()
        burst.join()
        stored = stored_questions(database_url)
        cards = wait_for_cards(slack_stand_in, {ref for ref, _ in stored}, bot)
    finally:
        bot.stop()

    acked = burst.acked()
    assert KILL_AFTER <= killed_with < QUESTIONS, "the kill did not land mid-burst"
    assert len(acked) + len(burst.in_flight) == QUESTIONS, bot.tail()
    assert len(burst.in_flight) <= CLIENTS
    # Every acknowledged question is stored exactly once, under the reference it was given.
    refs = [answer.ref for answer in acked.values()]
    assert len(set(refs)) == len(refs)
    by_ref = dict(stored)
    texts_stored = Counter(body for _, body in stored)
    for text, answer in acked.items():
        assert by_ref.get(answer.ref or "") == text
        assert texts_stored[text] == 1
    # Nothing else was stored except, at most once each, questions in flight at the kill.
    assert len(by_ref) == len(stored)
    assert all(texts_stored[t] <= 1 and (t in acked or t in burst.in_flight) for t in texts_stored)
    # Every stored question's card reached the channel, none of them twice.
    assert set(cards) == set(by_ref), bot.tail()
    assert [ref for ref, count in cards.items() if count > 1] == []
