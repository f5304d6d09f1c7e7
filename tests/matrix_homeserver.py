"""A real Synapse homeserver on loopback for integration tests.

`SynapseHomeserver` writes a minimal config into a directory, runs
`python -m synapse.app.homeserver` on a free 127.0.0.1 port, waits until the client API
answers and registers users through the shared-secret admin API. Rate limits are lifted both
in the config and per user (admin `override_ratelimit`), so tests never meet a 429.

The second half holds nio helpers: logged-in clients (optionally end-to-end encrypted) and
`sync_until` for waiting on what another user did. Pytest fixtures are in `matrix_fixtures`.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import hmac
import http.client
import itertools
import json
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from nio import AsyncClient, AsyncClientConfig, LoginResponse, SyncError

from tests.clock_shift import python_command

SERVER_NAME = "bryggan.test"
LOOPBACK = "127.0.0.1"
_UNLIMITED = {"per_second": 10_000, "burst_count": 100_000}
_RUNNING: set[SynapseHomeserver] = set()
T = TypeVar("T")
# Plain HTTP to loopback only: never route through an http_proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Resolved up front: between fork and exec the child should only call, never dlopen.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


class HomeserverError(RuntimeError):
    """Synapse failed to start, or answered a harness request with an error."""


@dataclass(frozen=True)
class RegisteredUser:
    """A user created through shared-secret registration, with the device it was given."""

    user_id: str
    access_token: str
    device_id: str
    password: str
    admin: bool = False

    @property
    def localpart(self) -> str:
        return self.user_id.removeprefix("@").split(":")[0]


def find_free_port(host: str = LOOPBACK) -> int:
    """Ask the kernel for an unused port; it never hands out one a service listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def unlimited_ratelimits() -> dict[str, Any]:
    """Config keys that lift Synapse's client rate limits far beyond what a test can reach."""
    flat = (
        "rc_message",
        "rc_registration",
        "rc_registration_token_validity",
        "rc_admin_redaction",
        "rc_joins_per_room",
        "rc_3pid_validation",
        "rc_third_party_invite",
        "rc_key_requests",
        "rc_media_create",
        "rc_delayed_event_mgmt",
        "rc_room_creation",
        "rc_reports",
        "rc_user_directory",
        "rc_profile",
    )
    config: dict[str, Any] = {key: dict(_UNLIMITED) for key in flat}
    nested = {
        "rc_login": ("address", "account", "failed_attempts"),
        "rc_joins": ("local", "remote"),
        "rc_invites": ("per_room", "per_user", "per_issuer"),
        "rc_presence": ("per_user",),
    }
    for key, parts in nested.items():
        config[key] = {part: dict(_UNLIMITED) for part in parts}
    return config


def homeserver_config(
    *, data_dir: Path, server_name: str, port: int, shared_secret: str
) -> dict[str, Any]:
    """A minimal, fast-starting homeserver.yaml: sqlite, plain HTTP, client API only."""
    return {
        "server_name": server_name,
        "public_baseurl": f"http://{LOOPBACK}:{port}/",
        "listeners": [
            {
                "port": port,
                "bind_addresses": [LOOPBACK],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(data_dir / "homeserver.db")}},
        # Synapse creates a missing signing key itself on start (--generate-missing-and-run).
        "signing_key_path": str(data_dir / "signing.key"),
        "media_store_path": str(data_dir / "media"),
        "report_stats": False,
        "enable_registration": False,
        # Also the seed of the macaroon key, so it must stay the same across restarts.
        "registration_shared_secret": shared_secret,
        # Password hashing at the default 12 rounds costs ~0.25 s per registration or login.
        "bcrypt_rounds": 4,
        "suppress_key_server_warning": True,
        "trusted_key_servers": [],
        "federation_domain_whitelist": [],
        "allow_public_rooms_over_federation": False,
        "presence": {"enabled": False},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "event_cache_size": "1K",
        "caches": {"global_factor": 0.1},
        **unlimited_ratelimits(),
    }


def registration_mac(
    shared_secret: str, nonce: str, username: str, password: str, *, admin: bool
) -> str:
    """HMAC-SHA1 over nonce, user, password and admin flag, NUL-separated, as Synapse checks."""
    message = "\0".join([nonce, username, password, "admin" if admin else "notadmin"])
    return hmac.new(shared_secret.encode(), message.encode(), hashlib.sha1).hexdigest()


