"""The bot's own membership: an invite from outside the allowlist is declined with a reason;
kicked from a unit room, the bot tells the admin once with the fix, and invited back it
posts the card that could not be posted meanwhile."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from nio import RoomMemberEvent

from handlers.commands import Request
from handlers.kernel import texts
from tests.bot.matrix_people import Participant, body_of, create_room, first, participant
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock

REF = "F-2026-0001"


def bot_membership(person: Participant, room: str, bot: str, membership: str) -> Any:
    """The latest membership event of the bot in `room`, if it is `membership`."""
    events = [
        e for e in person.events(room) if isinstance(e, RoomMemberEvent) and e.state_key == bot
    ]
    return events[-1] if events and events[-1].membership == membership else None


def test_an_invite_from_outside_the_allowlist_is_declined_with_a_reason(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    stranger_user = synapse.register_user("framling")

    async def scenario() -> None:
        async with (
            unit_room(synapse, tmp_path, database_url, clock) as s,
            participant(synapse, stranger_user, "främlingen") as stranger,
        ):
            room = await create_room(stranger, [s.bot_id])
            declined = await stranger.until(
                lambda: bot_membership(stranger, room, s.bot_id, "leave"), "the declined invite"
            )
            assert declined.sender == s.bot_id
            assert declined.source["content"]["reason"] == texts.MATRIX_INVITE_DECLINED
            assert room not in s.service.bot.connection.client.rooms

    asyncio.run(scenario())


def test_kicked_the_bot_tells_the_admin_once_and_posts_the_lost_card_when_invited_back(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    admin_user = synapse.register_user("admin")

    async def scenario() -> None:
        async with (
            participant(synapse, admin_user, "administratören") as admin,
            unit_room(synapse, tmp_path, database_url, clock, admin=admin_user) as s,
        ):
            doctor, room, bot = s.doctor, s.room, s.bot_id
            await doctor.client.room_kick(room, bot, reason="Städar bland medlemmarna")

            direct = await admin.until(lambda: first(admin.invites), "a direct room")
            await admin.join(direct)

            def removal_notices() -> list[str]:
                return [b for b in admin.bodies(direct, bot) if "tagits bort ur" in b]

            notice = (await admin.until(lambda: removal_notices() or None, "the notice"))[0]
            assert notice.startswith(
                f"Bryggan har tagits bort ur Matrix-rummet för Vuxenpsykiatri Malmö ({room}) "
                f"av {doctor.user_id} med motiveringen ”Städar bland medlemmarna”."
            )
            assert f"Bjud in {bot} i rummet igen." in notice

            # A question for the unit while the bot is out (asked in Bryggan's direct room
            # with the doctor, say): its card cannot be posted in the unit's room.
            asked = s.app.core.handle(
                Request(
                    "matrix",
                    doctor.user_id,
                    "/fråga enhet:malmo kategori:sgi Vad gäller vid deltid?",
                )
            )
            assert asked is not None and REF in asked.text

            def card_given_up() -> bool:
                with s.app.stores() as store:
                    question = store.question_by_ref(ref=REF)
                    assert question is not None
                    return store.card_failed(question_id=question.id)

            for _ in range(2000):
                if await asyncio.to_thread(card_given_up):
                    break
                clock.advance(minutes=20)
                await asyncio.to_thread(s.service.sender.drain)
            assert await asyncio.to_thread(card_given_up), "the outbox never gave up the card"

            # Invited back by the doctor (an allowed inviter): the card is posted after all.
            await doctor.client.room_invite(room, bot)

            def the_card() -> Any:
                return first(
                    c for c in doctor.cards(room, bot) if REF in body_of(c.source["content"])
                )

            card = await doctor.until(the_card, "the card after the re-invite", timeout=30)
            assert "Vad gäller vid deltid?" in card.body
            listing = await doctor.say(room, "!frågor")  # one more round trip through the bot
            await doctor.until(lambda: first(doctor.replies_to(room, listing)), "a reply")
            await admin.sync()
            assert len([c for c in doctor.cards(room, bot) if REF in c.body]) == 1
            assert len(removal_notices()) == 1

    asyncio.run(scenario())


def test_a_room_the_bot_may_not_write_in_is_told_to_the_admin_once_and_the_card_waits(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    admin_user = synapse.register_user("admin")

    async def scenario() -> None:
        async with (
            participant(synapse, admin_user, "administratören") as admin,
            unit_room(synapse, tmp_path, database_url, clock, admin=admin_user) as s,
        ):
            doctor, room, bot = s.doctor, s.room, s.bot_id
            state = await doctor.client.room_get_state_event(room, "m.room.power_levels")
            levels = dict(state.content)  # type: ignore[union-attr]
            muted = {**levels, "users": {**levels.get("users", {}), bot: 0}}
            muted["events_default"] = 50
            await doctor.client.room_put_state(room, "m.room.power_levels", muted)

            asked = s.app.core.handle(
                Request("matrix", doctor.user_id, "/fråga enhet:malmo kategori:sgi Hur gör vi?")
            )
            assert asked is not None and REF in asked.text
            direct = await admin.until(lambda: first(admin.invites), "a direct room")
            await admin.join(direct)
            advice = texts.MATRIX_FORBIDDEN.format(room=room)
            told = texts.OUTBOX_BLOCKED.format(platform="Matrix", advice=advice)

            def blocked() -> list[str]:
                return [b for b in admin.bodies(direct, bot) if advice in b]

            await admin.until(lambda: blocked() or None, "the admin told")
            for _ in range(3):  # the card keeps failing; the admin is not told again
                clock.advance(minutes=15)
                await asyncio.to_thread(s.service.sender.drain)
            await admin.sync()
            assert blocked() == [told]

            await doctor.client.room_put_state(room, "m.room.power_levels", levels)
            clock.advance(minutes=15)
            await asyncio.to_thread(s.service.sender.drain)

            def cards() -> list[Any]:
                return [c for c in doctor.cards(room, bot) if REF in body_of(c.source["content"])]

            await doctor.until(lambda: cards() or None, "the card once the bot may write")
            await doctor.sync()
            assert len(cards()) == 1

    asyncio.run(scenario())
