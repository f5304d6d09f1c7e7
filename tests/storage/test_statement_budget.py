"""The database work of a question and of its posts, counted so that it cannot creep back.

A `/fråga` costs statements before its ack, and every statement is a round trip on
PostgreSQL and CPU on both databases; a delivered post costs them again in the outbox. A
SQLAlchemy listener (`before_cursor_execute`) counts what reaches the driver: one question
through `Core.handle`, as Slack's slash command sends it, and the outbox's posts through
the Slack sender against the stand-in. Transaction control (BEGIN, COMMIT) is not counted:
PostgreSQL's driver sends BEGIN without a statement of ours, SQLite's is ours, and both
commit once per transaction. Targets of issue #19: at most 6 per question, 4 per post.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, func, select

from bot.slack.delivery import slack_sender
from bot.slack.messenger import SlackMessenger
from bot.wiring import Bryggan, build
from handlers.commands import Request
from storage.models import OutboxRow, QuestionRow
from tests import support
from tests.bot.slack_support import CHANNEL, SLACK_TOML
from tests.slack_stand_in import SlackStandIn
from tests.support import Clock

PER_QUESTION = 6
PER_POST = 4


@pytest.fixture
def bryggan(database_url: str, clock: Clock, slack_stand_in: SlackStandIn) -> Iterator[Bryggan]:
    config = support.test_config(database_url, SLACK_TOML.format(base_url=slack_stand_in.base_url))
    app = build(config, clock)
    # The directory's version row is read at most once a second (storage.directory_cache):
    # not within a counted block, so that the count does not depend on the machine's speed.
    app.database.directory.recheck = 3600.0
    yield app
    app.database.engine.dispose()


@contextmanager
def counted(app: Bryggan) -> Iterator[list[str]]:
    """The statements sent to the database inside the block (transaction control left out)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            seen.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(app.database.engine, "before_cursor_execute", count)


def ask(app: Bryggan, number: int) -> str:
    """One `/fraga` one-liner by Lisa in the unit Ystad's channel, as Slack sends it."""
    text = f"kategori:sgi Fråga nummer {number}: hur påverkas SGI vid deltid?"
    reply = app.core.handle(Request("slack", "ULISA", text, channel=CHANNEL, command="fråga"))
    assert reply is not None and reply.ref is not None, reply
    return reply.ref


def show(statements: list[str]) -> str:
    return "\n".join(" ".join(s.split())[:160] for s in statements)


def test_a_question_costs_at_most_six_statements_before_its_ack(bryggan: Bryggan) -> None:
    ask(bryggan, 1)  # the first one reads the directory
    with counted(bryggan) as statements:
        ref = ask(bryggan, 2)
    assert ref.endswith("-0002")
    with bryggan.database.session() as session:
        stored = session.scalar(select(QuestionRow).where(QuestionRow.ref == ref))
        assert stored is not None and stored.assignee_id is not None  # routed to Anna
        queued = session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.question_id == stored.id)
        )
        assert queued == 2  # its card and Anna's notice, committed with it
    assert len(statements) <= PER_QUESTION, show(statements)


def test_a_delivered_post_costs_at_most_four_statements(
    bryggan: Bryggan, clock: Clock, slack_stand_in: SlackStandIn, slack_web_client: WebClient
) -> None:
    sender = slack_sender(
        bryggan.core.stores, SlackMessenger(slack_web_client, bryggan.core.registry), clock
    )
    refs = [ask(bryggan, n) for n in range(1, 11)]
    with counted(bryggan) as statements:
        delivered = sender.drain()
    assert delivered == 20  # ten cards and ten notices to Anna
    cards = [m["text"].split(" · ")[0] for m in slack_stand_in.messages(CHANNEL)]
    assert sorted(ref for ref in refs if any(ref in card for card in cards)) == refs
    assert len(statements) <= PER_POST * delivered, show(statements)

    ask(bryggan, 11)  # one question alone: its card and notice
    with counted(bryggan) as statements:
        assert sender.drain() == 2
    assert len(statements) <= PER_POST * 2, show(statements)
