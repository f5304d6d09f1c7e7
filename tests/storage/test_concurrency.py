"""Many people asking at once: every accepted question is stored once, references unique."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.wiring import Bryggan
from handlers.commands import Request
from storage.models import OutboxRow, QuestionRow


def test_concurrent_asks_get_unique_references(app: Bryggan) -> None:
    def ask(i: int) -> str:
        line = f"/fråga enhet:hassleholm kategori:regler riktning:vård-fk Fråga nummer {i}"
        reply = app.core.handle(Request("console", "lisa", line))
        assert reply is not None and reply.ref is not None, reply
        return reply.ref

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(ask, range(40)))
    assert len(set(refs)) == 40
    assert sorted(refs) == [f"F-2026-{n:04d}" for n in range(1, 41)]
    with app.database.session() as session:
        assert session.scalar(select(func.count()).select_from(QuestionRow)) == 40
        cards = session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == "card")
        )
        assert cards == 40
