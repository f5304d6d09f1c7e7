"""A stand-in for Slack's Web API on loopback, plus builders for the signed requests Slack sends.

`SlackStandIn` is a real HTTP server on 127.0.0.1 with a free port. Point
`slack_sdk.WebClient(token=..., base_url=stand_in.base_url)` at it, or hand such a client to
bolt's `App(client=...)`. It answers the Web API methods a help-desk bot uses, keeps just enough
state to be faithful (messages per channel, views, DM channels, uploaded bytes), records every
call, and can be told to fail the next call of a method.

The module-level builders produce the bodies and headers Slack sends to an app (slash commands,
block actions, view submissions, events), signed like Slack signs them, for `app.dispatch`.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple, cast
from urllib.parse import parse_qsl, urlencode, urlsplit

logger = logging.getLogger(__name__)

JsonDict = dict[str, Any]

DEFAULT_TOKEN = "xoxb-bryggan-stand-in"
DEFAULT_SIGNING_SECRET = "bryggan-stand-in-signing-secret"
TEAM_ID = "T0BRYGGAN"
TEAM_NAME = "Bryggan test workspace"
BOT_USER_ID = "U0BRYGGAN"
BOT_ID = "B0BRYGGAN"
APP_ID = "A0BRYGGAN"
UPLOAD = "upload"
"""Method name under which the byte uploads of the v2 file flow are recorded."""

_API_PREFIX = "/api/"
_UPLOAD_PREFIX = "/upload/"


class RecordedCall(NamedTuple):
    """One request the stand-in received. Header names are lower-cased.

    Form-encoded values stay strings as sent (nested values arrive as JSON text, booleans as
    "1"/"0"); JSON bodies keep their structure; multipart file fields are bytes.
    """

    method: str
    payload: JsonDict
    headers: dict[str, str]


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    headers: Mapping[str, str]

    @classmethod
    def of_json(
        cls, body: JsonDict, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> _Answer:
        """An `application/json` answer."""
        content = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(body).encode(), content)


class _MethodError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}` with HTTP 200."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class SlackStandIn:
    """A Slack Web API stand-in serving on a free loopback port until `stop()`.

    Use it as a context manager or call `start()`/`stop()`. Every call is recorded before the
    token is checked or a fault is injected, so failing calls show up in `calls()` too.
    """

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self._cond = threading.Condition()
        self._calls: list[RecordedCall] = []
        self._faults: dict[str, deque[_Answer]] = {}
        self._down = False
        self._gates: dict[str, threading.Event] = {}
        self._ids = itertools.count(1)
        self._last_ts = int(time.time()) * 1_000_000
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods = _WebMethods(self)
        self.reset()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.stand_in = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"slack-stand-in:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (only while started)."""
        if self._httpd is None:
            raise RuntimeError("the Slack stand-in is not started")
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:<port>/`, the root the upload URLs live under."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def base_url(self) -> str:
        """The Web API base URL, with the trailing slash `WebClient` needs."""
        return f"{self.root_url}{_API_PREFIX.strip('/')}/"

    # -- recorded calls -------------------------------------------------------------------

    def recorded(self) -> list[RecordedCall]:
        """All calls so far, oldest first."""
        with self._cond:
            return list(self._calls)

    def calls(self, method: str) -> list[JsonDict]:
        """The payloads of every call of `method` so far, oldest first."""
        with self._cond:
            return [call.payload for call in self._calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[JsonDict]:
        """Wait until `method` has been called at least `count` times; return its payloads.

        Bolt runs listeners in a thread pool after acking, so a handler's Web API calls can land
        after `app.dispatch` returns. Raises `AssertionError` naming what did arrive on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                payloads = [c.payload for c in self._calls if c.method == method]
                remaining = deadline - time.monotonic()
                if len(payloads) >= count or remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.05))
            seen = [c.method for c in self._calls]
        if len(payloads) < count:
            raise AssertionError(
                f"expected {count} call(s) of {method} within {timeout}s, "
                f"got {len(payloads)}; all calls: {seen}"
            )
        return payloads

    def reset(self) -> None:
        """Forget calls, faults and workspace state (messages, views, files, users)."""
        with self._cond:
            self._calls.clear()
            self._faults.clear()
            self._down = False
            self._methods.reset()

    # -- fault injection ------------------------------------------------------------------

    def fail_next(
        self, method: str, status: int = 429, retry_after: int | None = 1, times: int = 1
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status`.

        429 answers `ratelimited`, other statuses `internal_error`; a `Retry-After` header is
        sent unless `retry_after` is None.
        """
        error = "ratelimited" if status == 429 else "internal_error"
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        answer = _Answer.of_json({"ok": False, "error": error}, status, headers)
        self._queue_fault(method, answer, times)

    def server_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with a bare HTTP 5xx."""
        self.fail_next(method, status=status, retry_after=None, times=times)

    def hold(self, method: str) -> threading.Event:
        """Calls of `method` wait (each in its own server thread) until the returned event
        is set: a Slack that hangs."""
        gate = self._gates[method] = threading.Event()
        return gate

    def outage(self, down: bool = True) -> None:
        """While down, every Web API method answers a bare HTTP 500 (Slack is out)."""
        with self._cond:
            self._down = down

    def remove_bot(self, channel: str) -> None:
        """The bot leaves `channel` (or is removed): posts there answer `not_in_channel`."""
        with self._cond:
            self._methods.outside.add(channel)

    def invite_bot(self, channel: str) -> None:
        """The bot is invited back into `channel`."""
        with self._cond:
            self._methods.outside.discard(channel)

    def error_next(self, method: str, error: str = "channel_not_found", times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 200 and `ok: false`."""
        self._queue_fault(method, _Answer.of_json({"ok": False, "error": error}), times)

    def _queue_fault(self, method: str, answer: _Answer, times: int) -> None:
        with self._cond:
            self._faults.setdefault(method, deque()).extend([answer] * times)

    # -- workspace state, for assertions --------------------------------------------------

    def ephemerals_seen(self, user: str) -> list[str]:
        """The ephemeral texts `user` saw, as Slack shows them (none posted into a thread
        that does not exist yet)."""
        with self._cond:
            return [text for who, text in self._methods.shown_ephemerals if who == user]

    def messages(self, channel: str) -> list[JsonDict]:
        """Messages currently visible in `channel` (after updates and deletes), oldest first."""
        with self._cond:
            return self._methods.visible_messages(channel)

    def uploaded_bytes(self, file_id: str) -> bytes:
        """The bytes received for a file, by either upload flow."""
        with self._cond:
            return self._methods.file_bytes(file_id)

    def dm_channel_for(self, user_id: str) -> str:
        """The DM channel id `conversations.open` gives (or will give) for `user_id`."""
        with self._cond:
            return self._methods.dm_channel(user_id)

    def add_user(self, user_id: str, **fields: Any) -> None:
        """Register `users.info` data (`real_name`, `tz`, `profile`, ...) for `user_id`."""
        with self._cond:
            self._methods.add_user(user_id, fields)

    # -- used by the method handlers ------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        """A fresh Slack-looking id such as `F00000007`."""
        with self._cond:
            return f"{prefix}{next(self._ids):08d}"

    def next_ts(self) -> str:
        """A message timestamp strictly greater than every earlier one."""
        with self._cond:
            self._last_ts = max(self._last_ts + 1, int(time.time() * 1_000_000))
            return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    # -- request handling -----------------------------------------------------------------

    def _answer(self, path: str, query: str, raw: bytes, headers: dict[str, str]) -> _Answer:
        if path.startswith(_UPLOAD_PREFIX):
            return self._answer_upload(path.removeprefix(_UPLOAD_PREFIX), raw, headers)
        method = path.removeprefix(_API_PREFIX)
        try:
            payload: JsonDict | None = _parse_payload(query, raw, headers.get("content-type", ""))
        except ValueError as exc:
            logger.debug("unparseable %s body: %s", method, exc)
            payload = None
        with self._cond:
            self._calls.append(RecordedCall(method, payload or {}, headers))
            self._cond.notify_all()
        gate = self._gates.get(method)
        if gate is not None:
            gate.wait(timeout=60)
        with self._cond:
            if headers.get("authorization") != f"Bearer {self.token}":
                return _Answer.of_json({"ok": False, "error": "invalid_auth"})
            if payload is None:
                return _Answer.of_json({"ok": False, "error": "invalid_form_data"})
            fault = self._pop_fault(method)
            if fault is not None:
                return fault
            if self._down:
                return _Answer(500, b"", {"Content-Type": "text/plain"})
            handler = self._methods.handler(method)
            if handler is None:
                return _Answer.of_json({"ok": False, "error": "unknown_method"})
            try:
                return _Answer.of_json({"ok": True, **handler(payload)})
            except _MethodError as exc:
                return _Answer.of_json({"ok": False, "error": exc.error})
            except ValueError:  # a nested argument that is not valid JSON
                return _Answer.of_json({"ok": False, "error": "invalid_arguments"})

    def _answer_upload(self, file_id: str, raw: bytes, headers: dict[str, str]) -> _Answer:
        with self._cond:
            self._calls.append(RecordedCall(UPLOAD, {"file_id": file_id, "data": raw}, headers))
            self._cond.notify_all()
            fault = self._pop_fault(UPLOAD)
            if fault is not None:
                return fault
            if not self._methods.receive_upload(file_id, raw):
                return _Answer(404, b"file not found", {"Content-Type": "text/plain"})
        return _Answer(200, f"OK - {len(raw)}".encode(), {"Content-Type": "text/plain"})

    def _pop_fault(self, method: str) -> _Answer | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None


MethodHandler = Callable[[JsonDict], JsonDict]


class _WebMethods:
    """Workspace state and one handler per Web API method; always called under the lock."""

    def __init__(self, stand_in: SlackStandIn) -> None:
        self._stand_in = stand_in
        self._messages: dict[str, dict[str, JsonDict]] = {}
        self._reactions: set[tuple[str, str, str]] = set()
        self._views: dict[str, JsonDict] = {}
        self._home_views: dict[str, str] = {}
        self._dms: dict[str, str] = {}
        self._users: dict[str, JsonDict] = {}
        self._files: dict[str, JsonDict] = {}
        self.outside: set[str] = set()
        """Channels the bot is not a member of."""
        self.shown_ephemerals: list[tuple[str, str]] = []
        """(user, text) of each ephemeral message Slack would show."""
        self._handlers: dict[str, MethodHandler] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "reactions.add": self.reactions_add,
            "views.open": self.views_open,
            "views.push": self.views_open,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "conversations.info": self.conversations_info,
            "users.info": self.users_info,
            "files.upload": self.files_upload,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
            "apps.connections.open": self.apps_connections_open,
        }

    def reset(self) -> None:
        self._messages.clear()
        self._reactions.clear()
        self._views.clear()
        self._home_views.clear()
        self._dms.clear()
        self._users.clear()
        self._files.clear()
        self.outside.clear()
        self.shown_ephemerals.clear()

    def handler(self, method: str) -> MethodHandler | None:
        return self._handlers.get(method)

    # -- for the stand-in's assertion helpers ---------------------------------------------

    def visible_messages(self, channel: str) -> list[JsonDict]:
        by_ts = self._messages.get(channel, {})
        return [copy.deepcopy(by_ts[ts]) for ts in sorted(by_ts)]

    def file_bytes(self, file_id: str) -> bytes:
        data = self._files.get(file_id, {}).get("data")
        if not isinstance(data, bytes):
            raise KeyError(f"no bytes were uploaded for file {file_id}")
        return data

    def dm_channel(self, user_id: str) -> str:
        return self._id_for(self._dms, user_id, "D")

    def add_user(self, user_id: str, fields: JsonDict) -> None:
        self._users[user_id] = {**_default_user(user_id), **fields}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        if file_id not in self._files:
            return False
        self._files[file_id]["data"] = data
        return True

    # -- the Web API methods --------------------------------------------------------------

    def auth_test(self, p: JsonDict) -> JsonDict:
        return {
            "url": "https://bryggan-test.slack.com/",
            "team": TEAM_NAME,
            "user": "bryggan",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, p: JsonDict) -> JsonDict:
        channel = self._channel(p, open_dm=True)
        _require_content(p)
        message = self._post(channel, p)
        return {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def chat_post_ephemeral(self, p: JsonDict) -> JsonDict:
        channel = self._channel(p, open_dm=False)
        if not p.get("user"):
            raise _MethodError("user_not_found")
        _require_content(p)
        # Slack shows an ephemeral in a thread only when the thread exists (has a reply).
        thread = p.get("thread_ts")
        replies = [
            m
            for m in self._messages.get(channel, {}).values()
            if thread and m.get("thread_ts") == thread and m["ts"] != thread
        ]
        if not thread or replies:
            self.shown_ephemerals.append((str(p["user"]), str(p.get("text", ""))))
        return {"message_ts": self._stand_in.next_ts()}

    def chat_update(self, p: JsonDict) -> JsonDict:
        channel = self._channel(p, open_dm=False)
        message = self._stored_message(channel, str(p.get("ts", "")))
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in p:
                message[key] = _json_value(p[key])
        message["edited"] = {"user": BOT_USER_ID, "ts": self._stand_in.next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    def chat_delete(self, p: JsonDict) -> JsonDict:
        channel = self._channel(p, open_dm=False)
        ts = str(p.get("ts", ""))
        self._stored_message(channel, ts)
        del self._messages[channel][ts]
        return {"channel": channel, "ts": ts}

    def reactions_add(self, p: JsonDict) -> JsonDict:
        channel = self._channel(p, open_dm=False)
        ts, name = str(p.get("timestamp", "")), str(p.get("name", ""))
        if not ts:
            raise _MethodError("no_item_specified")
        if not name:
            raise _MethodError("invalid_name")
        if (channel, ts, name) in self._reactions:
            raise _MethodError("already_reacted")
        self._reactions.add((channel, ts, name))
        message = self._messages.get(channel, {}).get(ts)
        if message is not None:
            reaction = {"name": name, "users": [BOT_USER_ID], "count": 1}
            message.setdefault("reactions", []).append(reaction)
        return {}

    def views_open(self, p: JsonDict) -> JsonDict:
        if not p.get("trigger_id"):
            raise _MethodError("invalid_arguments")
        return {"view": self._store_view(p, self._stand_in.next_id("V"))}

    def views_update(self, p: JsonDict) -> JsonDict:
        view_id = p.get("view_id") or next(
            (v["id"] for v in self._views.values() if v["external_id"] == p.get("external_id")),
            None,
        )
        if not view_id or view_id not in self._views:
            raise _MethodError("not_found")
        if p.get("hash") and p["hash"] != self._views[view_id]["hash"]:
            raise _MethodError("hash_conflict")
        return {"view": self._store_view(p, str(view_id))}

    def views_publish(self, p: JsonDict) -> JsonDict:
        user_id = str(p.get("user_id", ""))
        if not user_id:
            raise _MethodError("user_not_found")
        view_id = self._id_for(self._home_views, user_id, "V")
        return {"view": self._store_view(p, view_id)}

    def conversations_open(self, p: JsonDict) -> JsonDict:
        if p.get("channel"):
            return {"channel": {"id": str(p["channel"])}}
        users = [u for u in str(p.get("users", "")).split(",") if u]
        if not users:
            raise _MethodError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": self.dm_channel(users[0])}}
        key = ",".join(sorted(users))
        return {"channel": {"id": self._id_for(self._dms, key, "G")}}

    def conversations_info(self, p: JsonDict) -> JsonDict:
        channel = str(p.get("channel") or "")
        if not channel:
            raise _MethodError("channel_not_found")
        member = channel not in self.outside
        return {"channel": {"id": channel, "is_member": member, "is_archived": False}}

    def conversations_history(self, p: JsonDict) -> JsonDict:
        """Top-level messages newest first, after `oldest`, `limit` per page with a cursor;
        message metadata only with `include_all_metadata`."""
        channel = self._channel(p, open_dm=False)
        oldest = float(p.get("oldest") or 0)
        with_metadata = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [
            m
            for ts, m in sorted(self._messages.get(channel, {}).items(), reverse=True)
            if float(ts) > oldest and m.get("thread_ts", ts) == ts
        ]
        start = int(p.get("cursor") or 0)
        limit = int(p.get("limit") or 100)
        page = [copy.deepcopy(m) for m in found[start : start + limit]]
        for message in page:
            if not with_metadata:
                message.pop("metadata", None)
        more = start + limit < len(found)
        cursor = str(start + limit) if more else ""
        return {"messages": page, "has_more": more, "response_metadata": {"next_cursor": cursor}}

    def users_info(self, p: JsonDict) -> JsonDict:
        user_id = str(p.get("user", ""))
        if not user_id:
            raise _MethodError("user_not_found")
        return {"user": copy.deepcopy(self._users.get(user_id) or _default_user(user_id))}

    def files_get_upload_url_external(self, p: JsonDict) -> JsonDict:
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            raise _MethodError("invalid_arguments")
        file_id = self._stand_in.next_id("F")
        self._files[file_id] = {"id": file_id, "name": str(p["filename"]), "data": None}
        return {"upload_url": f"{self._stand_in.root_url}upload/{file_id}", "file_id": file_id}

    def files_complete_upload_external(self, p: JsonDict) -> JsonDict:
        entries = _json_value(p.get("files", "[]"))
        if not isinstance(entries, list) or not entries:
            raise _MethodError("invalid_arguments")
        infos = []
        for entry in entries:
            stored = self._files.get(str(entry.get("id")))
            if stored is None or stored["data"] is None:
                raise _MethodError("file_not_found")
            infos.append(_file_info(stored, entry.get("title")))
        if p.get("channel_id"):
            self._share_files(str(p["channel_id"]), infos, p)
        return {"files": infos}

    def files_upload(self, p: JsonDict) -> JsonDict:
        data = p.get("file")
        if not isinstance(data, bytes):
            data = str(p.get("content", "")).encode()
        if not data:
            raise _MethodError("no_file_data")
        file_id = self._stand_in.next_id("F")
        name = str(p.get("filename") or "file")
        self._files[file_id] = {"id": file_id, "name": name, "data": data}
        info = _file_info(self._files[file_id], p.get("title"))
        for channel in (c for c in str(p.get("channels") or "").split(",") if c):
            self._share_files(channel, [info], p)
        return {"file": info}

    def apps_connections_open(self, p: JsonDict) -> JsonDict:
        raise _MethodError("not_allowed_token_type")

    # -- shared pieces --------------------------------------------------------------------

    def _channel(self, p: JsonDict, *, open_dm: bool) -> str:
        channel = str(p.get("channel") or "")
        if not channel:
            raise _MethodError("channel_not_found")
        if channel in self.outside:
            raise _MethodError("not_in_channel")
        if open_dm and channel[0] in "UW":
            return self.dm_channel(channel)
        return channel

    def _post(self, channel: str, p: JsonDict, **extra: Any) -> JsonDict:
        message: JsonDict = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": self._stand_in.next_ts(),
            "text": str(p.get("text", "")),
            **extra,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if p.get(key):
                message[key] = _json_value(p[key])
        self._messages.setdefault(channel, {})[message["ts"]] = message
        return message

    def _share_files(self, channel: str, infos: list[JsonDict], p: JsonDict) -> None:
        comment = {"text": p.get("initial_comment") or "", "thread_ts": p.get("thread_ts")}
        self._post(channel, comment, files=copy.deepcopy(infos))

    def _id_for(self, ids: dict[str, str], key: str, prefix: str) -> str:
        if key not in ids:
            ids[key] = self._stand_in.next_id(prefix)
        return ids[key]

    def _stored_message(self, channel: str, ts: str) -> JsonDict:
        message = self._messages.get(channel, {}).get(ts)
        if message is None:
            raise _MethodError("message_not_found")
        return message

    def _store_view(self, p: JsonDict, view_id: str) -> JsonDict:
        view = _json_value(p.get("view"))
        if not isinstance(view, dict) or "type" not in view:
            raise _MethodError("invalid_arguments")
        stored = {
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.{self._stand_in.next_id('h')}",
        }
        self._views[view_id] = stored
        return copy.deepcopy(stored)


def _require_content(p: JsonDict) -> None:
    if not (p.get("text") or p.get("blocks") or p.get("attachments")):
        raise _MethodError("no_text")


def _json_value(value: Any) -> Any:
    """Decode nested values that form-encoded calls send as JSON text."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        return json.loads(value)
    return value


def _file_info(stored: JsonDict, title: Any) -> JsonDict:
    name = str(stored["name"])
    return {"id": stored["id"], "name": name, "title": title or name, "size": len(stored["data"])}


def _default_user(user_id: str) -> JsonDict:
    name = user_id.lower()
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "real_name": f"User {user_id}",
        "tz": "Europe/Stockholm",
        "is_bot": user_id == BOT_USER_ID,
        "deleted": False,
        "profile": {"real_name": f"User {user_id}", "display_name": name},
    }


