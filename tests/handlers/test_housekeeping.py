"""The daily housekeeping trims exactly what is old, keeps what is recent, runs once a day
across processes, and never shortens the window in which a redelivered event is refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.housekeeping import HousekeepingSettings, run_housekeeping
from storage.models import AuditRow, JobRunRow, OutboxRow, ProcessedEventRow
from tests.support import Clock

SETTINGS = HousekeepingSettings(
    processed_events_days=30, job_runs_days=90, sent_posts_days=30, audit_days=730, batch=2
)


def seed(app: Bryggan, now: datetime) -> None:
    """Five old and two recent rows of each kind (the old ones just past their age)."""

    def age(days: int, old: bool) -> datetime:
        return now - timedelta(days=days + 1 if old else days - 1)

    with app.database.session() as session:
        for number in range(7):
            old = number < 5
            event = ProcessedEventRow(platform="slack", event_id=f"Ev{number}", at=age(30, old))
            session.add(event)
            session.add(JobRunRow(key=f"job-{number}", at=age(90, old)))
            session.add(AuditRow(action="claimed", at=age(730, old), detail=f"a{number}"))
            sent = age(30, old)
            session.add(
                OutboxRow(
                    platform="console", kind="notice", created_at=sent, sent_at=sent, text="x"
                )
            )
        # an old post that never went out is never trimmed
        long_ago = now - timedelta(days=400)
        session.add(OutboxRow(platform="console", kind="notice", created_at=long_ago, text="y"))


def counts(app: Bryggan) -> dict[str, int]:
    with app.database.session() as session:
        return {
            table.__tablename__: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (ProcessedEventRow, JobRunRow, AuditRow, OutboxRow)
        }


def test_housekeeping_trims_only_what_is_old_once_a_day(app: Bryggan, clock: Clock) -> None:
    seed(app, clock())
    before = counts(app)

    report = run_housekeeping(app.core.stores, clock, SETTINGS)

    assert report.ran
    assert report.removed == {
        "processed_events": 5,
        "job_runs": 5,
        "outbox": 5,
        "audit_log": 5,
        "bot_posts": 0,
    }
    after = counts(app)
    assert after["processed_events"] == before["processed_events"] - 5 == 2
    assert after["job_runs"] == before["job_runs"] - 5 + 1  # today's housekeeping run
    assert after["audit_log"] == before["audit_log"] - 5
    assert after["outbox"] == 3  # two recent sent posts and the one that never went out
    with app.database.session() as session:
        kept = set(session.scalars(select(ProcessedEventRow.event_id)))
        assert kept == {"Ev5", "Ev6"}
    # a second process (or a second run) the same day does nothing
    again = build(app.config, clock)
    assert not run_housekeeping(again.core.stores, clock, SETTINGS).ran
    again.database.engine.dispose()
    assert counts(app) == after


def test_the_audit_log_is_kept_for_ever_when_no_age_is_set(app: Bryggan, clock: Clock) -> None:
    seed(app, clock())
    forever = HousekeepingSettings(audit_days=None, batch=3)
    report = run_housekeeping(app.core.stores, clock, forever)
    assert "audit_log" not in report.removed
    assert counts(app)["audit_log"] == 7


def test_a_redelivered_event_inside_the_window_is_still_refused_after_housekeeping(
    app: Bryggan, clock: Clock
) -> None:
    first = Request("console", "lisa", "/fråga kategori:sgi Fråga om SGI", event_id="Ev-1")
    reply = app.core.handle(first)
    assert reply is not None and "F-2026-0001" in reply.text
    clock.advance(days=29)
    assert run_housekeeping(app.core.stores, clock, SETTINGS).ran
    assert app.core.handle(first) is None  # still known: nothing asked twice
    with app.database.session() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEventRow)) == 1
