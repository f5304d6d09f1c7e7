"""Smoke tests for the Synapse harness, and a worked example of matrix-nio against it.

The encrypted test spells out every step nio needs for Megolm between two fresh devices;
read it before writing an end-to-end test of the Matrix adapter.
"""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from nio import (
    JoinResponse,
    KeysQueryResponse,
    KeysUploadResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessageText,
    RoomSendResponse,
)

from tests.matrix_homeserver import (
    HomeserverError,
    MatrixClientFactory,
    SynapseHomeserver,
    http_json,
    members_listed,
    sync_until,
    timeline_events,
)

pytest_plugins = ["tests.matrix_fixtures"]

MEGOLM = "m.megolm.v1.aes-sha2"


def whoami(server: SynapseHomeserver, token: str) -> str:
    url = f"{server.base_url}/_matrix/client/v3/account/whoami"
    user_id: str = http_json("GET", url, access_token=token)["user_id"]
    return user_id


def first_text(response: Any, room_id: str, body: str) -> Any:
    """The first event in the room's timeline with this body, or an undecryptable one."""
    for event in timeline_events(response, room_id):
        if getattr(event, "body", None) == body or isinstance(event, MegolmEvent):
            return event
    return None


async def invite_and_join(inviter: Any, invitee: Any, *, encrypted: bool) -> str:
    """Inviter creates a room and invites; invitee sees the invite in sync and joins.

    Both then sync until their room state lists both members (see `members_listed`).
    """
    initial_state = []
    if encrypted:
        initial_state.append(
            {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
        )
    created = await inviter.room_create(invite=[invitee.user_id], initial_state=initial_state)
    assert isinstance(created, RoomCreateResponse), created
    room_id: str = created.room_id
    await sync_until(invitee, lambda r: True if room_id in r.rooms.invite else None)
    joined = await invitee.join(room_id)
    assert isinstance(joined, JoinResponse), joined
    for client in (inviter, invitee):
        await sync_until(client, members_listed(client, room_id, inviter.user_id, invitee.user_id))
    return room_id


def test_registered_users_get_working_tokens_and_admin_rights(
    synapse: SynapseHomeserver,
) -> None:
    admin = synapse.register_user("boss", admin=True)
    member = synapse.register_user("member")
    assert whoami(synapse, member.access_token) == member.user_id
    assert member.user_id.endswith(f":{synapse.server_name}")

    admin_url = f"{synapse.base_url}/_synapse/admin/v2/users/{member.user_id}"
    assert http_json("GET", admin_url, access_token=admin.access_token)["admin"] is False
    with pytest.raises(HomeserverError, match="403"):
        http_json("GET", admin_url, access_token=member.access_token)

    override_url = f"{synapse.base_url}/_synapse/admin/v1/users/{member.user_id}/override_ratelimit"
    override = http_json("GET", override_url, access_token=admin.access_token)
    assert override == {"messages_per_second": 0, "burst_count": 0}


def test_password_login_opens_a_second_device(
    synapse: SynapseHomeserver, matrix_client: MatrixClientFactory
) -> None:
    carol = synapse.register_user("carol")

    async def scenario() -> str:
        async with matrix_client(carol, fresh_device=True) as client:
            await sync_until(client, lambda r: True)
            device_id: str = client.device_id
            return device_id

    new_device = asyncio.run(scenario())
    assert new_device and new_device != carol.device_id
    devices_url = f"{synapse.base_url}/_matrix/client/v3/devices"
    listed = http_json("GET", devices_url, access_token=carol.access_token)["devices"]
    assert {d["device_id"] for d in listed} == {carol.device_id, new_device}


def test_message_reaches_invited_user(
    synapse: SynapseHomeserver, matrix_client: MatrixClientFactory
) -> None:
    alice, bob = synapse.register_user("alice"), synapse.register_user("bob")

    async def scenario() -> Any:
        async with matrix_client(alice) as a, matrix_client(bob) as b:
            room_id = await invite_and_join(a, b, encrypted=False)
            sent = await a.room_send(
                room_id, "m.room.message", {"msgtype": "m.text", "body": "Hej Bob"}
            )
            assert isinstance(sent, RoomSendResponse), sent
            return await sync_until(b, lambda r: first_text(r, room_id, "Hej Bob"))

    received = asyncio.run(scenario())
    assert isinstance(received, RoomMessageText)
    assert (received.sender, received.body) == (alice.user_id, "Hej Bob")


def test_encrypted_message_is_decrypted_by_recipient(
    synapse: SynapseHomeserver, matrix_client: MatrixClientFactory
) -> None:
    """Megolm with nio, step by step.

    1. Encrypted clients (a store_path) get an Olm account on `restore_login`; each device
       uploads its identity and one-time keys (`keys_upload`). Without Bob's one-time keys
       Alice cannot open an Olm session to him, and nio then *silently* skips his device.
    2. Alice creates the room with `m.room.encryption` in its initial state; Bob joins.
    3. Alice syncs (learns Bob is a member), then `keys_query` fetches Bob's device keys.
    4. nio refuses to share a room key with unverified devices (OlmUnverifiedDeviceError),
       so Alice verifies Bob's device, and Bob Alice's so her messages count as verified.
    5. `room_send` claims a one-time key (`keys_claim`), sends the Megolm room key to Bob as
       an Olm-encrypted to-device message, then sends the Megolm-encrypted event.
    6. Bob's sync delivers the to-device key before the timeline, so nio decrypts the event:
       Bob sees a RoomMessageText; a MegolmEvent would mean the key never arrived.
    """
    alice, bob = synapse.register_user("alice"), synapse.register_user("bob")

    async def scenario() -> Any:
        async with (
            matrix_client(alice, encrypted=True) as a,
            matrix_client(bob, encrypted=True) as b,
        ):
            for client in (a, b):
                assert client.should_upload_keys
                assert isinstance(await client.keys_upload(), KeysUploadResponse)
            room_id = await invite_and_join(a, b, encrypted=True)
            assert a.rooms[room_id].encrypted
            for client, other in ((a, bob.user_id), (b, alice.user_id)):
                if client.should_query_keys:
                    assert isinstance(await client.keys_query(), KeysQueryResponse)
                devices = list(client.device_store.active_user_devices(other))
                assert devices, f"{client.user_id} knows no device of {other}"
                for device in devices:
                    client.verify_device(device)
            sent = await a.room_send(
                room_id, "m.room.message", {"msgtype": "m.text", "body": "Hemligt"}
            )
            assert isinstance(sent, RoomSendResponse), sent
            return await sync_until(b, lambda r: first_text(r, room_id, "Hemligt"))

    received = asyncio.run(scenario())
    assert not isinstance(received, MegolmEvent), "Bob got the event but not the room key"
    assert isinstance(received, RoomMessageText)
    assert received.body == "Hemligt"
    assert received.decrypted and received.verified


def test_burst_of_messages_is_not_ratelimited(
    synapse: SynapseHomeserver, matrix_client: MatrixClientFactory
) -> None:
    """Synapse's default allows a burst of 10 messages; nio here reports a 429 at once."""
    poster = synapse.register_user("poster")

    async def scenario() -> list[Any]:
        async with matrix_client(poster) as client:
            created = await client.room_create()
            assert isinstance(created, RoomCreateResponse), created
            content = {"msgtype": "m.notice", "body": "tick"}
            return [
                await client.room_send(created.room_id, "m.room.message", content)
                for _ in range(40)
            ]

    replies = asyncio.run(scenario())
    assert all(isinstance(reply, RoomSendResponse) for reply in replies), replies


def test_second_homeserver_restarts_on_its_data_and_leaves_nothing_behind(
    tmp_path: Path,
) -> None:
    server = SynapseHomeserver(tmp_path / "hs")
    with server:
        user = server.register_user("keeper")
        first_pid = server.pid
    assert_gone(first_pid, server.port)

    with server:
        assert whoami(server, user.access_token) == user.user_id
        second_pid = server.pid
    assert_gone(second_pid, server.port)


def test_port_taken_by_another_service_is_detected_and_avoided(tmp_path: Path) -> None:
    """Synapse must fail to bind and be relaunched elsewhere, never talk to the squatter."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = SynapseHomeserver(tmp_path / "hs")
        server.port = taken
        with server:
            assert server.port != taken
            assert server.register_user("mover").user_id.endswith(":bryggan.test")


def assert_gone(pid: int | None, port: int) -> None:
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass


def test_failed_start_raises_with_the_log(tmp_path: Path) -> None:
    server = SynapseHomeserver(tmp_path / "broken", server_name="not a valid name!")
    with pytest.raises(HomeserverError, match="Synapse exited on start") as failure:
        server.start()
    assert "Server name 'not a valid name!' has an invalid format" in str(failure.value)
    assert not server.is_running
