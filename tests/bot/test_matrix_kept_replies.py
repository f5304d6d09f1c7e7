"""A command committed whose reply never went out: when its sync batch is handled again
(after a crash, or a failed save as here), the reply kept with the commit goes out, once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.matrix.events import Incoming
from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock, wait_until


def test_a_reply_lost_after_the_commit_is_sent_when_the_batch_is_replayed(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock) as scene:
            bot, handler = scene.service.bot, scene.service.bot.handler
            crashed: list[str] = []
            reply, save = handler._reply, bot._save

            async def reply_lost_once(
                incoming: Incoming, body: str, tables: str | None = None
            ) -> None:
                if not crashed:
                    crashed.append(incoming.event_id)
                    raise RuntimeError("the process died here")
                await reply(incoming, body, tables)

            def save_fails_once(values: dict[str, str], **options: Any) -> None:
                if crashed and len(crashed) == 1:
                    crashed.append("save")
                    raise RuntimeError("and the sync token was never saved")
                save(values, **options)

            monkeypatch.setattr(handler, "_reply", reply_lost_once)
            monkeypatch.setattr(bot, "_save", save_fails_once)
            ask = await scene.doctor.say(scene.room, "!fråga kategori:sgi Påverkas SGI av deltid?")
            answer = await scene.doctor.until(
                lambda: first(scene.doctor.replies_to(scene.room, ask)), "the reply", 30
            )
            assert "F-2026-0001 är registrerad" in answer.body
            assert crashed == [ask, "save"]
            # The next command's reply comes after anything still due for the first one.
            listed = await scene.doctor.say(scene.room, "!frågor")
            await scene.doctor.until(
                lambda: first(scene.doctor.replies_to(scene.room, listed)), "the list", 15
            )
            assert len(scene.doctor.replies_to(scene.room, ask)) == 1
            assert len(scene.doctor.cards(scene.room, scene.bot_id)) == 1

            def counts() -> tuple[int, int]:
                with scene.app.database.engine.connect() as connection:
                    kept = connection.execute(
                        text("SELECT count(*) FROM adapter_state WHERE key LIKE '%:re:%'")
                    ).scalar_one()
                    questions = connection.execute(text("SELECT count(*) FROM questions"))
                    return int(kept), int(questions.scalar_one())

            # The kept reply is forgotten in its own transaction just after it is sent.
            await asyncio.to_thread(
                wait_until,
                lambda: counts() == (0, 1),
                5,
                "the kept reply forgotten, one question stored",
                seen=lambda: f"(kept replies, questions) = {counts()}",
            )

    asyncio.run(scenario())
