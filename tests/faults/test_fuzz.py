"""100,000 generated inputs over every grammar: command lines (the console's, Matrix's and
Slack's, core commands and every registered extension), thread replies and question forms,
from every kind of person and from strangers. Zero unhandled exceptions (the core's
"Något gick fel" reply), and every input answered with a non-empty text that Slack can
render. The only None allowed is a reply in a thread that is not a question's.

Over HTTP mode: malformed but validly signed requests of every Slack kind (slash command,
block_actions, view_submission, shortcut, dialog_submission, block_suggestion, events,
url_verification; fixed cases and `BRYGGAN_FUZZ_HTTP` mutations, default 400) all get 400,
none 500, no traceback is logged and nothing is written to the database.

Deterministic: `BRYGGAN_FUZZ_SEED` (default 2026) and `BRYGGAN_FUZZ_INPUTS` (default
100,000 on SQLite; PostgreSQL, when configured, gets a fifth of them, for its own
failure modes such as NUL characters).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, inspect, text

from bot.slack.http import MAX_BODY
from bot.slack.replies import render
from bot.wiring import Bryggan, build
from handlers.commands import Request
from handlers.dates import moments as dates
from handlers.kernel import texts
from handlers.kernel.commands import Ask, ConsentGiven, Typed
from handlers.kernel.context import Reply
from handlers.kernel.model import ChatLocation, ConsentForm, Direction
from handlers.questions import absence_period
from tests.bot.slack_support import SlackHarness
from tests.faults.fuzz_inputs import Inputs, fixed_slack_requests, mutated_slack_requests
from tests.support import Clock
from tests.support import test_config as config_with

SEED = int(os.environ.get("BRYGGAN_FUZZ_SEED", "2026"))
INPUTS = int(os.environ.get("BRYGGAN_FUZZ_INPUTS", "100000"))
ACTORS = [
    ("console", key)
    for key in ["lisa", "olle", "anna", "sofia", "berit", "rut", "karl", "maria", "okänd"]
] + [("slack", "ULISA"), ("slack", "UANNA"), ("slack", "UOKAND"), ("matrix", "@lisa:localhost")]
THREADS = [("console", "#kristianstad", f"ts-{n}") for n in range(1, 4)]


def prepared_app(database_url: str) -> Bryggan:
    """The test directory with three questions whose cards are out (so thread replies
    land); on SQLite without fsync, since durability is not what is tested here."""
    app = build(config_with(database_url), Clock())
    if app.database.engine.dialect.name == "sqlite":
        event.listen(app.database.engine, "connect", _no_sync)
        app.database.engine.dispose()
    for n, (platform, channel, root) in enumerate(THREADS, start=1):
        reply = app.core.handle(Request("console", "lisa", f"/fråga kategori:sgi Tråd {n}?"))
        assert reply is not None and reply.ref is not None
        with app.stores() as store:
            question = store.question_by_ref(ref=reply.ref)
            assert question is not None
            store.set_location(
                question_id=question.id, location=ChatLocation(platform, channel, root)
            )
    return app


def _no_sync(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def one_input(app: Bryggan, inputs: Inputs) -> tuple[str, Reply | None, bool]:
    """Run one generated input; returns what it was, the reply, and whether None is fine."""
    platform, user = inputs.random.choice(ACTORS)
    roll = inputs.random.random()
    if roll < 0.7:
        line = inputs.command()
        return f"handle {line!r}", app.core.handle(Request(platform, user, line)), False
    if roll < 0.85:
        _, channel, root = inputs.random.choice(THREADS)
        stray = inputs.random.random() < 0.1
        root = "ts-none" if stray else root
        text = inputs.text()
        request = Request("console", user if platform == "console" else "lisa", text, channel, root)
        return f"thread {root} {text!r}", app.core.handle_thread_message(request), stray
    command = form_command(inputs)
    reply = app.core.execute(Request(platform, user), command)
    return f"form {command!r}", reply, False


def form_command(inputs: Inputs) -> Ask:
    """A question form as a platform would submit it: typed pickers, typed-in text."""
    fields, chance = inputs.form(), inputs.random.random

    def day() -> date | None:
        return date(2026, 11, 23) + timedelta(days=inputs.random.randint(-400, 400))

    consent = None
    if "samtycke" in fields:
        form = inputs.random.choice([*ConsentForm, Typed(fields["samtycke"])])
        consent = ConsentGiven(form, fields.get("samtycke_av"), day() if chance() < 0.5 else None)
    return Ask(
        text=inputs.text(),
        unit=fields.get("enhet"),
        category=fields.get("kategori"),
        direction=inputs.random.choice([None, *Direction]),
        deadline=day() if "frist" in fields else None,
        consent=consent,
        pulse=chance() < 0.2,
    )


def fuzz(database_url: str, seed: int, count: int) -> list[str]:
    """Run `count` inputs from `seed` against a fresh app; the failures (at most 20)."""
    app = prepared_app(database_url)
    inputs = Inputs(seed, [spec.name for spec in app.core.registry])
    failures: list[str] = []
    try:
        for n in range(count):
            what, reply, may_be_none = one_input(app, inputs)
            if reply is None:
                if not may_be_none:
                    failures.append(f"{seed}#{n} no answer: {what}")
            elif reply.text == texts.INTERNAL_ERROR:
                failures.append(f"{seed}#{n} internal error: {what}")
            elif not reply.text.strip() or not render(reply.text, app.core.registry):
                failures.append(f"{seed}#{n} empty answer: {what}")
            if n % 1000 == 999:
                app.core.clock.advance(minutes=7)  # type: ignore[attr-defined]
            if len(failures) >= 20:
                break
    finally:
        app.database.engine.dispose()
    return failures


def test_generated_inputs_are_all_answered_and_never_crash(
    database_url: str, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite"):
        # Both cores: each worker its own database and its own seed.
        workers = max(1, min(2, os.cpu_count() or 1))
        urls = [f"sqlite:///{tmp_path / f'fuzz-{n}.sqlite3'}" for n in range(workers)]
        seeds = [SEED * 10 + n for n in range(workers)]
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            shares = pool.map(fuzz, urls, seeds, [INPUTS // workers] * workers)
            failures = [failure for share in shares for failure in share]
    else:
        failures = fuzz(database_url, SEED, INPUTS // 5)
    assert failures == [], "\n".join(failures)


def test_a_long_absence_period_is_refused_without_trying_every_split(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found by the fuzz: each split of the period was parsed (dateparser, ~35 ms), so one
    long /frånvaro held the database for over a minute."""
    app = prepared_app(f"sqlite:///{tmp_path / 'absence.sqlite3'}")
    calls: list[str] = []
    original = dates.parse_date  # what absence_period imported

    def counted(text: str, now: datetime) -> date | None:
        calls.append(text)
        return original(text, now)

    monkeypatch.setattr(absence_period, "parse_date", counted)
    reply = app.core.handle(Request("console", "anna", "/frånvaro " + "org.nr 556677-8899 " * 100))
    assert reply is not None and reply.text == texts.ABSENCE_BAD
    assert len(calls) <= 2
    reply = app.core.handle(Request("console", "anna", "/frånvaro 1 december 15 december 2026"))
    assert reply is not None and "1 dec 2026–15 dec 2026" in reply.text
    app.database.engine.dispose()


