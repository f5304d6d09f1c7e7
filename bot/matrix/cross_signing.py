"""Cross-signing for the bot's own account, which matrix-nio does not do (its issue #229).

Element withholds room keys from devices their owner has not cross-signed. So at its first
start Bryggan creates the account's three ed25519 cross-signing keys (master, self-signing,
user-signing), uploads them, and signs its own device with the self-signing key; a later
device of the bot (re-login, restored store) is signed the same way at its start.

The private keys live in `cross-signing.key` next to the nio store, encrypted (AES-GCM) with
a key derived from the store key (`MATRIX_STORE_KEY`; nio's default when none is set, like
the nio store itself). Ed25519 and AES come from `cryptography`, canonical JSON from
`canonicaljson`: nothing here is hand-written crypto.

Uploading keys for the first time needs no password (MSC3967); replacing keys the account
already has needs user-interactive auth with the bot's password. A deployment that logs in
with an access token alone sets `MATRIX_PASSWORD` for that one start (see the README).
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from canonicaljson import encode_canonical_json
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.matrix.client import TRANSPORT_ERRORS, Connection, MatrixFailure

logger = logging.getLogger(__name__)

KEY_FILE = "cross-signing.key"
NIO_DEFAULT_PICKLE_KEY = "DEFAULT_KEY"
USAGES = ("master", "self_signing", "user_signing")


def unpadded_b64(data: bytes) -> str:
    """Matrix's base64: the standard alphabet without `=` padding."""
    return base64.b64encode(data).decode().rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def public_key(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return unpadded_b64(raw)


def signed(obj: dict[str, Any], user_id: str, private: Ed25519PrivateKey) -> dict[str, Any]:
    """`obj` with one more signature by `private`: ed25519 over the canonical JSON of the
    object without its `signatures` and `unsigned`, as the Matrix spec signs JSON."""
    bare = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    signature = unpadded_b64(private.sign(encode_canonical_json(bare)))
    signatures = {user: dict(sigs) for user, sigs in obj.get("signatures", {}).items()}
    signatures.setdefault(user_id, {})[f"ed25519:{public_key(private)}"] = signature
    return {**bare, "signatures": signatures}


def verifies(obj: dict[str, Any], user_id: str, public: str) -> bool:
    """Whether `obj` carries a valid signature by `user_id`'s ed25519 key `public`."""
    signature = obj.get("signatures", {}).get(user_id, {}).get(f"ed25519:{public}")
    if not isinstance(signature, str) or not isinstance(public, str):
        return False
    bare = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    try:
        key = Ed25519PublicKey.from_public_bytes(_b64decode(public))
        key.verify(_b64decode(signature), encode_canonical_json(bare))
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class CrossSigningKeys:
    """The account's private cross-signing keys."""

    master: Ed25519PrivateKey
    self_signing: Ed25519PrivateKey
    user_signing: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        return cls(*(Ed25519PrivateKey.generate() for _ in USAGES))

    def all(self) -> tuple[Ed25519PrivateKey, ...]:
        return (self.master, self.self_signing, self.user_signing)

    def key_objects(self, user_id: str) -> dict[str, dict[str, Any]]:
        """The upload body's three public key objects; the other two signed by the master."""

        def key(usage: str, private: Ed25519PrivateKey) -> dict[str, Any]:
            public = public_key(private)
            return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}

        return {
            "master_key": key("master", self.master),
            "self_signing_key": signed(
                key("self_signing", self.self_signing), user_id, self.master
            ),
            "user_signing_key": signed(
                key("user_signing", self.user_signing), user_id, self.master
            ),
        }

    def seal(self, store_key: str | None) -> bytes:
        raw = {
            usage: unpadded_b64(key.private_bytes_raw())
            for usage, key in zip(USAGES, self.all(), strict=True)
        }
        nonce = os.urandom(12)
        sealed = AESGCM(_file_key(store_key)).encrypt(nonce, json.dumps(raw).encode(), b"v1")
        outer = {"v": 1, "nonce": unpadded_b64(nonce), "sealed": unpadded_b64(sealed)}
        return json.dumps(outer).encode()

    @classmethod
    def unseal(cls, data: bytes, store_key: str | None) -> CrossSigningKeys:
        outer = json.loads(data)
        nonce, sealed = _b64decode(outer["nonce"]), _b64decode(outer["sealed"])
        try:
            raw = json.loads(AESGCM(_file_key(store_key)).decrypt(nonce, sealed, b"v1"))
        except InvalidTag as error:
            raise MatrixFailure(f"{KEY_FILE} does not open with this store key") from error
        return cls(*(Ed25519PrivateKey.from_private_bytes(_b64decode(raw[u])) for u in USAGES))


def _file_key(store_key: str | None) -> bytes:
    secret = (store_key or NIO_DEFAULT_PICKLE_KEY).encode()
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"bryggan cross-signing v1").derive(secret)