def http_json(
    method: str,
    url: str,
    body: Mapping[str, Any] | None = None,
    *,
    access_token: str | None = None,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """One JSON request; an HTTP error becomes a HomeserverError naming the Matrix error."""
    headers = {"Content-Type": "application/json"}
    if access_token:
        headers["Authorization"] = f"Bearer {access_token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            result: dict[str, Any] = json.load(response)
            return result
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")
        raise HomeserverError(f"{method} {url} -> {error.code}: {detail}") from error


class SynapseHomeserver:
    """One Synapse process serving the client API on loopback, with its data in `data_dir`.

    `extra_config` is merged over the generated homeserver.yaml (top-level keys replace).
    `stop()` then `start()` restarts it on the same data (users and rooms survive); the port
    is kept unless something else took it meanwhile, so read `base_url` after each start.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        server_name: str = SERVER_NAME,
        extra_config: Mapping[str, Any] | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        self.data_dir = data_dir
        self.server_name = server_name
        self.extra_config = dict(extra_config or {})
        self.start_timeout = start_timeout
        self.shared_secret = secrets.token_hex(32)
        self.port = 0
        self.start_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._admin: RegisteredUser | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "homeserver.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start Synapse and wait for the client API; raise with the log tail if it fails."""
        if self.is_running:
            raise HomeserverError("Synapse is already running")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        for attempt in range(3):
            if self.port == 0 or attempt > 0:
                self.port = find_free_port()
            if self._launch_and_wait():
                self.start_seconds = time.monotonic() - began
                return
        raise HomeserverError(f"no free port after 3 attempts\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Synapse gracefully (SIGTERM), killing it if it does not exit in time."""
        process, self._process = self._process, None
        _RUNNING.discard(self)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the homeserver log, for failure messages."""
        if not self.log_path.exists():
            return "(no homeserver log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _launch_and_wait(self) -> bool:
        """Launch once; True when serving, False when the port was taken by someone else."""
        config = (
            homeserver_config(
                data_dir=self.data_dir,
                server_name=self.server_name,
                port=self.port,
                shared_secret=self.shared_secret,
            )
            | self.extra_config
        )
        # JSON is valid YAML, so no YAML library is needed to write the config.
        self.config_path.write_text(json.dumps(config, indent=2))
        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                python_command("synapse.app.homeserver", "-c", str(self.config_path)),
                cwd=self.data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        _RUNNING.add(self)
        listening = f"Synapse now listening on TCP port {self.port}"
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            new_log = self._log_since(log_offset)
            if self._process.poll() is not None:
                self.stop()
                if "Address already in use" in new_log:
                    return False
                raise HomeserverError(f"Synapse exited on start\n{self.log_tail()}")
            # The log line proves that *our* process owns the port before we trust an answer.
            if listening in new_log and self._answers_versions():
                return True
            time.sleep(0.05)
        self.stop()
        raise HomeserverError(
            f"Synapse did not answer within {self.start_timeout}s\n{self.log_tail()}"
        )

    def _log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def _answers_versions(self) -> bool:
        try:
            return "versions" in http_json(
                "GET", f"{self.base_url}/_matrix/client/versions", timeout=2
            )
        except (OSError, http.client.HTTPException, HomeserverError, ValueError):
            return False

    def register_user(
        self,
        prefix: str = "user",
        *,
        admin: bool = False,
        password: str | None = None,
        lift_ratelimit: bool = True,
    ) -> RegisteredUser:
        """Register `@<prefix>-<n>:<server>` (unique per server) with the shared secret.

        The returned access token belongs to a fresh device. With `lift_ratelimit` the user's
        rate limits are also switched off through the admin API.
        """
        username = f"{prefix}-{next(self._names)}".lower()
        password = password or secrets.token_urlsafe(16)
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = http_json("GET", url)["nonce"]
        mac = registration_mac(self.shared_secret, nonce, username, password, admin=admin)
        body = {
            "nonce": nonce,
            "username": username,
            "password": password,
            "admin": admin,
            "mac": mac,
        }
        reply = http_json("POST", url, body)
        user = RegisteredUser(
            user_id=reply["user_id"],
            access_token=reply["access_token"],
            device_id=reply["device_id"],
            password=password,
            admin=admin,
        )
        if lift_ratelimit:
            self.override_ratelimit(user.user_id, admin_token=user.access_token if admin else None)
        return user

    def harness_admin(self) -> RegisteredUser:
        """An admin user owned by the harness, registered on first use."""
        if self._admin is None:
            self._admin = self.register_user("harness-admin", admin=True)
        return self._admin

    def override_ratelimit(self, user_id: str, *, admin_token: str | None = None) -> None:
        """Switch off every requester-based rate limit for `user_id` (messages_per_second 0).

        Uses `admin_token` when given, otherwise the harness admin's token.
        """
        token = admin_token or self.harness_admin().access_token
        url = f"{self.base_url}/_synapse/admin/v1/users/{user_id}/override_ratelimit"
        http_json("POST", url, {"messages_per_second": 0, "burst_count": 0}, access_token=token)


def _die_with_parent() -> None:
    """In the child before exec: have Linux SIGTERM Synapse if the test process dies.

    Linux ties this to the forking *thread*, so start servers from a long-lived thread.
    """
    if _PRCTL is not None:
        pr_set_pdeathsig = 1
        _PRCTL(pr_set_pdeathsig, signal.SIGTERM)


@atexit.register
def _stop_leftovers() -> None:
    for server in list(_RUNNING):
        server.stop()


# nio client helpers


@dataclass
class MatrixClientFactory:
    """Opens logged-in nio clients against one homeserver; see `logged_in_client`."""

    base_url: str
    store_root: Path
    _opened: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __call__(
        self, user: RegisteredUser, *, encrypted: bool = False, fresh_device: bool = False
    ) -> contextlib.AbstractAsyncContextManager[Any]:
        store_dir = None
        if encrypted:
            store_dir = self.store_root / f"{user.localpart}-{next(self._opened)}"
        return logged_in_client(self.base_url, user, store_dir=store_dir, fresh_device=fresh_device)


def client_config(*, encryption: bool) -> Any:
    """nio settings for tests: a 429 or a dead server surfaces at once instead of retrying."""
    return AsyncClientConfig(
        encryption_enabled=encryption,
        store_sync_tokens=encryption,
        max_limit_exceeded=0,
        max_timeouts=2,
        request_timeout=30,
    )


@contextlib.asynccontextmanager
async def logged_in_client(
    base_url: str,
    user: RegisteredUser,
    *,
    store_dir: Path | None = None,
    fresh_device: bool = False,
) -> AsyncIterator[Any]:
    """A logged-in `nio.AsyncClient`, closed on exit.

    With `store_dir` the client has end-to-end encryption: its Olm account and Megolm
    sessions live in a sqlite store there. By default it reuses the registration device
    and token (`restore_login`); `fresh_device` logs in with the password for a new device.
    """
    if store_dir is not None:
        store_dir.mkdir(parents=True, exist_ok=True)
    config = client_config(encryption=store_dir is not None)
    store_path = str(store_dir) if store_dir is not None else ""
    client = AsyncClient(base_url, user.user_id, store_path=store_path, config=config)
    try:
        if fresh_device:
            reply = await client.login(user.password, device_name="bryggan-tests")
            if not isinstance(reply, LoginResponse):
                raise HomeserverError(f"login failed for {user.user_id}: {reply}")
        else:
            client.restore_login(user.user_id, user.device_id, user.access_token)
        yield client
    finally:
        await client.close()


async def sync_until(client: Any, found: Callable[[Any], T | None], *, timeout: float = 15.0) -> T:
    """Sync repeatedly until `found(sync_response)` returns something, and return it.

    Only responses received inside this call are inspected, so call it after the action
    whose effect you wait for, or the effect may have been consumed by an earlier sync.
    """
    deadline = time.monotonic() + timeout
    while True:
        response = await client.sync(timeout=300)
        if isinstance(response, SyncError):
            raise HomeserverError(f"sync failed for {client.user_id}: {response}")
        result = found(response)
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{client.user_id} did not see the awaited sync within {timeout}s")


def timeline_events(response: Any, room_id: str) -> list[Any]:
    """The timeline events of a joined room in one sync response (empty if absent)."""
    room = response.rooms.join.get(room_id)
    return list(room.timeline.events) if room is not None else []


def members_listed(client: Any, room_id: str, *user_ids: str) -> Callable[[Any], bool | None]:
    """A `sync_until` check: does `client`'s synced state of the room list all `user_ids`?

    nio learns membership (and that a room is encrypted) only from sync, never from the
    replies to room_create or join, so wait for this before sending to an encrypted room.
    """

    def check(_response: Any) -> bool | None:
        room = client.rooms.get(room_id)
        return True if room is not None and set(user_ids) <= set(room.users) else None

    return check