HTTP_MUTATIONS = int(os.environ.get("BRYGGAN_FUZZ_HTTP", "400"))


def test_malformed_signed_slack_requests_get_400_and_change_nothing(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """Every kind of Slack request, malformed and validly signed, over HTTP: 400 (413 for a
    body over the limit), never 500, no traceback in any log, nothing in the database."""
    caplog.set_level(logging.DEBUG)
    before = table_rows(slack)
    cases = fixed_slack_requests() + mutated_slack_requests(random.Random(SEED), HTTP_MUTATIONS)
    cases.append(
        ("body over the limit", b"[" + b"1," * (MAX_BODY // 2) + b"1]", "application/json")
    )
    answers = {what: signed_post(slack, body, content_type) for what, body, content_type in cases}
    over = answers.pop("body over the limit")
    assert over in (413, CLOSED)
    assert {what: status for what, status in answers.items() if status != 400} == {}
    slack.flush()
    assert table_rows(slack) == before
    assert slack.stand_in.calls("chat.postMessage") == []
    tracebacks = [
        r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR
    ]
    assert tracebacks == []


CLOSED = 0
"""The server closed the connection while the body was still being sent."""


def signed_post(slack: SlackHarness, body: bytes, content_type: str) -> int:
    """POST `body` as it is, signed over its bytes; the status."""
    stamp = str(int(time.time()))
    digest = hmac.new(slack.secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"}
    if content_type:
        headers["Content-Type"] = content_type
    connection = http.client.HTTPConnection("127.0.0.1", urlsplit(slack.url).port, timeout=10)
    try:
        connection.request("POST", "/slack/events", body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (BrokenPipeError, ConnectionResetError):
        return CLOSED
    finally:
        connection.close()


def table_rows(slack: SlackHarness) -> dict[str, int]:
    """The number of rows in every table."""
    engine = slack.bryggan.database.engine
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in inspect(engine).get_table_names()
        }
