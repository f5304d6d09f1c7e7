"""The durable limit: the least a Slack bot can do per question and still lose none.

A bare slack-bolt app served exactly as Bryggan's HTTP mode serves its bolt app (the server
of `bench/bare_bolt.py`, `App.dispatch`, `process_before_response=False`), whose `/fraga`
listener writes what Bryggan's does durably, lean: the question, and its two outbox rows
(the card for the channel and the contact's notice), in one SQLAlchemy Core transaction
(one statement for the question, one for both outbox rows), commits, and acks. A sender
thread, woken by each commit, drains the outbox as Bryggan's does: a batch of due rows at a
time, each posted with `chat.postMessage` (to the Slack stand-in in the benchmarks) over the
same kept-alive client (`bot.slack.transport`, the only thing of Bryggan's it uses), and
the batch's rows marked sent in one transaction. The floor Bryggan's cost, card lag and
memory are compared with (`bench/bench_slack_ack.py`, `bench/bench_memory.py`).

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… python -m bench.durable_limit \
        <port> <api_base_url> <database_url (SQLite or PostgreSQL)>
"""

from __future__ import annotations

import os
import sys
import threading
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    update,
)

from bench.bare_bolt import run
from bot.slack.transport import KeptAliveWebClient

metadata = MetaData()
questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("asker", String(40), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("question_id", ForeignKey("questions.id"), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("card", Boolean, nullable=False),
    Column("sent_at", DateTime(timezone=True), index=True),
)


CONTACT = "UANNA"
"""Who gets each question's notice (a direct message), as Anna does in Bryggan's bench."""
BATCH = 20


class Sender(threading.Thread):
    """Posts pending outbox rows, oldest first, a batch at a time, whenever a commit wakes it."""

    def __init__(self, engine: Engine, client: WebClient) -> None:
        super().__init__(daemon=True, name="outbox")
        self.engine, self.client, self.wake = engine, client, threading.Event()

    def run(self) -> None:
        while True:
            self.wake.wait(1.0)
            self.wake.clear()
            while self.drain_some():
                pass

    def drain_some(self) -> bool:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(outbox.c.id, outbox.c.channel, outbox.c.text, outbox.c.card)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(BATCH)
            ).all()
        for row in rows:
            if row.card:
                block = {"type": "section", "text": {"type": "mrkdwn", "text": row.text}}
                self.client.chat_postMessage(channel=row.channel, text=row.text, blocks=[block])
            else:
                self.client.chat_postMessage(channel=row.channel, text=row.text)
        if rows:
            with self.engine.begin() as connection:
                connection.execute(
                    update(outbox)
                    .where(outbox.c.id.in_([row.id for row in rows]))
                    .values(sent_at=datetime.now(UTC))
                )
        return len(rows) == BATCH


def build_app(api_base_url: str, engine: Engine) -> App:
    """The bolt app: `/fraga` stores the question and its card's outbox row, then acks."""
    client = KeptAliveWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=api_base_url)
    sender = Sender(engine, client)
    sender.start()
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=False,
    )

    @app.command("/fraga")
    def ask(ack: Ack, command: dict[str, Any]) -> None:
        now, text, channel = datetime.now(UTC), command.get("text", ""), command["channel_id"]
        with engine.begin() as connection:
            question_id = connection.execute(
                insert(questions).returning(questions.c.id),
                {"asker": command["user_id"], "channel": channel, "text": text, "created_at": now},
            ).scalar_one()
            ref = f"F-{now.year}-{question_id:04d}"
            connection.execute(
                insert(outbox),
                [
                    {
                        "question_id": question_id,
                        "channel": channel,
                        "card": True,
                        "text": f"{ref} · ny · {text}",
                    },
                    {
                        "question_id": question_id,
                        "channel": CONTACT,
                        "card": False,
                        "text": f"Ny fråga till dig: {ref}",
                    },
                ],
            )
        sender.wake.set()
        ack(text=f"Tack! Din fråga {ref} är registrerad.")

    return app


def main(port: int, api_base_url: str, database_url: str) -> None:
    if database_url.startswith("sqlite"):
        options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    else:  # as Bryggan's pool: its listener threads, the sender and one spare
        options = {"pool_size": 8, "max_overflow": 2}
    engine = create_engine(database_url, **options)
    if engine.dialect.name == "sqlite":
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # as Bryggan's SQLite
    metadata.create_all(engine)
    run(build_app(api_base_url, engine), port)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
