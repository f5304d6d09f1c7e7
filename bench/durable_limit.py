"""The durable limit: the least a Slack bot can do per question and still lose none.

A bare slack-bolt app served exactly as Bryggan's HTTP mode serves its bolt app (the
`ThreadingHTTPServer` of `bench/bare_bolt.py`: keep-alive, one `BoltRequest` per POST,
`App.dispatch`, `process_before_response=False`), whose `/fraga` listener stores the question
and its outbox row in one SQLAlchemy Core transaction, commits, and acks. A sender thread,
woken by each commit, posts every pending outbox row to the channel with `chat.postMessage`
(the Slack stand-in in the benchmarks) and marks it sent. Nothing of Bryggan is imported: it
is the floor Bryggan's cost and memory are compared with (`bench/bench_memory.py`).

    SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… python -m bench.durable_limit \
        <port> <api_base_url> <sqlite_database_url>
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
    Column("sent_at", DateTime(timezone=True), index=True),
)


class Sender(threading.Thread):
    """Posts pending outbox rows, oldest first, whenever a commit wakes it."""

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
                select(outbox.c.id, outbox.c.channel, outbox.c.text)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(50)
            ).all()
        for row in rows:
            self.client.chat_postMessage(channel=row.channel, text=row.text)
            with self.engine.begin() as connection:
                connection.execute(
                    update(outbox).where(outbox.c.id == row.id).values(sent_at=datetime.now(UTC))
                )
        return bool(rows)


def build_app(api_base_url: str, engine: Engine) -> App:
    """The bolt app: `/fraga` stores the question and its card's outbox row, then acks."""
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=api_base_url)
    sender = Sender(engine, client)
    sender.start()
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=False,
    )

    @app.command("/fraga")
    def ask(ack: Ack, command: dict[str, Any]) -> None:
        with engine.begin() as connection:
            question_id = connection.execute(
                insert(questions)
                .values(
                    asker=command["user_id"],
                    channel=command["channel_id"],
                    text=command.get("text", ""),
                    created_at=datetime.now(UTC),
                )
                .returning(questions.c.id)
            ).scalar_one()
            connection.execute(
                insert(outbox).values(
                    question_id=question_id,
                    channel=command["channel_id"],
                    text=f"Ny fråga {question_id}: {command.get('text', '')}",
                )
            )
        sender.wake.set()
        ack(text=f"Tack! Din fråga {question_id} är registrerad.")

    return app


def main(port: int, api_base_url: str, database_url: str) -> None:
    engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # as Bryggan's SQLite
    metadata.create_all(engine)
    run(build_app(api_base_url, engine), port)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
