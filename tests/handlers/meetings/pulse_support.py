"""Helpers for the pulse-meeting and reminder tests: speak, run the due job, read posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.scheduler import run_due_now
from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.kernel.calendar import STOCKHOLM
from handlers.meetings.scheduling import DueReport
from storage.models import AuditRow, OutboxRow
from tests.support import Clock, RecordingMessenger

SERIES = (
    "/puls ny varannan torsdag kl 13 enheter:kristianstad,hassleholm länk:https://meet.example/p"
)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A Stockholm wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def say(app: Bryggan, user: str, text: str, **where: str) -> str:
    reply = app.core.handle(Request("console", user, text, **where))
    assert reply is not None
    return reply.text


class Posts:
    """Delivers the console outbox to a recording messenger; keeps what arrived."""

    def __init__(self, app: Bryggan, clock: Clock) -> None:
        self.app = app
        self.clock = clock
        self.messenger = RecordingMessenger()
        self.sender = OutboxSender(app.core.stores, self.messenger, clock)

    def run(self, moment: datetime | None = None) -> DueReport:
        """Set the clock (optionally), run the due job once and deliver its posts."""
        if moment is not None:
            self.clock.now = moment
        report = run_due_now(self.app)
        self.sender.drain()
        return report

    def drain(self) -> None:
        self.sender.drain()

    def channel(self, name: str) -> list[str]:
        return [text for channel, text, _ in self.messenger.messages if channel == name]

    def notices(self, person: str) -> list[str]:
        return [text for key, text in self.messenger.notices if key == person]

    def clear(self) -> None:
        self.messenger.messages.clear()
        self.messenger.notices.clear()


def outbox_texts(app: Bryggan, kind: str = "channel") -> list[str]:
    with app.database.session() as session:
        rows = session.scalars(
            select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
        )
        return [r.text or "" for r in rows]


def audit_details(app: Bryggan, action: str) -> list[str]:
    with app.database.session() as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.action == action))
        return [r.detail for r in rows]
