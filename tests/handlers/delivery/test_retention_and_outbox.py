"""Retention purge, and the durable outbox: nothing lost, failures retried and reported."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender, RetryPolicy
from handlers.kernel import texts
from handlers.questions.retention import purge_closed_questions
from storage.models import MessageRow, OutboxRow, QuestionRow
from tests.support import Clock, RecordingMessenger

ASK = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Fråga om SGI vid deltid"


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def test_purge_removes_text_but_keeps_facts(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Ett svar")
    say(app, "anna", "/stäng F-2026-0001")
    say(app, "lisa", ASK)  # stays open
    clock.advance(days=89)
    assert purge_closed_questions(app.core.stores, clock, days=90) == 0
    clock.advance(days=2)
    assert purge_closed_questions(app.core.stores, clock, days=90) == 1
    with app.database.session() as session:
        rows = list(session.scalars(select(QuestionRow).order_by(QuestionRow.id)))
        assert rows[0].text is None and rows[0].purged_at is not None
        assert (rows[0].category, rows[0].direction, rows[0].status) == (
            "sgi_formaner",
            "vard_till_fk",
            "stangd",
        )
        assert rows[0].closed_at is not None and rows[0].answered_at is not None
        assert rows[1].text == "Fråga om SGI vid deltid"
        assert list(session.scalars(select(MessageRow.text))) == [None]
        thread_posts = session.scalars(select(OutboxRow.text).where(OutboxRow.kind == "thread"))
        assert all(text is None for text in thread_posts)
    assert "gallringsregeln" in say(app, "lisa", "/visa F-2026-0001")
    assert purge_closed_questions(app.core.stores, clock, days=90) == 0


def test_undelivered_posts_are_sent_after_a_restart(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)  # committed; the process "dies" before any delivery
    restarted = build(app.config, clock)
    messenger = RecordingMessenger()
    assert OutboxSender(restarted.core.stores, messenger, clock).drain() == 2
    assert [card.ref for _, card in messenger.cards] == ["F-2026-0001"]
    assert OutboxSender(restarted.core.stores, messenger, clock).drain() == 0
    restarted.database.engine.dispose()


def test_failed_post_is_retried_with_backoff(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    messenger = RecordingMessenger(failures=1)
    sender = OutboxSender(app.core.stores, messenger, clock)
    assert sender.drain() == 1  # the card failed, the notice went out
    assert messenger.cards == []
    assert sender.drain() == 0  # not due yet
    clock.advance(seconds=3)
    assert sender.drain() == 1
    assert [card.ref for _, card in messenger.cards] == ["F-2026-0001"]


def test_post_that_keeps_failing_is_parked_and_the_asker_and_admins_are_told(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Ett svar som väntar på kortet")
    messenger = RecordingMessenger(failures=10_000)  # the platform is down for two hours…
    policy = RetryPolicy(horizon=timedelta(hours=2))
    sender = OutboxSender(app.core.stores, messenger, clock, policy=policy, draw=lambda: 0.5)
    for _ in range(4 * 60 // 5):
        sender.drain()
        clock.advance(minutes=5)
    messenger.failures = 0  # …then it comes back for the notices
    clock.advance(minutes=15)
    sender.drain()
    assert messenger.cards == [] and messenger.thread == []
    told = texts.POST_FAILED.format(ref="F-2026-0001", hours="2 timmar")
    assert ("lisa", told) in messenger.notices
    parked = texts.OUTBOX_PARKED.format(
        platform="konsolen", hours="2 timmar", error="platform down"
    )
    assert [n for n in messenger.notices if n[1] == parked] == [("maria", parked)]  # once
    with app.database.session() as session:
        card = session.scalar(select(OutboxRow).where(OutboxRow.kind == "card"))
        assert card is not None and card.failed_at is not None and card.sent_at is None
        assert card.attempts == policy.attempts
        thread = session.scalar(select(OutboxRow).where(OutboxRow.kind == "thread"))
        assert thread is not None and thread.failed_at is not None  # parked with its card


def test_thread_post_waits_for_its_card(app: Bryggan, clock: Clock) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0001 Svar innan kortet kom ut")
    messenger = RecordingMessenger(failures=1)
    sender = OutboxSender(app.core.stores, messenger, clock)
    sender.drain()
    assert messenger.thread == []
    clock.advance(seconds=5)
    sender.drain()
    assert [text for _, text in messenger.thread] == [
        "Svar från Anna Berg:\nSvar innan kortet kom ut"
    ]
