"""The bot cross-signs its own account and devices, as Element requires of every device.

What another Element user's client sees is `/keys/query` on the real Synapse: the bot's
master key, its self-signing key signed by the master key, and the bot's device signed
by the self-signing key. The signatures are checked here with signedjson and PyNaCl
(another ed25519 implementation than the bot's) over canonical JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from signedjson.key import decode_verify_key_bytes
from signedjson.sign import SignatureVerifyException, verify_signed_json
from unpaddedbase64 import decode_base64

from bot.matrix.config import matrix_settings
from bot.matrix.cross_signing import KEY_FILE, CrossSigningKeys, public_key
from bot.matrix.runner import MatrixService
from bot.wiring import build
from tests import support
from tests.matrix_homeserver import RegisteredUser, SynapseHomeserver, http_json
from tests.support import Clock

STORE_KEY = "en hemlig nyckel för lagret"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: cross-signing lives on the homeserver and in the nio store folder."""
    return f"sqlite:///{tmp_path / 'bryggan.sqlite3'}"


@contextlib.asynccontextmanager
async def bot_started(
    synapse: SynapseHomeserver,
    bot: RegisteredUser,
    database_url: str,
    store: Path,
    *,
    env: dict[str, str],
    device_id: str | None = None,
) -> AsyncIterator[MatrixService]:
    toml = f"""
[matrix]
enabled = true
homeserver = "{synapse.base_url}"
user_id = "{bot.user_id}"
store_path = "{store}"
{f'device_id = "{device_id}"' if device_id else ""}
"""
    config = support.test_config(database_url, toml)
    app = build(config, Clock())
    service = MatrixService(app, matrix_settings(config, {"MATRIX_STORE_KEY": STORE_KEY, **env}))
    service.start()
    try:
        assert await asyncio.to_thread(service.bot.ready.wait, 30), "the bot never synced"
        yield service
    finally:
        await asyncio.to_thread(service.stop)
        app.database.engine.dispose()


def keys_seen_by(synapse: SynapseHomeserver, viewer: RegisteredUser, user_id: str) -> Any:
    url = f"{synapse.base_url}/_matrix/client/v3/keys/query"
    return http_json("POST", url, {"device_keys": {user_id: []}}, access_token=viewer.access_token)


def only_key(key_object: dict[str, Any]) -> tuple[str, str]:
    """(key id, public key) of a cross-signing key object."""
    [(key_id, public)] = key_object["keys"].items()
    return key_id, public


def verify(obj: dict[str, Any], signer: str, key_id: str, public: str) -> None:
    """Raise SignatureVerifyException unless `obj` carries a valid signature by `public`."""
    verify_key = decode_verify_key_bytes(key_id, decode_base64(public))
    verify_signed_json(obj, signer, verify_key)


def assert_cross_signed(keys: Any, user_id: str, device_id: str) -> str:
    """The chain Element checks; returns the master public key."""
    master = keys["master_keys"][user_id]
    assert master["usage"] == ["master"]
    master_id, master_public = only_key(master)
    self_signing = keys["self_signing_keys"][user_id]
    assert self_signing["usage"] == ["self_signing"]
    verify(self_signing, user_id, master_id, master_public)
    ssk_id, ssk_public = only_key(self_signing)
    device = keys["device_keys"][user_id][device_id]
    verify(device, user_id, ssk_id, ssk_public)
    return master_public


