"""End-to-end encrypted rooms: the whole flow encrypted, and an event whose key comes late.

The people are nio clients with their own Olm devices; the bot keeps its device and
crypto store across restarts (the saved device id and `store_path`).
"""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path
from typing import Any
from uuid import uuid4

from nio import Api, RoomSendResponse, ShareGroupSessionResponse
from nio.crypto.attachments import decrypt_attachment

from handlers.kernel import texts
from handlers.kernel.ports import OutboxKind
from tests.bot.matrix_people import (
    Participant,
    body_of,
    bot_joined,
    create_room,
    first,
    participant,
)
from tests.bot.matrix_world import running_bot, unit_room, world_config, world_toml
from tests.matrix_homeserver import SynapseHomeserver
from tests.support import Clock, wait_until

REF = "F-2026-0001"
ANSWER = "Ja, ett avstämningsmöte kan bokas inom två veckor."


def test_encrypted_room_end_to_end(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    async def scenario() -> None:
        async with unit_room(
            synapse,
            tmp_path,
            database_url,
            clock,
            encrypted=True,
            matrix_extra="encrypt_direct_rooms = true",
        ) as s:
            doctor, contact, room, bot = s.doctor, s.contact, s.room, s.bot_id
            ask = await doctor.say(room, "!fråga kategori:avstämning Kan vi boka ett möte?")
            reply = await doctor.until(lambda: first(doctor.replies_to(room, ask)), "a reply")
            assert reply.decrypted, "the bot answered in clear text in an encrypted room"
            assert reply.body.startswith(f"Tack! Din fråga {REF} är registrerad.")
            card = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            assert card.decrypted and "Avstämningsmöte" in card.body

            claim = await contact.say(room, f"!ta {REF}")
            await contact.until(lambda: first(contact.replies_to(room, claim)), "the claim")
            answer = await contact.say(room, ANSWER, thread_root=card.event_id)
            await contact.until(
                lambda: contact.reactions(room, answer, bot) == {texts.MATRIX_SAVED_REACTION},
                "✅ on the encrypted answer",
            )
            # Reactions are encrypted too: nio would send them in clear.
            reactions = [
                e
                for e in contact.events(room, bot)
                if (e.source.get("content") or {}).get("m.relates_to", {}).get("rel_type")
                == "m.annotation"
            ]
            assert reactions and all(getattr(e, "decrypted", False) for e in reactions)
            await doctor.until(
                lambda: "· besvarad ·" in body_of(doctor.card_now(room, card.event_id)),
                "the encrypted edit",
            )
            # The doctor hears about the answer in an encrypted direct room.
            direct = await doctor.until(lambda: first(doctor.invites), "a direct-room invite")
            await doctor.join(direct)
            await doctor.until(
                lambda: first(b for b in doctor.bodies(direct, bot) if "har svarat" in b),
                "the decrypted notice",
            )
            assert doctor.client.rooms[direct].encrypted
            assert not any(type(e).__name__ == "MegolmEvent" for e in doctor.events(room))
            with s.app.stores() as store:
                question = store.question_by_ref(ref=REF)
                assert question is not None
                assert [m.text for m in store.messages(question_id=question.id)] == [ANSWER]

            # A plain post with a chart (the weekly summary's kind): the image is encrypted too.
            chart = tmp_path / "vecka-47.png"
            chart.write_bytes(PNG)
            with s.app.stores() as store:
                store.enqueue(
                    platform="matrix",
                    kind=OutboxKind.CHANNEL,
                    at=clock(),
                    channel=room,
                    text="Veckans frågor: 1 ny, 1 besvarad.",
                    attachment=str(chart),
                )
            s.service.pump.wake()
            image = await doctor.until(
                lambda: first(
                    e
                    for e in doctor.events(room, bot)
                    if e.source["content"].get("msgtype") == "m.image"
                ),
                "the chart",
            )
            assert "Veckans frågor: 1 ny, 1 besvarad." in doctor.bodies(room, bot)
            encrypted_file = image.source["content"]["file"]
            assert download_and_decrypt(synapse, doctor, encrypted_file) == PNG

    asyncio.run(scenario())


# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def download_and_decrypt(synapse: SynapseHomeserver, person: Any, file: dict[str, Any]) -> bytes:
    """Fetch an encrypted attachment through the authenticated media API and decrypt it."""
    server, media_id = file["url"].removeprefix("mxc://").split("/", 1)
    url = f"{synapse.base_url}/_matrix/client/v1/media/download/{server}/{media_id}"
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {person.client.access_token}"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        ciphertext = response.read()
    return bytes(
        decrypt_attachment(ciphertext, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
    )


async def send_with_late_key(person: Participant, room_id: str, body: str) -> tuple[str, Any]:
    """Send an encrypted message whose room key is held back, as when the key's to-device
    message is delayed (over federation it travels separately). Returns the event id and
    a coroutine function that finally sends the key."""
    client = person.client
    if client.should_query_keys:
        await client.keys_query()
    room = client.rooms[room_id]
    if not room.members_synced:
        await client.joined_members(room_id)
        if client.should_query_keys:
            await client.keys_query()
    missing = client.get_missing_sessions(room_id)
    if missing:
        await client.keys_claim(missing)
    held = list(
        client.olm.share_group_session_parallel(
            room_id, list(room.users), ignore_unverified_devices=True
        )
    )
    assert held, "nobody to share the key with"
    client.olm.outbound_group_sessions[room_id].shared = True
    kind, content = client.encrypt(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    method, path, data = Api.room_send(client.access_token, room_id, kind, content, uuid4())
    sent = await client._send(RoomSendResponse, method, path, data, (room_id,))
    assert isinstance(sent, RoomSendResponse), sent

    async def release() -> None:
        for sharing_with, to_device in held:
            method, path, data = Api.to_device(
                client.access_token, "m.room.encrypted", to_device, uuid4()
            )
            await client._send(
                ShareGroupSessionResponse, method, path, data, response_data=(room_id, sharing_with)
            )

    event_id: str = sent.event_id
    return event_id, release


def test_an_event_before_its_key_waits_even_across_a_restart_and_is_answered_once(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str, clock: Clock
) -> None:
    bot = synapse.register_user("bryggan")
    doctor_user, contact_user = synapse.register_user("doktor"), synapse.register_user("kontakt")

    async def scenario() -> None:
        async with (
            participant(synapse, doctor_user, "doktorn", tmp_path / "doktor") as doctor,
            participant(synapse, contact_user, "kontakten", tmp_path / "kontakt") as contact,
        ):
            room = await create_room(doctor, [bot.user_id, contact.user_id], encrypted=True)
            await contact.join(room)
            toml = world_toml(
                synapse,
                bot=bot,
                doctor=doctor_user,
                contact=contact_user,
                room_id=room,
                store_path=tmp_path / "bot-store",
            )
            config = world_config(database_url, toml)
            async with running_bot(config, bot, clock) as (_, service):
                await bot_joined(doctor, room, bot.user_id)
                early, release = await send_with_late_key(
                    doctor, room, "!fråga kategori:sgi Kommer nyckeln fram?"
                )
                await asyncio.to_thread(
                    wait_until,
                    lambda: early in service.bot.undecrypted.waiting,
                    15,
                    f"the bot keeping {early} until its key arrives",
                    seen=lambda: service.bot.undecrypted.waiting,
                )
                first_device = service.bot.connection.client.device_id
            await release()  # the key arrives while the bot is down

            async with running_bot(config, bot, clock) as (app, service):
                assert service.bot.connection.client.device_id == first_device
                reply = await doctor.until(lambda: first(doctor.replies_to(room, early)), "reply")
                assert reply.body.startswith(f"Tack! Din fråga {REF} är registrerad.")
                assert service.bot.undecrypted.waiting == {}
                await doctor.until(lambda: first(doctor.cards(room, bot.user_id)), "the card")
                ping = await doctor.say(room, "!frågor")
                await doctor.until(lambda: first(doctor.replies_to(room, ping)), "!frågor")
                assert len(doctor.replies_to(room, early)) == 1
                with app.stores() as store:
                    assert store.question_by_ref(ref="F-2026-0002") is None

    asyncio.run(scenario())
