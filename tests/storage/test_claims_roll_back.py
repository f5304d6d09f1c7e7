"""A claimed event or job belongs to its transaction: when the rest of the work is rolled
back (an error, or a crash before the commit), the claim goes too, so that the redelivered
event is handled instead of being dropped as done. On SQLite the claim's SAVEPOINT once
opened the transaction itself and committed on its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.wiring import Bryggan
from handlers.commands import Request

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_claim_is_rolled_back_with_the_rest_of_its_transaction(app: Bryggan) -> None:
    with pytest.raises(RuntimeError), app.database.transaction() as store:
        assert store.claim_event(platform="matrix", event_id="$crash", at=AT)
        assert store.claim_job(key="weekly:2026-W48", at=AT)
        raise RuntimeError("the process died before the commit")
    with app.database.transaction() as store:
        assert store.claim_event(platform="matrix", event_id="$crash", at=AT)
        assert store.claim_job(key="weekly:2026-W48", at=AT)
    with app.database.transaction() as store:
        assert not store.claim_event(platform="matrix", event_id="$crash", at=AT)
        assert not store.claim_job(key="weekly:2026-W48", at=AT)


def test_a_question_whose_commit_failed_is_asked_when_its_event_comes_again(
    app: Bryggan,
) -> None:
    text = "!fråga kategori:sgi Gäller SGI vid deltid?"
    ask = Request("matrix", "@lisa:localhost", text, channel="!rum:localhost", event_id="$ask")

    def crash(*_: object) -> None:
        raise RuntimeError("killed between the question and the commit")

    app.core.before_commit.append(crash)
    assert app.core.handle(ask) is not None  # "Något gick fel": nothing was saved
    app.core.before_commit.remove(crash)
    reply = app.core.handle(ask)
    assert reply is not None and reply.accepted, reply
    assert app.core.handle(ask) is None
