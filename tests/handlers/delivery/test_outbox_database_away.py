"""The outbox when the database goes away between a batch's sends and its record: what was
posted is recorded at the next drain, and what still waited goes out then, not only when
its lease runs out ten minutes later."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from sqlalchemy import select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel import Store
from storage.models import OutboxRow
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Fråga {n} om SGI"


class Flaky:
    """The app's stores, but the transactions from the `fail_from`-th on cannot connect."""

    def __init__(self, app: Bryggan) -> None:
        self.app = app
        self.opened = 0
        self.fail_from: int | None = None

    def __call__(self) -> AbstractContextManager[Store]:
        self.opened += 1
        if self.fail_from is not None and self.opened >= self.fail_from:
            raise ConnectionError("the database is restarting")
        return self.app.core.stores()


@contextmanager
def away(stores: Flaky, from_transaction: int) -> Iterator[None]:
    stores.opened, stores.fail_from = 0, from_transaction
    try:
        yield
    finally:
        stores.fail_from = None


def unsent(app: Bryggan) -> int:
    with app.database.session() as session:
        return len(list(session.scalars(select(OutboxRow).where(OutboxRow.sent_at.is_(None)))))


def test_a_batch_the_database_could_not_record_is_recorded_at_the_next_drain(
    app: Bryggan, clock: Clock
) -> None:
    refs = []
    for n in range(3):
        reply = app.core.handle(Request("console", "lisa", ASK.format(n=n)))
        assert reply is not None and reply.accepted and reply.ref is not None
        refs.append(reply.ref)
    stores, messenger = Flaky(app), RecordingMessenger()
    sender = OutboxSender(stores, messenger, clock)
    # The lease commits; the first card's own record and everything after cannot connect.
    with away(stores, 2), pytest.raises(ConnectionError):
        sender.drain()
    posted = len(messenger.cards) + len(messenger.notices)
    assert posted == 6 and unsent(app) == 6  # all went out; none recorded
    clock.advance(minutes=1)  # far less than the lease
    assert sender.drain() == 6  # recorded now, and nothing posted twice
    assert len(messenger.cards) + len(messenger.notices) == 6
    assert unsent(app) == 0
    with app.core.stores() as store:
        questions = [store.question_by_ref(ref=ref) for ref in refs]
        assert all(q is not None and q.location is not None for q in questions)
