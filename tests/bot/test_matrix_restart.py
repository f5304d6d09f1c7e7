"""`bryggan run` killed with SIGKILL in the middle of a conversation, then started again.

Nothing is lost (what was sent while it was down is answered, even more than one sync
batch of it) and nothing is done twice (no second card, reply or edit).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from tests.bot.matrix_people import (
    Participant,
    body_of,
    bot_joined,
    create_room,
    first,
    participant,
)
from tests.bot.matrix_world import world_toml
from tests.clock_shift import python_command, reference_year
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import TEST_CONFIG

ROOT = Path(__file__).resolve().parents[2]


def start_bryggan(config: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            python_command("bot.cli", "--config", str(config), "-v", "run"),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def replied(person: Participant, room: str, command: str) -> Any:
    """The bot's reply to `command`, once it is there."""
    return first(person.replies_to(room, command))


def test_sigkill_mid_conversation_loses_and_repeats_nothing(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str
) -> None:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")
    config = tmp_path / "config.toml"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BRYGGAN_"))},
        "MATRIX_PASSWORD": bot.password,
        "BRYGGAN_DATABASE_URL": database_url,
    }
    log = tmp_path / "bryggan.log"
    year = reference_year()  # as the product numbers questions asked now
    ref1, ref2 = f"F-{year}-0001", f"F-{year}-0002"
    processes: list[subprocess.Popen[bytes]] = []

    async def scenario() -> None:
        async with (
            participant(synapse, doctor_user, "doktorn") as doctor,
            participant(synapse, contact_user, "kontakten") as contact,
        ):
            room = await create_room(doctor, [bot.user_id, contact.user_id])
            await contact.join(room)
            config.write_text(
                TEST_CONFIG
                + world_toml(
                    synapse,
                    bot=bot,
                    doctor=doctor_user,
                    contact=contact_user,
                    room_id=room,
                    store_path=tmp_path / "bot-store",
                    # Tiny sync batches: what was sent while the bot was down does not fit
                    # in one, so the bot has to page back for the rest.
                    matrix_extra="encrypt_direct_rooms = false\ntimeline_limit = 2",
                )
            )
            processes.append(start_bryggan(config, env, log))
            await bot_joined(doctor, room, bot.user_id)

            ask1 = await doctor.say(room, "!fråga kategori:sgi Påverkas SGI av deltid?")
            card = await doctor.until(lambda: first(doctor.cards(room, bot.user_id)), "card")
            claim = await contact.say(room, f"!ta {ref1}")
            await doctor.until(
                lambda: "· tagen ·" in body_of(doctor.card_now(room, card.event_id)), "tagen"
            )
            processes[0].send_signal(signal.SIGKILL)
            processes[0].wait(10)

            # While the bot is down: an answer in the thread and three commands.
            answer = await contact.say(room, "Nej, inte vid deltid.", thread_root=card.event_id)
            mine = await doctor.say(room, "!frågor")
            ask2 = await doctor.say(room, "!fråga kategori:planering Vem bokar mötet?")
            show = await contact.say(room, f"!visa {ref1}")

            processes.append(start_bryggan(config, env, log))
            for command in (mine, ask2, show):
                await doctor.until(partial(replied, doctor, room, command), f"reply to {command}")
            await doctor.until(lambda: len(doctor.cards(room, bot.user_id)) == 2, "second card")
            await doctor.until(
                lambda: (
                    "· besvarad ·" in body_of(doctor.card_now(room, card.event_id))
                    and doctor.reactions(room, card.event_id, bot.user_id) == {"✅"}
                ),
                "the first card answered",
            )
            await contact.until(lambda: contact.reactions(room, answer, bot.user_id), "✅")
            # Anything still to come (a duplicate) would come before the answer to this.
            last = await doctor.say(room, "!frågor")
            await doctor.until(lambda: first(doctor.replies_to(room, last)), "the last reply")

            replies = Counter(
                _reply_target(e) for e in doctor.events(room, bot.user_id) if _reply_target(e)
            )
            assert replies == {ask1: 1, claim: 1, mine: 1, ask2: 1, show: 1, last: 1}, replies
            cards = doctor.cards(room, bot.user_id)
            heads = [body_of(c.source["content"]).split(" · ")[0] for c in cards]
            assert heads == [f"🆕 {ref1}", f"🆕 {ref2}"]
            edits = Counter(_edited(e) for e in doctor.events(room, bot.user_id) if _edited(e))
            assert edits == {card.event_id: 2}, edits  # tagen, then besvarad: once each
            assert "Nej, inte vid deltid." in first(doctor.replies_to(room, show)).body
            assert ref1 in first(doctor.replies_to(room, mine)).body

        processes[1].send_signal(signal.SIGTERM)
        assert processes[1].wait(20) == 0

    try:
        asyncio.run(scenario())
    except BaseException:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


def _reply_target(event: Any) -> str | None:
    """The command a bot event answers (thread posts fall back to the root: not replies)."""
    relation = event.source.get("content", {}).get("m.relates_to") or {}
    if relation.get("is_falling_back"):
        return None
    target = (relation.get("m.in_reply_to") or {}).get("event_id")
    return target if isinstance(target, str) else None


def _edited(event: Any) -> str | None:
    relation = event.source.get("content", {}).get("m.relates_to") or {}
    return relation.get("event_id") if relation.get("rel_type") == "m.replace" else None
