"""PostgreSQL restarted in the middle of a burst of questions over Slack's HTTP mode.

The bot (`bryggan run`) is never restarted: it must recover by itself. A question that
meets the outage gets Bryggan's clear Swedish "nothing was saved, try again" and is indeed
not stored; every acknowledged one is stored exactly once, and its card is posted once.
The cluster is a private one (`tests/faults/postgres.py`), never the shared server."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import make_engine
from tests.faults.harness import (
    BrygganProcess,
    Burst,
    card_refs,
    free_port,
    stored_questions,
    write_config,
)
from tests.faults.postgres import PrivateCluster
from tests.slack_stand_in import SlackStandIn
from tests.support import wait_until

QUESTIONS = 300
RESTART_AFTER = 80
NOT_SAVED = "Inget har sparats; försök igen"


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    started = PrivateCluster().start()
    yield started
    started.stop()


def half_written(url: str) -> list[str]:
    """Questions missing the rows their own transaction writes (card post, audit entry)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT q.ref FROM questions q WHERE "
                    "(SELECT count(*) FROM outbox o WHERE o.question_id = q.id "
                    "AND o.kind = 'card') <> 1 OR NOT EXISTS (SELECT 1 FROM audit_log a "
                    "WHERE a.question_id = q.id AND a.action = 'asked')"
                )
            )
            return [str(ref) for (ref,) in rows]
    finally:
        engine.dispose()


def test_a_database_restart_mid_burst_loses_nothing_acknowledged(
    cluster: PrivateCluster, slack_stand_in: SlackStandIn, tmp_path: Path
) -> None:
    port = free_port()
    config = write_config(tmp_path, port=port, api_base_url=slack_stand_in.base_url)
    bot = BrygganProcess(config, cluster.url, port, tmp_path / "bryggan.log").start()
    bot.wait_ready()
    texts = [f"Omstartsfråga {n}: gäller SGI vid deltid?" for n in range(QUESTIONS)]
    burst = Burst(port, texts, clients=6).start()
    try:
        wait_until(
            lambda: len(burst.acked()) >= RESTART_AFTER,
            60,
            f"{RESTART_AFTER} acknowledged questions before the restart",
            seen=lambda: f"{len(burst.acked())} acknowledged; bryggan's log:\n{bot.tail()}",
            poll=0.002,  # restart close to RESTART_AFTER, mid-burst
        )
        cluster.restart(down_for=1.0)
        back_at = time.monotonic()
        burst.join()
        # A second burst: the same process, never restarted, acknowledges every question.
        later = Burst(port, [f"Efteråt {n}?" for n in range(100)], clients=6).start()
        later.join()
        stored = stored_questions(cluster.url)
        refs = {ref for ref, _ in stored}

        def cards() -> set[str]:
            return set(card_refs(slack_stand_in.calls("chat.postMessage")))

        def difference() -> str:
            missing, extra = sorted(refs - cards()), sorted(cards() - refs)
            return f"missing {missing[:5]}, extra {extra[:5]}; bryggan's log:\n{bot.tail()}"

        wait_until(
            lambda: cards() == refs, 30, "exactly the stored questions' cards", seen=difference
        )
        assert bot.process is not None and bot.process.poll() is None, "the bot died"
    finally:
        bot.stop()

    assert burst.in_flight == [], "the bot dropped a connection"
    answers = burst.answers
    failed = {t: a for t, a in answers.items() if not a.acked}
    assert failed, "the restart did not land in the burst"
    assert all(a.status == 200 and NOT_SAVED in a.text for a in failed.values()), bot.tail()
    assert len(later.acked()) == 100, [a.text for a in later.answers.values() if not a.acked]
    # Recovered by itself: everything sent after the server was back was acknowledged.
    assert all(burst.sent_at[t] < back_at for t in failed)
    # Acknowledged means stored, once; "nothing saved" means nothing saved, not half of it.
    by_ref, texts_stored = dict(stored), Counter(body for _, body in stored)
    for question, answer in burst.acked().items():
        assert by_ref[answer.ref or ""] == question and texts_stored[question] == 1
    assert not any(question in texts_stored for question in failed)
    log = bot.log.read_text(encoding="utf-8")
    cut_off = "terminating connection" in log or "server closed the connection" in log
    assert cut_off, "no transaction was cut off by the restart"
    assert half_written(cluster.url) == []
    assert max(card_refs(slack_stand_in.calls("chat.postMessage")).values()) == 1
