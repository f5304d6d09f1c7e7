"""Over Matrix for the fault suite: `bryggan run` as a child process against the session's
Synapse, and a doctor who fires a burst of commands and keeps every reply and card.

The doctor's client syncs in the background with a timeline larger than anything the test
sends and pages back whenever a sync is cut short anyway, so no event escapes counting.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nio import MessageDirection, RoomMessagesResponse, RoomSendResponse, SyncError

from tests.clock_shift import python_command
from tests.matrix_homeserver import RegisteredUser

REPO = Path(__file__).resolve().parents[2]
REF = re.compile(r"F-\d{4}-\d{4,}")
ACKED = "är registrerad"
TIMELINE = {"room": {"timeline": {"limit": 1000}}}


class BrygganOverMatrix:
    """`bryggan --config <file> run` with the bot's password in its environment."""

    def __init__(self, config: Path, database_url: str, bot: RegisteredUser, log: Path):
        self.config, self.log = config, log
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BRYGGAN_"))},
            "MATRIX_PASSWORD": bot.password,
            "BRYGGAN_DATABASE_URL": database_url,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> BrygganOverMatrix:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                python_command("bot.cli", "--config", str(self.config), "run"),
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """`kill -9`: no clean-up of any kind in the child."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int | None:
        """SIGTERM and wait (killing it if it hangs); its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


class Doctor:
    """A nio client in the unit room: sends commands, and counts the bot's replies per
    command (`m.in_reply_to`) and its cards per reference."""

    def __init__(self, client: Any, room_id: str, bot_id: str, pause: float = 0.25) -> None:
        self.client, self.room_id, self.bot_id = client, room_id, bot_id
        self.pause = pause
        """Seconds between syncs: fewer, larger syncs leave the homeserver to the bot."""
        self.sent: dict[str, str] = {}
        """Command event id → the command's text."""
        self.replies: dict[str, list[str]] = defaultdict(list)
        """Command event id → the bodies of the bot's replies to it."""
        self.cards: Counter[str] = Counter()
        self._token: str | None = None
        self._news = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._sync_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def say(self, text: str) -> str:
        content = {"msgtype": "m.text", "body": text}
        sent = await self.client.room_send(self.room_id, "m.room.message", content)
        assert isinstance(sent, RoomSendResponse), sent
        event_id: str = sent.event_id
        self.sent[event_id] = text
        return event_id

    def acked(self) -> dict[str, str]:
        """Command text → the reference its acceptance reply gave."""
        found = {}
        for event_id, bodies in self.replies.items():
            for body in bodies:
                ref = REF.search(body)
                if ACKED in body and ref and event_id in self.sent:
                    found[self.sent[event_id]] = ref.group(0)
        return found

    async def until(self, check: Callable[[], Any], what: str, timeout: float) -> None:
        async with self._news:
            try:
                await asyncio.wait_for(self._news.wait_for(check), timeout)
            except TimeoutError as error:
                raise AssertionError(f"the doctor never saw {what}") from error

    async def _sync_forever(self) -> None:
        while True:
            response = await self.client.sync(timeout=30_000, sync_filter=TIMELINE)
            if isinstance(response, SyncError):
                raise AssertionError(f"the doctor could not sync: {response}")
            room = response.rooms.join.get(self.room_id)
            if room is not None:
                events = list(room.timeline.events)
                if room.timeline.limited and self._token and room.timeline.prev_batch:
                    events = await self._page_back(room.timeline.prev_batch) + events
                for event in events:
                    self._count(event.source)
            self._token = response.next_batch
            async with self._news:
                self._news.notify_all()
            await asyncio.sleep(self.pause)

    async def _page_back(self, start: str) -> list[Any]:
        """The events a cut-short sync left out, oldest first."""
        events: list[Any] = []
        while True:
            page = await self.client.room_messages(
                self.room_id, start, self._token, MessageDirection.back, limit=1000
            )
            assert isinstance(page, RoomMessagesResponse), page
            events.extend(page.chunk)
            if not page.chunk or not page.end or page.end == start:
                return events[::-1]
            start = page.end

    def _count(self, source: dict[str, Any]) -> None:
        if source.get("sender") != self.bot_id or source.get("type") != "m.room.message":
            return
        content = source.get("content") or {}
        body = str(content.get("body", ""))
        target = ((content.get("m.relates_to") or {}).get("m.in_reply_to") or {}).get("event_id")
        if isinstance(target, str):
            self.replies[target].append(body)
        elif content.get("format") and "m.new_content" not in content:
            card = REF.search(body.split(" · ")[0])
            if card:
                self.cards[card.group(0)] += 1
