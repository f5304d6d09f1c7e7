"""Retention reaches past the question row: the bot's own posts are edited, the outbox and
agenda rows lose the text, answered questions left open are closed and purged in turn, and
a dry run names what would go without changing anything."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from bot.wiring import Bryggan
from handlers.commands import Request
from handlers.delivery.outbox import OutboxSender
from handlers.housekeeping import HousekeepingSettings, run_housekeeping
from handlers.kernel import ChatLocation, OutboxKind, texts
from handlers.questions.retention import preview_purge, purge_closed_questions
from storage.models import Base, BotPostRow, QuestionRow
from tests.support import Clock, RecordingMessenger

SECRET = "Patienten Ödegaard-Blom behöver halvtid"
ASK = f"/fråga enhet:kristianstad kategori:sgi riktning:vård-fk {SECRET}"
ANSWER = "Svaret om Ödegaard-Blom: ansök om halvtid"


@dataclass
class EditingMessenger(RecordingMessenger):
    """Records posts like `RecordingMessenger`, gives thread posts ids and can edit them."""

    replaced: list[tuple[str, str, str]] = field(default_factory=list)

    def post_in_thread(self, *, location: ChatLocation, text: str, key: str) -> list[str]:  # type: ignore[override]
        super().post_in_thread(location=location, text=text, key=key)
        return [f"reply-{len(self.thread)}"]

    def replace_post(self, *, channel: str, message_id: str, text: str, key: str) -> None:
        self._maybe_fail()
        self.replaced.append((channel, message_id, text))


def say(app: Bryggan, user: str, text: str) -> str:
    reply = app.core.handle(Request("console", user, text))
    assert reply is not None
    return reply.text


def cells_holding(app: Bryggan, needle: str) -> list[str]:
    """Every table.column whose value contains `needle`: a grep of the whole database."""
    found = []
    with app.database.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    if isinstance(value, str) and needle in value:
                        found.append(f"{table.name}.{column.name}")
    return found


def answered_and_closed(app: Bryggan, messenger: EditingMessenger) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", f"/svara F-2026-0001 {ANSWER}")
    say(app, "anna", "/stäng F-2026-0001")
    OutboxSender(app.core.stores, messenger, app.core.clock).drain()


def test_purge_edits_the_bots_posts_and_leaves_no_text_in_any_table(
    app: Bryggan, clock: Clock
) -> None:
    messenger = EditingMessenger()
    answered_and_closed(app, messenger)
    assert messenger.thread[0][1] == f"Svar från Anna Berg:\n{ANSWER}"
    with app.core.stores() as store:  # an agenda post that quoted a note, sent long ago
        store.enqueue(
            platform="console", kind=OutboxKind.CHANNEL, at=clock(), channel="c", text=SECRET
        )
    OutboxSender(app.core.stores, messenger, clock).drain()
    assert cells_holding(app, "Ödegaard-Blom")
    clock.advance(days=91)
    updates_before = len(messenger.updates)

    assert purge_closed_questions(app.core.stores, clock, days=90) == 1
    assert cells_holding(app, "Ödegaard-Blom") == []
    OutboxSender(app.core.stores, messenger, clock).drain()

    assert messenger.replaced == [
        ("kristianstad", "reply-1", f"Svar från Anna Berg:\n{texts.PURGED_POST}")
    ]
    card = messenger.updates[updates_before]
    assert (card.ref, card.text, card.status_label) == ("F-2026-0001", None, "stängd")
    assert cells_holding(app, "Ödegaard-Blom") == []


def test_a_failed_edit_is_retried_and_done_once(app: Bryggan, clock: Clock) -> None:
    messenger = EditingMessenger()
    answered_and_closed(app, messenger)
    clock.advance(days=91)
    purge_closed_questions(app.core.stores, clock, days=90)
    messenger.failures = 2  # the card update and the edit fail once each
    OutboxSender(app.core.stores, messenger, clock).drain()
    assert messenger.replaced == []
    clock.advance(minutes=1)
    OutboxSender(app.core.stores, messenger, clock).drain()
    clock.advance(minutes=1)
    OutboxSender(app.core.stores, messenger, clock).drain()
    assert [m for _, m, _ in messenger.replaced] == ["reply-1"]


def test_an_answered_question_never_closed_is_closed_with_a_notice_then_purged(
    app: Bryggan, clock: Clock
) -> None:
    messenger = EditingMessenger()
    say(app, "lisa", ASK)
    say(app, "anna", f"/svara F-2026-0001 {ANSWER}")
    clock.advance(days=29)
    purge_closed_questions(app.core.stores, clock, days=90, close_answered_after=30)
    with app.database.session() as session:
        assert session.scalar(select(QuestionRow.status)) == "besvarad"
    clock.advance(days=2)
    purge_closed_questions(app.core.stores, clock, days=90, close_answered_after=30)
    with app.database.session() as session:
        assert session.scalar(select(QuestionRow.status)) == "stangd"
    OutboxSender(app.core.stores, messenger, clock).drain()
    notice = (
        "F-2026-0001 var besvarad för 30 dagar sedan och har nu stängts automatiskt. Behöver du "
        "mer hjälp kan du återöppna den med /återöppna F-2026-0001."
    )
    assert ("lisa", notice) in messenger.notices
    assert "återöppna" in notice
    clock.advance(days=91)
    assert purge_closed_questions(app.core.stores, clock, days=90, close_answered_after=30) == 1
    assert cells_holding(app, "Ödegaard-Blom") == []


def test_a_dry_run_names_the_questions_and_counts_and_changes_nothing(
    app: Bryggan, clock: Clock
) -> None:
    messenger = EditingMessenger()
    answered_and_closed(app, messenger)
    say(app, "lisa", ASK)
    say(app, "anna", "/svara F-2026-0002 Ett svar")
    clock.advance(days=91)
    holding = cells_holding(app, "Ödegaard-Blom")

    preview = preview_purge(app.core.stores, clock, days=90, close_answered_after=30)

    assert preview.to_close == ("F-2026-0002",)
    assert [(c.ref, c.messages, c.posts) for c in preview.to_purge] == [("F-2026-0001", 1, 1)]
    assert cells_holding(app, "Ödegaard-Blom") == holding
    with app.database.session() as session:
        statuses = list(session.scalars(select(QuestionRow.status).order_by(QuestionRow.id)))
        assert statuses == ["stangd", "besvarad"]
        assert len(list(session.scalars(select(BotPostRow.id)))) == 1


def test_posts_still_waiting_at_the_purge_go_out_without_the_text(
    app: Bryggan, clock: Clock
) -> None:
    say(app, "lisa", ASK)
    say(app, "anna", f"/svara F-2026-0001 {ANSWER}")
    say(app, "anna", "/stäng F-2026-0001")
    clock.advance(days=91)  # the platform was down all along: nothing went out
    assert purge_closed_questions(app.core.stores, clock, days=90) == 1
    assert cells_holding(app, "Ödegaard-Blom") == []

    messenger = EditingMessenger()
    OutboxSender(app.core.stores, messenger, clock).drain()

    assert [card.text for _, card in messenger.cards] == [None]
    assert messenger.thread == []  # the quoting thread post is not sent at all
    notice = texts.NOTICE_ANSWER.format(by="Anna Berg", ref="F-2026-0001")
    assert any(text.startswith(notice) for person, text in messenger.notices if person == "lisa")


def test_housekeeping_forgets_the_posts_of_questions_purged_long_ago(
    app: Bryggan, clock: Clock
) -> None:
    messenger = EditingMessenger()
    answered_and_closed(app, messenger)
    clock.advance(days=91)
    purge_closed_questions(app.core.stores, clock, days=90)
    OutboxSender(app.core.stores, messenger, clock).drain()
    say(app, "lisa", "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk En ny fråga")
    say(app, "anna", "/svara F-2027-0001 Ett nytt svar")  # a new year by now
    OutboxSender(app.core.stores, messenger, clock).drain()
    clock.advance(days=31)

    report = run_housekeeping(app.core.stores, clock, HousekeepingSettings())

    assert report.removed["bot_posts"] == 1
    with app.database.session() as session:
        kept = session.scalars(select(QuestionRow.ref).join(BotPostRow)).all()
        assert kept == ["F-2027-0001"]
