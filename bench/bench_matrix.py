"""Command-to-reply latency of the Matrix adapter against a real Synapse on loopback.

A doctor (a nio client) sends commands in a unit room and long-polls until the bot's
answer arrives. Measured: `!frågor` → reply, `!fråga` → reply and → card, in a plain
and in an end-to-end encrypted room. The baseline is a bare nio bot in the same setup that
answers every `!` message with a notice (no database, no core), so the ratio is what
Bryggan adds on top of nio and Synapse.

    python bench/bench_matrix.py [rounds]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from nio import AsyncClient, AsyncClientConfig, RoomMessageText

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bot.matrix_people import Participant, bot_joined, create_room, participant  # noqa: E402
from tests.bot.matrix_world import running_bot, world_config, world_toml  # noqa: E402
from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver  # noqa: E402
from tests.support import Clock  # noqa: E402


async def timed(person: Participant, room: str, send: str, seen: Callable[[str], bool]) -> float:
    """Seconds from sending `send` until `seen(event_id)` holds in what `person` synced."""
    began = time.perf_counter()
    event_id = await person.say(room, send)
    await person.until(lambda: seen(event_id), f"the answer to {send}", timeout=30)
    return time.perf_counter() - began


def summary(label: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    print(f"  {label:<38} median {median * 1000:6.0f} ms   p90 {p90 * 1000:6.0f} ms")
    return median


class BareBot:
    """The baseline: nio alone, answering each `!` message with a notice from its own loop."""

    def __init__(self, base_url: str, user: RegisteredUser) -> None:
        self.client = AsyncClient(base_url, user.user_id, config=AsyncClientConfig())
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.stop = False
        self.thread = threading.Thread(target=lambda: asyncio.run(self.run()), daemon=True)

    async def run(self) -> None:
        first = await self.client.sync(timeout=0)
        for room_id in first.rooms.invite:
            await self.client.join(room_id)
        while not self.stop:
            response = await self.client.sync(timeout=1000)
            for room_id in response.rooms.invite:
                await self.client.join(room_id)
            for room_id, info in response.rooms.join.items():
                for event in info.timeline.events:
                    mine = event.sender == self.client.user_id
                    if isinstance(event, RoomMessageText) and not mine and event.body[:1] == "!":
                        content = {
                            "msgtype": "m.notice",
                            "body": "ok",
                            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
                        }
                        await self.client.room_send(room_id, "m.room.message", content)
        await self.client.close()


async def measure(
    synapse: SynapseHomeserver, tmp: Path, rounds: int, *, encrypted: bool
) -> dict[str, float]:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")
    store = tmp / f"doktor-{encrypted}" if encrypted else None
    results: dict[str, float] = {}
    async with participant(synapse, doctor_user, "doktorn", store) as doctor:
        room = await create_room(doctor, [bot.user_id], encrypted=encrypted)
        toml = world_toml(
            synapse,
            bot=bot,
            doctor=doctor_user,
            contact=contact_user,
            room_id=room,
            store_path=tmp / f"bot-{encrypted}",
            matrix_extra="encrypt_direct_rooms = false",
        )
        database = f"sqlite:///{tmp / f'bench-{encrypted}.sqlite3'}"
        async with running_bot(world_config(database, toml), bot, Clock()):
            await bot_joined(doctor, room, bot.user_id)
            await doctor.say(room, "!frågor")  # warm up: sessions, keys, caches

            def replied(event_id: str) -> bool:
                return bool(doctor.replies_to(room, event_id))

            lists = [await timed(doctor, room, "!frågor", replied) for _ in range(rounds)]
            results["list"] = summary("!frågor → reply", lists)
            asks, cards = [], []
            for n in range(rounds):
                before = len(doctor.cards(room, bot.user_id))
                began = time.perf_counter()
                asks.append(await timed(doctor, room, f"!fråga kategori:sgi Fråga {n}?", replied))
                await doctor.until(
                    lambda b=before: len(doctor.cards(room, bot.user_id)) > b, "card"
                )
                cards.append(time.perf_counter() - began)
            results["ask"] = summary("!fråga → reply", asks)
            results["card"] = summary("!fråga → card in the room", cards)
    return results


async def baseline(synapse: SynapseHomeserver, rounds: int) -> float:
    bare_user, doctor_user = synapse.register_user("bare"), synapse.register_user("doktor")
    bare = BareBot(synapse.base_url, bare_user)
    async with participant(synapse, doctor_user, "doktorn") as doctor:
        room = await create_room(doctor, [bare_user.user_id])
        bare.thread.start()
        await bot_joined(doctor, room, bare_user.user_id)

        def replied(event_id: str) -> bool:
            return bool(doctor.replies_to(room, event_id))

        await timed(doctor, room, "!warm", replied)
        samples = [await timed(doctor, room, "!ping", replied) for _ in range(rounds)]
        bare.stop = True
        return summary("bare nio bot: ! → notice", samples)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        synapse = SynapseHomeserver(tmp / "synapse")
        synapse.start()
        print(f"Synapse started in {synapse.start_seconds:.1f} s; {rounds} rounds each")
        try:
            runs: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
                ("baseline", lambda: baseline(synapse, rounds)),
                ("plain room", lambda: measure(synapse, tmp, rounds, encrypted=False)),
                ("encrypted room", lambda: measure(synapse, tmp, rounds, encrypted=True)),
            ]
            found: dict[str, Any] = {}
            for label, run in runs:
                print(label)
                found[label] = asyncio.run(run())
        finally:
            synapse.stop()
    base = found["baseline"]
    for label in ("plain room", "encrypted room"):
        ratio = found[label]["list"] / base
        print(f"{label}: !frågor → reply is {ratio:.1f}× the bare nio bot's round trip")


if __name__ == "__main__":
    main()