class CrossSigning:
    """Makes the account cross-signed and the current device signed by it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        settings = connection.settings
        self.user_id = settings.user_id
        self.path = Path(settings.store_path) / KEY_FILE
        self.store_key = settings.store_key
        self.password = settings.password

    async def ensure(self) -> CrossSigningKeys:
        """Upload the keys if the account lacks them (or has others), sign this device."""
        keys = self._load()
        published = await self._query()
        master = _only_key(published.get("master_keys", {}).get(self.user_id))
        if keys is None or master != public_key(keys.master):
            if keys is None:
                keys = CrossSigningKeys.generate()
                self._save(keys)  # before the upload: a crash then cannot lose them
            await self._upload(keys, replacing=master is not None)
            published = await self._query()
            logger.info("cross-signing keys uploaded; master key %s", public_key(keys.master))
        devices = published.get("device_keys", {}).get(self.user_id, {})
        device = devices.get(self.connection.client.device_id)
        if not isinstance(device, dict):
            raise MatrixFailure("the bot's device keys are not on the homeserver yet")
        ssk = f"ed25519:{public_key(keys.self_signing)}"
        if ssk not in device.get("signatures", {}).get(self.user_id, {}):
            await self._sign_device(keys, device)
        logger.info(
            "device %s is cross-signed (master key %s)",
            self.connection.client.device_id,
            public_key(keys.master),
        )
        return keys

    def _load(self) -> CrossSigningKeys | None:
        if not self.path.exists():
            return None
        return CrossSigningKeys.unseal(self.path.read_bytes(), self.store_key)

    def _save(self, keys: CrossSigningKeys) -> None:
        partial = self.path.with_suffix(".partial")
        partial.write_bytes(keys.seal(self.store_key))
        partial.chmod(0o600)
        partial.replace(self.path)

    async def _query(self) -> dict[str, Any]:
        return await self.query(self.user_id)

    async def query(self, user_id: str) -> dict[str, Any]:
        """`/keys/query` for one user: their devices and cross-signing keys."""
        return await self._post("/keys/query", {"device_keys": {user_id: []}})

    async def _upload(self, keys: CrossSigningKeys, *, replacing: bool) -> None:
        body: dict[str, Any] = keys.key_objects(self.user_id)
        status, answer = await self._request("/keys/device_signing/upload", body)
        if status == 401 and "session" in answer:
            if not self.password:
                raise MatrixFailure(
                    "the account already has other cross-signing keys; replacing them needs "
                    "the bot's password: start once with MATRIX_PASSWORD set (see the README)"
                )
            if replacing:
                logger.warning("replacing the cross-signing keys %s already has", self.user_id)
            body["auth"] = {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": self.user_id},
                "password": self.password,
                "session": answer["session"],
            }
            status, answer = await self._request("/keys/device_signing/upload", body)
        if status != 200:
            raise MatrixFailure(f"cross-signing keys not uploaded: HTTP {status} {answer}")

    async def _sign_device(self, keys: CrossSigningKeys, device: dict[str, Any]) -> None:
        """This device signed by the self-signing key, and the master key by this device
        (so the bot's own device trusts its identity, as Element's devices do)."""
        client = self.connection.client
        device_signed = signed(device, self.user_id, keys.self_signing)
        master = keys.key_objects(self.user_id)["master_key"]
        device_key = f"ed25519:{client.device_id}"
        master["signatures"] = {self.user_id: {device_key: client.olm.sign_json(master)}}
        body = {self.user_id: {client.device_id: device_signed, public_key(keys.master): master}}
        answer = await self._post("/keys/signatures/upload", body)
        if answer.get("failures"):
            raise MatrixFailure(f"device signature refused: {answer['failures']}")

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, answer = await self._request(path, body)
        if status != 200:
            raise MatrixFailure(f"{path}: HTTP {status} {answer}")
        return answer

    async def _request(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        client = self.connection.client
        headers = {
            "Authorization": f"Bearer {client.access_token}",
            "Content-Type": "application/json",
        }
        try:
            response = await client.send(
                "POST", f"/_matrix/client/v3{quote(path)}", json.dumps(body), headers
            )
            async with response:
                answer = await response.json(content_type=None)
                return response.status, answer if isinstance(answer, dict) else {}
        except TRANSPORT_ERRORS as error:
            raise MatrixFailure(f"{path}: {type(error).__name__}: {error}") from error
        except ValueError as error:
            raise MatrixFailure(f"{path}: not JSON: {error}") from error


def _only_key(key_object: Any) -> str | None:
    """The public key in a cross-signing key object, or None when there is none."""
    if not isinstance(key_object, dict) or not isinstance(key_object.get("keys"), dict):
        return None
    values = [v for v in key_object["keys"].values() if isinstance(v, str)]
    return values[0] if len(values) == 1 else None
