"""`bryggan outbox` as an operator uses it after an outage: what waits, retry, drop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.config import load_config
from bot.wiring import build
from handlers.commands import Request
from handlers.delivery import OutboxSender
from storage.models import AuditRow, OutboxRow
from tests.bot.test_cli_db import write_config
from tests.support import RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Fråga om SGI vid deltid"


def bryggan(capsys: pytest.CaptureFixture[str], config: Path, *argv: str) -> tuple[int, str]:
    code = main(["--config", str(config), *argv])
    return code, capsys.readouterr().out


def test_an_operator_sees_retries_and_drops_what_waits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, f'url = "sqlite:///{tmp_path / "bryggan.db"}"')
    assert bryggan(capsys, config, "outbox") == (0, "Inget inlägg väntar: allt har gått fram.\n")
    app = build(load_config(config))
    reply = app.core.handle(Request("console", "lisa", ASK))
    assert reply is not None and reply.accepted
    down = RecordingMessenger(failures=2)  # the card and Anna's notice fail once
    OutboxSender(app.core.stores, down, app.core.clock).drain()

    code, listed = bryggan(capsys, config, "outbox")
    lines = listed.splitlines()
    assert code == 0 and len(lines) == 2
    waits = r"1 försök  nästa försök \d+ \w+ \d{4} \d\d:\d\d  platform down"
    assert re.fullmatch(rf"1  console  kort  F-\d{{4}}-0001  {waits}", lines[0])
    assert re.fullmatch(rf"2  console  meddelande  F-\d{{4}}-0001  {waits}", lines[1])

    assert main(["--config", str(config), "outbox", "drop"]) == 2
    assert capsys.readouterr().err == "Ange vilka inlägg som ska bort: bryggan outbox drop <id> …\n"
    assert bryggan(capsys, config, "outbox", "drop", "1") == (0, "Borttaget: 1 inlägg.\n")
    assert bryggan(capsys, config, "outbox", "retry") == (
        0,
        "Skickas igen: 1 inlägg (en körande Bryggan tar dem inom några sekunder).\n",
    )
    up = RecordingMessenger()
    assert OutboxSender(app.core.stores, up, app.core.clock).drain() == 1
    assert up.cards == [] and [who for who, _ in up.notices] == ["anna"]
    with app.database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1
        audit = session.scalars(select(AuditRow.detail).where(AuditRow.action == "outbox_dropped"))
        assert [d.split("  ")[:3] for d in audit] == [["1", "console", "kort"]]
    assert bryggan(capsys, config, "outbox") == (0, "Inget inlägg väntar: allt har gått fram.\n")
    app.database.engine.dispose()
