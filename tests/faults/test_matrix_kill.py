"""kill -9 in the middle of a burst of 500 questions over Matrix, then a restart on the same
database: every acknowledged question exists exactly once, every command (also those sent
while the bot was down) is answered exactly once, and every card is in the room once.

`bryggan run` is a child process against the session's Synapse; the doctor sends the burst
from four concurrent senders, the bot is killed once 120 questions are acknowledged (it is
far behind the burst by then), the last 100 questions are sent while it is down, and the
test waits until every command is answered and the outbox is empty.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine
from tests.bot.matrix_people import bot_joined, create_room, participant
from tests.bot.matrix_world import world_toml
from tests.faults.harness import stored_questions
from tests.faults.matrix_burst import BrygganOverMatrix, Doctor
from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver
from tests.support import TEST_CONFIG

QUESTIONS = 500
WHILE_DOWN = 100
"""The last questions of the burst, sent after the kill and before the restart."""
KILL_AFTER = 120
"""Acknowledged questions before the kill: the bot is far behind the burst by then."""
SENDERS = 4
ASK = "!fråga kategori:sgi "
PENDING_POSTS = text("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")


def pending_posts(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(PENDING_POSTS).scalar_one())
    finally:
        engine.dispose()


async def send_all(doctor: Doctor, lines: list[str]) -> None:
    """`lines` in order, from a few concurrent senders (a fast typist on several devices)."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for line in lines:
        queue.put_nowait(line)

    async def sender() -> None:
        while not queue.empty():
            await doctor.say(queue.get_nowait())

    await asyncio.gather(*(sender() for _ in range(SENDERS)))


async def until_quiet(doctor: Doctor, database_url: str, deadline: float) -> None:
    """Every command answered, then every card and notice out of the outbox."""

    def answered() -> bool:
        return set(doctor.sent) <= set(doctor.replies)

    try:
        await doctor.until(answered, "every reply", deadline - time.monotonic())
    except AssertionError:
        missing = [doctor.sent[e] for e in doctor.sent if e not in doctor.replies]
        raise AssertionError(f"{len(missing)} commands unanswered: {missing[:3]}") from None
    while pending := await asyncio.to_thread(pending_posts, database_url):
        assert time.monotonic() < deadline, f"the outbox never emptied: {pending} posts left"
        await asyncio.sleep(0.2)


def bryggan_toml(
    synapse: SynapseHomeserver, users: list[RegisteredUser], room: str, store: Path
) -> str:
    """The test directory plus `[matrix]`, the doctor, the contact and their unit room."""
    bot, doctor, contact = users
    return TEST_CONFIG + world_toml(
        synapse,
        bot=bot,
        doctor=doctor,
        contact=contact,
        room_id=room,
        store_path=store,
        matrix_extra="encrypt_direct_rooms = false",
    )


def test_kill_9_mid_burst_over_matrix_loses_and_repeats_nothing(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str
) -> None:
    users = [synapse.register_user(name) for name in ("bryggan", "doktor", "kontakt")]
    bot = users[0]
    texts = [
        f"Krockfråga {n}: påverkas SGI om patienten går ner till deltid?" for n in range(QUESTIONS)
    ]
    lines = [ASK + t for t in texts]
    config = tmp_path / "bryggan.toml"
    bryggan = BrygganOverMatrix(config, database_url, bot, tmp_path / "bryggan.log")
    down: list[str] = []
    killed_with: list[int] = []

    async def scenario() -> Doctor:
        async with (
            participant(synapse, users[1], "doktorn") as owner,
            participant(synapse, users[2], "kontakten") as contact,
        ):
            room = await create_room(owner, [bot.user_id, contact.user_id])
            await contact.join(room)
            toml = bryggan_toml(synapse, users, room, tmp_path / "bot-store")
            config.write_text(toml, encoding="utf-8")
            bryggan.start()
            await bot_joined(owner, room, bot.user_id)
            doctor = Doctor(owner.client, room, bot.user_id)
            doctor.start()
            try:
                burst = asyncio.ensure_future(send_all(doctor, lines[:-WHILE_DOWN]))
                await doctor.until(lambda: len(doctor.acked()) >= KILL_AFTER, "acks", 60)
                bryggan.kill()
                killed_with.append(len(doctor.acked()))
                await burst
                down.extend([await doctor.say(line) for line in lines[-WHILE_DOWN:]])
                bryggan.start()
                await until_quiet(doctor, database_url, time.monotonic() + 150)
                # Anything still to come (a second reply) would come before the answer to this.
                last = await doctor.say("!hjälp")
                await doctor.until(lambda: last in doctor.replies, "the last reply", 30)
            finally:
                await doctor.stop()
            return doctor

    try:
        doctor = asyncio.run(scenario())
    except BaseException:
        print(bryggan.tail(60))
        raise
    finally:
        bryggan.stop()

    assert KILL_AFTER <= killed_with[0] < QUESTIONS - WHILE_DOWN, "the kill was not mid-burst"
    # Every command, also those sent while the bot was down, was answered exactly once.
    replies = Counter({event_id: len(bodies) for event_id, bodies in doctor.replies.items()})
    assert [doctor.sent[e] for e in doctor.sent if replies[e] != 1] == []
    assert len(down) == WHILE_DOWN and all(replies[e] == 1 for e in down)
    # Every question is acknowledged, and stored exactly once under the reference it was given.
    acked = {line.removeprefix(ASK): ref for line, ref in doctor.acked().items()}
    assert set(acked) == set(texts)
    stored = stored_questions(database_url)
    by_ref = dict(stored)
    assert len(by_ref) == len(stored) == QUESTIONS
    assert Counter(body for _, body in stored) == Counter(texts)
    assert all(by_ref[ref] == question for question, ref in acked.items())
    # Every question's card is in the room exactly once.
    assert doctor.cards == Counter(dict.fromkeys(by_ref, 1))
