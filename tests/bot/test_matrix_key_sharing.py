"""A contact's new Element session reads earlier cards: the bot answers its room-key
request. A stranger's request, and one from a member's device its owner never
cross-signed, are refused.

The people are nio clients on the real Synapse. Their cross-signing is set up here with
signedjson (not with the bot's code). nio itself accepts forwarded keys only from its own
user's devices; Element also accepts a key from the device that created the session, so
the requesting clients are told to do as Element does (`accept_keys_from`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from nio import EncryptionError, KeysUploadResponse, MegolmEvent, RoomGetEventResponse
from signedjson.key import encode_verify_key_base64, generate_signing_key, get_verify_key
from signedjson.sign import sign_json

from tests.bot.matrix_people import first
from tests.bot.matrix_world import unit_room
from tests.matrix_homeserver import (
    RegisteredUser,
    SynapseHomeserver,
    http_json,
    logged_in_client,
)
from tests.support import Clock, wait_until


def cross_sign(synapse: SynapseHomeserver, user: RegisteredUser, device_id: str) -> None:
    """Give `user` cross-signing keys and sign `device_id` with them, as Element would."""
    keys = {}
    for usage in ("master", "self_signing", "user_signing"):
        key = generate_signing_key("new")
        key.version = encode_verify_key_base64(get_verify_key(key))
        keys[usage] = key

    def key_object(usage: str) -> dict[str, Any]:
        public = keys[usage].version
        return {"user_id": user.user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}

    api = f"{synapse.base_url}/_matrix/client/v3"
    upload = {
        "master_key": key_object("master"),
        "self_signing_key": sign_json(key_object("self_signing"), user.user_id, keys["master"]),
        "user_signing_key": sign_json(key_object("user_signing"), user.user_id, keys["master"]),
    }
    http_json("POST", f"{api}/keys/device_signing/upload", upload, access_token=user.access_token)
    query = {"device_keys": {user.user_id: [device_id]}}
    seen = http_json("POST", f"{api}/keys/query", query, access_token=user.access_token)
    device = dict(seen["device_keys"][user.user_id][device_id])
    device.pop("unsigned", None)
    signed = sign_json(device, user.user_id, keys["self_signing"])
    body = {user.user_id: {device_id: signed}}
    http_json("POST", f"{api}/keys/signatures/upload", body, access_token=user.access_token)


def accept_keys_from(client: Any, sender: str, sender_key: str) -> None:
    """Accept a forwarded key from the device that made the session, as Element does."""
    olm = client.olm

    def should_accept(forwarder: str, forwarder_key: str, event: Any) -> bool:
        requested = olm.outgoing_key_requests.get(event.session_id)
        return requested is not None and (forwarder, forwarder_key) == (sender, sender_key)

    olm._should_accept_forward = should_accept


@contextlib.asynccontextmanager
async def session(
    synapse: SynapseHomeserver, user: RegisteredUser, store: Path, *, fresh: bool
) -> AsyncIterator[Any]:
    """An encrypted nio session of `user` with its keys uploaded."""
    async with logged_in_client(
        synapse.base_url, user, store_dir=store, fresh_device=fresh
    ) as client:
        assert isinstance(await client.keys_upload(), KeysUploadResponse)
        yield client


async def request_key(client: Any, card: MegolmEvent, bot_id: str, bot_device: str) -> None:
    """Ask the bot's device (and, as nio does, one's own devices) for the card's key."""
    with contextlib.suppress(Exception):
        await client.request_room_key(card)  # also records the request in nio
    message = card.as_key_request(bot_id, client.device_id, device_id=bot_device)
    await client.to_device(message)


def can_read(client: Any, card: MegolmEvent) -> bool:
    try:
        client.decrypt_event(card)
    except EncryptionError:
        return False
    return True


def test_a_members_new_cross_signed_session_gets_the_key_and_others_do_not(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stranger_user = synapse.register_user("framling")
    caplog.set_level(logging.INFO, logger="bot.matrix.key_sharing")

    async def scenario() -> None:
        async with unit_room(synapse, tmp_path, database_url, clock, encrypted=True) as s:
            doctor, room, bot = s.doctor, s.room, s.bot_id
            await doctor.say(room, "!fråga kategori:sgi Hur påverkas SGI vid deltid?")
            seen = await doctor.until(lambda: first(doctor.cards(room, bot)), "the card")
            bot_device = s.service.bot.connection.client.device_id
            contact_user = s.contact.user

            async with (
                session(synapse, contact_user, tmp_path / "ny-kontakt", fresh=True) as new,
                session(synapse, stranger_user, tmp_path / "framling", fresh=False) as stranger,
                session(synapse, s.doctor.user, tmp_path / "ny-doktor", fresh=True) as unsigned,
            ):
                cross_sign(synapse, contact_user, new.device_id)
                cross_sign(synapse, stranger_user, stranger.device_id)
                fetched = await new.room_get_event(room, seen.event_id)
                assert isinstance(fetched, RoomGetEventResponse), fetched
                card = fetched.event
                assert isinstance(card, MegolmEvent), "the new session could read the card at once"
                card.room_id = room
                for client in (new, stranger, unsigned):
                    accept_keys_from(client, bot, card.sender_key)

                await request_key(stranger, card, bot, bot_device)
                await request_key(unsigned, card, bot, bot_device)
                await request_key(new, card, bot, bot_device)

                async def readable() -> None:
                    while not can_read(new, card):
                        await new.sync(timeout=250)

                await asyncio.wait_for(readable(), 30)
                decrypted = new.decrypt_event(card)
                assert "F-2026-0001" in decrypted.body

                # Their requests came first, so they were answered (or not) already.
                await stranger.sync(timeout=0)
                await unsigned.sync(timeout=0)
                assert not can_read(stranger, card)
                assert not can_read(unsigned, card)

        wait_until(lambda: "not a member of the room" in caplog.text, 5, "the stranger refused")
        logs = caplog.text
        assert f"to {stranger_user.user_id}" in logs
        assert "the device is not cross-signed by its owner" in logs
        assert f"shared the room key for {s.room} with {contact_user.user_id}" in logs

    asyncio.run(scenario())