def _parse_payload(query: str, raw: bytes, content_type: str) -> JsonDict:
    payload: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    if not raw:
        return payload
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or raw.lstrip().startswith(b"{"):
        body = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError("JSON body is not an object")
        payload.update(body)
    elif media_type == "multipart/form-data":
        payload.update(_parse_multipart(raw, content_type))
    else:
        payload.update(parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=True))
    return payload


def _parse_multipart(raw: bytes, content_type: str) -> JsonDict:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    fields: JsonDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = cast(bytes, part.get_payload(decode=True))
        fields[str(name)] = data if part.get_filename() else data.decode()
    return fields


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stand_in: SlackStandIn


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """TCP_NODELAY, as Slack's servers: a kept-alive client (bot/slack/transport.py) would
    otherwise wait 40 ms for each answer's body (Nagle against the delayed ACK)."""

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        stand_in = cast(_Server, self.server).stand_in
        try:
            answer = stand_in._answer(url.path, url.query, raw, headers)
        except Exception:
            logger.exception("Slack stand-in failed on %s", url.path)
            answer = _Answer.of_json({"ok": False, "error": "stand_in_failure"}, status=500)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("slack stand-in: " + format, *args)


# -- requests Slack sends to the app --------------------------------------------------------


def sign_request(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """`X-Slack-Request-Timestamp` and a v0 `X-Slack-Signature` for `body`, as Slack signs."""
    ts = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def retry_headers(retry_num: int, reason: str = "http_timeout") -> dict[str, str]:
    """The headers Slack adds when it redelivers an event it thinks went unanswered."""
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": reason}


def signed_headers(
    signing_secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """Everything Slack sends besides the body: content type, signature, retry headers."""
    is_json = body.lstrip().startswith("{")
    content_type = "application/json" if is_json else "application/x-www-form-urlencoded"
    headers = {"Content-Type": content_type, **sign_request(signing_secret, body, timestamp)}
    if retry_num is not None:
        headers.update(retry_headers(retry_num, retry_reason))
    return headers


def slash_command_body(
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    *,
    trigger_id: str = "1000000000.1.stand-in-trigger",
    team_id: str = TEAM_ID,
    user_name: str = "",
    channel_name: str = "general",
) -> str:
    """A slash command invocation, form-encoded like Slack posts it."""
    return urlencode(
        {
            "token": "verification-token-unused",
            "team_id": team_id,
            "team_domain": "bryggan-test",
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": f"https://hooks.slack.com/commands/{team_id}/1/stand-in",
            "trigger_id": trigger_id,
        }
    )


def block_actions_body(
    action_id: str,
    user_id: str,
    *,
    value: str = "",
    block_id: str = "actions",
    channel_id: str | None = None,
    message_ts: str | None = None,
    view: JsonDict | None = None,
    action: Mapping[str, Any] | None = None,
    trigger_id: str = "1000000000.1.stand-in-trigger",
    team_id: str = TEAM_ID,
) -> str:
    """A button press (or other block action), form-encoded as `payload=<json>`.

    Give `channel_id` and `message_ts` for an action on a message, `view` (as answered by
    `views.open`) for one inside a modal. `action` adds or overrides fields of the action,
    e.g. `{"type": "static_select", "selected_option": {...}}`.
    """
    action_ts = f"{time.time():.6f}"
    payload: JsonDict = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "bryggan-test"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "trigger_id": trigger_id,
        "is_enterprise_install": False,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "action_ts": action_ts,
                **(action or {}),
            }
        ],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": "general"}
        payload["response_url"] = f"https://hooks.slack.com/actions/{team_id}/1/stand-in"
    if channel_id is not None and message_ts is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["message"] = {"type": "message", "ts": message_ts, "user": BOT_USER_ID}
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    callback_id: str,
    state_values: JsonDict,
    user_id: str,
    private_metadata: str = "",
    *,
    view_id: str = "V0STANDIN",
    team_id: str = TEAM_ID,
) -> str:
    """A modal's submission, form-encoded as `payload=<json>`.

    `state_values` is `{block_id: {action_id: {"type": ..., "value": ...}}}` as bolt exposes it
    under `view["state"]["values"]`; `plain_text_state` builds the common text-input case.
    """
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "bryggan-test"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "trigger_id": "1000000000.1.stand-in-trigger",
        "is_enterprise_install": False,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": state_values},
            "hash": "1000000000.stand-in",
            "app_id": APP_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)})


def plain_text_state(values: Mapping[str, Mapping[str, str | None]]) -> JsonDict:
    """State values for plain-text inputs: `{block_id: {action_id: text}}` in, bolt shape out."""
    return {
        block_id: {
            action_id: {"type": "plain_text_input", "value": text}
            for action_id, text in actions.items()
        }
        for block_id, actions in values.items()
    }


def event_callback_body(
    event: JsonDict, event_id: str, *, team_id: str = TEAM_ID, event_time: int | None = None
) -> str:
    """An Events API delivery wrapping `event`, as JSON."""
    return json.dumps(
        {
            "token": "verification-token-unused",
            "team_id": team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()) if event_time is None else event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
    )


def message_event(
    text: str,
    user_id: str,
    channel_id: str,
    *,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
) -> JsonDict:
    """A plain user `message` event for `event_callback_body`."""
    ts = ts or f"{time.time():.6f}"
    event: JsonDict = {
        "type": "message",
        "user": user_id,
        "text": text,
        "ts": ts,
        "channel": channel_id,
        "channel_type": channel_type,
        "team": TEAM_ID,
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event