def test_first_start_cross_signs_the_account_and_its_device(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str
) -> None:
    bot, observer = synapse.register_user("bryggan"), synapse.register_user("iakttagare")
    store = tmp_path / "bot-store"

    async def scenario() -> None:
        async with bot_started(
            synapse, bot, database_url, store, env={"MATRIX_PASSWORD": bot.password}
        ) as service:
            device_id = service.bot.connection.client.device_id
            assert service.bot.cross_signed

        seen = keys_seen_by(synapse, observer, bot.user_id)
        master_public = assert_cross_signed(seen, bot.user_id, device_id)
        # A device key that is not the bot's own is not taken as signed.
        other = dict(seen["device_keys"][bot.user_id][device_id], device_id="FORGED")
        with pytest.raises(SignatureVerifyException):
            verify(other, bot.user_id, *only_key(seen["self_signing_keys"][bot.user_id]))

        # The owner also sees the user-signing key, signed by the master key.
        own = keys_seen_by(synapse, bot, bot.user_id)
        user_signing = own["user_signing_keys"][bot.user_id]
        assert user_signing["usage"] == ["user_signing"]
        verify(user_signing, bot.user_id, *only_key(own["master_keys"][bot.user_id]))

        # The private keys are next to the nio store, sealed with the store key.
        sealed = (store / KEY_FILE).read_bytes()
        kept = CrossSigningKeys.unseal(sealed, STORE_KEY)
        assert public_key(kept.master) == master_public
        assert oct((store / KEY_FILE).stat().st_mode & 0o777) == "0o600"
        with pytest.raises(Exception, match="store key"):
            CrossSigningKeys.unseal(sealed, "fel nyckel")

    asyncio.run(scenario())


def test_a_new_device_of_the_bot_is_signed_with_the_same_identity(
    synapse: SynapseHomeserver, tmp_path: Path, database_url: str
) -> None:
    bot, observer = synapse.register_user("bryggan"), synapse.register_user("iakttagare")
    store = tmp_path / "bot-store"
    env = {"MATRIX_PASSWORD": bot.password}

    async def scenario() -> None:
        async with bot_started(synapse, bot, database_url, store, env=env) as first:
            first_device = first.bot.connection.client.device_id
        master = assert_cross_signed(
            keys_seen_by(synapse, observer, bot.user_id), bot.user_id, first_device
        )

        # A re-login on a new device keeps the identity and signs the new device.
        async with bot_started(synapse, bot, database_url, store, env=env, device_id="NYENHET"):
            pass
        seen = keys_seen_by(synapse, observer, bot.user_id)
        assert assert_cross_signed(seen, bot.user_id, "NYENHET") == master
        assert assert_cross_signed(seen, bot.user_id, first_device) == master

        # A restore without the key file: new keys replace the account's (with the
        # password), and the new device is signed by them.
        elsewhere = tmp_path / "other-store"
        async with bot_started(synapse, bot, database_url, elsewhere, env=env, device_id="TREDJE"):
            pass
        seen = keys_seen_by(synapse, observer, bot.user_id)
        kept = CrossSigningKeys.unseal((elsewhere / KEY_FILE).read_bytes(), STORE_KEY)
        assert assert_cross_signed(seen, bot.user_id, "TREDJE") == public_key(kept.master)
        assert public_key(kept.master) != master

    asyncio.run(scenario())


def test_access_token_alone_cannot_replace_keys_and_says_what_to_do(
    synapse: SynapseHomeserver,
    tmp_path: Path,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot, observer = synapse.register_user("bryggan"), synapse.register_user("iakttagare")
    # Someone else (an Element session of the bot's account) set up cross-signing first.
    foreign = CrossSigningKeys.generate().key_objects(bot.user_id)
    url = f"{synapse.base_url}/_matrix/client/v3/keys/device_signing/upload"
    http_json("POST", url, foreign, access_token=bot.access_token)
    token_only = {"MATRIX_ACCESS_TOKEN": bot.access_token}

    async def scenario() -> None:
        with caplog.at_level(logging.ERROR, logger="bot.matrix.bot"):
            async with bot_started(
                synapse, bot, database_url, tmp_path / "a", env=token_only
            ) as service:
                assert not service.bot.cross_signed
        assert "MATRIX_PASSWORD" in caplog.text, caplog.text
        seen = keys_seen_by(synapse, observer, bot.user_id)
        assert seen["master_keys"][bot.user_id] == foreign["master_key"]

        # The documented one-time step: one start with the password as well.
        both = {**token_only, "MATRIX_PASSWORD": bot.password}
        async with bot_started(synapse, bot, database_url, tmp_path / "a", env=both) as service:
            assert service.bot.cross_signed
        seen = keys_seen_by(synapse, observer, bot.user_id)
        assert_cross_signed(seen, bot.user_id, bot.device_id)

    asyncio.run(scenario())
